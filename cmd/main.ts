/**
 * The bridge's entry point: reads the configuration, starts the embedded emulator when no
 * OpenIM address is given, starts the bridge — one process, or with --workers a primary
 * and its workers (this same script, told by the environment) — and shuts down cleanly: SIGTERM
 * (and /admin/drain) drains over drain_ms, SIGINT closes at once, an uncaught exception closes
 * at once and exits 1 (module/bridge.ts drain(); the crash policy below).
 */
import { ConfigError, helpText, loadConfig, wantsHelp, type Config } from '../common/config';
import { createLogger, type Logger } from '../common/logger';
import path from 'node:path';
import { startBridge, type BridgeHandle, type BridgeOptions } from '../module/bridge';
import { startClusterPrimary } from '../module/cluster/primary';
import { serveAsWorker } from '../module/cluster/worker';
import { WORKER_INDEX_ENV, WORKER_UPSTREAM_ENV } from '../module/cluster/messages';
import type { UpstreamTarget } from '../core_func/upstream/upstreamSession';
import { startEmulator } from '../emulator';
import { demoOptionsFor } from '../module/http/demo';

/** Shutdown gives sessions this long (past the drain window) to close before the process exits anyway. */
export const SHUTDOWN_GRACE_MS = 10_000;
/** Part of it spent waiting for clients to answer the 1001 close. */
export const CLIENT_CLOSE_WAIT_MS = 3_000;

async function resolveUpstream(config: Config, log: Logger): Promise<{ target: UpstreamTarget; embedded?: { secret: string }; close?: () => Promise<void> }> {
  if (config.apiAddress && config.wsAddress) {
    return { target: { apiAddress: config.apiAddress, wsAddress: config.wsAddress } };
  }
  const emu = await startEmulator({ apiPort: config.emulatorApiPort, wsPort: config.emulatorWsPort, host: '127.0.0.1', secret: config.emulatorSecret });
  log.warn(
    { apiAddress: emu.apiAddress, wsAddress: emu.wsAddress },
    'no OpenIM address given: started the embedded OpenIM emulator (in-memory, for development and tests; set --openIM_api_address and --openIM_ws_address for a real server)',
  );
  return { target: { apiAddress: emu.apiAddress, wsAddress: emu.wsAddress }, embedded: { secret: emu.secret }, close: () => emu.close() };
}

/** A comma-separated option as a list, blanks dropped. */
function commaList(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter(Boolean);
}

function bridgeOptions(config: Config, target: UpstreamTarget, log: Logger): BridgeOptions {
  return {
    host: config.host,
    port: config.port,
    upstream: target,
    maxFrameBytes: config.maxFrameBytes,
    maxConnections: config.maxConnections,
    maxOutboundBytes: config.maxOutboundBytes,
    pingIntervalMs: config.pingIntervalMs,
    pongTimeoutMs: config.pongTimeoutMs,
    writeCoalescing: config.writeCoalescing,
    fanoutCacheEntries: config.fanoutCacheEntries,
    limits: {
      maxInflightRequests: config.maxInflightRequests,
      loginTimeoutMs: config.loginTimeoutMs,
      requestTimeoutMs: config.requestTimeoutMs,
      upstreamHeartbeatMs: config.upstreamHeartbeatMs,
      loginDeadlineMs: config.loginDeadlineMs,
      idleTimeoutMs: config.idleTimeoutMs,
      replayHighWaterBytes: Math.floor(config.maxOutboundBytes / 2),
    },
    admission: {
      allowedOrigins: commaList(config.allowedOrigins),
      connectRatePerIp: config.connectRatePerIp,
      tokenSecret: config.tokenSecret,
    },
    resume: { graceMs: config.resumeGraceMs, maxSessions: config.resumeMaxSessions, maxEvents: config.resumeMaxEvents, maxBytes: config.resumeMaxBytes },
    syncHold: { maxEvents: config.syncHoldMaxEvents, maxMs: config.syncHoldMaxMs },
    relationSnapshots: { maxAgeMs: config.relationSnapshotMaxAgeMs, flushMs: config.relationSnapshotFlushMs },
    continuity: { maxMessages: config.catchupMaxMessages, pullsPerSecond: config.catchupPullsPerSecond, cursorMaxAgeMs: config.cursorMaxAgeMs, cursorFlushMs: config.cursorFlushMs },
    tlsCert: config.tlsCert || undefined,
    tlsKey: config.tlsKey || undefined,
    logger: log,
    adminToken: config.adminToken,
    dataDir: config.dataDir,
    stateStore: { url: config.stateStore, prefix: config.stateStorePrefix, commandTimeoutMs: config.stateStoreTimeoutMs },
    tcpPort: config.tcpPort,
    trustedProxies: commaList(config.trustedProxies),
    drainMs: config.drainMs,
    loginsPerSecond: config.loginsPerSecond,
    uploadMaxBytes: config.uploadMaxBytes,
  };
}

/** How the process goes: drained (SIGTERM, /admin/drain), closed at once (SIGINT, a crash). */
interface Exits {
  drain(): Promise<void>;
  closeNow(): Promise<void>;
  /** The crash counters of the process's metrics (a cluster's primary has none of its workers'). */
  readonly metrics?: { uncaughtException(): void; unhandledRejection(): void };
}

/**
 * The process's lifecycle: one way out, taken once. SIGTERM drains (exit 0), SIGINT closes at
 * once (exit 0); each is forced (exit 1) if it overruns its bound.
 *
 * Crash policy: after an uncaught exception the process's state may be half-updated, so it is
 * logged and counted, the bridge stops accepting and closes every connection at once (cursors
 * written: the instance its clients land on, or this one restarted by its supervisor, catches
 * them up), and the process exits 1. An unhandled rejection (the client SDK makes fire-and-forget
 * calls) leaves nothing half-done in our own code: it is logged and counted, the process goes on.
 * Returns what /admin/drain calls: true when it started the way out.
 */
function lifecycle(log: Logger, exits: Exits, drainMs: number): () => boolean {
  let leaving = false;
  let exitCode = 0;
  const leave = (why: string, run: () => Promise<void>, boundMs: number, code: number): boolean => {
    exitCode = Math.max(exitCode, code);
    if (leaving) return false;
    leaving = true;
    log.info({ why }, 'shutting down');
    const force = setTimeout(() => {
      log.error({ why, boundMs }, 'shutdown overran its bound; exiting anyway');
      process.exit(1);
    }, boundMs);
    force.unref();
    run().then(
      () => {
        log.info('stopped');
        process.exit(exitCode);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
    return true;
  };
  process.on('SIGTERM', () => void leave('SIGTERM', () => exits.drain(), drainMs + SHUTDOWN_GRACE_MS, 0));
  process.on('SIGINT', () => void leave('SIGINT', () => exits.closeNow(), SHUTDOWN_GRACE_MS, 0));
  process.on('uncaughtException', (err) => {
    exits.metrics?.uncaughtException();
    log.fatal({ err }, 'uncaught exception: closing every connection and exiting 1 (catch-up covers the clients wherever they log in again)');
    leave('uncaught exception', () => exits.closeNow(), SHUTDOWN_GRACE_MS, 1);
  });
  process.on('unhandledRejection', (err) => {
    exits.metrics?.unhandledRejection();
    log.error({ err }, 'unhandled rejection (counted in openim_bridge_unhandled_rejections_total; the process goes on)');
  });
  return () => leave('/admin/drain', () => exits.drain(), drainMs + SHUTDOWN_GRACE_MS, 0);
}

/** One machine-readable line that scripts and tests wait for, written whatever the log level. */
function announceReady(ready: { port: number; wsAddress: string; tcpAddress?: string; upstream: UpstreamTarget; workers?: number }): void {
  process.stdout.write(`${JSON.stringify({ event: 'ready', time: Date.now(), ...ready })}\n`);
}

/** A worker of a cluster: the primary resolved the upstream and hands it connections. */
async function runWorker(config: Config, index: number): Promise<void> {
  const log = createLogger(config.logLevel).child({ worker: index });
  const target = JSON.parse(process.env[WORKER_UPSTREAM_ENV] ?? '{}') as UpstreamTarget;
  // Users are assigned to workers by sendID, so each worker keeps its users' local data apart.
  const options = bridgeOptions(config, target, log);
  let adminDrain: () => boolean = () => false;
  const bridge = await startBridge({
    ...options,
    dataDir: path.join(config.dataDir, `worker-${index}`),
    // The primary counts new connections per IP for all workers.
    admission: { ...options.admission, connectRatePerIp: 0 },
    listen: false,
    onDrainRequested: () => adminDrain(),
  });
  // Signals reach the whole process group (Ctrl-C); the primary tells workers when to go (a drain).
  process.on('SIGINT', () => undefined);
  const leave = lifecycle(log, { drain: () => bridge.drain(), closeNow: () => bridge.close(CLIENT_CLOSE_WAIT_MS), metrics: bridge.metrics }, config.drainMs);
  adminDrain = leave;
  serveAsWorker(bridge, () => void leave());
}

export async function main(argv: readonly string[]): Promise<number> {
  if (wantsHelp(argv)) {
    process.stdout.write(`${helpText()}\n`);
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig(argv);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`openim-bridge: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  const workerIndex = process.env[WORKER_INDEX_ENV];
  if (workerIndex !== undefined) {
    await runWorker(config, Number(workerIndex));
    return -1;
  }
  const log = createLogger(config.logLevel);
  const upstream = await resolveUpstream(config, log);
  const demo = demoOptionsFor(config.demoPage, upstream.embedded);
  if (commaList(config.allowedOrigins).includes('*')) {
    log.warn('allowed_origins is *: any web page may open connections with a user\'s token; set --allowed_origins in production');
  }
  let adminDrain: () => boolean = () => false;
  if (config.workers > 1) {
    const cluster = await startClusterPrimary({
      host: config.host,
      port: config.port,
      tcpPort: config.tcpPort,
      workers: config.workers,
      upstream: upstream.target,
      adminToken: config.adminToken,
      connectRatePerIp: config.connectRatePerIp,
      trustedProxies: commaList(config.trustedProxies),
      demo,
      logger: log,
      uploadMaxBytes: config.uploadMaxBytes,
      onDrainRequested: () => adminDrain(),
      entry: process.argv[1]!,
      args: argv,
    });
    announceReady({ port: cluster.port, wsAddress: cluster.wsAddress, tcpAddress: cluster.tcpAddress, upstream: upstream.target, workers: config.workers });
    // The workers drain (each over drain_ms) when told to shut down; the primary waits for them.
    const stopCluster = async () => {
      await cluster.close(CLIENT_CLOSE_WAIT_MS);
      await upstream.close?.();
    };
    adminDrain = lifecycle(log, { drain: stopCluster, closeNow: stopCluster }, config.drainMs);
    return -1;
  }
  const bridge: BridgeHandle = await startBridge({ ...bridgeOptions(config, upstream.target, log), demo, onDrainRequested: () => adminDrain() });
  announceReady({ port: bridge.port, wsAddress: bridge.wsAddress, tcpAddress: bridge.tcpAddress, upstream: upstream.target });
  adminDrain = lifecycle(
    log,
    {
      drain: async () => {
        await bridge.drain();
        await upstream.close?.();
      },
      closeNow: async () => {
        await bridge.close(CLIENT_CLOSE_WAIT_MS);
        await upstream.close?.();
      },
      metrics: bridge.metrics,
    },
    config.drainMs,
  );
  return -1;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      if (code >= 0) process.exit(code);
    },
    (err: unknown) => {
      process.stderr.write(`openim-bridge: failed to start: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
}
