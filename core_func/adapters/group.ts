/** Groups and group applications; the member methods are in groupMembers.ts. */
import { defineAdapter, type Adapter, type LoggedIn } from '../adapter';
import { arg } from '../args';
import { groupRequestsToApplications, toJssdkGroup, toJssdkGroups } from '../shapes/group';
import { groupMemberAdapters } from './groupMembers';
import {
  argsError,
  checkCreateGroup,
  checkSearchGroups,
  checkSetGroupInfo,
  pick,
  SETTABLE_GROUP_FIELDS,
  type CreateGroupParams,
  type SearchGroupParams,
  type SetGroupInfoParams,
} from './groupParams';
import { allPages } from '../upstream/rest/group';
import { restCall } from '../upstream/rest/caller';
import { setGroupInfo } from './setGroupInfoRoute';

/** The only group type OpenIM v3 creates. */
const WORKING_GROUP = 2;
const GroupResponse = { Agree: 1, Refuse: -1 } as const;

function joinedGroups(ctx: LoggedIn): Promise<unknown[]> {
  return allPages(ctx, '/group/get_joined_group_list', { fromUserID: ctx.userID }, 'groups').then(toJssdkGroups);
}

/** The OpenIM SDK core's SQL LIKE '%keyword%': a case-insensitive substring. */
function matchesKeyword(group: unknown, keyword: string, byID: boolean, byName: boolean): boolean {
  const g = group as { groupID: string; groupName: string };
  const k = keyword.toLowerCase();
  return (byID && g.groupID.toLowerCase().includes(k)) || (byName && g.groupName.toLowerCase().includes(k));
}

function createGroupRequest(ctx: LoggedIn, p: CreateGroupParams): Record<string, unknown> {
  const groupType = p.groupInfo.groupType ?? WORKING_GROUP;
  if (groupType !== WORKING_GROUP) throw argsError(`argument params: groupInfo.groupType must be ${WORKING_GROUP} (a working group), got ${String(groupType)}`);
  return {
    ownerUserID: p.ownerUserID || ctx.userID,
    memberUserIDs: p.memberUserIDs,
    adminUserIDs: p.adminUserIDs ?? [],
    groupInfo: { ...p.groupInfo, groupType, creatorUserID: ctx.userID },
  };
}

function answerApplication(handleResult: number) {
  return async (ctx: LoggedIn, [groupID, fromUserID, handledMsg]: [string, string, string]): Promise<void> => {
    await restCall(ctx, '/group/group_application_response', { groupID, fromUserID, handledMsg, handleResult });
  };
}

const groupInfoAdapters = [
  defineAdapter({
    method: 'CreateGroup',
    args: [arg.object<CreateGroupParams>('params', checkCreateGroup)],
    summary: 'Creates a working group owned by ownerUserID (default: the user) with the given members and admins; resolves with its GroupItem.',
    call: async (ctx, [p]) => {
      const reply = await restCall<{ groupInfo?: unknown } | null>(ctx, '/group/create_group', createGroupRequest(ctx, p));
      return toJssdkGroup(reply?.groupInfo);
    },
  }),
  defineAdapter({
    method: 'JoinGroup',
    args: [arg.string('groupID'), arg.optionalString('reqMsg'), arg.number('joinSource'), arg.optionalString('ex')],
    summary: 'Applies to join a group (joinSource 2 invitation, 3 search, 4 QR code); groups without verification admit at once.',
    releases: 'sends three arguments, without ex (stored as "").',
    call: async (ctx, [groupID, reqMessage, joinSource, ex]) => {
      await restCall(ctx, '/group/join_group', { groupID, reqMessage, joinSource, inviterUserID: ctx.userID, ex });
    },
  }),
  defineAdapter({
    method: 'InviteUserToGroup',
    args: [arg.string('groupID'), arg.optionalString('reason'), arg.stringList('userIDList')],
    summary: 'Adds users to a group (or files applications for them when the group needs verification and the user is not an admin).',
    call: async (ctx, [groupID, reason, invitedUserIDs]) => {
      await restCall(ctx, '/group/invite_user_to_group', { groupID, reason, invitedUserIDs });
    },
  }),
  defineAdapter({
    method: 'GetJoinedGroupList',
    args: [],
    summary: 'Every group the user is in (GroupItem[]).',
    difference: 'Read from the server at each call (the OpenIM SDK core reads its local copy).',
    call: (ctx) => joinedGroups(ctx),
  }),
  defineAdapter({
    method: 'SearchGroups',
    args: [arg.object<SearchGroupParams>('params', checkSearchGroups)],
    summary: 'Joined groups whose ID and/or name contain keywordList[0] (GroupItem[]).',
    difference: 'Searches the joined groups read from the server at each call (the OpenIM SDK core searches its local copy).',
    call: async (ctx, [p]) => {
      const keyword = p.keywordList[0];
      if (keyword === undefined || (!p.isSearchGroupID && !p.isSearchGroupName)) throw argsError('argument params: keywordList is empty or both search fields are false');
      return (await joinedGroups(ctx)).filter((g) => matchesKeyword(g, keyword, p.isSearchGroupID, p.isSearchGroupName));
    },
  }),
  defineAdapter({
    method: 'GetSpecifiedGroupsInfo',
    args: [arg.stringList('groupIDs')],
    summary: 'The listed groups that exist (GroupItem[]), joined or not.',
    call: async (ctx, [groupIDs]) => {
      if (groupIDs.length === 0) return [];
      const reply = await restCall<{ groupInfos?: unknown[] } | null>(ctx, '/group/get_groups_info', { groupIDs });
      return toJssdkGroups(reply?.groupInfos);
    },
  }),
  defineAdapter({
    method: 'SetGroupInfo',
    args: [arg.object<SetGroupInfoParams>('params', checkSetGroupInfo)],
    summary: 'Changes the given fields of a group (name, notification, introduction, faceURL, ex, needVerification, lookMemberInfo, applyMemberFriend); owner or admin.',
    difference: 'A v3.8.0 server has only /group/set_group_info (the bridge falls back to it): there an empty name, notification, introduction or faceURL leaves the field as it was instead of clearing it (or, for the name, being refused).',
    call: async (ctx, [p]) => {
      await setGroupInfo(ctx, p.groupID, pick(p, Object.keys(SETTABLE_GROUP_FIELDS)));
    },
  }),
  defineAdapter({
    method: 'ChangeGroupMute',
    args: [arg.string('groupID'), arg.boolean('isMute')],
    summary: 'Mutes (status 3) or unmutes the whole group; owner or admin.',
    call: async (ctx, [groupID, isMute]) => {
      await restCall(ctx, isMute ? '/group/mute_group' : '/group/cancel_mute_group', { groupID });
    },
  }),
  defineAdapter({
    method: 'TransferGroupOwner',
    args: [arg.string('groupID'), arg.string('newOwnerUserID')],
    summary: 'Makes another member the owner; the user takes that member\'s former role.',
    call: async (ctx, [groupID, newOwnerUserID]) => {
      await restCall(ctx, '/group/transfer_group', { groupID, oldOwnerUserID: ctx.userID, newOwnerUserID });
    },
  }),
  defineAdapter({
    method: 'DismissGroup',
    args: [arg.string('groupID')],
    summary: 'Dismisses a group (owner); its members get OnGroupDismissed.',
    call: async (ctx, [groupID]) => {
      await restCall(ctx, '/group/dismiss_group', { groupID, deleteMember: false });
    },
  }),
  defineAdapter({
    method: 'QuitGroup',
    args: [arg.string('groupID')],
    summary: 'Leaves a group (the owner cannot).',
    call: async (ctx, [groupID]) => {
      await restCall(ctx, '/group/quit_group', { groupID });
    },
  }),
];

const applicationAdapters = [
  defineAdapter({
    method: 'GetGroupApplicationListAsRecipient',
    args: [],
    summary: 'Applications to the groups the user owns or administers, newest first (GroupApplicationItem[]).',
    difference: 'Read from the server at each call (the OpenIM SDK core reads its local copy).',
    call: async (ctx) => groupRequestsToApplications(await allPages(ctx, '/group/get_recv_group_applicationList', { fromUserID: ctx.userID }, 'groupRequests')),
  }),
  defineAdapter({
    method: 'GetGroupApplicationListAsApplicant',
    args: [],
    summary: 'The user\'s own group applications, newest first (GroupApplicationItem[]).',
    difference: 'Read from the server at each call (the OpenIM SDK core reads its local copy).',
    call: async (ctx) => groupRequestsToApplications(await allPages(ctx, '/group/get_user_req_group_applicationList', { userID: ctx.userID }, 'groupRequests')),
  }),
  defineAdapter({
    method: 'AcceptGroupApplication',
    args: [arg.string('groupID'), arg.string('fromUserID'), arg.optionalString('handleMsg')],
    summary: 'Accepts fromUserID\'s application to a group (owner or admin).',
    call: answerApplication(GroupResponse.Agree),
  }),
  defineAdapter({
    method: 'RefuseGroupApplication',
    args: [arg.string('groupID'), arg.string('fromUserID'), arg.optionalString('handleMsg')],
    summary: 'Refuses fromUserID\'s application to a group (owner or admin).',
    call: answerApplication(GroupResponse.Refuse),
  }),
];

export const groupAdapters: Adapter[] = [...groupInfoAdapters, ...groupMemberAdapters, ...applicationAdapters];
