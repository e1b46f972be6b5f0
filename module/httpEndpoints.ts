/**
 * The bridge's operational HTTP endpoints: /healthz (alive), /readyz (upstream reachable and
 * not shutting down), /metrics (Prometheus) and /status (JSON, the oimws status module's
 * job; `?userID=` adds that user's sessions on this instance; loopback only unless an admin
 * token is configured and presented).
 */
import type http from 'node:http';
import { timingSafeEqual } from 'node:crypto';
import type { HttpServer } from '../network/httpServer';
import { packageVersion } from '../common/version';
import type { BridgeMetrics } from './metrics';
import type { UpstreamProbe } from './upstreamProbe';

export interface StatusSources {
  readonly upstream: { apiAddress: string; wsAddress: string };
  readonly startedAt: number;
  closing(): boolean;
  connections(): number;
  sessions(): number;
  parked(): number;
  onlineUsers(): number;
  sessionsOf(userID: string): number;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}

function bearerMatches(req: http.IncomingMessage, token: string): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(req.headers.authorization ?? '');
  if (!m) return false;
  const a = Buffer.from(m[1]!.trim());
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export function registerEndpoints(http: HttpServer, deps: { metrics: BridgeMetrics; probe: UpstreamProbe; status: StatusSources; adminToken: string }): void {
  const { metrics, probe, status, adminToken } = deps;
  http.routes.set('/healthz', (_req, res) => json(res, 200, { status: 'ok' }));
  http.routes.set('/readyz', async (_req, res) => {
    if (status.closing()) return json(res, 503, { status: 'shutting down' });
    const up = await probe.check();
    json(res, up.api && up.gateway ? 200 : 503, { status: up.api && up.gateway ? 'ready' : 'upstream unreachable', upstream: up });
  });
  http.routes.set('/metrics', async (_req, res) => {
    res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(await metrics.registry.metrics());
  });
  http.routes.set('/status', (req, res) => {
    const allowed = adminToken ? bearerMatches(req, adminToken) || isLoopback(req.socket.remoteAddress) : isLoopback(req.socket.remoteAddress);
    if (!allowed) return json(res, adminToken ? 401 : 403, { error: adminToken ? 'admin token required' : 'status is served to loopback only; set --admin_token to expose it' });
    const userID = new URL(req.url ?? '/', 'http://x').searchParams.get('userID');
    json(res, 200, {
      ...(userID ? { user: { userID, sessions: status.sessionsOf(userID) } } : {}),
      version: packageVersion(),
      uptimeSeconds: Math.round((Date.now() - status.startedAt) / 1000),
      upstream: status.upstream,
      shuttingDown: status.closing(),
      connections: status.connections(),
      sessions: status.sessions(),
      parkedSessions: status.parked(),
      onlineUsers: status.onlineUsers(),
    });
  });
}
