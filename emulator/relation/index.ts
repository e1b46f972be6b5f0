/** The friend and blacklist domain: what /friend/* does on a real OpenIM v3.8 server. */
import type { DomainDeps, RelationDomain, RouteTable } from '../api/contract';
import { addBlackRoutes } from './blackRoutes';
import { FriendNotifications } from './friendNotifications';
import { addFriendRoutes } from './friendRoutes';
import { addFriendSyncRoutes } from './friendSyncRoutes';
import { RelationStore } from './relationStore';
import { VersionState } from './versionLog';

export function createRelationDomain(deps: DomainDeps): RelationDomain {
  const store = new RelationStore(deps.now);
  const notify = new FriendNotifications(deps.notifier, deps.users, store);
  const routes: RouteTable = new Map();
  const routeDeps = { store, users: deps.users, notify, now: deps.now, friendRequestHandledCode: deps.friendRequestHandledCode ?? 1305 };
  addFriendRoutes(routes, routeDeps);
  addBlackRoutes(routes, routeDeps);
  addFriendSyncRoutes(routes, routeDeps);
  return {
    routes,
    isFriend: (ownerUserID, friendUserID) => store.friend(ownerUserID, friendUserID) !== undefined,
    isBlocked: (ownerUserID, otherUserID) => store.black(ownerUserID, otherUserID) !== undefined,
    // As the real relation rpc: every user in the changed user's own friend list gets an update
    // logged for it and a FriendInfoUpdated notification (sent as the changed user here, since
    // the hook does not say who made the change).
    friendInfoOnly(ownerUserID, friendUserIDs) {
      const wanted = new Set(friendUserIDs);
      return store
        .friendsOf(ownerUserID)
        .filter((f) => wanted.has(f.friendUserID))
        .map((f) => ({ ...f }));
    },
    onUserInfoUpdated(userID, operationID) {
      const owners = store.friendIDs(userID);
      for (const owner of owners) store.friendVersions.incr(owner, [userID], VersionState.Update);
      for (const owner of owners) notify.friendInfoUpdated(operationID, userID, userID, owner);
    },
  };
}
