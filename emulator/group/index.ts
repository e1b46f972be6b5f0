/** The group domain: what /group/* does on a real OpenIM v3.8 server. */
import type { DomainDeps, GroupDomain, RouteTable } from '../api/contract';
import { addApplicationRoutes } from './applicationRoutes';
import { GroupNotifications } from './groupNotifications';
import { addGroupRoutes } from './groupRoutes';
import { addGroupSyncRoutes } from './groupSyncRoutes';
import { GroupStore } from './groupStore';
import { GroupViews } from './groupViews';
import { addMemberRoutes } from './memberRoutes';
import { GroupNotification } from '../relation/contentTypes';
import { VersionState } from '../relation/versionLog';

export function createGroupDomain(deps: DomainDeps): GroupDomain {
  const store = new GroupStore(deps.now);
  const views = new GroupViews(store, deps.users);
  const notify = new GroupNotifications(deps.notifier, deps.users, store, views, deps.conversations);
  const routes: RouteTable = new Map();
  const routeDeps = { store, views, notify, users: deps.users, now: deps.now, conversations: deps.conversations, groupInfoRoutes: deps.groupInfoRoutes ?? 'v3.8.3' };
  addGroupRoutes(routes, routeDeps);
  addMemberRoutes(routes, routeDeps);
  addApplicationRoutes(routes, routeDeps);
  addGroupSyncRoutes(routes, routeDeps);
  return {
    routes,
    group(groupID) {
      const g = store.group(groupID);
      return g ? { groupID: g.groupID, groupName: g.groupName, status: g.status, groupType: g.groupType } : undefined;
    },
    groupInfo(groupID) {
      return views.groupByID(groupID);
    },
    memberIDs(groupID) {
      return store.group(groupID) ? store.memberIDs(groupID) : undefined;
    },
    // As the real group rpc: memberships without their own nickname or face show the user's, so
    // they get an update logged and a GroupMemberInfoSet notification.
    onUserInfoUpdated(userID, operationID) {
      const req = { path: '', body: null, operationID, opUserID: userID, opPlatformID: 0, isAdmin: false };
      const groupIDs = store.joinedGroupIDs(userID).filter((groupID) => {
        const m = store.member(groupID, userID);
        return m !== undefined && (m.nickname === '' || m.faceURL === '');
      });
      for (const groupID of groupIDs) store.memberVersions.incr(groupID, [userID], VersionState.Update);
      for (const groupID of groupIDs) notify.memberInfoSet(req, groupID, userID, GroupNotification.MemberInfoSet, 0);
    },
    member(groupID, userID) {
      const m = store.member(groupID, userID);
      if (!m) return undefined;
      const pb = views.member(m);
      return { groupID, userID, nickname: pb.nickname, faceURL: pb.faceURL, roleLevel: m.roleLevel, muteEndTime: m.muteEndTime };
    },
  };
}
