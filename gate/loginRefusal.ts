/**
 * How a failed Login is answered so that the jssdk can log in again with the same OpenIMSDK
 * object. open-im-sdk (3.4.1 and 3.5.2, src/api/index.ts) keeps its socket manager after a
 * failed login and answers every later login() with 10102 "login repeat" until a frame named
 * Logout, OnKickedOffline or OnUserTokenExpired arrives (its forceCloseEvents). Such a frame also
 * forgets every pending request, so it comes after the Login's answer; and it is the last frame
 * on the socket: it closes whichever socket manager the jssdk holds when it arrives.
 *
 * Around the answer the app hears what the OpenIM SDK core v3.5.1 reported for the failure
 * (open_im_sdk/apicb.go, internal/interaction/long_conn_mgr.go reConn):
 * - a token error 1501–1505 or 1507: OnUserTokenExpired, after the answer (it clears the state);
 * - 1506 (the token was kicked): OnKickedOffline, after the answer;
 * - anything else (the gateway unreachable or slow, a refusal by the bridge): OnConnectFailed
 *   before the answer, and after it a Logout frame that matches no request, on which the jssdk
 *   drops its socket manager without telling the app anything more.
 * The connection is then closed.
 */
import { TokenErrorCode } from '../common/errors';
import { CloseCode } from '../network/transport';
import type { ClientChannel } from './agent';
import type { LoginFailure } from './frames';

/** The frame the jssdk treats like a Logout answer: it closes its socket manager and forgets it. */
export const CLEAR_LOGIN_EVENT = 'Logout';

const TOKEN_EXPIRED_CODES: ReadonlySet<number> = new Set([
  TokenErrorCode.Expired,
  TokenErrorCode.Invalid,
  TokenErrorCode.Malformed,
  TokenErrorCode.NotValidYet,
  TokenErrorCode.Unknown,
  TokenErrorCode.NotExist,
]);

/** What the app hears after the Login's answer, which also lets the jssdk log in again. */
export function eventAfterFailedLogin(errCode: number): string {
  if (TOKEN_EXPIRED_CODES.has(errCode)) return 'OnUserTokenExpired';
  if (errCode === TokenErrorCode.Kicked) return 'OnKickedOffline';
  return CLEAR_LOGIN_EVENT;
}

/** Answers the Login `login` with `failure`, leaves the jssdk able to log in again, and closes. */
export function answerFailedLogin(channel: ClientChannel, login: { reqFuncName: string; operationID: string }, failure: LoginFailure): void {
  const after = eventAfterFailedLogin(failure.errCode);
  if (after === CLEAR_LOGIN_EVENT) channel.emit('OnConnectFailed', undefined, login.operationID, failure.errCode, failure.errMsg);
  channel.respond(login.reqFuncName, login.operationID, failure);
  channel.emit(after, undefined, login.operationID, failure.errCode, failure.errMsg);
  channel.close(CloseCode.Normal, 'login failed');
}
