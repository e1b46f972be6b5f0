/** Version-based friend sync the client SDK runs at login (internal/rpc/relation/sync.go). */
import type { RouteTable, UserDirectory } from '../api/contract';
import { checkAccess } from './access';
import { designatedFriends } from './friendRoutes';
import { fullIdsVersion, idHashMatches } from './idHash';
import { incrementalChanges } from './incrementalSync';
import type { RelationStore } from './relationStore';
import { check, route } from './routeKit';
import { optNumber, optString } from '../http/validate';

export function addFriendSyncRoutes(table: RouteTable, d: { store: RelationStore; users: UserDirectory }): void {
  const { store } = d;

  route(table, '/friend/get_full_friend_user_ids', (req, body) => {
    const userID = optString(body, 'userID');
    check(userID !== '', 'userID is empty');
    checkAccess(req, userID);
    const vl = store.friendVersions.max(userID);
    const userIDs = store.friendIDs(userID);
    const equal = idHashMatches(userIDs, optNumber(body, 'idHash'));
    return { version: fullIdsVersion(userIDs), versionID: vl.id, equal, userIDs: equal ? [] : userIDs };
  });

  route(table, '/friend/get_incremental_friends', (req, body) => {
    const userID = optString(body, 'userID');
    checkAccess(req, userID);
    const r = incrementalChanges(store.friendVersions, userID, optString(body, 'versionID'), optNumber(body, 'version'));
    return {
      version: r.version,
      versionID: r.versionID,
      full: r.full,
      delete: r.deleteIDs,
      insert: designatedFriends(d, userID, r.insertIDs),
      update: designatedFriends(d, userID, r.updateIDs),
      sortVersion: r.sortVersion,
    };
  });
}
