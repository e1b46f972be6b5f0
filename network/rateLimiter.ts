/**
 * New-connection rate per key (a client IP): a token bucket per key, the buckets themselves
 * held in a bounded LRU so a flood of distinct addresses cannot grow memory without bound.
 */
import { LRUCache } from 'lru-cache';

/** Buckets remembered at most; the least recently seen addresses are forgotten first. */
export const MAX_TRACKED_KEYS = 100_000;

interface Bucket {
  tokens: number;
  at: number;
}

export class RateLimiter {
  private readonly buckets = new LRUCache<string, Bucket>({ max: MAX_TRACKED_KEYS });

  /** `perSecond` tokens refill every second, up to `burst`. */
  constructor(
    private readonly perSecond: number,
    private readonly burst: number = perSecond,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `key`; false when none is left. */
  take(key: string): boolean {
    const t = this.now();
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: t };
    b.tokens = Math.min(this.burst, b.tokens + ((t - b.at) / 1000) * this.perSecond);
    b.at = t;
    const ok = b.tokens >= 1;
    if (ok) b.tokens -= 1;
    this.buckets.set(key, b);
    return ok;
  }
}
