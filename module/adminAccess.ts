/**
 * Who may use the admin API and /status: loopback callers without a token, anyone with the
 * admin token. A request that came through a proxy (X-Forwarded-For) counts as the client the
 * proxy names, and only when the proxy is trusted; otherwise as remote, so an nginx on the
 * same host does not make every internet client "loopback". A token that is presented and
 * wrong is refused wherever it comes from. The token is never logged.
 */
import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import { clientAddress } from '../network/wsTransport';

export type AdminDecision = { readonly allowed: true } | { readonly allowed: false; readonly status: 401; readonly error: string };

/** Only the canonical loopback addresses: 127.0.0.2 and the like are other hosts' names in some setups. */
export function isLoopback(address: string): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function presentedToken(req: http.IncomingMessage): string | undefined {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  return m ? m[1]!.trim() : undefined;
}

function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function adminAccess(req: http.IncomingMessage, adminToken: string, trustedProxies: ReadonlySet<string>): AdminDecision {
  const token = presentedToken(req);
  if (token !== undefined) {
    if (adminToken && sameToken(token, adminToken)) return { allowed: true };
    return { allowed: false, status: 401, error: adminToken ? 'wrong admin token' : 'this bridge has no admin token (--admin_token); call from loopback without one' };
  }
  const peer = req.socket.remoteAddress ?? '';
  const proxied = req.headers['x-forwarded-for'] !== undefined;
  const client = proxied ? (trustedProxies.has(peer) ? clientAddress(req, trustedProxies) : '') : peer;
  if (isLoopback(client)) return { allowed: true };
  return { allowed: false, status: 401, error: adminToken ? 'admin token required: Authorization: Bearer <admin_token>' : 'served to loopback only; set --admin_token to call it from elsewhere' };
}
