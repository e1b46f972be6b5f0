/**
 * The process-wide bound on catch-up work: at most `pullsPerSecond` catch-up pulls start per
 * second, across every session, so a mass reconnect after a restart queues its catch-ups
 * instead of starving live traffic. A token bucket with a one-second burst.
 */
export class CatchUpPace {
  private tokens: number;
  private last = Date.now();
  private readonly waiting: Array<() => void> = [];
  private timer?: NodeJS.Timeout;

  constructor(private readonly pullsPerSecond: number) {
    this.tokens = pullsPerSecond;
  }

  /** Pulls waiting for their turn. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves when one more pull may start. */
  take(): Promise<void> {
    this.refill();
    if (this.waiting.length === 0 && this.tokens >= 1) {
      this.tokens -= 1;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.wake();
    });
  }

  private refill(): void {
    const now = Date.now();
    this.tokens = Math.min(this.pullsPerSecond, this.tokens + ((now - this.last) / 1000) * this.pullsPerSecond);
    this.last = now;
  }

  private wake(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.refill();
      while (this.waiting.length > 0 && this.tokens >= 1) {
        this.tokens -= 1;
        this.waiting.shift()!();
      }
      if (this.waiting.length > 0) this.wake();
    }, Math.max(1, Math.ceil(1000 / this.pullsPerSecond)));
    this.timer.unref();
  }
}
