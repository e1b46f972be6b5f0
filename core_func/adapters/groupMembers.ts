/** Group members: listing, searching, member settings, kicking and muting. */
import { arg } from '../args';
import { defineAdapter } from '../adapter';
import { toJssdkGroupMembers } from '../shapes/group';
import { membersByFilter, membersJoinedBetween, MEMBER_FILTER_ROLES, ownerAndAdmins, searchMembers, pageOf } from './groupMemberQueries';
import {
  argsError,
  checkSearchGroupMembers,
  checkSetGroupMemberInfo,
  pick,
  SETTABLE_MEMBER_FIELDS,
  type SearchGroupMemberParams,
  type UpdateMemberInfoParams,
} from './groupParams';
import { allMembers, emptyIfNotMember } from '../upstream/rest/group';
import { restCall } from '../upstream/rest/caller';

const LOCAL_QUERY =
  'Answered from the group\'s full member list read from the server at each call (the OpenIM SDK core reads its local copy), so it is always current but costs one REST round trip per 500 members.';

export const groupMemberAdapters = [
  defineAdapter({
    method: 'GetGroupMemberList',
    args: [arg.string('groupID'), arg.number('filter'), arg.number('offset'), arg.number('count')],
    summary: 'A page of a group\'s members (GroupMemberItem[]), filtered by GroupMemberFilter, owner then admins then members; empty when the user is not in the group.',
    difference: LOCAL_QUERY,
    call: async (ctx, [groupID, filter, offset, count]) => {
      if (!Number.isInteger(filter) || MEMBER_FILTER_ROLES[filter] === undefined) throw argsError(`argument filter must be 0-${MEMBER_FILTER_ROLES.length - 1}, got ${filter}`);
      return pageOf(membersByFilter(await allMembers(ctx, groupID), filter), offset, count);
    },
  }),
  defineAdapter({
    method: 'GetSpecifiedGroupMembersInfo',
    args: [arg.string('groupID'), arg.stringList('userIDList')],
    summary: 'The listed members of a group (GroupMemberItem[]); users not in the group are left out; empty when the user is not in the group.',
    call: async (ctx, [groupID, userIDs]) => {
      if (userIDs.length === 0) return [];
      const query = restCall<{ members?: unknown[] } | null>(ctx, '/group/get_group_members_info', { groupID, userIDs });
      return emptyIfNotMember(query.then((reply) => toJssdkGroupMembers(reply?.members)));
    },
  }),
  defineAdapter({
    method: 'SearchGroupMembers',
    args: [arg.object<SearchGroupMemberParams>('params', checkSearchGroupMembers)],
    summary: 'Members of a group whose user ID and/or nickname contain keywordList[0], newest first, offset/count applied.',
    difference: LOCAL_QUERY,
    call: async (ctx, [p]) => {
      const keyword = p.keywordList[0];
      if (keyword === undefined || (!p.isSearchUserID && !p.isSearchMemberNickname)) throw argsError('argument params: keywordList is empty or both search fields are false');
      return pageOf(searchMembers(await allMembers(ctx, p.groupID), keyword, p.isSearchUserID, p.isSearchMemberNickname), p.offset, p.count);
    },
  }),
  defineAdapter({
    method: 'SetGroupMemberInfo',
    args: [arg.object<UpdateMemberInfoParams>('params', checkSetGroupMemberInfo)],
    summary: 'Changes a member\'s group nickname, face, role level (admin 60 / member 20) or ex.',
    call: async (ctx, [p]) => {
      await restCall(ctx, '/group/set_group_member_info', { members: [{ groupID: p.groupID, userID: p.userID, ...pick(p, SETTABLE_MEMBER_FIELDS) }] });
    },
  }),
  defineAdapter({
    method: 'GetGroupMemberOwnerAndAdmin',
    args: [arg.string('groupID')],
    summary: 'The owner and admins of a group (GroupMemberItem[]), newest first.',
    difference: LOCAL_QUERY,
    call: async (ctx, [groupID]) => ownerAndAdmins(await allMembers(ctx, groupID)),
  }),
  defineAdapter({
    method: 'GetGroupMemberListByJoinTimeFilter',
    args: [
      arg.string('groupID'),
      arg.number('offset'),
      arg.number('count'),
      arg.number('joinTimeBegin'),
      arg.number('joinTimeEnd'),
      arg.stringList('filterUserIDList'),
    ],
    summary: 'Members who joined between joinTimeBegin and joinTimeEnd (ms; 0 = now), except filterUserIDList, newest first.',
    difference: LOCAL_QUERY,
    call: async (ctx, [groupID, offset, count, begin, end, excluded]) => {
      const members = await allMembers(ctx, groupID);
      return pageOf(membersJoinedBetween(members, begin, end === 0 ? Date.now() : end, excluded), offset, count);
    },
  }),
  defineAdapter({
    method: 'KickGroupMember',
    args: [arg.string('groupID'), arg.optionalString('reason'), arg.stringList('userIDList')],
    summary: 'Removes members from a group (owner or admin).',
    call: async (ctx, [groupID, reason, kickedUserIDs]) => {
      await restCall(ctx, '/group/kick_group', { groupID, reason, kickedUserIDs });
    },
  }),
  defineAdapter({
    method: 'ChangeGroupMemberMute',
    args: [arg.string('groupID'), arg.string('userID'), arg.number('mutedSeconds')],
    summary: 'Mutes a member for mutedSeconds; 0 lifts the mute.',
    call: async (ctx, [groupID, userID, mutedSeconds]) => {
      if (mutedSeconds === 0) await restCall(ctx, '/group/cancel_mute_group_member', { groupID, userID });
      else await restCall(ctx, '/group/mute_group_member', { groupID, userID, mutedSeconds });
    },
  }),
];
