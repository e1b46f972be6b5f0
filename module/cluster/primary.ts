/**
 * A cluster's primary: owns the ports, hands each jssdk connection to the worker that owns
 * its sendID (so one user's connections, sessions, resume buffer and local data stay in one
 * process), serves the plain HTTP endpoints itself — /metrics and /status summed over the
 * workers — and restarts a worker that dies.
 */
import { fork, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import type http from 'node:http';
import type { Duplex } from 'node:stream';
import { AggregatorRegistry, Counter, Gauge, Registry, type MetricObjectWithValues, type MetricValue } from 'prom-client';
import type { Logger } from '../../common/logger';
import { HttpServer, refuseUpgrade } from '../../network/httpServer';
import { RateLimiter } from '../../network/rateLimiter';
import { clientAddress } from '../../network/wsTransport';
import { pickIndex, rawRequest, readHandshakeLine, routeKey, stopReading } from '../../network/connectionHandoff';
import { HANDSHAKE_TIMEOUT_MS } from '../../network/tcpTransport';
import type { UpstreamTarget } from '../../core_func/upstream/upstreamSession';
import { registerEndpoints, type SessionCounts } from '../httpEndpoints';
import { UpstreamProbe } from '../upstreamProbe';
import { registerUploadProxy } from '../uploadProxy';
import { registerMiniProgramUpload } from '../miniProgramUpload';
import { registerAdminApi, type AdminSessionView } from '../adminApi';
import { registerDemo, type DemoOptions } from '../demo';
import { isToPrimary, WORKER_INDEX_ENV, WORKER_UPSTREAM_ENV, type Answer, type Question, type ToWorker } from './messages';

const WORKER_DOWN = { status: 503, reason: 'worker restarting' };

/** The connect parameter that decides the worker: one user, one worker. */
export const ROUTE_PARAM = 'sendID';
/** A worker that does not answer a question in this time counts as empty. */
export const ASK_TIMEOUT_MS = 2_000;
/** Restart delays of a worker that keeps dying, one step per death, up to the last. */
export const RESTART_DELAYS_MS = [200, 1_000, 5_000, 30_000];
/** A worker that ran this long before it died starts again from the first delay. */
export const STABLE_RUN_MS = 60_000;

export interface ClusterOptions {
  readonly host: string;
  readonly port: number;
  /** Port of the TCP transport; negative: none. */
  readonly tcpPort: number;
  readonly workers: number;
  readonly upstream: UpstreamTarget;
  readonly adminToken: string;
  /**
   * New connections per second per client IP, counted here for all workers (a user's IP
   * reaches several workers, one per sendID); 0: no limit. Workers then run without one.
   */
  readonly connectRatePerIp: number;
  /** Proxy addresses whose X-Forwarded-For names the client, for that count. */
  readonly trustedProxies: readonly string[];
  readonly demo?: DemoOptions;
  readonly logger: Logger;
  /** Largest file /bridge/upload takes. */
  readonly uploadMaxBytes: number;
  /** What /admin/drain does (the process's shutdown: every worker drains); false when one is under way. */
  readonly onDrainRequested: () => boolean;
  /** The entry script and arguments a worker runs (the bridge's own command line). */
  readonly entry: string;
  readonly args: readonly string[];
}

export interface ClusterHandle {
  readonly port: number;
  readonly wsAddress: string;
  readonly tcpAddress?: string;
  close(graceMs: number): Promise<void>;
}

class WorkerSlot {
  child?: ChildProcess;
  alive = false;
  restarts = 0;
  /** Deaths in a row, each less than STABLE_RUN_MS after its start: picks the restart delay. */
  quickDeaths = 0;
  startedAt = 0;
  stopping = false;
  private nextAsk = 1;
  private readonly asks = new Map<number, (a: Answer | undefined) => void>();

  constructor(readonly index: number) {}

  attach(child: ChildProcess): Promise<void> {
    this.child = child;
    return new Promise((resolve, reject) => {
      child.on('message', (m: unknown) => {
        if (!isToPrimary(m)) return;
        if (m.type === 'ready') {
          this.alive = true;
          resolve();
        } else if (m.type === 'answer') {
          this.asks.get(m.id)?.(m.value);
          this.asks.delete(m.id);
        }
      });
      child.once('exit', (code) => {
        this.alive = false;
        for (const settle of this.asks.values()) settle(undefined);
        this.asks.clear();
        reject(new Error(`worker ${this.index} exited with ${code} before it was ready`));
      });
    });
  }

  send(m: ToWorker, handle?: net.Socket): boolean {
    if (!this.alive || !this.child?.connected) return false;
    if (handle) this.child.send(m, handle, (err) => err && handle.destroy());
    else this.child.send(m);
    return true;
  }

  ask(question: Question): Promise<Answer | undefined> {
    const id = this.nextAsk++;
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.asks.delete(id);
        resolve(undefined);
      }, ASK_TIMEOUT_MS);
      this.asks.set(id, (a) => {
        clearTimeout(timer);
        resolve(a);
      });
      if (!this.send({ type: 'ask', id, question })) this.asks.get(id)?.(undefined);
    });
  }
}

export async function startClusterPrimary(options: ClusterOptions): Promise<ClusterHandle> {
  const log = options.logger;
  const slots = Array.from({ length: options.workers }, (_, i) => new WorkerSlot(i));
  let closing = false;
  const own = new Registry();
  new Gauge({ name: 'openim_bridge_workers_alive', help: 'Worker processes serving connections', registers: [own], collect() { this.set(slots.filter((s) => s.alive).length); } });
  const restarts = new Counter({ name: 'openim_bridge_worker_restarts_total', help: 'Workers restarted after they died', registers: [own] });
  const refusedHere = new Counter({ name: 'openim_bridge_primary_refused_total', help: 'Connections the primary refused before any worker saw them, by reason', labelNames: ['reason'], registers: [own] });
  const limiter = options.connectRatePerIp > 0 ? new RateLimiter(options.connectRatePerIp) : undefined;
  const trusted = new Set(options.trustedProxies);
  /** The reason to refuse a new connection from `address` before handing it over, if any. */
  const refusal = (address: string): { status: number; reason: string } | undefined => {
    if (closing) return { status: 503, reason: 'shutting down' };
    if (limiter && !limiter.take(address)) return { status: 429, reason: 'too many new connections from this address' };
    return undefined;
  };

  const startWorker = (slot: WorkerSlot): Promise<void> => {
    const child = fork(options.entry, [...options.args], {
      env: { ...process.env, [WORKER_INDEX_ENV]: String(slot.index), [WORKER_UPSTREAM_ENV]: JSON.stringify(options.upstream) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    slot.startedAt = Date.now();
    child.once('exit', (code, signal) => {
      if (closing || slot.stopping) return;
      slot.quickDeaths = Date.now() - slot.startedAt < STABLE_RUN_MS ? slot.quickDeaths + 1 : 1;
      const delay = RESTART_DELAYS_MS[Math.min(slot.quickDeaths - 1, RESTART_DELAYS_MS.length - 1)]!;
      log.error({ worker: slot.index, code, signal, restartInMs: delay }, 'worker died; its users reconnect once it is back');
      slot.restarts++;
      restarts.inc();
      setTimeout(() => {
        if (!closing) startWorker(slot).catch((err: unknown) => log.error({ err, worker: slot.index }, 'worker restart failed'));
      }, delay).unref();
    });
    return slot.attach(child).then(() => log.info({ worker: slot.index, pid: child.pid }, 'worker ready'));
  };

  const slotFor = (key: string | undefined) => slots[pickIndex(key ?? '', slots.length)]!;
  const handOver = (slot: WorkerSlot, transport: 'http' | 'tcp', socket: net.Socket, bytes: Buffer): boolean =>
    slot.send({ type: 'connection', transport, bytes: Buffer.concat([bytes, stopReading(socket)]).toString('base64') }, socket);

  const http = new HttpServer({ host: options.host, port: options.port });
  http.server.on('upgrade', (req: http.IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    const refused = refusal(clientAddress(req, trusted)) ?? (handOver(slotFor(routeKey(req.url ?? '', ROUTE_PARAM)), 'http', socket as net.Socket, rawRequest(req, head)) ? undefined : WORKER_DOWN);
    if (refused) {
      refusedHere.inc({ reason: refused.reason });
      refuseUpgrade(socket, refused.status, refused.reason);
    }
  });

  const tcp =
    options.tcpPort >= 0
      ? net.createServer((socket) => {
          socket.on('error', () => socket.destroy());
          void readHandshakeLine(socket, HANDSHAKE_TIMEOUT_MS).then((r) => {
            if ('error' in r) return void socket.end(`ERR 400 ${r.error}\n`);
            const refused = refusal(socket.remoteAddress ?? '') ?? (handOver(slotFor(routeKey(r.line, ROUTE_PARAM)), 'tcp', socket, r.bytes) ? undefined : WORKER_DOWN);
            if (refused) {
              refusedHere.inc({ reason: refused.reason });
              socket.end(`ERR ${refused.status} ${refused.reason}\n`);
            }
          });
        })
      : undefined;

  const askAll = (q: Question) => Promise.all(slots.map((s) => s.ask(q)));
  const probe = new UpstreamProbe(options.upstream);
  registerEndpoints(
    http,
    {
      upstream: options.upstream,
      startedAt: Date.now(),
      closing: () => closing,
      async probe() {
        const up = await probe.check();
        // A cluster with a worker down still serves the others' users; ready means all of them run.
        return { api: up.api, gateway: up.gateway, workers: slots.every((s) => s.alive) };
      },
      async metrics() {
        const perWorker = (await askAll({ what: 'metrics' })).filter((a): a is MetricObjectWithValues<MetricValue<string>>[] => Array.isArray(a));
        const merged = Registry.merge([AggregatorRegistry.aggregate(perWorker), own]);
        return { contentType: merged.contentType, text: await merged.metrics() };
      },
      async counts() {
        const perWorker = await askAll({ what: 'counts' });
        const sum: SessionCounts = { connections: 0, sessions: 0, parkedSessions: 0, onlineUsers: 0 };
        for (const c of perWorker) {
          if (!c || typeof c !== 'object' || Array.isArray(c)) continue;
          for (const k of Object.keys(sum) as (keyof SessionCounts)[]) sum[k] += c[k];
        }
        // users are disjoint across workers (each has one), so the sums are exact
        const workers = slots.map((s, i) => ({ index: s.index, pid: s.child?.pid, alive: s.alive, restarts: s.restarts, ...(perWorker[i] as SessionCounts | undefined) }));
        return { ...sum, workers };
      },
      async sessionsOf(userID) {
        const n = await slotFor(userID).ask({ what: 'sessionsOf', userID });
        return typeof n === 'number' ? n : 0;
      },
    },
    options.adminToken,
    new Set(options.trustedProxies),
  );
  registerAdminApi(
    http,
    {
      async sessionsOf(userID) {
        const answer = await slotFor(userID).ask({ what: 'adminSessions', userID });
        return Array.isArray(answer) ? (answer as AdminSessionView[]) : [];
      },
      async kick(userID, platformID) {
        const n = await slotFor(userID).ask({ what: 'kick', userID, platformID });
        return typeof n === 'number' ? n : 0;
      },
      drain: options.onDrainRequested,
      async connections() {
        let n = 0;
        for (const c of await askAll({ what: 'counts' })) if (c && typeof c === 'object' && !Array.isArray(c)) n += c.connections;
        return n;
      },
    },
    { adminToken: options.adminToken, trustedProxies: new Set(options.trustedProxies), logger: log },
  );
  registerUploadProxy(http, { apiAddress: options.upstream.apiAddress });
  registerMiniProgramUpload(http, { apiAddress: options.upstream.apiAddress, maxBytes: options.uploadMaxBytes, logger: log });
  if (options.demo) registerDemo(http, { ...options.demo, apiAddress: options.upstream.apiAddress, logger: log });

  await Promise.all(slots.map(startWorker));
  const address = await http.listen();
  let tcpPort: number | undefined;
  if (tcp) {
    tcpPort = await new Promise<number>((resolve, reject) => {
      tcp.once('error', reject);
      tcp.listen(options.tcpPort, options.host, () => resolve((tcp.address() as net.AddressInfo).port));
    });
  }
  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  log.info({ port: address.port, tcpPort, workers: slots.length }, 'cluster primary listening');
  return {
    port: address.port,
    wsAddress: `ws://${hostForUrl}:${address.port}`,
    tcpAddress: tcpPort === undefined ? undefined : `tcp://${hostForUrl}:${tcpPort}`,
    async close(graceMs) {
      closing = true;
      tcp?.close();
      http.server.close(); // stop listening; the endpoints keep answering (readyz: 503) until the workers are gone
      const exits = slots.map(
        (s) =>
          new Promise<void>((resolve) => {
            if (!s.child || s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
            s.child.once('exit', () => resolve());
            s.stopping = true;
            if (!s.send({ type: 'shutdown', graceMs })) s.child.kill('SIGTERM');
          }),
      );
      await Promise.all(exits);
      http.closeNow();
    },
  };
}
