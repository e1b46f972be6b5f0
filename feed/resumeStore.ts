/**
 * Sessions whose client went away without Logout, kept for a grace period so that the
 * jssdk's reconnect (every 5 s, 10 times) finds them: bounded by count, expired by time.
 * Whatever leaves the store other than by being resumed is released upstream.
 */
import { LRUCache } from 'lru-cache';

export interface Parkable {
  readonly userID: string;
  readonly platformID: number;
  readonly token: string;
  /** Called when the session leaves the store without being resumed (expired, evicted, dropped). */
  releaseParked(reason: 'expired' | 'evicted' | 'dropped'): void;
}

export interface ResumeLimits {
  readonly graceMs: number;
  readonly maxSessions: number;
}

export class ResumeStore<S extends Parkable> {
  private readonly cache: LRUCache<string, S>;
  private dropping = new Set<S>();
  private closed = false;

  constructor(limits: ResumeLimits) {
    this.cache = new LRUCache<string, S>({
      max: limits.maxSessions,
      ttl: limits.graceMs,
      ttlAutopurge: true,
      dispose: (session, _key, reason) => {
        if (reason === 'expire') session.releaseParked('expired');
        else if (reason === 'evict') session.releaseParked('evicted');
        else if (reason === 'delete' && this.dropping.has(session)) session.releaseParked('dropped');
        else if (reason === 'set') session.releaseParked('evicted'); // replaced by a newer parked session of the same key
      },
    });
  }

  private static key(userID: string, platformID: number): string {
    return `${platformID}:${userID}`;
  }

  get size(): number {
    return this.cache.size;
  }

  /** False once closed: a session that loses its socket then is released, not parked. */
  get accepting(): boolean {
    return !this.closed;
  }

  park(session: S): void {
    this.cache.set(ResumeStore.key(session.userID, session.platformID), session);
  }

  /** Takes the parked session of this user and platform if it was logged in with the same token. */
  take(userID: string, platformID: number, token: string): S | undefined {
    const key = ResumeStore.key(userID, platformID);
    const s = this.cache.get(key);
    if (!s || s.token !== token) return undefined;
    this.cache.delete(key);
    return s;
  }

  /** Removes a parked session and releases it (overflow, replacement by a fresh login). */
  drop(session: S): void {
    const key = ResumeStore.key(session.userID, session.platformID);
    if (this.cache.peek(key) !== session) return;
    this.dropping.add(session);
    try {
      this.cache.delete(key);
    } finally {
      this.dropping.delete(session);
    }
  }

  /** Every parked session, for accounting (memory held by their buffers). */
  parked(): IterableIterator<S> {
    return this.cache.values();
  }

  /** Releases every parked session and parks no more (shutdown: the sessions closing now must not wait for a client). */
  close(): void {
    this.closed = true;
    for (const s of [...this.cache.values()]) this.drop(s);
  }
}
