/** Friends, friend applications and the blacklist. */
import { defineAdapter, type LoggedIn } from '../adapter';
import { BridgeError } from '../../common/errors';
import { arg } from '../args';
import {
  fullFriendItem,
  Relationship,
  toJssdkFriendApplications,
  type FriendUserItem,
  type SearchedFriendsInfo,
} from '../shapes/friend';
import { allBlacks, allFriends, allPages, byUserID, relationsWith } from '../upstream/rest/friend';
import { restCall } from '../upstream/rest/caller';

/** The server's FriendResponse value for a refusal (handleResult). */
const REFUSE = -1;

const FROM_SERVER =
  'Read from the server at each call (the OpenIM SDK core read its local copy, kept in step by its sync), so it is always current but costs a REST round trip.';

const ACCEPT_DIFFERENCE =
  'The application is looked up on the server first (1004 when there is none, 1001 when it was already answered), then accepted through the client SDK so that the accepter gets OnFriendAdded; the applicant\'s OnFriendAdded, which @openim/client-sdk 0.0.14 misses, is derived by the bridge from OnFriendApplicationAccepted (core_func/coreRules/followUps.ts).';

type Obj = Record<string, unknown>;

function stringField(o: Obj, name: string, optional = false): string | undefined {
  const v = o[name];
  if (v === undefined && optional) return undefined;
  return typeof v === 'string' ? undefined : `field ${name} must be a string`;
}

function checkFields(...checks: ((o: Obj) => string | undefined)[]) {
  return (o: Obj): string | undefined => {
    for (const c of checks) {
      const problem = c(o);
      if (problem) return problem;
    }
    return undefined;
  };
}

const required = (name: string) => (o: Obj) => stringField(o, name);
const optional = (name: string) => (o: Obj) => stringField(o, name, true);

const SEARCH_FLAGS = ['isSearchUserID', 'isSearchNickname', 'isSearchRemark'];

function checkSearch(o: Obj): string | undefined {
  const k = o.keywordList;
  if (!Array.isArray(k) || !k.every((x) => typeof x === 'string')) return 'field keywordList must be an array of strings';
  for (const flag of SEARCH_FLAGS) {
    if (o[flag] !== undefined && typeof o[flag] !== 'boolean') return `field ${flag} must be a boolean`;
  }
  // The SDK core's own check, word for word.
  if (k.length === 0 || !SEARCH_FLAGS.some((f) => o[f] === true)) return 'keyword is null or search field all false';
  return undefined;
}

interface AccessFriendParams { toUserID: string; handleMsg?: string }
interface AddFriendParams { toUserID: string; reqMsg?: string; ex?: string }
interface RemarkFriendParams { toUserID: string; remark: string }
interface SearchFriendParams { keywordList: string[]; isSearchUserID?: boolean; isSearchNickname?: boolean; isSearchRemark?: boolean }

const accessParams = () => arg.object<AccessFriendParams & Obj>('params', checkFields(required('toUserID'), optional('handleMsg')));

/** The server's codes for answering an application that is missing or already answered. */
const RECORD_NOT_FOUND = 1004;
const ARGS_ERROR = 1001;

async function refuse(ctx: LoggedIn, p: AccessFriendParams): Promise<undefined> {
  await restCall(ctx, '/friend/add_friend_response', { fromUserID: p.toUserID, toUserID: ctx.userID, handleResult: REFUSE, handleMsg: p.handleMsg ?? '' });
  return undefined;
}

/** The server's own checks before agreeing, so its codes reach the jssdk (the client SDK would say 10006). */
async function checkPendingApplication(ctx: LoggedIn, fromUserID: string): Promise<void> {
  const reply = await restCall<{ friendRequests?: { fromUserID?: string; toUserID?: string; handleResult?: number }[] | null } | null>(
    ctx,
    '/friend/get_designated_friend_apply',
    { fromUserID, toUserID: ctx.userID },
  );
  const request = (reply?.friendRequests ?? []).find((r) => r.fromUserID === fromUserID && r.toUserID === ctx.userID);
  if (!request) throw new BridgeError(RECORD_NOT_FOUND, 'friend request not found');
  if ((request.handleResult ?? 0) !== 0) throw new BridgeError(ARGS_ERROR, 'the friend request has been processed');
}

/** Through the client SDK: its follow-up friend sync is what raises OnFriendAdded for the accepter. */
async function accept(ctx: LoggedIn, p: AccessFriendParams): Promise<undefined> {
  await checkPendingApplication(ctx, p.toUserID);
  await ctx.upstream.call('acceptFriendApplication', { toUserID: p.toUserID, handleMsg: p.handleMsg ?? '' }, ctx.operationID);
  return undefined;
}

/** SQLite's LIKE '%k%', which the SDK core searched its local table with: ASCII case-insensitive. */
function contains(value: string, keyword: string): boolean {
  return value.toLowerCase().includes(keyword.toLowerCase());
}

function matchesSearch(f: FriendUserItem, p: SearchFriendParams, keyword: string): boolean {
  return (!!p.isSearchUserID && contains(f.userID, keyword)) || (!!p.isSearchNickname && contains(f.nickname, keyword)) || (!!p.isSearchRemark && contains(f.remark, keyword));
}

export const friendAdapters = [
  defineAdapter({
    method: 'AddFriend',
    args: [arg.object<AddFriendParams & Obj>('params', checkFields(required('toUserID'), optional('reqMsg'), optional('ex')))],
    summary: 'Sends a friend application {toUserID, reqMsg, ex}; both users then get OnFriendApplicationAdded.',
    call: async (ctx, [p]) => {
      await restCall(ctx, '/friend/add_friend', { fromUserID: ctx.userID, toUserID: p.toUserID, reqMsg: p.reqMsg ?? '', ex: p.ex ?? '' });
      return undefined;
    },
  }),
  defineAdapter({
    method: 'AcceptFriendApplication',
    args: [accessParams()],
    summary: 'Accepts the application from toUserID; OnFriendApplicationAccepted and OnFriendAdded follow.',
    difference: ACCEPT_DIFFERENCE,
    call: (ctx, [p]) => accept(ctx, p),
  }),
  defineAdapter({
    method: 'RefuseFriendApplication',
    args: [accessParams()],
    summary: 'Refuses the application from toUserID; OnFriendApplicationRejected follows.',
    call: (ctx, [p]) => refuse(ctx, p),
  }),
  defineAdapter({
    method: 'DeleteFriend',
    args: [arg.string('friendUserID')],
    summary: 'Removes a friend (one-way, as OpenIM does); OnFriendDeleted follows.',
    call: async (ctx, [friendUserID]) => {
      await restCall(ctx, '/friend/delete_friend', { ownerUserID: ctx.userID, friendUserID });
      return undefined;
    },
  }),
  defineAdapter({
    method: 'SetFriendRemark',
    args: [arg.object<RemarkFriendParams & Obj>('params', checkFields(required('toUserID'), required('remark')))],
    summary: 'Sets the remark of a friend; OnFriendInfoChanged follows.',
    call: async (ctx, [p]) => {
      await restCall(ctx, '/friend/set_friend_remark', { ownerUserID: ctx.userID, friendUserID: p.toUserID, remark: p.remark });
      return undefined;
    },
  }),
  defineAdapter({
    method: 'GetFriendList',
    args: [],
    summary: 'Every friend as FullUserItem {publicInfo: null, friendInfo, blackInfo}.',
    difference: FROM_SERVER,
    call: async (ctx) => {
      const [friends, blacks] = await Promise.all([allFriends(ctx), allBlacks(ctx)]);
      const blackMap = byUserID(blacks);
      return friends.map((f) => fullFriendItem(f, blackMap));
    },
  }),
  defineAdapter({
    method: 'GetSpecifiedFriendsInfo',
    args: [arg.stringList('userIDList')],
    summary: 'The listed users who are friends, as FullUserItem {publicInfo: null, friendInfo, blackInfo}; others are left out.',
    difference: FROM_SERVER,
    call: async (ctx, [userIDs]) => {
      const { friends, blacks } = await relationsWith(ctx, userIDs);
      return [...new Set(userIDs)].flatMap((id) => {
        const f = friends.get(id);
        return f ? [fullFriendItem(f, blacks)] : [];
      });
    },
  }),
  defineAdapter({
    method: 'CheckFriend',
    args: [arg.stringList('userIDList')],
    summary: 'FriendshipInfo[] {userID, result}: result 1 when the user is a friend and not blacklisted, else 0.',
    difference: FROM_SERVER,
    call: async (ctx, [userIDs]) => {
      const { friends, blacks } = await relationsWith(ctx, userIDs);
      return userIDs.map((userID) => ({ userID, result: friends.has(userID) && !blacks.has(userID) ? 1 : 0 }));
    },
  }),
  defineAdapter({
    method: 'SearchFriends',
    args: [arg.object<SearchFriendParams & Obj>('params', checkSearch)],
    summary: 'Friends whose userID, nickname and/or remark contain keywordList[0] (ASCII case-insensitive), with relationship 0 blacklisted / 1 friend.',
    difference: FROM_SERVER,
    call: async (ctx, [p]): Promise<SearchedFriendsInfo[]> => {
      const keyword = p.keywordList[0] ?? '';
      const [friends, blacks] = await Promise.all([allFriends(ctx), allBlacks(ctx)]);
      const blacklisted = new Set(blacks.map((b) => b.userID));
      return friends
        .filter((f) => matchesSearch(f, p, keyword))
        .map((f) => ({ ...f, relationship: blacklisted.has(f.userID) ? Relationship.isBlack : Relationship.isFriend }));
    },
  }),
  defineAdapter({
    method: 'GetFriendApplicationListAsRecipient',
    args: [],
    summary: 'Friend applications received (FriendApplicationItem[]), whatever their state.',
    difference: FROM_SERVER,
    call: async (ctx) => toJssdkFriendApplications(await allPages(ctx, '/friend/get_friend_apply_list', { userID: ctx.userID }, 'FriendRequests')),
  }),
  defineAdapter({
    method: 'GetFriendApplicationListAsApplicant',
    args: [],
    summary: 'Friend applications sent (FriendApplicationItem[]), whatever their state.',
    difference: FROM_SERVER,
    call: async (ctx) => toJssdkFriendApplications(await allPages(ctx, '/friend/get_self_friend_apply_list', { userID: ctx.userID }, 'friendRequests')),
  }),
  defineAdapter({
    method: 'AddBlack',
    args: [arg.string('toUserID'), arg.optionalString('ex')],
    summary: 'Blacklists a user; OnBlackAdded follows.',
    releases: 'addBlack(userID) sends the bare userID, without ex (stored as "").',
    call: async (ctx, [toUserID, ex]) => {
      await restCall(ctx, '/friend/add_black', { ownerUserID: ctx.userID, blackUserID: toUserID, ex });
      return undefined;
    },
  }),
  defineAdapter({
    method: 'RemoveBlack',
    args: [arg.string('userID')],
    summary: 'Takes a user off the blacklist; OnBlackDeleted follows.',
    call: async (ctx, [userID]) => {
      await restCall(ctx, '/friend/remove_black', { ownerUserID: ctx.userID, blackUserID: userID });
      return undefined;
    },
  }),
  defineAdapter({
    method: 'GetBlackList',
    args: [],
    summary: 'The blacklist (BlackUserItem[]).',
    difference: FROM_SERVER,
    call: async (ctx) => allBlacks(ctx),
  }),
];
