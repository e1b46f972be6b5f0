/**
 * Batches the writes a socket receives during one turn of the event loop into one syscall.
 *
 * Under relay load each delivered message is several frames, produced in different ticks
 * (measured: one `writev` per frame was the largest item of the bridge's profile). The first
 * write to a socket corks it; one `setImmediate` — after the current I/O phase — uncorks every
 * socket corked since, so a request answered in the poll phase still leaves in the same loop
 * turn. Nothing here changes what is written or its order.
 */
import type { Socket } from 'node:net';

export class WriteCoalescer {
  private corked = new Set<Socket>();
  private scheduled = false;

  constructor(readonly enabled: boolean) {}

  /** Call before writing to `socket`; holds its writes until the end of this loop turn. */
  hold(socket: Socket | undefined): void {
    if (!this.enabled || !socket || this.corked.has(socket) || socket.destroyed) return;
    socket.cork();
    this.corked.add(socket);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes out everything held now. */
  flush(): void {
    this.scheduled = false;
    const sockets = this.corked; // a fresh set: sockets held while these are written out wait for the next turn
    this.corked = new Set();
    for (const s of sockets) s.uncork();
  }
}

/** Writes every frame as it comes (coalescing off). */
export const WRITE_AT_ONCE = new WriteCoalescer(false);
