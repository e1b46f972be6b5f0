/**
 * Prometheus metrics of one bridge instance (a registry of its own, so several instances can
 * live in one process). Labels are bounded: methods and events come from our own tables,
 * refusal reasons from our own code; user IDs and tokens never appear.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SessionObserver } from './session';

export interface MetricsSources {
  connections(): number;
  /** Most connections admitted: max_connections, or fewer where the open-file limit says so. */
  connectionCapacity(): number;
  sessionsByPlatform(): Map<number, number>;
  parked(): number;
  /** Whether the state store answers now (absent: always). */
  stateStoreUp?(): boolean;
}

export class BridgeMetrics implements SessionObserver {
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
  private readonly reconnects = new Counter({ name: 'openim_bridge_upstream_reconnects_total', help: 'Upstream (re)connection attempts of logged-in sessions', registers: [this.registry] });
  private readonly refused = new Counter({ name: 'openim_bridge_refused_upgrades_total', help: 'Connections refused before the upgrade, by reason', labelNames: ['reason'], registers: [this.registry] });
  private readonly protocolErrors = new Counter({ name: 'openim_bridge_protocol_errors_total', help: 'Frames the gate could not read', registers: [this.registry] });
  private readonly stateStoreFailures = new Counter({
    name: 'openim_bridge_state_store_failures_total',
    help: 'State store operations that failed (answered as failed), by operation; publish: a cache invalidation not sent',
    labelNames: ['operation'],
    registers: [this.registry],
  });

  constructor(sources: MetricsSources) {
    collectDefaultMetrics({ register: this.registry, prefix: 'openim_bridge_' });
    new Gauge({ name: 'openim_bridge_connections', help: 'Client connections open', registers: [this.registry], collect() { this.set(sources.connections()); } });
    new Gauge({ name: 'openim_bridge_connection_capacity', help: 'Most client connections this instance admits (max_connections, or fewer if the open-file limit allows fewer)', registers: [this.registry], collect() { this.set(sources.connectionCapacity()); } });
    new Gauge({ name: 'openim_bridge_parked_sessions', help: 'Sessions waiting for their client to come back', registers: [this.registry], collect() { this.set(sources.parked()); } });
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

  resume(outcome: 'hit' | 'miss' | 'overflow' | 'expired'): void {
    this.resumes.inc({ outcome });
  }

  refusedUpgrade(reason: string): void {
    this.refused.inc({ reason });
  }

  stateStoreFailure(operation: 'get' | 'getMany' | 'scan' | 'batch' | 'publish'): void {
    this.stateStoreFailures.inc({ operation });
  }

  protocolError(): void {
    this.protocolErrors.inc();
  }
}
