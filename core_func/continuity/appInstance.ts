/**
 * One running jssdk app instance, as the bridge can recognise it across reconnects: open-im-sdk
 * 3.5.2 builds its login URL once per login() call (`sendID`, `token`, `platformID` and a fresh
 * `operationID`) and reuses it for every automatic reconnect, so the three identify one
 * instance of the app; a reload or a new login() is a new instance.
 */

export interface AppInstance {
  readonly userID: string;
  readonly platformID: number;
  /** The operationID of the login URL. */
  readonly loginOperationID: string;
}

/** A stable string naming the instance (used in state-store partition names). */
export function appInstanceKey(i: AppInstance): string {
  return `${i.userID}\u0000${i.platformID}\u0000${i.loginOperationID}`;
}
