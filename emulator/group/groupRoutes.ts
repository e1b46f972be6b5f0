/** Group lifecycle and info: create, read, set, transfer, mute, dismiss (internal/rpc/group/group.go). */
import type { ApiRequest, ConversationHooks, RouteTable, UserDirectory } from '../api/contract';
import { checkAccess } from '../relation/access';
import { apiError, argsError, ErrCode, noPermission } from '../relation/errors';
import { page, readPagination } from '../relation/pagination';
import { check, NO_FIELDS, PARAM_MAX_LENGTH, route } from '../relation/routeKit';
import { hasDuplicates, optNumber, optObject, optString, optStringArray, wrapped } from '../http/validate';
import { checkGroupAdmin, checkNotDismissed, takeGroup, takeMember, takeOwner } from './groupAccess';
import type { GroupNotifications } from './groupNotifications';
import { GroupStatus, JoinSource, RoleLevel, WORKING_GROUP, type GroupRecord, type GroupStore, type MemberRecord } from './groupStore';
import type { GroupViews } from './groupViews';

export interface GroupRouteDeps {
  store: GroupStore;
  views: GroupViews;
  notify: GroupNotifications;
  users: UserDirectory;
  now: () => number;
  conversations?: ConversationHooks;
  /** profile.ts groupInfoRoutes. */
  groupInfoRoutes: 'v3.8.0' | 'v3.8.3';
}

/** The largest group type the protocol's Check() accepts. */
const MAX_GROUP_TYPE = 2;

export function addGroupRoutes(table: RouteTable, d: GroupRouteDeps): void {
  const { store, views, notify, users } = d;

  route(table, '/group/create_group', (req, body) => {
    const info = optObject(body, 'groupInfo');
    const ownerUserID = optString(body, 'ownerUserID');
    const memberUserIDs = optStringArray(body, 'memberUserIDs');
    const adminUserIDs = optStringArray(body, 'adminUserIDs');
    check(info !== undefined, 'groupInfo is empty');
    const groupInfo = info!;
    const groupType = optNumber(groupInfo, 'groupType');
    check(groupType >= 0 && groupType <= MAX_GROUP_TYPE, 'GroupType is invalid');
    check(ownerUserID !== '', 'ownerUserID is empty');
    check(memberUserIDs.length <= PARAM_MAX_LENGTH, 'too many MemberUserIDs, need to be less than 1000');
    if (groupType !== WORKING_GROUP) throw argsError(`group type only supports ${WORKING_GROUP}`);
    checkAccess(req, ownerUserID);
    const userIDs = [...memberUserIDs, ...adminUserIDs, ownerUserID];
    if (!userIDs.includes(req.opUserID)) userIDs.push(req.opUserID);
    if (hasDuplicates(userIDs)) throw argsError('group member repeated');
    if (userIDs.some((id) => !users.exists(id))) throw apiError(ErrCode.UserIDNotFound, 'user not found');

    let groupID = optString(groupInfo, 'groupID');
    if (groupID !== '') {
      if (store.group(groupID)) throw apiError(ErrCode.GroupIDExisted, `group id existed ${groupID}`);
    } else {
      const generated = store.newGroupID(req.operationID);
      if (generated === undefined) throw apiError(ErrCode.ServerInternal, 'group id gen error');
      groupID = generated;
    }
    const now = d.now();
    const group: GroupRecord = {
      groupID,
      groupName: optString(groupInfo, 'groupName'),
      notification: optString(groupInfo, 'notification'),
      introduction: optString(groupInfo, 'introduction'),
      faceURL: optString(groupInfo, 'faceURL'),
      createTime: now,
      ex: optString(groupInfo, 'ex'),
      status: optNumber(groupInfo, 'status'),
      creatorUserID: optString(groupInfo, 'creatorUserID'),
      groupType,
      needVerification: optNumber(groupInfo, 'needVerification'),
      lookMemberInfo: optNumber(groupInfo, 'lookMemberInfo'),
      applyMemberFriend: optNumber(groupInfo, 'applyMemberFriend'),
      notificationUpdateTime: optNumber(groupInfo, 'notificationUpdateTime'),
      notificationUserID: optString(groupInfo, 'notificationUserID'),
    };
    const member = (userID: string, roleLevel: number): MemberRecord => ({
      groupID,
      userID,
      nickname: '',
      faceURL: '',
      roleLevel,
      joinTime: now,
      joinSource: JoinSource.Invitation,
      inviterUserID: req.opUserID,
      operatorUserID: req.opUserID,
      muteEndTime: 0,
      ex: '',
    });
    const members = [
      member(ownerUserID, RoleLevel.Owner),
      ...adminUserIDs.map((id) => member(id, RoleLevel.Admin)),
      ...memberUserIDs.map((id) => member(id, RoleLevel.Member)),
    ];
    store.createGroup(group);
    store.addMembers(members);

    const groupInfoPb = { ...views.group(group), memberCount: userIDs.length };
    // As the real server fills these tips: the owner entry is taken before nicknames are set, the
    // list entries get the user's nickname but no face, and the list stops at the op user.
    const rawPb = (m: MemberRecord) => ({ ...views.member(m, users.get(m.userID)?.appMangerLevel ?? 0), faceURL: '' });
    const memberList = [];
    for (const m of members) {
      memberList.push(rawPb(m));
      if (m.userID === req.opUserID) break;
    }
    notify.groupCreated(req, groupInfoPb, { ...rawPb(members[0]!), nickname: '' }, memberList, now);
    if (group.notification !== '') notify.groupInfoSetAnnouncement(req, groupID);
    return { groupInfo: groupInfoPb };
  });

  route(table, '/group/get_groups_info', (_req, body) => {
    const groupIDs = optStringArray(body, 'groupIDs');
    check(body.groupIDs !== undefined && body.groupIDs !== null, 'GroupIDs is empty');
    if (groupIDs.length === 0) throw argsError('groupID is empty');
    return { groupInfos: views.groups(groupIDs) };
  });

  route(table, '/group/get_joined_group_list', (req, body) => {
    const fromUserID = optString(body, 'fromUserID');
    const pagination = readPagination(body);
    check(pagination !== undefined, 'pagination is empty');
    check((pagination?.pageNumber ?? 0) >= 1, 'pageNumber is invalid');
    check(fromUserID !== '', 'fromUserID is empty');
    checkAccess(req, fromUserID);
    const all = store.joinedGroupIDs(fromUserID);
    return { total: all.length, groups: views.groups(page(all, pagination)) };
  });

  /** The checks SetGroupInfo and SetGroupInfoEx share before reading their fields (owner/admin, live group, owner). */
  const checkCanSet = (req: ApiRequest, groupID: string): void => {
    if (!req.isAdmin) {
      const op = takeMember(store, groupID, req.opUserID);
      if (!(op.roleLevel === RoleLevel.Owner || op.roleLevel === RoleLevel.Admin)) throw noPermission('no group owner or admin');
    }
    checkNotDismissed(takeGroup(store, groupID));
    takeOwner(store, groupID);
  };

  /**
   * What both routes do once the update is known: store it, then (group.go SetGroupInfo and
   * SetGroupInfoEx alike) a non-empty announcement marks every member's conversation, the
   * operator's included, before the notifications go out in the real order.
   */
  const applyGroupInfo = (req: ApiRequest, groupID: string, update: Partial<GroupRecord>, sent: { announcement: boolean; name: boolean; other: boolean }): void => {
    store.updateGroup(groupID, update);
    if (update.notification) d.conversations?.markGroupAnnouncement?.(groupID, store.memberIDs(groupID));
    if (sent.announcement) notify.groupInfoSetAnnouncement(req, groupID);
    if (sent.name) notify.groupInfoSetName(req, groupID);
    if (sent.other) notify.groupInfoSet(req, groupID);
  };

  // group.go SetGroupInfo (every release): {groupInfoForSet: GroupInfoForSet}; its plain strings
  // count only when non-empty (UpdateGroupInfoMap), so they cannot be cleared, the wrappers
  // (ex, needVerification, lookMemberInfo, applyMemberFriend) whenever present. The api decodes
  // with encoding/json and the protocol's wrappers unmarshal from the bare value.
  route(table, '/group/set_group_info', (req, body) => {
    const info = optObject(body, 'groupInfoForSet');
    check(info !== undefined, 'GroupInfoForSets is empty');
    const set = info!;
    const groupID = optString(set, 'groupID');
    check(groupID !== '', 'GroupID is empty');
    checkCanSet(req, groupID);
    const update: Partial<GroupRecord> = {};
    for (const key of ['groupName', 'notification', 'introduction', 'faceURL'] as const) {
      const v = optString(set, key);
      if (v !== '') update[key] = v;
    }
    const ex = wrapped(set, 'ex', 'string');
    if (ex !== undefined) update.ex = ex;
    for (const key of ['needVerification', 'lookMemberInfo', 'applyMemberFriend'] as const) {
      const v = wrapped(set, key, 'number');
      if (v !== undefined) update[key] = v;
    }
    let num = Object.keys(update).length;
    if (num === 0) return NO_FIELDS;
    if (update.notification !== undefined) {
      update.notificationUserID = req.opUserID;
      update.notificationUpdateTime = d.now();
      // UpdateGroupInfoMap writes three columns for it; v3.8.0 subtracts one of them, v3.8.3 all three.
      num += 2;
      num -= d.groupInfoRoutes === 'v3.8.0' ? 1 : 3;
    }
    if (update.groupName !== undefined) num--;
    applyGroupInfo(req, groupID, update, { announcement: update.notification !== undefined, name: update.groupName !== undefined, other: num > 0 });
    return NO_FIELDS;
  });

  // group.go SetGroupInfoEx (from the v3.8.3 tag; v3.8.0's router has no such route, so the api answers gin's 404).
  if (d.groupInfoRoutes !== 'v3.8.0') {
    route(table, '/group/set_group_info_ex', (req, body) => {
      const groupID = optString(body, 'groupID');
      checkCanSet(req, groupID);
      const update: Partial<GroupRecord> = {};
      let normal = false;
      let nameChanged = false;
      let notificationChanged = false;
      const groupName = wrapped(body, 'groupName', 'string');
      if (groupName !== undefined) {
        if (groupName.trim() === '') throw argsError('group name is empty');
        update.groupName = groupName;
        nameChanged = true;
      }
      const notification = wrapped(body, 'notification', 'string');
      if (notification !== undefined) {
        notificationChanged = true;
        update.notification = notification.trim();
        update.notificationUserID = req.opUserID;
        update.notificationUpdateTime = d.now();
      }
      for (const key of ['introduction', 'faceURL', 'ex'] as const) {
        const v = wrapped(body, key, 'string');
        if (v !== undefined) {
          update[key] = v;
          normal = true;
        }
      }
      for (const key of ['needVerification', 'lookMemberInfo', 'applyMemberFriend'] as const) {
        const v = wrapped(body, key, 'number');
        if (v !== undefined) {
          update[key] = v;
          normal = true;
        }
      }
      if (Object.keys(update).length === 0) return NO_FIELDS;
      applyGroupInfo(req, groupID, update, { announcement: notificationChanged, name: nameChanged, other: normal });
      return NO_FIELDS;
    });
  }

  route(table, '/group/transfer_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    const oldOwnerUserID = optString(body, 'oldOwnerUserID');
    const newOwnerUserID = optString(body, 'newOwnerUserID');
    check(groupID !== '', 'groupID is empty');
    check(oldOwnerUserID !== '', 'oldOwnerUserID is empty');
    check(newOwnerUserID !== '', 'newOwnerUserID is empty');
    checkNotDismissed(takeGroup(store, groupID));
    if (oldOwnerUserID === newOwnerUserID) throw argsError('OldOwnerUserID == NewOwnerUserID');
    const oldOwner = store.member(groupID, oldOwnerUserID);
    const newOwner = store.member(groupID, newOwnerUserID);
    const missing = [oldOwner ? '' : oldOwnerUserID, newOwner ? '' : newOwnerUserID].filter((id) => id !== '');
    if (missing.length > 0) throw argsError(`user not in group ${missing.join(',')}`);
    if (!req.isAdmin && !(req.opUserID === oldOwner!.userID && oldOwner!.roleLevel === RoleLevel.Owner)) {
      throw noPermission('no permission transfer group owner');
    }
    if (newOwner!.muteEndTime > d.now()) {
      store.updateMember(groupID, newOwnerUserID, { muteEndTime: 0 });
      notify.memberCancelMuted(req, groupID, newOwnerUserID);
    }
    store.transferOwner(groupID, oldOwnerUserID, newOwnerUserID);
    notify.ownerTransferred(req, groupID, oldOwnerUserID, newOwnerUserID);
    return NO_FIELDS;
  });

  route(table, '/group/dismiss_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    check(groupID !== '', 'groupID is empty');
    const deleteMember = body.deleteMember === true;
    const owner = takeOwner(store, groupID);
    if (!req.isAdmin && owner.userID !== req.opUserID) throw noPermission('not group owner');
    const group = takeGroup(store, groupID);
    if (!deleteMember && group.status === GroupStatus.Dismissed) throw apiError(ErrCode.DismissedAlready, 'group status is dismissed');
    // The real server sends no notification when it deletes the members as well.
    if (deleteMember) {
      store.dismissDeletingMembers(groupID);
      return NO_FIELDS;
    }
    store.dismiss(groupID);
    notify.groupDismissed(req, views.group(group));
    // push_handler.go groupMessagesHandler: once GroupDismissedNotification is pushed, the push
    // service calls DismissGroup(groupID, deleteMember=true) as the app admin, and
    // controller/group.go DismissGroup deletes every member and logs the join-group deletes.
    store.dismissDeletingMembers(groupID);
    return NO_FIELDS;
  });

  route(table, '/group/mute_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    check(groupID !== '', 'groupID is empty');
    checkGroupAdmin(req, store, groupID);
    takeGroup(store, groupID);
    store.updateGroup(groupID, { status: GroupStatus.Muted });
    notify.groupMuted(req, groupID, true);
    return NO_FIELDS;
  });

  route(table, '/group/cancel_mute_group', (req, body) => {
    const groupID = optString(body, 'groupID');
    check(groupID !== '', 'groupID is empty');
    checkGroupAdmin(req, store, groupID);
    takeGroup(store, groupID);
    store.updateGroup(groupID, { status: GroupStatus.Ok });
    notify.groupMuted(req, groupID, false);
    return NO_FIELDS;
  });
}
