/** The logged-in user's own profile and settings, other users' profiles, online status. */
import { defineAdapter, type LoggedIn } from '../adapter';
import { arg, ArgError, type ArgSpec } from '../args';
import { USERS_INFO_TTL_MS, usersInfoCache, type PublicUserInfo } from '../cache/usersInfoCache';
import { toJssdkSelfUser } from '../shapes/user';
import type { FullUserItemWithCache } from '../shapes/userInfo';
import { encodeSetAppBackgroundStatusReq, fetchPublicUsers, groupMembersByUserID } from '../upstream/rest/user';
import { relationsWith } from '../upstream/rest/friend';
import { gatewayRequest, subscribe, subscribedStates, unsubscribe, WS_SET_BACKGROUND_STATUS } from './onlineStatus';

/** The jssdk's MessageReceiveOptType: 0 normal, 1 not received, 2 received without notification. */
const RECV_MSG_OPTS = new Set([0, 1, 2]);

/** Why the two profile writes go through the client SDK, and what that costs. */
const SERVER_ERRORS_LOST =
  'Goes through the client SDK so that its cached profile (what GetSelfUserInfo answers) follows at once; a server-side failure therefore arrives as errCode 10006 with the server\'s message, not the server\'s own code (arguments are checked first and refused with 10001).';

type Obj = Record<string, unknown>;

/** A decoder that also checks the decoded value; `problem` names what is wrong, or undefined. */
function checked<T>(inner: ArgSpec<T>, problem: (v: T) => string | undefined): ArgSpec<T> {
  return {
    ...inner,
    decode(raw) {
      const v = inner.decode(raw);
      const p = problem(v);
      if (p) throw new ArgError(`argument ${inner.name} ${p}`);
      return v;
    },
  };
}

const nonEmptyUserIDs = () => checked(arg.stringList('userIDs'), (v) => (v.length === 0 ? 'must not be empty' : undefined));
const recvMsgOpt = () => checked(arg.number('opt'), (v) => (RECV_MSG_OPTS.has(v) ? undefined : `must be 0, 1 or 2, got ${v}`));

const SELF_INFO_FIELDS = { nickname: 'string', faceURL: 'string', ex: 'string', globalRecvMsgOpt: 'number' } as const;

function checkSelfInfo(o: Obj): string | undefined {
  for (const [name, type] of Object.entries(SELF_INFO_FIELDS)) {
    if (o[name] !== undefined && typeof o[name] !== type) return `field ${name} must be a ${type}`;
  }
  if (o.globalRecvMsgOpt !== undefined && !RECV_MSG_OPTS.has(o.globalRecvMsgOpt as number)) return 'field globalRecvMsgOpt must be 0, 1 or 2';
  return undefined;
}

/** Only the fields the server's UserInfoWithEx can change; others (userID, createTime) are not sent. */
function pickSelfInfo(o: Obj): Obj {
  const out: Obj = {};
  for (const name of Object.keys(SELF_INFO_FIELDS)) if (o[name] !== undefined) out[name] = o[name];
  return out;
}

/**
 * Through the client SDK, which keeps its cached profile (what GetSelfUserInfo answers from)
 * in step and raises OnSelfInfoUpdated.
 */
async function updateSelf(ctx: LoggedIn, patch: Obj): Promise<undefined> {
  await ctx.upstream.call('setSelfInfo', patch, ctx.operationID);
  usersInfoCache.invalidate(ctx.userID);
  return undefined;
}

/** Public profiles: fresh cache entries, the rest from the server, stale entries if it fails. */
async function publicProfiles(ctx: LoggedIn, userIDs: readonly string[]): Promise<Map<string, PublicUserInfo>> {
  const found = new Map<string, PublicUserInfo>();
  const missing: string[] = [];
  for (const id of new Set(userIDs)) {
    const hit = usersInfoCache.fresh(id);
    if (hit) found.set(id, hit);
    else missing.push(id);
  }
  if (missing.length === 0) return found;
  try {
    for (const u of await fetchPublicUsers(ctx, missing)) {
      usersInfoCache.put(u);
      found.set(u.userID, u);
    }
  } catch (err) {
    const stale = missing.map((id) => usersInfoCache.stale(id)).filter((u): u is PublicUserInfo => u !== undefined);
    if (stale.length === 0) throw err;
    for (const u of stale) found.set(u.userID, u);
  }
  return found;
}

export const userAdapters = [
  defineAdapter({
    method: 'GetSelfUserInfo',
    args: [],
    summary: 'The logged-in user\'s SelfUserInfo.',
    call: async (ctx) => toJssdkSelfUser(await ctx.upstream.call('getSelfUserInfo', ctx.operationID)),
  }),
  defineAdapter({
    method: 'SetSelfInfo',
    args: [arg.object('userInfo', checkSelfInfo)],
    summary: 'Changes nickname, faceURL, ex and/or globalRecvMsgOpt of the logged-in user; OnSelfInfoUpdated follows.',
    difference: SERVER_ERRORS_LOST,
    call: (ctx, [info]) => updateSelf(ctx, pickSelfInfo(info)),
  }),
  defineAdapter({
    method: 'SetGlobalRecvMessageOpt',
    args: [recvMsgOpt()],
    summary: 'Sets how the user receives messages overall (0 normal, 1 not at all, 2 without notification); OnSelfInfoUpdated follows.',
    difference: `Sent as /user/update_user_info_ex {globalRecvMsgOpt} rather than /user/set_global_msg_recv_opt. ${SERVER_ERRORS_LOST}`,
    call: (ctx, [opt]) => updateSelf(ctx, { globalRecvMsgOpt: opt }),
  }),
  defineAdapter({
    method: 'GetUsersInfoWithCache',
    args: [arg.stringList('userIDList'), arg.optionalString('groupID')],
    summary: 'FullUserItemWithCache[] {publicInfo, friendInfo, blackInfo, groupMemberInfo} for the users that exist, in the order asked; groupMemberInfo when groupID is given and they are members.',
    difference:
      `Public profiles come from a process-wide cache for up to ${USERS_INFO_TTL_MS / 1000} s (dropped early when any session relays OnSelfInfoUpdated or OnFriendInfoChanged about the user — on every instance sharing a Redis state store) where the OpenIM SDK core asked the server each time; friend, black and member info are read from the server at each call.`,
    call: async (ctx, [userIDs, groupID]): Promise<FullUserItemWithCache[]> => {
      if (userIDs.length === 0) return [];
      const [profiles, relations, members] = await Promise.all([
        publicProfiles(ctx, userIDs),
        relationsWith(ctx, userIDs),
        groupID ? groupMembersByUserID(ctx, groupID, userIDs) : Promise.resolve(new Map<string, unknown>()),
      ]);
      return userIDs.flatMap((id) => {
        const publicInfo = profiles.get(id);
        if (!publicInfo) return [];
        return [{
          publicInfo,
          friendInfo: relations.friends.get(id) ?? null,
          blackInfo: relations.blacks.get(id) ?? null,
          groupMemberInfo: members.get(id) ?? null,
        }];
      });
    },
  }),
  defineAdapter({
    method: 'SubscribeUsersStatus',
    args: [nonEmptyUserIDs()],
    summary: 'Subscribes to the users\' online status; answers their current UserOnlineState[] and OnUserStatusChanged follows changes.',
    call: (ctx, [userIDs]) => subscribe(ctx, userIDs),
  }),
  defineAdapter({
    method: 'UnsubscribeUsersStatus',
    args: [nonEmptyUserIDs()],
    summary: 'Ends the subscription to these users\' online status.',
    call: (ctx, [userIDs]) => unsubscribe(ctx, userIDs),
  }),
  defineAdapter({
    method: 'GetSubscribeUsersStatus',
    args: [],
    summary: 'The online status of every subscribed user (UserOnlineState[]).',
    call: (ctx) => subscribedStates(ctx),
  }),
  defineAdapter({
    method: 'SetAppBackgroundStatus',
    args: [arg.boolean('isBackground')],
    summary: 'Tells the OpenIM gateway whether the app is in the background (which decides offline pushes).',
    call: async (ctx, [isBackground]) => {
      await gatewayRequest(ctx, WS_SET_BACKGROUND_STATUS, encodeSetAppBackgroundStatusReq(ctx.userID, isBackground));
      return undefined;
    },
  }),
  defineAdapter({
    method: 'NetworkStatusChanged',
    args: [],
    summary: 'Acknowledges that the browser\'s network changed.',
    difference:
      'The OpenIM SDK core dropped and re-established its gateway connection; the bridge\'s upstream connection does not go through the browser\'s network, so it is left as it is and the call only succeeds.',
    call: async () => undefined,
  }),
];
