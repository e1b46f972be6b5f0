/**
 * The bridge's entry point: reads the configuration, starts the embedded emulator when no
 * OpenIM address is given, starts the bridge, and shuts down cleanly on SIGTERM/SIGINT.
 */
import { ConfigError, helpText, loadConfig, wantsHelp, type Config } from '../common/config';
import { createLogger, type Logger } from '../common/logger';
import { startBridge, type BridgeHandle } from '../module/bridge';
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
  const log = createLogger(config.logLevel);
  const upstream = await resolveUpstream(config, log);
  const bridge: BridgeHandle = await startBridge({
    host: config.host,
    port: config.port,
    upstream: upstream.target,
    maxFrameBytes: config.maxFrameBytes,
    maxConnections: config.maxConnections,
    maxOutboundBytes: config.maxOutboundBytes,
    pingIntervalMs: config.pingIntervalMs,
    pongTimeoutMs: config.pongTimeoutMs,
    writeCoalescing: config.writeCoalescing,
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
      allowedOrigins: config.allowedOrigins.split(',').map((o) => o.trim()).filter(Boolean),
      connectRatePerIp: config.connectRatePerIp,
      tokenSecret: config.tokenSecret,
    },
    resume: { graceMs: config.resumeGraceMs, maxSessions: config.resumeMaxSessions, maxEvents: config.resumeMaxEvents, maxBytes: config.resumeMaxBytes },
    tlsCert: config.tlsCert || undefined,
    tlsKey: config.tlsKey || undefined,
    logger: log,
    adminToken: config.adminToken,
    dataDir: config.dataDir,
    tcpPort: config.tcpPort,
    trustedProxies: config.trustedProxies.split(',').map((p) => p.trim()).filter(Boolean),
    demo: demoOptionsFor(config.demoPage, upstream.embedded),
  });
  if (config.allowedOrigins.split(',').some((o) => o.trim() === '*')) {
    log.warn('allowed_origins is *: any web page may open connections with a user\'s token; set --allowed_origins in production');
  }
  // One machine-readable line that scripts and tests wait for.
  // Written whatever the log level: start.mjs and tests read it.
  process.stdout.write(`${JSON.stringify({ event: 'ready', time: Date.now(), port: bridge.port, wsAddress: bridge.wsAddress, tcpAddress: bridge.tcpAddress, upstream: upstream.target })}\n`);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), SHUTDOWN_GRACE_MS);
    force.unref();
    await bridge.close(CLIENT_CLOSE_WAIT_MS);
    await upstream.close?.();
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('uncaughtException', (err) => log.error({ err }, 'uncaught exception (process keeps running)'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection (process keeps running)'));
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
