/**
 * Batches the writes a socket receives during one turn of the event loop into one syscall.
 *
 * Under relay load each delivered message is several frames, produced in different ticks
 * (measured: one `writev` per frame was the largest item of the bridge's profile). The first
 * write to a socket corks it; one `setImmediate` — after the current I/O phase — uncorks every
 * socket corked since. Nothing here changes what is written or its order.
 *
 * Holding costs a frame up to one loop phase (measured: +0.2 ms p50 on an idle bridge), so in
 * `auto` mode holds only under load: while the event loop is busy, and for the rest of a turn
 * that has already written to BURST_SOCKETS sockets (a group message fanned out to its members:
 * each gets three frames in that turn). A fan-out is shorter than the load window, so it is
 * recognised within the turn; a quiet message to one user still leaves at once.
 */
import type { Socket } from 'node:net';
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

export type CoalescingMode = 'on' | 'off' | 'auto';

/** `auto` holds writes while the loop was busier than this over the last window. */
export const BUSY_UTILIZATION = 0.75;
export const LOAD_WINDOW_MS = 100;
/** `auto` holds every write of a turn that has already written to this many sockets. */
export const BURST_SOCKETS = 16;

/** Whether the event loop is busy, from its utilization over the last window. */
export interface LoopLoad {
  readonly busy: boolean;
  stop(): void;
}

export function sampleLoopLoad(windowMs = LOAD_WINDOW_MS, threshold = BUSY_UTILIZATION): LoopLoad {
  let last: EventLoopUtilization = performance.eventLoopUtilization();
  const load = {
    busy: false,
    stop: () => clearInterval(timer),
  };
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    load.busy = performance.eventLoopUtilization(now, last).utilization > threshold;
    last = now;
  }, windowMs);
  timer.unref();
  return load;
}

export class WriteCoalescer {
  private corked = new Set<Socket>();
  /** endTurn() is due at the end of this loop turn. */
  private turnEnding = false;
  private readonly load?: LoopLoad;
  /** `auto`: the sockets written to at once during this turn. */
  private readonly touched = new Set<Socket>();

  /** `auto` samples the loop's load itself unless `load` is given. */
  constructor(
    readonly mode: CoalescingMode,
    load?: LoopLoad,
  ) {
    if (mode === 'auto') this.load = load ?? sampleLoopLoad();
  }

  /** Whether a write to `socket` now is held (`auto`: counts the socket for the rest of the turn). */
  private holds(socket: Socket): boolean {
    if (this.mode !== 'auto') return this.mode === 'on';
    if (this.load!.busy || this.touched.size >= BURST_SOCKETS) return true;
    this.touched.add(socket);
    this.endTurnSoon();
    return false;
  }

  private endTurnSoon(): void {
    if (this.turnEnding) return;
    this.turnEnding = true;
    setImmediate(() => {
      this.turnEnding = false;
      this.touched.clear();
      this.flush();
    });
  }

  /** Call before writing to `socket`; holds its writes until the end of this loop turn. */
  hold(socket: Socket | undefined): void {
    if (!socket || this.corked.has(socket) || socket.destroyed || !this.holds(socket)) return;
    socket.cork();
    this.corked.add(socket);
    this.endTurnSoon();
  }

  /** Writes out everything held now. */
  flush(): void {
    const sockets = this.corked; // a fresh set: sockets held while these are written out wait for the next turn
    this.corked = new Set();
    for (const s of sockets) s.uncork();
  }

  /** Stops sampling the loop's load. */
  close(): void {
    this.load?.stop();
  }
}

/** Writes every frame as it comes. */
export const WRITE_AT_ONCE = new WriteCoalescer('off');
