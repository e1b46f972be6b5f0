/**
 * The process-wide bound on upstream logins: each one opens a gateway connection and makes
 * about ten OpenIM REST calls, so the clients of a drained or crashed instance, arriving
 * together, must not all hit OpenIM in the same second. Logins start one after another at
 * least 1000 / loginsPerSecond ms apart (measured from the previous start, not a schedule: a
 * late timer never lets two start closer), so no window of one second sees more than
 * loginsPerSecond starts. A login whose turn is further away than it may wait is refused at
 * once, never left hanging.
 */
import { BridgeError, ErrorCode } from '../common/errors';

export interface LoginPaceObserver {
  /** A login had to wait for its turn (`waitedMs`), or was refused because its turn was too far. */
  loginPaced?(outcome: 'waited' | 'refused', waitedMs: number): void;
  /** A login started (its turn came); `at` is the Date.now() the spacing is measured from. */
  loginStarted?(at: number): void;
}

export class LoginPace {
  private readonly intervalMs: number;
  private lastStart = -Infinity;
  private readonly queue: Array<{ start: () => void; refuse: (err: Error) => void; queuedAt: number }> = [];
  private timer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    loginsPerSecond: number,
    private readonly observer: LoginPaceObserver = {},
  ) {
    this.intervalMs = loginsPerSecond > 0 ? 1000 / loginsPerSecond : 0;
  }

  /** Logins waiting for their turn now. */
  get waiting(): number {
    return this.queue.length;
  }

  /**
   * Resolves with the time waited when this login may start; rejects at once (errCode 10002)
   * when its turn would come later than `maxWaitMs` from now.
   */
  turn(maxWaitMs: number): Promise<number> {
    if (this.closed) return Promise.reject(new BridgeError(ErrorCode.Network, 'the bridge is shutting down; log in again (another instance takes over)'));
    const now = Date.now();
    if (this.intervalMs === 0) return Promise.resolve(this.started(now, now));
    if (this.queue.length === 0 && now >= this.lastStart + this.intervalMs) return Promise.resolve(this.started(now, now));
    const expectedWait = Math.max(0, this.lastStart + this.intervalMs - now) + this.queue.length * this.intervalMs;
    if (expectedWait > maxWaitMs) {
      this.observer.loginPaced?.('refused', 0);
      const perSecond = Math.round(1000 / this.intervalMs);
      return Promise.reject(new BridgeError(ErrorCode.Network, `too many logins at once: they start at ${perSecond} per second here and this one would wait ${Math.ceil(expectedWait)} ms, longer than a login may wait for its turn (half the login timeout); try again`));
    }
    return new Promise((resolve, reject) => {
      this.queue.push({ start: () => resolve(Date.now() - now), refuse: reject, queuedAt: now });
      this.schedule();
    });
  }

  private started(at: number, queuedAt: number): number {
    this.lastStart = at;
    this.observer.loginStarted?.(at);
    if (at > queuedAt) this.observer.loginPaced?.('waited', at - queuedAt);
    return at - queuedAt;
  }

  private schedule(): void {
    if (this.timer || this.queue.length === 0) return;
    const due = this.lastStart + this.intervalMs - Date.now();
    this.timer = setTimeout(() => this.pump(), Math.max(0, Math.ceil(due)));
  }

  private pump(): void {
    this.timer = undefined;
    const now = Date.now();
    // A timer may fire a millisecond early: the spacing is checked against the clock, not trusted.
    if (this.queue.length > 0 && now >= this.lastStart + this.intervalMs) {
      const next = this.queue.shift()!;
      this.started(now, next.queuedAt);
      next.start();
    }
    this.schedule();
  }

  /** Shutdown: logins still waiting are refused (answered, not left hanging), later ones too. */
  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.closed = true;
    for (const next of this.queue.splice(0)) next.refuse(new BridgeError(ErrorCode.Network, 'the bridge is shutting down; log in again (another instance takes over)'));
  }
}
