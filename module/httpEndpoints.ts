/**
 * The bridge's operational HTTP endpoints: /healthz (alive), /readyz (upstream reachable and
 * not shutting down; it also reports the state store, a store that is away as degraded), /metrics (Prometheus) and /status (JSON, the oimws status module's
 * job; `?userID=` adds that user's sessions on this instance; loopback, or the admin token:
 * module/adminAccess.ts).
 */
import type http from 'node:http';
import type { HttpServer } from '../network/httpServer';
import { packageVersion } from '../common/version';
import { adminAccess } from './adminAccess';

/** What /status reports of the sessions one process (or, summed, a cluster) holds. */
export type SessionCounts = {
  connections: number;
  sessions: number;
  parkedSessions: number;
  onlineUsers: number;
};

/** Where the endpoints get their answers: one bridge process, or a cluster's primary summing its workers. */
export interface EndpointSources {
  readonly upstream: { apiAddress: string; wsAddress: string };
  readonly startedAt: number;
  closing(): boolean;
  /** What readiness depends on (upstream API and gateway; a cluster's workers): ready when all are true. */
  probe(): Promise<Record<string, boolean>>;
  /** The state store and whether it answers (absent: a cluster's primary, whose workers each report theirs). */
  stateStore?(): { name: string; available: boolean };
  metrics(): Promise<{ contentType: string; text: string }>;
  /** The counts /status reports, plus anything else it lists (a cluster lists its workers). */
  counts(): Promise<SessionCounts & Record<string, unknown>>;
  /** Logged-in sessions of one user. */
  sessionsOf(userID: string): Promise<number>;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

export function registerEndpoints(http: HttpServer, sources: EndpointSources, adminToken: string, trustedProxies: ReadonlySet<string> = new Set()): void {
  http.routes.set('/healthz', (_req, res) => json(res, 200, { status: 'ok' }));
  http.routes.set('/readyz', async (_req, res) => {
    if (sources.closing()) return json(res, 503, { status: 'shutting down' });
    const { workers, ...upstream } = await sources.probe();
    const stateStore = sources.stateStore?.();
    const upstreamOk = Object.values(upstream).every(Boolean);
    // A state store that is away degrades only the local-only methods: live traffic still flows,
    // so the instance stays in rotation (all of them share the store; taking all out helps no one).
    if (upstreamOk && workers !== false) return json(res, 200, { status: stateStore?.available === false ? 'degraded: state store unavailable' : 'ready', upstream, ...(stateStore ? { stateStore } : {}) });
    json(res, 503, { status: upstreamOk ? 'a worker is not running' : 'upstream unreachable', upstream, ...(stateStore ? { stateStore } : {}) });
  });
  http.routes.set('/metrics', async (_req, res) => {
    const m = await sources.metrics();
    res.writeHead(200, { 'content-type': m.contentType }).end(m.text);
  });
  http.routes.set('/status', async (req, res) => {
    const access = adminAccess(req, adminToken, trustedProxies);
    if (!access.allowed) return json(res, access.status, { error: access.error });
    const userID = new URL(req.url ?? '/', 'http://x').searchParams.get('userID');
    json(res, 200, {
      ...(userID ? { user: { userID, sessions: await sources.sessionsOf(userID) } } : {}),
      version: packageVersion(),
      uptimeSeconds: Math.round((Date.now() - sources.startedAt) / 1000),
      upstream: sources.upstream,
      shuttingDown: sources.closing(),
      ...(await sources.counts()),
    });
  });
}
