/** The jssdk wire frames (open-im-sdk 3.5.2, `types/entity.ts` WsRequest / WsResponse). */

/** A validated request: `data` has already been decoded from its JSON string into the argument array. */
export interface JssdkRequest {
  readonly reqFuncName: string;
  readonly operationID: string;
  readonly userID: string;
  readonly args: readonly unknown[];
}

/** What the client receives, for responses and events alike. `data` is a JSON string (or ""). */
export interface JssdkFrame {
  readonly event: string;
  readonly errCode: number;
  readonly errMsg: string;
  readonly data: string;
  readonly operationID: string;
}

/** What a failed Login is answered with (gate/loginRefusal.ts). */
export interface LoginFailure {
  readonly errCode: number;
  readonly errMsg: string;
}

/** The event name oimws used for frames it could not read; kept for compatibility. */
export const PROTOCOL_ERROR_EVENT = 'Protocol Error';
/** Sent once after the upgrade, as oimws did. The jssdk only logs it. */
export const INIT_SDK_EVENT = 'InitSDK';

/** Values become the JSON string the jssdk parses; nothing (undefined/null) becomes "". */
export function encodeData(value: unknown): string {
  if (value === undefined || value === null) return '';
  return JSON.stringify(value);
}
