/**
 * The admin API, for operators: a user's sessions on this instance, kicking them (a banned
 * account, a leaked token: the app gets OnKickedOffline and may log in again), and draining
 * this instance. Guarded by adminAccess (loopback, or the admin token). JSON in, JSON out.
 */
import type http from 'node:http';
import type { HttpServer } from '../network/httpServer';
import type { Logger } from '../common/logger';
import { adminAccess } from './adminAccess';

/** OpenIM's platform IDs (constant.PlatformID2Name in protocol/constant). */
const PLATFORM_NAMES: Record<number, string> = {
  1: 'iOS',
  2: 'Android',
  3: 'Windows',
  4: 'OSX',
  5: 'Web',
  6: 'MiniWeb',
  7: 'Linux',
  8: 'AndroidPad',
  9: 'iPad',
  10: 'Admin',
  11: 'HarmonyOS',
};

export interface AdminSessionView {
  readonly platformID: number;
  readonly platform: string;
  /** The bridge instance holding it (host name and process id). */
  readonly instance: string;
  /** When it logged in (ISO 8601). */
  readonly since: string;
  /** active: a socket is attached; parked: its client went away and may resume. */
  readonly state: 'active' | 'parked';
  /** Bytes waiting for the client (on the socket, or held for its return). */
  readonly bytesQueued: number;
}

/** One bridge process, or a cluster's primary asking the user's worker. */
export interface AdminSources {
  sessionsOf(userID: string): Promise<AdminSessionView[]>;
  /** Kicks the user's sessions (one platform, or all); answers how many. */
  kick(userID: string, platformID?: number): Promise<number>;
  /** Starts draining this instance; false when it was draining already. */
  drain(): boolean;
  /** Connections open now (what a drain will close). */
  connections(): Promise<number>;
}

export const ADMIN_PATHS = { sessions: '/admin/sessions', kick: '/admin/kick', drain: '/admin/drain' } as const;
const MAX_BODY_BYTES = 16 * 1024;

export function platformName(platformID: number): string {
  return PLATFORM_NAMES[platformID] ?? `platform ${platformID}`;
}

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

class BadRequest extends Error {}

/** The request's parameters: the query string, then a JSON object body (POST) on top. */
async function params(req: http.IncomingMessage): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams);
  if (req.method !== 'POST') return out;
  let size = 0;
  const chunks: Buffer[] = [];
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BadRequest(`body over ${MAX_BODY_BYTES} bytes`);
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8').trim();
  if (!text) return out;
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new BadRequest('body is not JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new BadRequest('body must be a JSON object');
  return { ...out, ...(body as Record<string, unknown>) };
}

function userIDOf(p: Record<string, unknown>): string {
  const userID = p.userID;
  if (typeof userID !== 'string' || userID === '') throw new BadRequest('userID is required');
  return userID;
}

function platformIDOf(p: Record<string, unknown>): number | undefined {
  const raw = p.platformID;
  if (raw === undefined || raw === '' || raw === 0 || raw === '0') return undefined;
  const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) throw new BadRequest('platformID must be a positive integer (absent or 0: every platform)');
  return n;
}

export interface AdminApiOptions {
  readonly adminToken: string;
  readonly trustedProxies: ReadonlySet<string>;
  readonly logger: Logger;
}

export function registerAdminApi(http: HttpServer, sources: AdminSources, options: AdminApiOptions): void {
  const route = (path: string, methods: readonly string[], handle: (p: Record<string, unknown>, res: http.ServerResponse) => Promise<void>) => {
    http.routes.set(path, async (req, res) => {
      const access = adminAccess(req, options.adminToken, options.trustedProxies);
      if (!access.allowed) {
        options.logger.warn({ path, remote: req.socket.remoteAddress }, 'admin request refused');
        return json(res, access.status, { error: access.error });
      }
      if (!methods.includes(req.method ?? '')) {
        res.setHeader('allow', methods.join(', '));
        return json(res, 405, { error: `use ${methods.join(' or ')}` });
      }
      try {
        await handle(await params(req), res);
      } catch (err) {
        if (err instanceof BadRequest) return json(res, 400, { error: err.message });
        throw err;
      }
    });
  };
  route(ADMIN_PATHS.sessions, ['GET'], async (p, res) => {
    const userID = userIDOf(p);
    json(res, 200, { userID, sessions: await sources.sessionsOf(userID) });
  });
  route(ADMIN_PATHS.kick, ['POST'], async (p, res) => {
    const userID = userIDOf(p);
    const platformID = platformIDOf(p);
    const kicked = await sources.kick(userID, platformID);
    options.logger.info({ userID, platformID, kicked }, 'admin: sessions kicked');
    json(res, 200, { userID, platformID: platformID ?? 0, kicked });
  });
  route(ADMIN_PATHS.drain, ['POST'], async (_p, res) => {
    const connections = await sources.connections();
    const started = sources.drain();
    options.logger.info({ connections, started }, 'admin: drain requested');
    json(res, 202, { draining: true, alreadyDraining: !started, connections });
  });
}
