/**
 * Reads the jssdk's connect URL (`?sendID=&token=&platformID=&operationID=`) and refuses,
 * at the HTTP level, anything a session could never be built on: the jssdk's login()
 * then fails at once with errCode 10000 instead of waiting for a frame it cannot read.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectDecision, ConnectRequest } from '../network/transport';
import { MSGPACK_SUBPROTOCOL, type CodecName } from './codecs';
import type { LoginFailure } from './frames';

export interface ConnectParams {
  readonly sendID: string;
  readonly token: string;
  readonly platformID: number;
  readonly operationID: string;
  readonly remoteAddress: string;
  /** The byte format of this connection: JSON (the jssdk) unless msgpack was asked for. */
  readonly codec: CodecName;
  /**
   * Set when admission refused the connection in-band: its Login is answered with this failure
   * (gate/loginRefusal.ts) and nothing else is served; `reason` is a short word for logs and metrics.
   */
  readonly refusal?: LoginFailure & { readonly reason: string };
}

/** OpenIM's platform IDs: 1 iOS … 9 iPad, 10 admin, 11 HarmonyOS, 12 (reserved by later servers). */
export const MIN_PLATFORM_ID = 1;
export const MAX_PLATFORM_ID = 12;
const MAX_ID_LENGTH = 256;

/** msgpack when the client offered the msgpack subprotocol or asked with `codec=msgpack`. */
function readCodec(q: URLSearchParams, protocols: string | string[] | undefined): CodecName | undefined {
  const offered = (Array.isArray(protocols) ? protocols.join(',') : (protocols ?? '')).split(',').map((p) => p.trim());
  const asked = q.get('codec');
  if (asked !== null && asked !== 'json' && asked !== 'msgpack') return undefined;
  return offered.includes(MSGPACK_SUBPROTOCOL) || asked === 'msgpack' ? 'msgpack' : 'json';
}

function bearer(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  const m = value ? /^Bearer\s+(\S+)$/i.exec(value.trim()) : null;
  return m?.[1] ?? '';
}

export function readConnectParams(req: ConnectRequest): ConnectDecision<ConnectParams> {
  const q = req.url.searchParams;
  const sendID = q.get('sendID') ?? '';
  const token = q.get('token') || bearer(req.headers.authorization);
  const platform = q.get('platformID') ?? '';
  if (!sendID) return { accept: false, status: 400, reason: 'missing sendID' };
  if (sendID.length > MAX_ID_LENGTH) return { accept: false, status: 400, reason: 'sendID too long' };
  if (!token) return { accept: false, status: 401, reason: 'missing token' };
  if (!/^\d{1,3}$/.test(platform)) return { accept: false, status: 400, reason: 'platformID must be a number' };
  const platformID = Number(platform);
  if (platformID < MIN_PLATFORM_ID || platformID > MAX_PLATFORM_ID) return { accept: false, status: 400, reason: 'unknown platformID' };
  const codec = readCodec(q, req.headers['sec-websocket-protocol']);
  if (!codec) return { accept: false, status: 400, reason: 'unknown codec (json or msgpack)' };
  const operationID = (q.get('operationID') || randomUUID()).slice(0, MAX_ID_LENGTH);
  return { accept: true, context: { sendID, token, platformID, operationID, remoteAddress: req.remoteAddress, codec } };
}
