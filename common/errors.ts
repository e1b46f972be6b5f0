/**
 * Error codes the bridge answers with, and the one error type every layer throws.
 * The numbers are the jssdk's and oimws's own, so existing client code keeps working.
 */
export const ErrorCode = {
  /** oimws answered every protocol-level problem (bad frame, unknown method) with this. */
  ProtocolError: 20000,
  /** OpenIM SDK core's ArgsError: an argument is missing or of the wrong type. */
  ArgsError: 10001,
  /** The jssdk's ResourceLoadNotCompleteError: the call needs a logged-in session. */
  NotLoggedIn: 10004,
  /** The jssdk's UnknownError. */
  Unknown: 10005,
  /** OpenIM SDK core's NetworkError: the upstream is unreachable or the call timed out. */
  Network: 10002,
  /** The jssdk's LoginRepeatError. */
  LoginRepeat: 10102,
  /**
   * OpenIM SDK core's SdkInternalError (pkg/sdkerrs): the bridge's state store (what the SDK
   * core keeps in its local database) could not be read or written.
   */
  StateStoreUnavailable: 10006,
  /** Too many requests in flight on one session. */
  TooManyRequests: 10007,
} as const;

/**
 * OpenIM's token error codes (protocol errs: what msg_gateway refuses a connection with). The
 * OpenIM SDK core answers 1501–1505 and 1507 with OnUserTokenExpired, 1506 with OnKickedOffline
 * (open_im_sdk/apicb.go, v3.5.1).
 */
export const TokenErrorCode = {
  Expired: 1501,
  Invalid: 1502,
  Malformed: 1503,
  NotValidYet: 1504,
  Unknown: 1505,
  Kicked: 1506,
  NotExist: 1507,
} as const;

/**
 * The jssdk's ConnectionEstablishmentFailed (what its login() answers when the socket cannot be
 * opened), also the OpenIM SDK core's NetworkError: the bridge refuses a connection with it.
 */
export const CONNECTION_REFUSED = 10000;

export type ErrorCodeValue = (typeof ErrorCode)[keyof typeof ErrorCode] | number;

/** An error that becomes a jssdk-shaped error frame: `{event, errCode, errMsg, operationID}`. */
export class BridgeError extends Error {
  constructor(
    readonly errCode: ErrorCodeValue,
    message: string,
  ) {
    super(message);
    this.name = 'BridgeError';
  }
}

/** Any thrown value as a BridgeError, keeping an upstream errCode when there is one. */
export function toBridgeError(err: unknown): BridgeError {
  if (err instanceof BridgeError) return err;
  if (typeof err === 'object' && err !== null) {
    const e = err as { errCode?: unknown; errMsg?: unknown; message?: unknown };
    const code = typeof e.errCode === 'number' && e.errCode !== 0 ? e.errCode : ErrorCode.Unknown;
    const msg = typeof e.errMsg === 'string' && e.errMsg ? e.errMsg : typeof e.message === 'string' ? e.message : 'unknown error';
    return new BridgeError(code, msg);
  }
  return new BridgeError(ErrorCode.Unknown, String(err));
}
