/**
 * The bridge's entry point: reads the configuration, starts the embedded emulator when no
 * OpenIM address is given, starts the bridge — one process, or with --workers a primary
 * and its workers (this same script, told by the environment) — and shuts down cleanly on
 * SIGTERM/SIGINT.
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
import { demoOptionsFor } from '../module/demo';

/** Shutdown gives sessions this long to close before the process exits anyway. */
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
  };
}

/** Runs `stop` once on SIGTERM/SIGINT, exiting 0 after it (1 if it overruns the grace). */
function onSignals(log: Logger, stop: () => Promise<void>): void {
  let stopping = false;
  const handle = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    await stop();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void handle('SIGTERM'));
  process.on('SIGINT', () => void handle('SIGINT'));
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception (process keeps running)'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection (process keeps running)'));
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
  const bridge = await startBridge({
    ...options,
    dataDir: path.join(config.dataDir, `worker-${index}`),
    // The primary counts new connections per IP for all workers.
    admission: { ...options.admission, connectRatePerIp: 0 },
    listen: false,
  });
  let stopping = false;
  const stop = async (graceMs: number) => {
    if (stopping) return;
    stopping = true;
    log.info({ graceMs }, 'worker shutting down');
    await bridge.close(graceMs);
    log.info('worker stopped');
    process.exit(0);
  };
  serveAsWorker(bridge, (graceMs) => void stop(graceMs));
  // Signals reach the whole process group (Ctrl-C); the primary tells workers when to go.
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => void stop(CLIENT_CLOSE_WAIT_MS));
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception (process keeps running)'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection (process keeps running)'));
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
      entry: process.argv[1]!,
      args: argv,
    });
    announceReady({ port: cluster.port, wsAddress: cluster.wsAddress, tcpAddress: cluster.tcpAddress, upstream: upstream.target, workers: config.workers });
    onSignals(log, async () => {
      await cluster.close(CLIENT_CLOSE_WAIT_MS);
      await upstream.close?.();
    });
    return -1;
  }
  const bridge: BridgeHandle = await startBridge({ ...bridgeOptions(config, upstream.target, log), demo });
  announceReady({ port: bridge.port, wsAddress: bridge.wsAddress, tcpAddress: bridge.tcpAddress, upstream: upstream.target });
  onSignals(log, async () => {
    await bridge.close(CLIENT_CLOSE_WAIT_MS);
    await upstream.close?.();
  });
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
