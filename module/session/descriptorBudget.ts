/**
 * Refuses new connections before the process runs out of file descriptors. Past the limit
 * the kernel fails the accept (EMFILE) and the client sees a reset it cannot tell from a
 * network fault; an HTTP 503 says "full, try elsewhere" and is counted.
 *
 * A logged-in connection holds two descriptors (the client's socket and its upstream
 * socket), a parked session one (its upstream socket).
 */

/** Descriptors kept for everything else: listeners, the API keep-alive pool (256), LevelDB, logs, stdio. */
export const DESCRIPTOR_RESERVE = 1024;

export const OUT_OF_DESCRIPTORS = 'out of file descriptors';

export interface DescriptorUse {
  connections(): number;
  parked(): number;
}

export class DescriptorBudget {
  constructor(
    /** The process's open-file limit; undefined: no check. */
    readonly limit: number | undefined,
    private readonly use: DescriptorUse,
  ) {}

  /** Most connections the limit allows with nothing parked. */
  get maxConnections(): number | undefined {
    return this.limit === undefined ? undefined : Math.max(0, Math.floor((this.limit - DESCRIPTOR_RESERVE) / 2));
  }

  /** The reason to refuse one more connection, or undefined when it fits. */
  refusal(): string | undefined {
    if (this.limit === undefined) return undefined;
    const inUse = 2 * this.use.connections() + this.use.parked() + DESCRIPTOR_RESERVE;
    return inUse + 2 > this.limit ? OUT_OF_DESCRIPTORS : undefined;
  }
}
