/** The group server's permission checks (internal/rpc/group/group.go). */
import type { ApiRequest } from '../api/contract';
import { apiError, ErrCode, noPermission } from '../relation/errors';
import { GroupStatus, RoleLevel, type GroupRecord, type GroupStore, type MemberRecord } from './groupStore';

/** TakeGroup: a missing group is the store's "record not found". */
export function takeGroup(store: GroupStore, groupID: string): GroupRecord {
  const g = store.group(groupID);
  if (!g) throw apiError(ErrCode.RecordNotFound, `group ${groupID} not found`);
  return g;
}

export function takeMember(store: GroupStore, groupID: string, userID: string): MemberRecord {
  const m = store.member(groupID, userID);
  if (!m) throw apiError(ErrCode.RecordNotFound, `group ${groupID} member ${userID} not found`);
  return m;
}

export function takeOwner(store: GroupStore, groupID: string): MemberRecord {
  const m = store.owner(groupID);
  if (!m) throw apiError(ErrCode.RecordNotFound, `group ${groupID} owner not found`);
  return m;
}

export function isManager(m: MemberRecord | undefined): boolean {
  return m !== undefined && (m.roleLevel === RoleLevel.Owner || m.roleLevel === RoleLevel.Admin);
}

/** CheckGroupAdmin: app admins pass; otherwise the op user must be the group's owner or an admin. */
export function checkGroupAdmin(req: ApiRequest, store: GroupStore, groupID: string): void {
  if (req.isAdmin) return;
  if (!isManager(takeMember(store, groupID, req.opUserID))) throw noPermission('no group owner or admin');
}

/** checkAdminOrInGroup. */
export function checkAdminOrInGroup(req: ApiRequest, store: GroupStore, groupID: string): void {
  if (req.isAdmin) return;
  if (!store.member(groupID, req.opUserID)) throw noPermission('op user not in group');
}

export function checkNotDismissed(g: GroupRecord): void {
  if (g.status === GroupStatus.Dismissed) throw apiError(ErrCode.DismissedAlready, 'group dismissed');
}
