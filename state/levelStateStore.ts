/**
 * The state store on one LevelDB (classic-level) under a data directory: the embedded default,
 * one process at a time. A user's partition keeps the key layout of earlier releases
 * (`<userID>/<kind>/…`), so data written by them is read as it was.
 */
import { mkdirSync } from 'node:fs';
import { ClassicLevel } from 'classic-level';
import { StateStoreError, type StateBatchOptions, type StateOp, type StateScanOptions, type StateStore } from './stateStore';

const USER = 'u:';
/** Raw keys of non-user partitions start with NUL, which encodeURIComponent never leaves in a user key. */
const OTHER = '\u0000';
/** Expiry times of partitions with a time to live. */
const EXPIRY = '\u0001';
const END = '\uffff';

function rawPrefix(partition: string): string {
  return partition.startsWith(USER) ? `${encodeURIComponent(partition.slice(USER.length))}/` : `${OTHER}${encodeURIComponent(partition)}/`;
}

function expiryKey(partition: string): string {
  return `${EXPIRY}${encodeURIComponent(partition)}`;
}

type RawOp = { type: 'put'; key: string; value: unknown } | { type: 'del'; key: string };

/** One caller's batch waiting for its group's write. */
interface Member {
  readonly raw: RawOp[];
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

/** Most operations one group commit writes: a commit of many instances' cursors goes out in several writes, not one huge one. */
export const MAX_GROUP_OPS = 10_000;

/** `maxDelayMs` as this store honours it: long enough to ride along with a busy process's next write. */
const MAX_LINGER_MS = 50;

class LevelStateStore implements StateStore {
  /**
   * Expiry times of the partitions that have one, as on disk (or being written): one process
   * holds the database, so reads check this instead of reading the expiry key each time (user
   * data never has one).
   */
  private readonly expiries = new Map<string, number>();
  /**
   * Group commit: while one write is under way, the batches that come meanwhile wait and then
   * go to LevelDB as one write (each caller's ops stay atomic and in call order); a login burst
   * makes a few writes instead of one per batch. A batch that comes while none is under way is
   * written at once, unless its caller allowed a delay (`maxDelayMs`): it then waits for the
   * next batch that cannot, or for its delay to pass.
   */
  private writing?: Promise<void>;
  private waiting: Member[] = [];
  /** When the earliest waiting batch with a delay is due (Infinity: none waits, or one without a delay does). */
  private due = Infinity;
  private dueTimer?: NodeJS.Timeout;
  private dueTimerAt = 0;
  private closing = false;

  constructor(
    private readonly db: ClassicLevel<string, unknown>,
    readonly name: string,
  ) {}

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StateStoreError(this.name, err);
    }
  }

  /** Whether the partition outlived its time to live (it is then deleted on the way). */
  private async expired(partition: string): Promise<boolean> {
    const at = this.expiries.get(partition);
    if (at === undefined || at > Date.now()) return false;
    await this.dropPartition(partition);
    return true;
  }

  private async dropPartition(partition: string): Promise<void> {
    const prefix = rawPrefix(partition);
    await this.db.clear({ gte: prefix, lt: prefix + END });
    await this.db.del(expiryKey(partition));
    this.expiries.delete(partition);
  }

  get(partition: string, key: string): Promise<unknown> {
    return this.guard(async () => ((await this.expired(partition)) ? undefined : this.db.get(rawPrefix(partition) + key)));
  }

  getMany(partition: string, keys: readonly string[]): Promise<unknown[]> {
    return this.guard(async () => {
      if (keys.length === 0 || (await this.expired(partition))) return keys.map(() => undefined);
      const prefix = rawPrefix(partition);
      return this.db.getMany(keys.map((k) => prefix + k));
    });
  }

  scan(partition: string, prefix: string, options?: StateScanOptions): Promise<Array<[string, unknown]>> {
    // Every expiry is in memory: an expiring partition without one was never written (no read).
    if (options?.expiring && !this.expiries.has(partition)) return Promise.resolve([]);
    return this.guard(async () => {
      if (await this.expired(partition)) return [];
      const base = rawPrefix(partition);
      const start = base + prefix;
      // all(): one read of up to 1,000 entries (iterating with for-await reads the first one alone).
      const rows = await this.db.iterator({ gte: start, lt: start + END }).all();
      return rows.map(([k, v]): [string, unknown] => [k.slice(base.length), v]);
    });
  }

  batch(partition: string, ops: readonly StateOp[], options?: StateBatchOptions): Promise<void> {
    const prefix = rawPrefix(partition);
    const raw: RawOp[] = ops.map((op) => (op.type === 'put' ? { type: 'put', key: prefix + op.key, value: op.value } : { type: 'del', key: prefix + op.key }));
    if (options?.ttlMs !== undefined) {
      const expiresAt = Date.now() + options.ttlMs;
      raw.push({ type: 'put', key: expiryKey(partition), value: expiresAt });
      // Known before it is written: a scan meanwhile reads the disk instead of answering "empty".
      this.expiries.set(partition, expiresAt);
    }
    if (raw.length === 0) return Promise.resolve();
    const delay = Math.min(options?.maxDelayMs ?? 0, MAX_LINGER_MS);
    return this.guard(
      () =>
        new Promise<void>((resolve, reject) => {
          this.waiting.push({ raw, resolve, reject });
          this.due = Math.min(this.due, delay > 0 ? Date.now() + delay : 0);
          this.kick();
        }),
    );
  }

  /** Writes the waiting batches when none is being written and one is due; else waits for the earliest. */
  private kick(): void {
    if (this.writing || this.waiting.length === 0) return;
    const wait = this.closing ? 0 : this.due - Date.now();
    if (wait > 0) {
      if (this.dueTimer && this.dueTimerAt <= this.due) return;
      clearTimeout(this.dueTimer);
      this.dueTimerAt = this.due;
      this.dueTimer = setTimeout(() => {
        this.dueTimer = undefined;
        this.kick();
      }, wait);
      return;
    }
    clearTimeout(this.dueTimer);
    this.dueTimer = undefined;
    const group = this.takeGroup();
    this.writing = this.writeGroup(group).then(() => {
      this.writing = undefined;
      this.kick();
    });
  }

  /** The waiting batches up to MAX_GROUP_OPS operations (at least one batch); what is left is written right after. */
  private takeGroup(): Member[] {
    let ops = 0;
    let n = 0;
    while (n < this.waiting.length && (n === 0 || ops + this.waiting[n]!.raw.length <= MAX_GROUP_OPS)) ops += this.waiting[n++]!.raw.length;
    const group = n === this.waiting.length ? this.waiting : this.waiting.slice(0, n);
    this.waiting = n === this.waiting.length ? [] : this.waiting.slice(n);
    this.due = this.waiting.length > 0 ? 0 : Infinity;
    return group;
  }

  /** One write for the group; when it fails, each member's batch alone, so one bad batch fails only its caller. */
  private async writeGroup(group: Member[]): Promise<void> {
    try {
      await this.db.batch(group.length === 1 ? group[0]!.raw : group.flatMap((m) => m.raw));
      for (const m of group) m.resolve();
      return;
    } catch (err) {
      if (group.length === 1) {
        group[0]!.reject(err);
        return;
      }
    }
    for (const m of group) await this.db.batch(m.raw).then(m.resolve, m.reject);
  }

  /** Loads the expiry times and deletes every partition whose time to live has passed (run at open; reads also check). */
  async sweep(): Promise<number> {
    const now = Date.now();
    const gone: string[] = [];
    for await (const [k, at] of this.db.iterator({ gt: EXPIRY, lt: EXPIRY + END })) {
      if (typeof at !== 'number') continue;
      const partition = decodeURIComponent(k.slice(EXPIRY.length));
      this.expiries.set(partition, at);
      if (at <= now) gone.push(partition);
    }
    for (const p of gone) await this.dropPartition(p);
    return gone.length;
  }

  /** User partitions from `<userID>/…` keys, the others from `NUL<partition>/…` keys; expired ones left out. */
  partitions(): Promise<string[]> {
    return this.guard(async () => {
      const found = new Set<string>();
      let from = '';
      // Seek past each partition instead of reading all its keys: one step per partition.
      for (;;) {
        const [k] = await this.db.keys({ gt: from, limit: 1 }).all();
        if (k === undefined) break;
        if (k.startsWith(EXPIRY)) {
          from = EXPIRY + END;
          continue;
        }
        const other = k.startsWith(OTHER);
        const body = other ? k.slice(OTHER.length) : k;
        const cut = body.indexOf('/');
        if (cut < 0) {
          from = k;
          continue;
        }
        const encoded = body.slice(0, cut);
        found.add(other ? decodeURIComponent(encoded) : USER + decodeURIComponent(encoded));
        from = (other ? OTHER : '') + encoded + '/' + END;
      }
      const live: string[] = [];
      for (const p of found) if (!(await this.expired(p))) live.push(p);
      return live.sort();
    });
  }

  remainingTtlMs(partition: string): Promise<number | undefined> {
    return this.guard(async () => {
      const at = this.expiries.get(partition);
      return at === undefined ? undefined : Math.max(0, at - Date.now());
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    this.kick();
    while (this.writing) await this.writing;
    return this.db.close();
  }
}

/** Opens (creating if needed) the store under `dataDir`; one process may hold it at a time. */
export async function openLevelStateStore(dataDir: string): Promise<StateStore> {
  mkdirSync(dataDir, { recursive: true });
  const db = new ClassicLevel<string, unknown>(`${dataDir}/bridge-local.leveldb`, { valueEncoding: 'json' });
  try {
    await db.open();
  } catch (err) {
    const cause = (err as { cause?: { message?: string } }).cause?.message ?? (err as Error).message;
    throw new Error(`cannot open the local data store in ${dataDir} (${cause}); each bridge process needs its own --openIMDbDir`);
  }
  const store = new LevelStateStore(db, `leveldb:${dataDir}`);
  await store.sweep();
  return store;
}
