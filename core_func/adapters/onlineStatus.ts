/**
 * Online-status subscriptions (SubscribeUsersStatus, UnsubscribeUsersStatus,
 * GetSubscribeUsersStatus) and the other gateway request the user adapters send.
 *
 * @openim/client-sdk 0.0.14 keeps the subscribed users in a local map, but its unsubscribe
 * never empties it: the gateway answers an unsubscribe with an empty SubUserOnlineStatusTips,
 * which the SDK decodes to null and then reads `.subscribers` of. So unsubscribing goes to the
 * gateway directly, and the bridge remembers per session whom the SDK still wrongly lists.
 */
import { PbCoder } from '@openim/protocol';
import { BridgeError, ErrorCode } from '../../common/errors';
import type { UpstreamSession } from '../upstream/upstreamSession';
import { toJssdkUserOnlineStates } from '../shapes/userInfo';
import type { LoggedIn } from '../adapter';
import { restCall } from '../upstream/rest/caller';

/** The gateway's request identifiers (msggateway constant.go). */
export const WS_SET_BACKGROUND_STATUS = 2004;
const WS_SUB_USER_ONLINE_STATUS = 2005;

interface OnlineState {
  userID: string;
  status: number;
  platformIDs: number[];
}

/** Users unsubscribed through the bridge that the session's client SDK still has in its map. */
const unsubscribed = new WeakMap<UpstreamSession, Set<string>>();

function unsubscribedOf(ctx: LoggedIn): Set<string> {
  let set = unsubscribed.get(ctx.upstream);
  if (!set) {
    set = new Set();
    unsubscribed.set(ctx.upstream, set);
  }
  return set;
}

/**
 * The client SDK wraps each method in a Proxy that reads `.errCode` of the result; a gateway
 * reply without data resolves to null, so a request that succeeded surfaces as this TypeError.
 */
function isSucceededWithoutData(err: unknown): boolean {
  return err instanceof BridgeError && err.errCode === ErrorCode.Unknown && err.message.includes("reading 'errCode'");
}

/** Sends one request on the session's gateway connection; its reply carries no data the bridge needs. */
export async function gatewayRequest(ctx: LoggedIn, reqIdentifier: number, data: Uint8Array): Promise<void> {
  try {
    await ctx.upstream.call('sendReqWaitResp', { reqIdentifier, operationID: ctx.operationID, data });
  } catch (err) {
    if (!isSucceededWithoutData(err)) throw err;
  }
}

function subRequest(subscribeUserID: string[], unsubscribeUserID: string[]): Uint8Array {
  // A fresh buffer of exactly these bytes: the client SDK sends `data.buffer`.
  return Uint8Array.from(PbCoder.SubUserOnlineStatus.encode({ subscribeUserID, unsubscribeUserID }).finish());
}

async function currentStates(ctx: LoggedIn, userIDs: string[]): Promise<Map<string, unknown>> {
  const reply = await restCall<{ statusList?: OnlineState[] | null } | null>(ctx, '/user/get_users_status', { userIDs });
  return new Map((reply?.statusList ?? []).map((s) => [s.userID, s]));
}

export async function subscribe(ctx: LoggedIn, userIDs: string[]): Promise<unknown> {
  const gone = unsubscribedOf(ctx);
  // The SDK would not ask the gateway again for users it still lists, nor know their state now.
  const again = [...new Set(userIDs.filter((id) => gone.has(id)))];
  if (again.length > 0) {
    await gatewayRequest(ctx, WS_SUB_USER_ONLINE_STATUS, subRequest(again, []));
    for (const id of again) gone.delete(id);
  }
  const states = (await ctx.upstream.call<OnlineState[]>('subscribeUsersStatus', userIDs, ctx.operationID)) ?? [];
  if (again.length === 0) return toJssdkUserOnlineStates(states);
  const fresh = await currentStates(ctx, again);
  return toJssdkUserOnlineStates(states.map((s) => fresh.get(s.userID) ?? s));
}

export async function unsubscribe(ctx: LoggedIn, userIDs: string[]): Promise<undefined> {
  await gatewayRequest(ctx, WS_SUB_USER_ONLINE_STATUS, subRequest([], userIDs));
  const gone = unsubscribedOf(ctx);
  for (const id of userIDs) gone.add(id);
  return undefined;
}

export async function subscribedStates(ctx: LoggedIn): Promise<unknown> {
  const gone = unsubscribedOf(ctx);
  const states = (await ctx.upstream.call<OnlineState[]>('getSubscribeUsersStatus', ctx.operationID)) ?? [];
  return toJssdkUserOnlineStates(states.filter((s) => !gone.has(s.userID)));
}
