/**
 * Direct calls to the OpenIM REST API with the session's own token, for methods the client
 * SDK lacks or whose error codes it swallows (it turns every REST error into a bare Error).
 */
import { BridgeError, ErrorCode } from '../../common/errors';

/** A REST call that takes longer than this is abandoned (the request deadline still applies above). */
export const REST_TIMEOUT_MS = 30_000;

export interface RestCall {
  readonly apiAddress: string;
  readonly token: string;
  readonly operationID: string;
}

/**
 * The api has no such route: gin's plain-text 404 (the OpenIM api sets no NoRoute handler), as a
 * release older than the route answers. Still a network error to the jssdk; callers that know an
 * older route catch it.
 */
export class RouteNotFoundError extends BridgeError {
  constructor(readonly path: string) {
    super(ErrorCode.Network, `${path}: HTTP 404, the server has no such route`);
  }
}

export async function restPost<T = unknown>(call: RestCall, path: string, body: unknown): Promise<T> {
  let res: Response;
  try {
    res = await fetch(call.apiAddress + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', token: call.token, operationID: call.operationID },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new BridgeError(ErrorCode.Network, `${path}: ${(err as Error).message}`);
  }
  const text = await res.text();
  let env: { errCode?: unknown; errMsg?: unknown; errDlt?: unknown; data?: unknown };
  try {
    env = JSON.parse(text) as typeof env;
  } catch {
    if (res.status === 404) throw new RouteNotFoundError(path);
    throw new BridgeError(ErrorCode.Network, `${path}: HTTP ${res.status}, reply is not JSON`);
  }
  if (typeof env.errCode !== 'number') throw new BridgeError(ErrorCode.Network, `${path}: HTTP ${res.status}, reply has no errCode`);
  if (env.errCode !== 0) throw new BridgeError(env.errCode, typeof env.errMsg === 'string' && env.errMsg ? env.errMsg : `${path} failed`);
  return env.data as T;
}
