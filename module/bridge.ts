/**
 * Assembles one bridge: the HTTP server on the bridge's port, the WebSocket transport,
 * the jssdk gate and a session per connection, all pointed at one OpenIM upstream.
 */
import type { Socket } from 'node:net';
import os from 'node:os';
import type { Logger } from '../common/logger';
import { JssdkGate } from '../gate/gate';
import { createAdmission, type AdmissionOptions } from '../gate/admission';
import { MSGPACK_SUBPROTOCOL } from '../gate/codecs';
import { HttpServer } from '../network/httpServer';
import { WsTransport } from '../network/wsTransport';
import { TcpTransport } from '../network/tcpTransport';
import { WriteCoalescer, type CoalescingMode } from '../network/writeCoalescer';
import type { UpstreamTarget } from '../core_func/upstream/upstreamSession';
import { checkClientSdk } from '../core_func/upstream/sdkHooks';
import { Session, type SessionLimits, type SessionObserver } from './session/session';
import { SessionRegistry } from './session/sessionRegistry';
import { FanOutCache, ResumeStore, type Feed, type FeedDeps, type QueueLimits, type SyncHoldLimits } from '../feed';
import { BridgeMetrics } from './http/metrics';
import { UpstreamProbe } from './http/upstreamProbe';
import { registerEndpoints, type SessionCounts } from './http/httpEndpoints';
import { combineObservers } from './session/observers';
import { localStoreOn } from '../core_func/localStore/localStore';
import { RELATION_SNAPSHOT_DEFAULTS, RelationSnapshots, type RelationSnapshotOptions } from '../core_func/continuity/relationSnapshots';
import { openStateStore } from '../state/openStateStore';
import { observedStateStore } from '../state/observedStateStore';
import { usersInfoCache } from '../core_func/cache/usersInfoCache';
import { registerDemo, type DemoOptions } from './http/demo';
import { registerUploadProxy } from './http/uploadProxy';
import { registerMiniProgramUpload } from './http/miniProgramUpload';
import { registerAdminApi, platformName, type AdminSessionView } from './http/adminApi';
import { LoginPace } from './session/loginPace';
import { Drain } from './session/drain';
import { DescriptorBudget } from './session/descriptorBudget';
import { openFileLimit } from '../common/openFileLimit';
import { OPTIONS } from '../common/config';
import { CursorStore } from '../core_func/continuity/cursorStore';
import { CatchUpPace } from '../core_func/continuity/catchUpPace';
import type { ContinuityDeps } from '../core_func/continuity/continuity';

export interface BridgeOptions {
  readonly host: string;
  readonly port: number;
  readonly upstream: UpstreamTarget;
  readonly maxFrameBytes: number;
  readonly maxConnections: number;
  readonly maxOutboundBytes: number;
  readonly pingIntervalMs: number;
  readonly pongTimeoutMs: number;
  readonly limits: SessionLimits;
  readonly admission: Omit<AdmissionOptions, 'onRefused'>;
  /** Session resume after a dropped socket; graceMs 0 turns it off. */
  readonly resume: { readonly graceMs: number; readonly maxSessions: number } & QueueLimits;
  /** Bounds of the hold of OnSyncServerFinish behind a login's relation catch-up (feed/syncHold.ts); absent: the defaults. */
  readonly syncHold?: SyncHoldLimits;
  /** Relation catch-up of app instances (core_func/continuity/relationSnapshots.ts); absent: the defaults. */
  readonly relationSnapshots?: RelationSnapshotOptions;
  readonly tlsCert?: string;
  readonly tlsKey?: string;
  readonly logger: Logger;
  /** Extra observer (tests); metrics are always collected. */
  readonly observer?: SessionObserver;
  /** Bearer token that opens /status to non-loopback callers; empty: loopback only. */
  readonly adminToken?: string;
  /** Proxy addresses whose X-Forwarded-For is believed (for per-IP limits behind a load balancer). */
  readonly trustedProxies?: readonly string[];
  /** Port of the TCP transport (0: any free port); absent or negative: no TCP transport. */
  readonly tcpPort?: number;
  /** Directory of the per-user local store (oimws's openIMDbDir); opened by the bridge, closed with it. */
  readonly dataDir: string;
  /** A shared state store (Redis) instead of LevelDB under dataDir; absent or url '': LevelDB. */
  readonly stateStore?: { readonly url: string; readonly prefix: string; readonly commandTimeoutMs: number };
  /** The process's open-file limit connections are admitted against; default: read from the OS. */
  readonly openFileLimit?: number;
  /** Write each connection's frames of one event-loop turn with one syscall (default auto: while the loop is busy). */
  readonly writeCoalescing?: CoalescingMode;
  /** Group messages whose members' copies are converted and encoded once (feed/fanOutCache.ts); default: the config's. */
  readonly fanoutCacheEntries?: number;
  /** The demo chat page (and, with the embedded emulator, its token endpoint); absent: neither. */
  readonly demo?: DemoOptions;
  /** Delivery cursors and catch-up (core_func/continuity); absent: the config defaults. */
  readonly continuity?: ContinuityOptions;
  /** false: bind no port, serve only connections handed over with adoptHttp / adoptTcp (cluster workers). */
  readonly listen?: boolean;
  /** Window over which drain() closes the sessions; absent: the config default. */
  readonly drainMs?: number;
  /** Upstream logins started per second across the process (0: unpaced); absent: the config default. */
  readonly loginsPerSecond?: number;
  /** Largest file /bridge/upload takes; absent: the config default. */
  readonly uploadMaxBytes?: number;
  /**
   * What /admin/drain does: the process's own shutdown (drain, then exit); absent: drain() only.
   * Returns false when a shutdown is already under way.
   */
  readonly onDrainRequested?: () => boolean;
}

export interface ContinuityOptions {
  readonly maxMessages: number;
  readonly pullsPerSecond: number;
  readonly cursorMaxAgeMs: number;
  readonly cursorFlushMs: number;
}

const CONTINUITY_DEFAULTS: ContinuityOptions = {
  maxMessages: OPTIONS.catchupMaxMessages.default,
  pullsPerSecond: OPTIONS.catchupPullsPerSecond.default,
  cursorMaxAgeMs: OPTIONS.cursorMaxAgeMs.default,
  cursorFlushMs: OPTIONS.cursorFlushMs.default,
};

export interface BridgeHandle {
  readonly port: number;
  /** ws:// or wss:// address a jssdk client uses as wsAddr. */
  readonly wsAddress: string;
  readonly httpAddress: string;
  /** tcp:// (or tls://) address of the TCP transport, when enabled. */
  readonly tcpAddress?: string;
  readonly http: HttpServer;
  readonly metrics: BridgeMetrics;
  /** Connections currently open. */
  connectionCount(): number;
  /** Sessions logged in (one per user and platform), parked ones included. */
  sessionCount(): number;
  /** Sessions waiting for their client to come back. */
  parkedCount(): number;
  /** Logged-in sessions of one user on this instance. */
  sessionsOf(userID: string): number;
  /** Bytes of events held for parked sessions. */
  parkedBytes(): number;
  /** Drops every connection of a user without a close handshake, as a broken network would. */
  dropConnections(userID: string): number;
  /** Serves a connection another process accepted; `bytes` are what it read of it already. */
  adoptHttp(socket: Socket, bytes: Buffer): void;
  adoptTcp(socket: Socket, bytes: Buffer): void;
  /** A user's sessions here, as the admin API lists them; kicks them (admin API, or a cluster's primary asking). */
  sessionsView(userID: string): AdminSessionView[];
  kick(userID: string, platformID?: number): number;
  /** What /status reports, and the metrics as prom-client JSON (for a cluster's primary to sum). */
  counts(): Promise<SessionCounts>;
  metricsJson(): Promise<unknown[]>;
  /** True from the moment close() or drain() starts (readiness turns 503). */
  readonly closing: boolean;
  /**
   * Readiness 503 and no new connections at once, then every connection closed with 1001,
   * spread over drain_ms (each session's cursors written, so the instance its client lands on
   * catches it up), then close(). The same promise when called again.
   */
  drain(): Promise<void>;
  /** Closes every client with 1001 (waiting up to `graceMs` for them), releases every session upstream. */
  close(graceMs?: number): Promise<void>;
}

export async function startBridge(options: BridgeOptions): Promise<BridgeHandle> {
  // Before anything listens: a client SDK without the internals the bridge hooks stops the start.
  checkClientSdk();
  const log = options.logger;
  const http = new HttpServer({ host: options.host, port: options.port, tlsCert: options.tlsCert, tlsKey: options.tlsKey });
  const registry = new SessionRegistry<Feed>();
  const sessions = new Set<Session>();
  const state = await openStateStore({
    url: options.stateStore?.url ?? '',
    prefix: options.stateStore?.prefix ?? 'openim-bridge:',
    commandTimeoutMs: options.stateStore?.commandTimeoutMs ?? 2_000,
    dataDir: options.dataDir,
    onConnection: (up, detail) => {
      if (up) log.info({ stateStore: state.store.name }, 'state store connected again');
      else log.warn({ stateStore: state.store.name, detail }, 'state store unreachable: local-only methods fail with errCode 10006 until it is back');
    },
    onPublishFailed: (err) => {
      metrics.stateStoreFailure('publish');
      log.debug({ err: err.message }, 'could not publish a cache invalidation');
    },
  });
  const localStore = localStoreOn(observedStateStore(state.store, (op) => metrics.stateStoreFailure(op)));
  // The process-wide profile cache: what this instance invalidates, the others drop too.
  const unshare = usersInfoCache.shareInvalidations((userID) => state.invalidations.publish(userID));
  state.invalidations.subscribe((userID) => usersInfoCache.dropFromPeer(userID));
  const stateStoreUp = () => state.store.isAvailable?.() ?? true;
  const relations = new RelationSnapshots(localStore.state, options.relationSnapshots ?? RELATION_SNAPSHOT_DEFAULTS);
  const resume = options.resume.graceMs > 0 ? { store: new ResumeStore<Feed>({ graceMs: options.resume.graceMs, maxSessions: options.resume.maxSessions }) } : undefined;
  const metrics: BridgeMetrics = new BridgeMetrics({
    connections: connectionCount, // called at scrape time, after the transports exist
    connectionCapacity: () => Math.min(options.maxConnections, descriptors.maxConnections ?? Infinity),
    parked: () => resume?.store.size ?? 0,
    stateStoreUp,
    cursorsPending: () => cursors.pending,
    loginsWaiting: (): number => loginPace.waiting,
    drain: () => drainer?.progress,
    sessionsByPlatform: () => {
      const byPlatform = new Map<number, number>();
      for (const s of registry.all()) byPlatform.set(s.platformID, (byPlatform.get(s.platformID) ?? 0) + 1);
      return byPlatform;
    },
  });
  const observer = combineObservers(metrics, options.observer);
  const loginPace: LoginPace = new LoginPace(options.loginsPerSecond ?? OPTIONS.loginsPerSecond.default, {
    loginPaced: (outcome, waitedMs) => metrics.loginPaced(outcome, waitedMs),
    loginStarted(at) {
      metrics.loginStarted();
      // The record the login bound can be checked against (time: when the spacing was measured).
      log.info({ startedAt: at, waiting: loginPace.waiting }, 'upstream login started');
    },
  });
  let drainer: Drain | undefined;
  let draining: Promise<void> | undefined;
  const continuityOptions = options.continuity ?? CONTINUITY_DEFAULTS;
  const cursors = new CursorStore(localStore.state, {
    flushMs: continuityOptions.cursorFlushMs,
    maxAgeMs: continuityOptions.cursorMaxAgeMs,
    onError: (err, userID) => {
      metrics.cursorStoreError();
      log.warn({ err: err instanceof Error ? err.message : String(err), user: userID }, 'delivery cursor write failed; retried with the next commit');
    },
    onCommit: (n) => metrics.cursorCommit(n),
  });
  const continuity: ContinuityDeps = { cursors, pace: new CatchUpPace(continuityOptions.pullsPerSecond), maxMessages: continuityOptions.maxMessages, observer: metrics };
  const feedDeps: FeedDeps = {
    upstream: options.upstream,
    loginTimeoutMs: options.limits.loginTimeoutMs,
    upstreamHeartbeatMs: options.limits.upstreamHeartbeatMs,
    loginPace,
    queue: { maxEvents: options.resume.maxEvents, maxBytes: options.resume.maxBytes },
    syncHold: options.syncHold ?? { maxEvents: OPTIONS.syncHoldMaxEvents.default, maxMs: OPTIONS.syncHoldMaxMs.default },
    resume: resume?.store,
    registry,
    relations,
    continuity,
    observer: { resume: (o) => observer.resume?.(o), syncHoldCut: (reason) => metrics.syncHoldCut(reason) },
    fanOut: new FanOutCache(options.fanoutCacheEntries ?? OPTIONS.fanoutCacheEntries.default),
  };
  const descriptors: DescriptorBudget = new DescriptorBudget(options.openFileLimit ?? openFileLimit(), {
    connections: connectionCount,
    parked: () => resume?.store.size ?? 0,
  });
  const fit = descriptors.maxConnections;
  if (fit !== undefined && fit < options.maxConnections) {
    log.warn(
      { openFileLimit: descriptors.limit, connectionsThatFit: fit, maxConnections: options.maxConnections },
      'the open-file limit admits fewer connections than max_connections (2 descriptors each); raise it (ulimit -n, LimitNOFILE) to hold more',
    );
  }
  const gate = new JssdkGate(
    (params, channel) => {
      const session = new Session(params, channel, { limits: options.limits, feed: feedDeps, registry, logger: log, observer, localStore });
      sessions.add(session);
      return {
        onRequest: (r) => session.onRequest(r),
        onClose: (code, reason) => {
          sessions.delete(session);
          session.onClose(code, reason);
        },
      };
    },
    {
      onProtocolError: (reason) => {
        metrics.protocolError();
        log.debug({ reason }, 'protocol error');
      },
      admit: createAdmission({
        ...options.admission,
        overCapacity: () => descriptors.refusal(),
        onRefused: (reason, inBand) => {
          log.info({ reason, inBand }, 'connection refused');
          if (inBand) metrics.refusedUpgrade(reason);
        },
      }),
      refusedIdleMs: options.limits.idleTimeoutMs,
    },
  );
  const coalescer = new WriteCoalescer(options.writeCoalescing ?? 'auto');
  const ws = new WsTransport(http, gate, options, {
    onRefused: (status, reason) => {
      metrics.refusedUpgrade(reason);
      log.info({ status, reason }, 'upgrade refused');
    },
  }, { subprotocols: [MSGPACK_SUBPROTOCOL], trustedProxies: new Set(options.trustedProxies ?? []), coalescer });
  const tcp =
    options.tcpPort !== undefined && options.tcpPort >= 0
      ? new TcpTransport(gate, options, {
          host: options.host,
          port: options.tcpPort,
          tlsCert: options.tlsCert,
          tlsKey: options.tlsKey,
          coalescer,
          onRefused: (status, reason) => {
            metrics.refusedUpgrade(reason);
            log.info({ status, reason, transport: 'tcp' }, 'handshake refused');
          },
        })
      : undefined;
  function connectionCount(): number {
    return ws.connectionCount + (tcp?.connectionCount ?? 0);
  }
  let closing = false;
  const activeSessionsOf = (userID: string) => [...registry.all()].filter((s) => s.userID === userID && s.isActive).length;
  const onlineUsers = () => {
    const users = new Set<string>();
    for (const s of registry.all()) if (s.isActive) users.add(s.userID);
    return users.size;
  };
  const counts = async (): Promise<SessionCounts> => ({
    connections: connectionCount(),
    sessions: registry.size,
    parkedSessions: resume?.store.size ?? 0,
    onlineUsers: onlineUsers(),
  });
  const probe = new UpstreamProbe(options.upstream);
  const trusted = new Set(options.trustedProxies ?? []);
  registerEndpoints(
    http,
    {
      upstream: options.upstream,
      startedAt: Date.now(),
      closing: () => closing,
      probe: async () => ({ ...(await probe.check()) }),
      stateStore: () => ({ name: state.store.name, available: stateStoreUp() }),
      metrics: async () => ({ contentType: metrics.registry.contentType, text: await metrics.registry.metrics() }),
      counts,
      sessionsOf: async (userID) => activeSessionsOf(userID),
    },
    options.adminToken ?? '',
    trusted,
  );
  const instance = `${os.hostname()}#${process.pid}`;
  const sessionsView = (userID: string): AdminSessionView[] =>
    [...registry.all()]
      .filter((f) => f.userID === userID)
      .map((f) => ({
        platformID: f.platformID,
        platform: platformName(f.platformID),
        instance,
        since: new Date(f.since ?? Date.now()).toISOString(),
        state: f.isParked ? 'parked' : 'active',
        bytesQueued: f.queuedBytes,
      }));
  const kick = (userID: string, platformID?: number): number => {
    const targets = [...registry.all()].filter((f) => f.userID === userID && (platformID === undefined || f.platformID === platformID));
    for (const f of targets) f.kick();
    metrics.kicked(targets.length);
    return targets.length;
  };
  registerAdminApi(
    http,
    {
      sessionsOf: async (userID) => sessionsView(userID),
      kick: async (userID, platformID) => kick(userID, platformID),
      drain() {
        if (options.onDrainRequested) return options.onDrainRequested();
        if (draining) return false;
        void handle.drain();
        return true;
      },
      connections: async () => connectionCount(),
    },
    { adminToken: options.adminToken ?? '', trustedProxies: trusted, logger: log },
  );
  // The jssdk uploads over its apiAddr; with apiAddr = the bridge, a browser needs one origin.
  registerUploadProxy(http, { apiAddress: options.upstream.apiAddress });
  registerMiniProgramUpload(http, { apiAddress: options.upstream.apiAddress, maxBytes: options.uploadMaxBytes ?? OPTIONS.uploadMaxBytes.default, logger: log });
  if (options.demo) registerDemo(http, { ...options.demo, apiAddress: options.upstream.apiAddress, logger: log });
  // A cluster worker listens on nothing: its primary hands it connections (adoptHttp / adoptTcp).
  const address = options.listen === false ? { port: 0 } : await http.listen();
  const tcpPort = tcp && options.listen !== false ? await tcp.listen() : undefined;
  const hostForUrl = options.host === '0.0.0.0' || options.host === '::' ? '127.0.0.1' : options.host;
  const scheme = http.isTls ? 's' : '';
  if (options.listen === false) log.info({ upstream: options.upstream }, 'bridge serving connections handed over by its primary');
  else log.info({ port: address.port, upstream: options.upstream }, 'bridge listening');
  const handle: BridgeHandle = {
    port: address.port,
    wsAddress: `ws${scheme}://${hostForUrl}:${address.port}`,
    httpAddress: `http${scheme}://${hostForUrl}:${address.port}`,
    http,
    metrics,
    tcpAddress: tcpPort === undefined ? undefined : `${http.isTls ? 'tls' : 'tcp'}://${hostForUrl}:${tcpPort}`,
    connectionCount,
    sessionCount: () => registry.size,
    parkedCount: () => resume?.store.size ?? 0,
    sessionsOf: (userID) => activeSessionsOf(userID),
    parkedBytes() {
      let n = 0;
      for (const s of resume?.store.parked() ?? []) n += s.bufferedBytes;
      return n;
    },
    dropConnections(userID) {
      let n = 0;
      for (const s of sessions) {
        if (s.userID !== userID) continue;
        s.dropConnection();
        n++;
      }
      return n;
    },
    adoptHttp: (socket, bytes) => http.adopt(socket, bytes),
    adoptTcp(socket, bytes) {
      if (tcp) tcp.adopt(socket, bytes);
      else socket.destroy();
    },
    counts,
    sessionsView,
    kick,
    metricsJson: () => metrics.registry.getMetricsAsJSON(),
    get closing() {
      return closing;
    },
    drain() {
      draining ??= (async () => {
        closing = true;
        ws.stopAccepting();
        tcp?.stopAccepting();
        // A client that went away now is not coming back here: release its parked session (its cursors are written).
        resume?.store.close();
        const targets = [...sessions];
        log.info({ connections: targets.length, drainMs: options.drainMs ?? OPTIONS.drainMs.default }, 'draining: closing connections over the drain window');
        drainer = new Drain(options.drainMs ?? OPTIONS.drainMs.default);
        await drainer.run(targets);
        await handle.close(DRAIN_CLOSE_WAIT_MS);
        log.info('drained');
      })();
      return draining;
    },
    async close(graceMs = 0) {
      closing = true;
      loginPace.close();
      // Sessions whose sockets close from now on are released upstream, not parked.
      resume?.store.close();
      await Promise.all([ws.close(graceMs), tcp?.close(graceMs)]);
      coalescer.close();
      await http.close();
      await relations.drain();
      unshare();
      await state.invalidations.close();
      await cursors.close();
      await localStore.close();
    },
  };
  return handle;
}

/** After the last drain close, how long the clients get to answer it before their sockets are dropped. */
export const DRAIN_CLOSE_WAIT_MS = 3_000;
