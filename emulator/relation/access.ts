/** The real server's permission checks (pkg/authverify) and user existence check. */
import type { ApiRequest, UserDirectory } from '../api/contract';
import { apiError, ErrCode, noPermission } from './errors';

/** CheckAccessV3: the user itself or an app admin. */
export function checkAccess(req: ApiRequest, ownerUserID: string): void {
  if (req.isAdmin || req.opUserID === ownerUserID) return;
  throw noPermission(`opUserID ${req.opUserID} is not ${ownerUserID} nor an admin`);
}

export function checkAdmin(req: ApiRequest): void {
  if (!req.isAdmin) throw noPermission(`opUserID ${req.opUserID} is not an admin`);
}

/** The user service's CheckUser: every ID must be registered. */
export function checkUsersExist(users: UserDirectory, userIDs: readonly string[]): void {
  const missing = userIDs.filter((id) => !users.exists(id));
  if (missing.length > 0) throw apiError(ErrCode.UserIDNotFound, `user not found: ${missing.join(',')}`);
}
