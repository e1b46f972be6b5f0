/**
 * Direct calls to the OpenIM REST API with the session's own token, for methods the client
 * SDK lacks or whose error codes it swallows (it turns every REST error into a bare Error).
 */
import { BridgeError, ErrorCode } from '../../common/errors';
import { upstreamPost } from './upstreamHttp';

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

/** Status and body text of a POST: on the lean path for plain HTTP (upstreamHttp.ts), through fetch for HTTPS. */
async function post(url: URL, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  if (url.protocol === 'http:') {
    const reply = await upstreamPost(url, headers, Buffer.from(body), REST_TIMEOUT_MS);
    return { status: reply.status, text: reply.body.toString('utf8') };
  }
  const res = await fetch(url, { method: 'POST', headers, body, signal: AbortSignal.timeout(REST_TIMEOUT_MS) });
  return { status: res.status, text: await res.text() };
}

export async function restPost<T = unknown>(call: RestCall, path: string, body: unknown): Promise<T> {
  let res: { status: number; text: string };
  try {
    res = await post(new URL(call.apiAddress + path), { 'Content-Type': 'application/json', token: call.token, operationID: call.operationID }, JSON.stringify(body));
  } catch (err) {
    throw new BridgeError(ErrorCode.Network, `${path}: ${(err as Error).message}`);
  }
  let env: { errCode?: unknown; errMsg?: unknown; errDlt?: unknown; data?: unknown };
  try {
    env = JSON.parse(res.text) as typeof env;
  } catch {
    if (res.status === 404) throw new RouteNotFoundError(path);
    throw new BridgeError(ErrorCode.Network, `${path}: HTTP ${res.status}, reply is not JSON`);
  }
  if (typeof env.errCode !== 'number') throw new BridgeError(ErrorCode.Network, `${path}: HTTP ${res.status}, reply has no errCode`);
  if (env.errCode !== 0) throw new BridgeError(env.errCode, typeof env.errMsg === 'string' && env.errMsg ? env.errMsg : `${path} failed`);
  return env.data as T;
}
