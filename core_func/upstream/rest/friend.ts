/**
 * The friend and blacklist REST calls the friend and user adapters share. They go to the REST
 * API directly so the server's error codes (1004 not found, 1301 can't add yourself, …) reach
 * the jssdk as they did through the OpenIM SDK core; the client SDK turns each into a bare 10006.
 * The server's own notifications then drive the client SDK's friend events and caches.
 */
import {
  blackFromServer,
  friendFromServer,
  type BlackUserItem,
  type FriendUserItem,
  type ServerBlackInfo,
  type ServerFriendInfo,
} from '../../shapes/friend';
import { restCall, type RestCaller } from './caller';

/** Page size for lists the bridge reads whole. */
export const RELATION_PAGE_SIZE = 500;

/** Every item of a paged list reply (`{total, [listKey]: [...]}`). */
export async function allPages<T>(ctx: RestCaller, path: string, body: Record<string, unknown>, listKey: string): Promise<T[]> {
  const items: T[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const reply = await restCall<Record<string, unknown> | null>(ctx, path, { ...body, pagination: { pageNumber, showNumber: RELATION_PAGE_SIZE } });
    const page = reply?.[listKey];
    const list = (Array.isArray(page) ? page : []) as T[];
    items.push(...list);
    const total = typeof reply?.total === 'number' ? reply.total : 0;
    if (list.length < RELATION_PAGE_SIZE || items.length >= total) return items;
  }
}

export async function allFriends(ctx: RestCaller): Promise<FriendUserItem[]> {
  const list = await allPages<ServerFriendInfo>(ctx, '/friend/get_friend_list', { userID: ctx.userID }, 'friendsInfo');
  return list.map(friendFromServer);
}

export async function allBlacks(ctx: RestCaller): Promise<BlackUserItem[]> {
  const list = await allPages<ServerBlackInfo>(ctx, '/friend/get_black_list', { userID: ctx.userID }, 'blacks');
  return list.map(blackFromServer);
}

export function byUserID<T extends { userID: string }>(items: readonly T[]): Map<string, T> {
  return new Map(items.map((i) => [i.userID, i]));
}

/** The logged-in user's friend and black entries for these users (the server refuses repeated IDs). */
export async function relationsWith(ctx: RestCaller, userIDs: readonly string[]): Promise<{ friends: Map<string, FriendUserItem>; blacks: Map<string, BlackUserItem> }> {
  const ids = [...new Set(userIDs)];
  if (ids.length === 0) return { friends: new Map(), blacks: new Map() };
  const [friendReply, blackReply] = await Promise.all([
    restCall<{ friendsInfo?: ServerFriendInfo[] | null } | null>(ctx, '/friend/get_designated_friends', { ownerUserID: ctx.userID, friendUserIDs: ids }),
    restCall<{ blacks?: ServerBlackInfo[] | null } | null>(ctx, '/friend/get_specified_blacks', { ownerUserID: ctx.userID, userIDList: ids }),
  ]);
  return {
    friends: byUserID((friendReply?.friendsInfo ?? []).map(friendFromServer)),
    blacks: byUserID((blackReply?.blacks ?? []).map(blackFromServer)),
  };
}
