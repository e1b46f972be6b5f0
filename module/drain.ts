/**
 * Closing an instance's connections over a window instead of all at once: the jssdk retries at
 * a fixed 5 s with no jitter, so sockets closed together come back together. Spreading the
 * closes evenly over `windowMs` spreads the reconnects (and their upstream logins) on the
 * instances that take them over.
 */

export interface Drainable {
  /** Asks the client to go (1001); the transport reports the close when it is done. */
  closeForDrain(): void;
}

export interface DrainProgress {
  /** Connections the drain started with. */
  readonly total: number;
  /** Connections it has asked to close so far. */
  readonly closed: number;
}

export class Drain {
  private closed = 0;
  private total = 0;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly windowMs: number,
    private readonly onClosed: () => void = () => undefined,
  ) {}

  get progress(): DrainProgress {
    return { total: this.total, closed: this.closed };
  }

  /** Asks each target to close, the i-th of n at i * windowMs / n; resolves after the last one. */
  run(targets: readonly Drainable[]): Promise<void> {
    this.total = targets.length;
    const step = targets.length > 0 ? this.windowMs / targets.length : 0;
    const started = Date.now();
    return new Promise((resolve) => {
      const next = () => {
        this.timer = undefined;
        while (this.closed < targets.length && Date.now() - started >= this.closed * step) {
          targets[this.closed]!.closeForDrain();
          this.closed++;
          this.onClosed();
        }
        if (this.closed >= targets.length) return resolve();
        this.timer = setTimeout(next, Math.max(0, Math.ceil(started + this.closed * step - Date.now())));
      };
      next();
    });
  }
}
