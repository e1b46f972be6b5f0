/**
 * Who may open a jssdk connection: allowed browser origins (against cross-site WebSocket
 * hijacking), a new-connection rate per client IP, optional local token verification, and
 * whatever capacity bound the layer above sets.
 *
 * Capacity and origin are refused at the upgrade (HTTP 503 / 403): accepting would spend what
 * the bound protects, or serve a page that must not be served. The rate and the token are
 * refused in-band: the upgrade is accepted and the connection's Login answered with the
 * refusal (gate/loginRefusal.ts), with no upstream connection, because a refused upgrade
 * leaves the jssdk unable to log in again with the same object (docs/RELIABILITY.md).
 */
import type { ConnectDecision, ConnectRequest } from '../network/transport';
import { RateLimiter } from '../network/rateLimiter';
import { CONNECTION_REFUSED } from '../common/errors';
import type { ConnectParams } from './handshake';
import { verifyOpenIMToken } from './tokenVerifier';

export interface AdmissionOptions {
  /** Exact origins (scheme://host[:port]) allowed to connect from a browser; `*` allows any. */
  readonly allowedOrigins: readonly string[];
  /** New connections per second per client IP (burst of the same size); 0 turns the limit off. */
  readonly connectRatePerIp: number;
  /** OpenIM token secret; when set, tokens are verified before any upstream connection. */
  readonly tokenSecret: string;
  /** Asked first: a reason when the service cannot take one more connection (refused with HTTP 503). */
  readonly overCapacity?: () => string | undefined;
  /** The rate limit's clock (tests); default Date.now. */
  readonly clock?: () => number;
  /** Every refusal: at the upgrade (`inBand` false; the transport reports it too) or in-band. */
  readonly onRefused?: (reason: string, inBand: boolean) => void;
}

export const RATE_REFUSAL = 'too many new connections from this address';

export function createAdmission(options: AdmissionOptions): (params: ConnectParams, req: ConnectRequest) => ConnectDecision<ConnectParams> {
  const anyOrigin = options.allowedOrigins.includes('*');
  const origins = new Set(options.allowedOrigins.map((o) => o.replace(/\/+$/, '').toLowerCase()));
  const limiter = options.connectRatePerIp > 0 ? new RateLimiter(options.connectRatePerIp, options.connectRatePerIp, options.clock) : undefined;
  const refuse = (status: number, reason: string): ConnectDecision<ConnectParams> => {
    options.onRefused?.(reason, false);
    return { accept: false, status, reason };
  };
  const refuseInBand = (params: ConnectParams, errCode: number, reason: string): ConnectDecision<ConnectParams> => {
    options.onRefused?.(reason, true);
    return { accept: true, context: { ...params, refusal: { errCode, errMsg: reason, reason } } };
  };
  return (params, req) => {
    const full = options.overCapacity?.();
    if (full !== undefined) return refuse(503, full);
    const origin = typeof req.headers.origin === 'string' ? req.headers.origin.toLowerCase() : undefined;
    // Only browsers send Origin; native and mini-program clients are not exposed to hijacking.
    if (origin !== undefined && !anyOrigin && !origins.has(origin)) return refuse(403, 'origin not allowed');
    if (limiter && !limiter.take(req.remoteAddress)) return refuseInBand(params, CONNECTION_REFUSED, RATE_REFUSAL);
    if (options.tokenSecret) {
      const check = verifyOpenIMToken(options.tokenSecret, params.token, { userID: params.sendID, platformID: params.platformID });
      if (!check.ok) return refuseInBand(params, check.errCode, check.reason);
    }
    return { accept: true, context: params };
  };
}
