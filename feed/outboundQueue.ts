/**
 * The frames of one app instance not yet written to a socket, in order: what a slow socket has
 * not taken yet, what arrived while Login was being decided, and what arrived while the app was
 * away (the resume buffer). Bounded by count and by bytes; past a bound it reports overflow and
 * keeps nothing: an instance that cannot be given everything is given nothing from here (its
 * client logs in afresh and catch-up takes over).
 */
import type { FeedFrame } from './frame';

export interface QueueLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/** Fixed per-frame overhead (frame keys, names) added to the data's JSON length. */
const FRAME_OVERHEAD_BYTES = 96;

export class OutboundQueue {
  private readonly frames: FeedFrame[] = [];
  private readonly sizes: number[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly limits: QueueLimits) {}

  get size(): number {
    return this.frames.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /**
   * Appends a frame; false (and the queue emptied) once a bound would be passed. `bounded`
   * false: the frames of a login still being decided, which the login timeout bounds (a resume
   * buffer of a few events must not fail the login that fills it).
   */
  push(f: FeedFrame, bounded = true): boolean {
    const size = FRAME_OVERHEAD_BYTES + f.event.length + f.operationID.length + f.errMsg.length + jsonLength(f.data);
    if (bounded && (this.size + 1 > this.limits.maxEvents || this.bytes + size > this.limits.maxBytes)) {
      this.clear();
      return false;
    }
    this.frames.push(f);
    this.sizes.push(size);
    this.bytes += size;
    return true;
  }

  peek(): FeedFrame | undefined {
    return this.frames[this.head];
  }

  /** Removes the frame at the head (it was written, or is not to be written). */
  shift(): void {
    if (this.head >= this.frames.length) return;
    this.bytes -= this.sizes[this.head]!;
    this.head++;
    // Compacted in steps, so a long backlog costs no quadratic splicing.
    if (this.head === this.frames.length) this.clear();
    else if (this.head >= 1024 && this.head * 2 >= this.frames.length) {
      this.frames.splice(0, this.head);
      this.sizes.splice(0, this.head);
      this.head = 0;
    }
  }

  /** Hands over every frame in order and empties the queue. */
  takeAll(): FeedFrame[] {
    const out = this.frames.slice(this.head);
    this.clear();
    return out;
  }

  clear(): void {
    this.frames.length = 0;
    this.sizes.length = 0;
    this.head = 0;
    this.bytes = 0;
  }
}

function jsonLength(v: unknown): number {
  if (v === undefined || v === null) return 0;
  try {
    return JSON.stringify(v).length;
  } catch {
    return 0;
  }
}
