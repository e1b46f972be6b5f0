/**
 * Which set-group-info route a server has: `/group/set_group_info_ex` from OpenIM v3.8.3, only
 * `/group/set_group_info` on v3.8.0 (internal/api/router.go at those tags). The bridge tries the
 * newer one and, when the server has no such route, uses the older with its own request shape,
 * remembering per API address so later calls go straight there.
 */
import { RouteNotFoundError } from '../upstream/restClient';
import type { LoggedIn } from '../adapter';
import { restCall } from '../upstream/rest/caller';

const EX_ROUTE = '/group/set_group_info_ex';
const OLD_ROUTE = '/group/set_group_info';

/** API addresses whose server has only the older route (one entry per configured upstream, so bounded by the config). */
const olderRouteServers = new Set<string>();

/**
 * Sets a group's fields; `fields` holds only the keys the caller gave. SetGroupInfoEx takes them
 * beside groupID; SetGroupInfo takes `{groupInfoForSet: {groupID, …}}` with the same names, its
 * wrappers (ex and the three numbers) as bare values since the api decodes with encoding/json.
 */
export async function setGroupInfo(ctx: LoggedIn, groupID: string, fields: Record<string, unknown>): Promise<void> {
  const address = ctx.upstream.apiAddress;
  if (!olderRouteServers.has(address)) {
    try {
      await restCall(ctx, EX_ROUTE, { groupID, ...fields });
      return;
    } catch (err) {
      if (!(err instanceof RouteNotFoundError)) throw err;
      olderRouteServers.add(address);
    }
  }
  await restCall(ctx, OLD_ROUTE, { groupInfoForSet: { groupID, ...fields } });
}
