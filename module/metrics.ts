/**
 * Prometheus metrics of one bridge instance (a registry of its own, so several instances can
 * live in one process). Labels are bounded: methods and events come from our own tables,
 * refusal reasons from our own code; user IDs and tokens never appear.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionObserver } from './session';
import type { ContinuityObserver } from '../core_func/continuity/continuity';
import type { LoginPaceObserver } from './loginPace';

export interface MetricsSources {
  connections(): number;
  /** Most connections admitted: max_connections, or fewer where the open-file limit says so. */
  connectionCapacity(): number;
  sessionsByPlatform(): Map<number, number>;
  parked(): number;
  /** Whether the state store answers now (absent: always). */
  stateStoreUp?(): boolean;
  /** App instances whose delivery cursor advances are not written yet. */
  cursorsPending?(): number;
  /** Logins waiting for their turn (login pace). */
  loginsWaiting?(): number;
  /** The drain, once started: connections it began with and those it has closed. */
  drain?(): { total: number; closed: number } | undefined;
}

export class BridgeMetrics implements SessionObserver, ContinuityObserver, LoginPaceObserver {
  readonly registry = new Registry();
  private readonly requests = new Counter({ name: 'openim_bridge_requests_total', help: 'jssdk requests answered, by method and outcome', labelNames: ['method', 'outcome'], registers: [this.registry] });
  private readonly latency = new Histogram({
    name: 'openim_bridge_request_duration_seconds',
    help: 'Time from a request frame to its answer, by method',
    labelNames: ['method'],
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });
  private readonly events = new Counter({ name: 'openim_bridge_events_total', help: 'Events relayed to clients, by name', labelNames: ['event'], registers: [this.registry] });
  private readonly logins = new Counter({ name: 'openim_bridge_logins_total', help: 'Upstream logins, by outcome and platform', labelNames: ['outcome', 'platform'], registers: [this.registry] });
  private readonly resumes = new Counter({ name: 'openim_bridge_resume_total', help: 'Session resume outcomes: hit, miss, overflow, expired', labelNames: ['outcome'], registers: [this.registry] });
  private readonly syncHoldCuts = new Counter({ name: 'openim_bridge_sync_hold_cut_total', help: 'Sync holds cut short by sync_hold_max_events or sync_hold_max_ms (OnSyncServerFinish sent before the login\'s relation catch-up), by reason', labelNames: ['reason'], registers: [this.registry] });
  private readonly reconnects = new Counter({ name: 'openim_bridge_upstream_reconnects_total', help: 'Upstream (re)connection attempts of logged-in sessions', registers: [this.registry] });
  private readonly refused = new Counter({ name: 'openim_bridge_refused_upgrades_total', help: 'Connections refused, by reason: before the upgrade, or in-band at their Login (rate, token)', labelNames: ['reason'], registers: [this.registry] });
  private readonly catchUpMessages = new Counter({ name: 'openim_bridge_catchup_messages_total', help: 'Messages sent by catch-ups (pulled from OpenIM for app instances that were away)', registers: [this.registry] });
  private readonly catchUpConversations = new Counter({ name: 'openim_bridge_catchup_conversations_total', help: 'Conversations with a gap a catch-up pulled', registers: [this.registry] });
  private readonly catchUpTruncated = new Counter({ name: 'openim_bridge_catchup_truncated_total', help: 'Conversations whose gap was larger than catchup_max_messages (only the newest were sent)', registers: [this.registry] });
  private readonly catchUps = new Counter({ name: 'openim_bridge_catchups_total', help: 'Catch-ups run, by outcome (ok, failed: a pull failed and the next break retries)', labelNames: ['outcome'], registers: [this.registry] });
  private readonly catchUpDuration = new Histogram({ name: 'openim_bridge_catchup_duration_seconds', help: 'Time one catch-up took (pulls, pacing included)', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60], registers: [this.registry] });
  private readonly cursorErrors = new Counter({ name: 'openim_bridge_cursor_store_errors_total', help: 'Delivery cursor writes that failed (retried with the next commit)', registers: [this.registry] });
  private readonly cursorCommits = new Counter({ name: 'openim_bridge_cursor_commits_total', help: 'App instances whose delivery cursors a group commit wrote', registers: [this.registry] });
  private readonly protocolErrors = new Counter({ name: 'openim_bridge_protocol_errors_total', help: 'Frames the gate could not read', registers: [this.registry] });
  private readonly stateStoreFailures = new Counter({
    name: 'openim_bridge_state_store_failures_total',
    help: 'State store operations that failed (answered as failed), by operation; publish: a cache invalidation not sent',
    labelNames: ['operation'],
    registers: [this.registry],
  });

  private readonly loginsPaced = new Counter({ name: 'openim_bridge_logins_paced_total', help: 'Logins that waited for their turn (logins_per_second), by outcome: waited, refused (the turn was past the login timeout; answered with errCode 10002)', labelNames: ['outcome'], registers: [this.registry] });
  private readonly loginsStarted = new Counter({ name: 'openim_bridge_login_starts_total', help: 'Upstream logins started (after their turn under logins_per_second)', registers: [this.registry] });
  private readonly loginWait = new Histogram({ name: 'openim_bridge_login_wait_seconds', help: 'Time a login waited for its turn (logins_per_second)', buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30], registers: [this.registry] });
  private readonly uncaught = new Counter({ name: 'openim_bridge_uncaught_exceptions_total', help: 'Uncaught exceptions (each one drains the instance and exits non-zero)', registers: [this.registry] });
  private readonly unhandled = new Counter({ name: 'openim_bridge_unhandled_rejections_total', help: 'Promise rejections nobody handled (e.g. fire-and-forget calls inside the client SDK); logged, the process goes on', registers: [this.registry] });
  private readonly kicks = new Counter({ name: 'openim_bridge_admin_kicks_total', help: 'Sessions kicked through the admin API', registers: [this.registry] });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'openim_bridge_' });
    new Gauge({ name: 'openim_bridge_connections', help: 'Client connections open', registers: [this.registry], collect() { this.set(sources.connections()); } });
    new Gauge({ name: 'openim_bridge_connection_capacity', help: 'Most client connections this instance admits (max_connections, or fewer if the open-file limit allows fewer)', registers: [this.registry], collect() { this.set(sources.connectionCapacity()); } });
    new Gauge({ name: 'openim_bridge_cursors_pending', help: 'App instances with delivery cursor advances not yet written to the state store', registers: [this.registry], collect() { this.set(sources.cursorsPending?.() ?? 0); } });
    new Gauge({ name: 'openim_bridge_parked_sessions', help: 'Sessions waiting for their client to come back', registers: [this.registry], collect() { this.set(sources.parked()); } });
    new Gauge({ name: 'openim_bridge_logins_waiting', help: 'Logins waiting for their turn under logins_per_second', registers: [this.registry], collect() { this.set(sources.loginsWaiting?.() ?? 0); } });
    new Gauge({ name: 'openim_bridge_draining', help: '1 while the instance drains (SIGTERM or /admin/drain): not ready, refusing connections, closing its sessions over drain_ms', registers: [this.registry], collect() { this.set(sources.drain?.() ? 1 : 0); } });
    new Gauge({
      name: 'openim_bridge_drain_connections',
      help: 'Connections of a drain: total it started with, closed so far (state label)',
      labelNames: ['state'],
      registers: [this.registry],
      collect() {
        const d = sources.drain?.();
        this.set({ state: 'total' }, d?.total ?? 0);
        this.set({ state: 'closed' }, d?.closed ?? 0);
      },
    });
    new Gauge({ name: 'openim_bridge_state_store_up', help: 'Whether the state store answers (1) or not (0)', registers: [this.registry], collect() { this.set(sources.stateStoreUp?.() === false ? 0 : 1); } });
    new Gauge({
      name: 'openim_bridge_sessions',
      help: 'Logged-in sessions (parked ones included), by platform',
      labelNames: ['platform'],
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [platform, n] of sources.sessionsByPlatform()) this.set({ platform: String(platform) }, n);
      },
    });
  }

  request(method: string, outcome: 'ok' | 'error', _errCode: number, seconds: number): void {
    this.requests.inc({ method, outcome });
    this.latency.observe({ method }, seconds);
  }

  event(event: string): void {
    this.events.inc({ event });
    if (event === 'OnConnecting') this.reconnects.inc();
  }

  login(outcome: 'ok' | 'error', platformID: number): void {
    this.logins.inc({ outcome, platform: String(platformID) });
  }

  syncHoldCut(reason: 'events' | 'time'): void {
    this.syncHoldCuts.inc({ reason });
  }

  resume(outcome: 'hit' | 'miss' | 'overflow' | 'expired'): void {
    this.resumes.inc({ outcome });
  }

  catchUp(o: { messages: number; conversations: number; truncated: number; seconds: number; failed: boolean }): void {
    this.catchUpMessages.inc(o.messages);
    this.catchUpConversations.inc(o.conversations);
    this.catchUpTruncated.inc(o.truncated);
    this.catchUps.inc({ outcome: o.failed ? 'failed' : 'ok' });
    this.catchUpDuration.observe(o.seconds);
  }

  cursorStoreError(): void {
    this.cursorErrors.inc();
  }

  cursorCommit(instances: number): void {
    this.cursorCommits.inc(instances);
  }

  refusedUpgrade(reason: string): void {
    this.refused.inc({ reason });
  }

  stateStoreFailure(operation: 'get' | 'getMany' | 'scan' | 'batch' | 'publish'): void {
    this.stateStoreFailures.inc({ operation });
  }

  loginPaced(outcome: 'waited' | 'refused', waitedMs: number): void {
    this.loginsPaced.inc({ outcome });
    if (outcome === 'waited') this.loginWait.observe(waitedMs / 1000);
  }

  loginStarted(): void {
    this.loginsStarted.inc();
  }

  uncaughtException(): void {
    this.uncaught.inc();
  }

  unhandledRejection(): void {
    this.unhandled.inc();
  }

  kicked(sessions: number): void {
    this.kicks.inc(sessions);
  }

  protocolError(): void {
    this.protocolErrors.inc();
  }
}
