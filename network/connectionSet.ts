/**
 * A transport's open connections, with a signal for the moment the last one is gone: a
 * shutdown waits on it (up to its grace) instead of looking every few milliseconds.
 */
export class ConnectionSet<T> extends Set<T> {
  private waiters: Array<() => void> = [];

  override delete(value: T): boolean {
    const removed = super.delete(value);
    if (removed && this.size === 0) for (const wake of this.waiters.splice(0)) wake();
    return removed;
  }

  /** Resolves when the set is empty, or after `graceMs`, whichever comes first. */
  emptied(graceMs: number): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, graceMs);
      timer.unref();
      const waiters = this.waiters;
      function done(): void {
        clearTimeout(timer);
        const at = waiters.indexOf(done);
        if (at >= 0) waiters.splice(at, 1);
        resolve();
      }
      waiters.push(done);
    });
  }
}
