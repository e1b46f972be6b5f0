/** Group membership: invite, kick, quit, member lists and member settings (internal/rpc/group/group.go). */
import type { RouteTable } from '../api/contract';
import { checkAccess } from '../relation/access';
import { apiError, argsError, ErrCode, noPermission } from '../relation/errors';
import { GroupNotification } from '../relation/contentTypes';
import { page, readPagination } from '../relation/pagination';
import { check, NO_FIELDS, PARAM_MAX_LENGTH, route } from '../relation/routeKit';
import { hasDuplicates, optObjectArray, optNumber, optString, optStringArray, wrapped, type Fields } from '../http/validate';
import { VersionSortChangeID } from '../relation/versionLog';
import { checkAdminOrInGroup, checkNotDismissed, isManager, takeGroup, takeMember, takeOwner } from './groupAccess';
import type { GroupRouteDeps } from './groupRoutes';
import { GroupResponse, JoinSource, RoleLevel, Verification, type MemberUpdate } from './groupStore';

const MS_PER_SECOND = 1000;
/** The protocol's Check() accepts member-list filters 0 to 5 (the v3.8 server then ignores them). */
const MAX_MEMBER_FILTER = 5;

export function addMemberRoutes(table: RouteTable, d: GroupRouteDeps): void {
  const { store, views, notify, users } = d;

  route(table, '/group/invite_user_to_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    const invitedUserIDs = optStringArray(body, 'invitedUserIDs');
    check(groupID !== '', 'groupID is empty');
    check(body.invitedUserIDs !== undefined && body.invitedUserIDs !== null, 'invitedUserIDs is empty');
    check(invitedUserIDs.length <= PARAM_MAX_LENGTH, 'too many InvitedUserIDs, need to be less than 1000');
    if (invitedUserIDs.length === 0) throw argsError('user empty');
    if (hasDuplicates(invitedUserIDs)) throw argsError('userID duplicate');
    const group = takeGroup(store, groupID);
    checkNotDismissed(group);
    if (invitedUserIDs.some((id) => !users.exists(id))) throw apiError(ErrCode.RecordNotFound, 'user not found');
    const opMember = req.isAdmin ? undefined : takeMember(store, groupID, req.opUserID);
    const now = d.now();
    if (group.needVerification === Verification.AllNeed && !req.isAdmin && !isManager(opMember)) {
      for (const userID of invitedUserIDs) {
        store.putRequest({
          groupID,
          userID,
          handleResult: GroupResponse.NotHandled,
          reqMsg: '',
          handledMsg: '',
          reqTime: now,
          handleUserID: '',
          handledTime: 0,
          joinSource: JoinSource.Invitation,
          inviterUserID: req.opUserID,
          ex: '',
        });
        notify.joinApplication(req, groupID, userID, req.opUserID, '');
      }
      return NO_FIELDS;
    }
    store.addMembers(
      invitedUserIDs.map((userID) => ({
        groupID,
        userID,
        nickname: '',
        faceURL: '',
        roleLevel: RoleLevel.Member,
        joinTime: now,
        joinSource: JoinSource.Invitation,
        inviterUserID: req.opUserID,
        operatorUserID: req.opUserID,
        muteEndTime: 0,
        ex: '',
      })),
    );
    notify.memberInvited(req, groupID, req.opUserID, invitedUserIDs);
    return NO_FIELDS;
  });

  route(table, '/group/kick_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    const kickedUserIDs = optStringArray(body, 'kickedUserIDs');
    check(groupID !== '', 'groupID is empty');
    check(body.kickedUserIDs !== undefined && body.kickedUserIDs !== null, 'kickUserIDs is empty');
    check(kickedUserIDs.length <= PARAM_MAX_LENGTH, 'too many KickedUserIDs, need to be less than 1000');
    takeGroup(store, groupID);
    if (kickedUserIDs.length === 0) throw argsError('KickedUserIDs empty');
    if (hasDuplicates(kickedUserIDs)) throw argsError('KickedUserIDs duplicate');
    if (kickedUserIDs.includes(req.opUserID)) throw argsError('opUserID in KickedUserIDs');
    const owner = takeOwner(store, groupID);
    if (kickedUserIDs.includes(owner.userID)) throw argsError('ownerUID can not Kick');
    const opMember = store.member(groupID, req.opUserID);
    for (const userID of kickedUserIDs) {
      const member = store.member(groupID, userID);
      if (!member) throw apiError(ErrCode.UserIDNotFound, userID);
      if (req.isAdmin) continue;
      if (!opMember) throw noPermission('opUserID no in group');
      if (opMember.roleLevel === RoleLevel.Admin && (member.roleLevel === RoleLevel.Owner || member.roleLevel === RoleLevel.Admin)) {
        throw noPermission('group admins cannot remove the group owner and other admins');
      }
      if (opMember.roleLevel === RoleLevel.Member) throw noPermission('opUserID no permission');
      if (opMember.roleLevel !== RoleLevel.Owner && opMember.roleLevel !== RoleLevel.Admin) throw noPermission('opUserID roleLevel unknown');
    }
    const kickedUserList = views.members(groupID, kickedUserIDs);
    store.removeMembers(groupID, kickedUserIDs);
    notify.memberKicked(req, groupID, kickedUserList);
    notify.membersLeft(groupID, kickedUserIDs);
    return NO_FIELDS;
  });

  route(table, '/group/quit_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    check(groupID !== '', 'groupID is empty');
    let userID = optString(body, 'userID');
    if (userID === '') userID = req.opUserID;
    else checkAccess(req, userID);
    const member = takeMember(store, groupID, userID);
    if (member.roleLevel === RoleLevel.Owner) throw noPermission("group owner can't quit");
    const quitUser = views.member(member);
    store.removeMembers(groupID, [userID]);
    notify.memberQuit(req, quitUser);
    notify.membersLeft(groupID, [userID]);
    return NO_FIELDS;
  });

  // The real server ignores `filter` here; only a keyword narrows the list.
  route(table, '/group/get_group_member_list', (req, body) => {
    const groupID = optString(body, 'groupID');
    const pagination = readPagination(body);
    const filter = optNumber(body, 'filter');
    check(groupID !== '', 'groupID is empty');
    check(pagination !== undefined, 'pagination is empty');
    check((pagination?.pageNumber ?? 0) >= 1, 'pageNumber is invalid');
    check(filter >= 0 && filter <= MAX_MEMBER_FILTER, 'filter is invalid');
    checkAdminOrInGroup(req, store, groupID);
    const keyword = optString(body, 'keyword');
    const matches = keywordMatcher(keyword);
    // The real search is a regex over the stored group nickname, which is empty unless set.
    const all = store.membersOf(groupID).filter((m) => keyword === '' || matches(m.nickname));
    return { total: all.length, members: page(all, pagination).map((m) => views.member(m)) };
  });

  route(table, '/group/get_group_members_info', (req, body) => {
    const groupID = optString(body, 'groupID');
    const userIDs = optStringArray(body, 'userIDs');
    check(groupID !== '', 'groupID is empty');
    check(body.userIDs !== undefined && body.userIDs !== null, 'userIDs is empty');
    if (userIDs.length === 0) throw argsError('userIDs empty');
    checkAdminOrInGroup(req, store, groupID);
    return { members: views.members(groupID, userIDs) };
  });

  route(table, '/group/get_group_member_user_id', (_req, body) => {
    const groupID = optString(body, 'groupID');
    check(groupID !== '', 'GroupID is empty');
    return { userIDs: store.memberIDs(groupID) };
  });

  route(table, '/group/mute_group_member', (req, body) => {
    const groupID = optString(body, 'groupID');
    const userID = optString(body, 'userID');
    const mutedSeconds = optNumber(body, 'mutedSeconds');
    check(groupID !== '', 'groupID is empty');
    check(userID !== '', 'userID is empty');
    check(mutedSeconds > 0, 'mutedSeconds is empty');
    const member = takeMember(store, groupID, userID);
    checkMutePermission(req.isAdmin, member.roleLevel, () => takeMember(store, groupID, req.opUserID).roleLevel, 'mute');
    store.updateMember(groupID, userID, { muteEndTime: d.now() + mutedSeconds * MS_PER_SECOND });
    notify.memberMuted(req, groupID, userID, mutedSeconds);
    return NO_FIELDS;
  });

  route(table, '/group/cancel_mute_group_member', (req, body) => {
    const groupID = optString(body, 'groupID');
    const userID = optString(body, 'userID');
    check(groupID !== '', 'groupID is empty');
    check(userID !== '', 'userID is empty');
    const member = takeMember(store, groupID, userID);
    checkMutePermission(req.isAdmin, member.roleLevel, () => takeMember(store, groupID, req.opUserID).roleLevel, 'unmute');
    store.updateMember(groupID, userID, { muteEndTime: 0 });
    notify.memberCancelMuted(req, groupID, userID);
    return NO_FIELDS;
  });

  route(table, '/group/set_group_member_info', (req, body) => {
    const members = optObjectArray(body, 'members').map(readMemberSetting);
    check(body.members !== undefined && body.members !== null, 'members is empty');
    check(members.length <= PARAM_MAX_LENGTH, 'too many Members, need to be less than 1000');
    for (const m of members) {
      check(m.groupID !== '', 'GroupID is empty');
      check(m.userID !== '', 'userID is empty');
    }
    if (members.length === 0) throw argsError('members empty');
    for (const m of members) {
      if (m.update.roleLevel === undefined) continue;
      if (m.update.roleLevel === RoleLevel.Owner) throw noPermission('cannot set ungroup owner');
      if (m.update.roleLevel !== RoleLevel.Admin && m.update.roleLevel !== RoleLevel.Member) throw argsError('invalid role level');
    }
    checkMemberSettingPermission(req, d, members);
    for (const m of members) store.updateMember(m.groupID, m.userID, m.update);
    for (const m of members) {
      const sortVersion = m.update.roleLevel !== undefined ? sortVersionOf(d, m.groupID) : 0;
      if (m.update.roleLevel === RoleLevel.Admin) notify.memberInfoSet(req, m.groupID, m.userID, GroupNotification.MemberSetToAdmin, sortVersion);
      if (m.update.roleLevel === RoleLevel.Member) notify.memberInfoSet(req, m.groupID, m.userID, GroupNotification.MemberSetToOrdinaryUser, sortVersion);
      if (m.update.nickname !== undefined || m.update.faceURL !== undefined || m.update.ex !== undefined) {
        notify.memberInfoSet(req, m.groupID, m.userID, GroupNotification.MemberInfoSet, sortVersion);
      }
    }
    return NO_FIELDS;
  });
}

/** Mongo's `$regex`; a pattern it cannot compile fails the query (a 500 on the real server). */
function keywordMatcher(keyword: string): (text: string) => boolean {
  try {
    const re = new RegExp(keyword);
    return (text) => re.test(text);
  } catch {
    throw apiError(ErrCode.ServerInternal, `invalid regular expression: ${keyword}`);
  }
}

interface MemberSetting {
  groupID: string;
  userID: string;
  update: MemberUpdate;
}

function readMemberSetting(b: Fields): MemberSetting {
  const update: MemberUpdate = {};
  const nickname = wrapped(b, 'nickname', 'string');
  const faceURL = wrapped(b, 'faceURL', 'string');
  const roleLevel = wrapped(b, 'roleLevel', 'number');
  const ex = wrapped(b, 'ex', 'string');
  if (nickname !== undefined) update.nickname = nickname;
  if (faceURL !== undefined) update.faceURL = faceURL;
  if (roleLevel !== undefined) update.roleLevel = roleLevel;
  if (ex !== undefined) update.ex = ex;
  return { groupID: optString(b, 'groupID'), userID: optString(b, 'userID'), update };
}

/** The sort version the last role change logged, as setSortVersion reads it. */
function sortVersionOf(d: GroupRouteDeps, groupID: string): number {
  return d.store.memberVersions.elemVersion(groupID, VersionSortChangeID);
}

/** Mute rules: nobody mutes the owner; only the owner mutes admins; owner or admins mute members. */
function checkMutePermission(isAppAdmin: boolean, targetRole: number, opRole: () => number, verb: string): void {
  if (isAppAdmin) return;
  const op = opRole();
  if (targetRole === RoleLevel.Owner) throw noPermission(`can not ${verb} group owner`);
  if (targetRole === RoleLevel.Admin && op !== RoleLevel.Owner) throw noPermission(`can not ${verb} group admin`);
  if (targetRole === RoleLevel.Member && !(op === RoleLevel.Admin || op === RoleLevel.Owner)) throw noPermission(`can not ${verb} group ordinary users`);
}

/** SetGroupMemberInfo's permission rules, per group. */
function checkMemberSettingPermission(req: { opUserID: string; isAdmin: boolean }, d: GroupRouteDeps, members: MemberSetting[]): void {
  const byGroup = new Map<string, MemberSetting[]>();
  for (const m of members) byGroup.set(m.groupID, [...(byGroup.get(m.groupID) ?? []), m]);
  for (const [groupID, settings] of byGroup) {
    const userIDs = settings.map((s) => s.userID);
    if (hasDuplicates(userIDs)) throw argsError(`repeat group ${groupID} user`);
    if (!userIDs.includes(req.opUserID)) userIDs.push(req.opUserID);
    const found = userIDs.map((id) => d.store.member(groupID, id)).filter((m) => m !== undefined);
    const opMember = d.store.member(groupID, req.opUserID);
    const missing = userIDs.length - found.length;
    if (missing === 1) {
      if (opMember) throw argsError('user not in group');
      if (!req.isAdmin) throw noPermission('user not in group');
      continue;
    }
    if (missing > 1) throw argsError('user not in group');
    if (req.isAdmin || !opMember) continue;
    const role = opMember.roleLevel;
    for (const m of found) {
      if (role === RoleLevel.Admin) {
        if (m.roleLevel === RoleLevel.Owner) throw noPermission('admin can not change group owner');
        if (m.roleLevel === RoleLevel.Admin && m.userID !== req.opUserID) throw noPermission('admin can not change other group admin');
      } else if (role === RoleLevel.Member) {
        if (!(m.roleLevel === RoleLevel.Member && m.userID === req.opUserID)) throw noPermission('ordinary users can not change other role level');
      } else if (role !== RoleLevel.Owner && m.roleLevel >= role) {
        throw noPermission('can not change higher role level');
      }
    }
    const self = settings.find((s) => s.userID === req.opUserID);
    if (self?.update.roleLevel !== undefined) {
      if (self.update.roleLevel > opMember.roleLevel) throw noPermission('can not improve role level by self');
      if (role === RoleLevel.Owner) throw argsError('group owner can not change own role level');
    }
  }
}
