/** Version-based group sync the client SDK runs at login (internal/rpc/group/sync.go). */
import { ApiError, type ApiRequest, type RouteTable } from '../api/contract';
import { checkAccess } from '../relation/access';
import { ErrCode, noPermission } from '../relation/errors';
import { fullIdsVersion, idHashMatches } from '../relation/idHash';
import { incrementalChanges } from '../relation/incrementalSync';
import { check, route } from '../relation/routeKit';
import { optObjectArray, optNumber, optString } from '../http/validate';
import { checkAdminOrInGroup, checkNotDismissed, takeGroup } from './groupAccess';
import type { GroupRouteDeps } from './groupRoutes';

/** The batch answer stops once this many member changes are listed. */
export const VERSION_SYNC_LIMIT = 500;

export function addGroupSyncRoutes(table: RouteTable, d: GroupRouteDeps): void {
  const { store, views } = d;

  route(table, '/group/get_full_join_group_ids', (req, body) => {
    const userID = optString(body, 'userID');
    check(userID !== '', 'userID is empty');
    checkAccess(req, userID);
    const vl = store.joinVersions.max(userID);
    const groupIDs = store.joinedGroupIDs(userID);
    const equal = idHashMatches(groupIDs, optNumber(body, 'idHash'));
    return { version: fullIdsVersion(groupIDs), versionID: vl.id, equal, groupIDs: equal ? [] : groupIDs };
  });

  route(table, '/group/get_full_group_member_user_ids', (req, body) => {
    const groupID = optString(body, 'groupID');
    check(groupID !== '', 'groupID is empty');
    const userIDs = store.memberIDs(groupID);
    if (!req.isAdmin && !userIDs.includes(req.opUserID)) throw noPermission('op user not in group');
    const vl = store.memberVersions.max(groupID);
    const equal = idHashMatches(userIDs, optNumber(body, 'idHash'));
    return { version: fullIdsVersion(userIDs), versionID: vl.id, equal, userIDs: equal ? [] : userIDs };
  });

  route(table, '/group/get_incremental_join_groups', (req, body) => {
    const userID = optString(body, 'userID');
    checkAccess(req, userID);
    const r = incrementalChanges(store.joinVersions, userID, optString(body, 'versionID'), optNumber(body, 'version'));
    return {
      version: r.version,
      versionID: r.versionID,
      full: r.full,
      delete: r.deleteIDs,
      insert: views.groups(r.insertIDs),
      update: views.groups(r.updateIDs),
    };
  });

  const incrementalMembers = (req: ApiRequest, groupID: string, versionID: string, version: number): Record<string, unknown> => {
    checkAdminOrInGroup(req, store, groupID);
    const group = takeGroup(store, groupID);
    checkNotDismissed(group);
    const r = incrementalChanges(store.memberVersions, groupID, versionID, version);
    const resp: Record<string, unknown> = {
      version: r.version,
      versionID: r.versionID,
      full: r.full,
      delete: r.deleteIDs,
      insert: views.members(groupID, r.insertIDs),
      update: views.members(groupID, r.updateIDs),
      sortVersion: r.sortVersion,
      // a nil *sdkws.GroupInfo (null) unless the sync is full or the group itself changed
      group: r.full || r.hasGroupUpdate ? views.group(group) : undefined,
    };
    return resp;
  };

  route(table, '/group/get_incremental_group_members', (req, body) =>
    incrementalMembers(req, optString(body, 'groupID'), optString(body, 'versionID'), optNumber(body, 'version')),
  );

  // A dismissed group is left out of the batch; any other error fails the whole batch.
  route(table, '/group/get_incremental_group_members_batch', (req, body) => {
    const respList: Record<string, Record<string, unknown>> = {};
    let changes = 0;
    for (const item of optObjectArray(body, 'reqList')) {
      const groupID = optString(item, 'groupID');
      if (Object.prototype.hasOwnProperty.call(respList, groupID)) continue;
      let resp: Record<string, unknown>;
      try {
        resp = incrementalMembers(req, groupID, optString(item, 'versionID'), optNumber(item, 'version'));
      } catch (e) {
        if (e instanceof ApiError && e.errCode === ErrCode.DismissedAlready) continue;
        throw e;
      }
      respList[groupID] = resp;
      changes += (resp.insert as unknown[]).length + (resp.update as unknown[]).length + (resp.delete as unknown[]).length;
      if (changes >= VERSION_SYNC_LIMIT) break;
    }
    return { respList: new Map(Object.entries(respList)) };
  });
}
