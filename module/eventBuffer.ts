/**
 * Events held for a session whose client is away, in arrival order, bounded by count and
 * by bytes. When a bound would be passed the buffer reports overflow instead of dropping
 * anything silently: a session that cannot be replayed whole is not replayed at all.
 */
export interface BufferedEvent {
  readonly event: string;
  readonly data: unknown;
  readonly operationID: string;
  readonly errCode: number;
  readonly errMsg: string;
  /** The chat seqs this event gives the app (core_func/continuity): the cursor moves when it is written. */
  readonly seqs?: ReadonlyArray<readonly [string, number]>;
}

export interface EventBufferLimits {
  readonly maxEvents: number;
  readonly maxBytes: number;
}

/** Fixed per-event overhead (frame keys, names) added to the data's JSON length. */
const FRAME_OVERHEAD_BYTES = 96;

export class EventBuffer {
  private readonly events: BufferedEvent[] = [];
  private bytes = 0;
  private overflowed = false;

  constructor(private readonly limits: EventBufferLimits) {}

  get size(): number {
    return this.events.length;
  }

  get byteSize(): number {
    return this.bytes;
  }

  get hasOverflowed(): boolean {
    return this.overflowed;
  }

  /** Returns false (and keeps nothing more) once a bound is passed. */
  push(e: BufferedEvent): boolean {
    if (this.overflowed) return false;
    const size = FRAME_OVERHEAD_BYTES + e.event.length + e.operationID.length + e.errMsg.length + jsonLength(e.data);
    if (this.events.length + 1 > this.limits.maxEvents || this.bytes + size > this.limits.maxBytes) {
      this.overflowed = true;
      this.events.length = 0;
      this.bytes = 0;
      return false;
    }
    this.events.push(e);
    this.bytes += size;
    return true;
  }

  /** Hands over every event in order and empties the buffer. */
  drain(): BufferedEvent[] {
    const out = this.events.splice(0);
    this.bytes = 0;
    return out;
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
