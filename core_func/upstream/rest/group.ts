/**
 * The group REST calls the adapters share. Group methods go to the REST API directly so that
 * the server's error codes (1002 no permission, 1004 not found, …) reach the jssdk, as they did
 * through the OpenIM SDK core; the client SDK would turn each into a bare 10006.
 */
import { BridgeError } from '../../../common/errors';
import { toJssdkGroupMembers, type GroupMember } from '../../shapes/group';
import { restCall, type RestCaller } from './caller';

/** Page size for lists the bridge reads whole. */
export const GROUP_PAGE_SIZE = 500;
/** The server's NoPermissionError: what it answers a member list asked for by a non-member. */
const NO_PERMISSION = 1002;

/** Every item of a paged list reply (`{total, [listKey]: [...]}`). */
export async function allPages(ctx: RestCaller, path: string, body: Record<string, unknown>, listKey: string): Promise<unknown[]> {
  const items: unknown[] = [];
  for (let pageNumber = 1; ; pageNumber++) {
    const reply = await restCall<Record<string, unknown> | null>(ctx, path, { ...body, pagination: { pageNumber, showNumber: GROUP_PAGE_SIZE } });
    const page = reply?.[listKey];
    const list = Array.isArray(page) ? page : [];
    items.push(...list);
    const total = typeof reply?.total === 'number' ? reply.total : 0;
    if (list.length < GROUP_PAGE_SIZE || items.length >= total) return items;
  }
}

/**
 * None instead of the server's "no permission" for a user not in the group: the OpenIM SDK
 * core answers member queries from its local copy, which holds only the groups the user is in.
 */
export async function emptyIfNotMember<T>(query: Promise<T[]>): Promise<T[]> {
  try {
    return await query;
  } catch (err) {
    if (err instanceof BridgeError && err.errCode === NO_PERMISSION) return [];
    throw err;
  }
}

/** A group's members, or none when the user is not in the group. */
export async function allMembers(ctx: RestCaller, groupID: string): Promise<GroupMember[]> {
  return emptyIfNotMember(allPages(ctx, '/group/get_group_member_list', { groupID }, 'members').then(toJssdkGroupMembers));
}
