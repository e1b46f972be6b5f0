/** The friend and blacklist domain: what /friend/* does on a real OpenIM v3.8 server. */
import type { DomainDeps, RelationDomain, RouteTable } from '../api/contract';
import { addBlackRoutes } from './blackRoutes';
import { FriendNotifications } from './friendNotifications';
import { addFriendRoutes } from './friendRoutes';
import { addFriendSyncRoutes } from './friendSyncRoutes';
import { RelationStore } from './relationStore';

export function createRelationDomain(deps: DomainDeps): RelationDomain {
  const store = new RelationStore(deps.now);
  const notify = new FriendNotifications(deps.notifier, deps.users, store);
  const routes: RouteTable = new Map();
  const routeDeps = { store, users: deps.users, notify, now: deps.now };
  addFriendRoutes(routes, routeDeps);
  addBlackRoutes(routes, routeDeps);
  addFriendSyncRoutes(routes, routeDeps);
  return {
    routes,
    isFriend: (ownerUserID, friendUserID) => store.friend(ownerUserID, friendUserID) !== undefined,
    isBlocked: (ownerUserID, otherUserID) => store.black(ownerUserID, otherUserID) !== undefined,
  };
}
