/** authverify.CheckAccess: a user may act for itself; the app manager for anyone. */
import { noPermission } from '../errors';

export function checkAccess(req: { opUserID: string; isAdmin: boolean }, userID: string): void {
  if (userID !== req.opUserID && !req.isAdmin) throw noPermission(`no permission for user ${userID}`);
}
