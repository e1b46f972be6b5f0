/**
 * Where app instances' delivery cursors are kept: one state-store partition per instance
 * (`cur:<appInstanceKey>`), forgotten `maxAgeMs` after its last write, written in group
 * commits (at most every `flushMs`, and on close) — never a write per event. A failed write
 * is reported, logged by the caller, and retried with the next commit.
 */
import { keyParts, stateKey, type StateOp, type StateStore } from '../../state/stateStore';
import { appInstanceKey, type AppInstance } from './appInstance';

export interface CursorStoreOptions {
  /** Longest a cursor advance waits before it is written. */
  readonly flushMs: number;
  /** An instance whose cursors were not written for this long is forgotten. */
  readonly maxAgeMs: number;
  /** A commit of one instance's cursors failed (`userID`: whose; retried with the next commit). */
  readonly onError?: (err: unknown, userID: string) => void;
  readonly onCommit?: (partitions: number) => void;
}

/** What the bridge knows of an instance: what it was given, and the server's seqs when it was first seen. */
export interface StoredCursors {
  readonly given: Map<string, number>;
  /** Max seqs at the instance's first login: the app read those from its lists, not as new messages. */
  readonly base: Map<string, number>;
}

const GIVEN = 's';
const BASE = 'b';
const SEEN = 'seen';
/** Written with the baseline: an instance is known only once its first login's sync was recorded. */
const KNOWN = 'known';

/**
 * One instance's unwritten values: delivery cursors by conversation (their state-store keys are
 * built when written, once per commit, not per advance) and the other keys as they are stored.
 */
interface Pending {
  readonly given: Map<string, number>;
  readonly keys: Map<string, number>;
}

const newPending = (): Pending => ({ given: new Map(), keys: new Map() });

/** What `advancer` returns: moves one conversation's cursor of its instance. */
export type InstanceAdvance = (conversationID: string, seq: number) => void;

const PARTITION_PREFIX = 'cur:';

function cursorPartition(instance: AppInstance): string {
  return PARTITION_PREFIX + appInstanceKey(instance);
}

/** The userID of a cursor partition (for logs). */
function ownerOf(partition: string): string {
  return partition.slice(PARTITION_PREFIX.length).split('\u0000')[0] ?? '';
}

export class CursorStore {
  private dirty = new Map<string, Pending>();
  private readonly inFlight = new Set<Map<string, Pending>>();
  private timer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private closed = false;

  constructor(
    private readonly state: StateStore,
    private readonly options: CursorStoreOptions,
  ) {}

  /** App instances with cursor advances not yet written (a SIGKILL now would lose them: re-sent later). */
  get pending(): number {
    let n = this.dirty.size;
    for (const b of this.inFlight) n += b.size;
    return n;
  }

  /** The instance's cursors, or undefined for an instance never seen (or forgotten). */
  async load(instance: AppInstance): Promise<StoredCursors | undefined> {
    const partition = cursorPartition(instance);
    const rows = await this.state.scan(partition, '', { expiring: true });
    const pending = [this.dirty.get(partition), ...[...this.inFlight].map((m) => m.get(partition))].filter((p): p is Pending => p !== undefined);
    if (!rows.some(([k]) => k === KNOWN) && !pending.some((p) => p.keys.has(KNOWN))) return undefined;
    const out: StoredCursors = { given: new Map(), base: new Map() };
    const put = (key: string, value: unknown) => {
      const [kind, conversationID] = keyParts(key);
      const target = kind === GIVEN ? out.given : kind === BASE ? out.base : undefined;
      if (!target || conversationID === undefined || typeof value !== 'number') return;
      target.set(conversationID, Math.max(value, target.get(conversationID) ?? 0));
    };
    for (const [k, v] of rows) put(k, v);
    for (const p of pending) {
      for (const [k, v] of p.keys) put(k, v);
      for (const [conversationID, seq] of p.given) out.given.set(conversationID, Math.max(seq, out.given.get(conversationID) ?? 0));
    }
    return out;
  }

  advance(instance: AppInstance, conversationID: string, seq: number): void {
    this.advanceIn(cursorPartition(instance), conversationID, seq);
  }

  /** `advance` for one instance, its partition name built once (a session's cursor calls it per message). */
  advancer(instance: AppInstance): InstanceAdvance {
    const partition = cursorPartition(instance);
    return (conversationID, seq) => this.advanceIn(partition, conversationID, seq);
  }

  private advanceIn(partition: string, conversationID: string, seq: number): void {
    if (this.closed) return;
    const given = this.pendingOf(partition).given;
    given.set(conversationID, Math.max(seq, given.get(conversationID) ?? 0));
    this.schedule();
  }

  private pendingOf(partition: string): Pending {
    let p = this.dirty.get(partition);
    if (!p) this.dirty.set(partition, (p = newPending()));
    return p;
  }

  /** The server's max seqs when the instance was first seen. */
  baseline(instance: AppInstance, maxSeqs: ReadonlyMap<string, number>): void {
    const partition = cursorPartition(instance);
    for (const [conversationID, seq] of maxSeqs) this.note(partition, stateKey(BASE, conversationID), seq);
    this.note(partition, KNOWN, 1);
    this.touch(instance);
  }

  /**
   * `baseline`, written now and awaited: the instance is known to the state store before its
   * Login is answered, so a process killed right after still catches it up. Rejects when the
   * store cannot take it (the caller then leaves the baseline to the next commit).
   */
  async enrol(instance: AppInstance, maxSeqs: ReadonlyMap<string, number>): Promise<void> {
    if (this.closed) return;
    const ops: StateOp[] = [...maxSeqs].map(([conversationID, seq]) => ({ type: 'put', key: stateKey(BASE, conversationID), value: seq }));
    ops.push({ type: 'put', key: KNOWN, value: 1 }, { type: 'put', key: SEEN, value: Date.now() });
    await this.state.batch(cursorPartition(instance), ops, { ttlMs: this.options.maxAgeMs });
  }

  /** The instance logged in: it is known from now on, and its age counts from now. */
  touch(instance: AppInstance): void {
    this.note(cursorPartition(instance), SEEN, Date.now());
  }

  private note(partition: string, key: string, value: number): void {
    if (this.closed) return;
    const keys = this.pendingOf(partition).keys;
    keys.set(key, key === SEEN ? value : Math.max(value, keys.get(key) ?? 0));
    this.schedule();
  }

  private schedule(): void {
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, this.options.flushMs);
    this.timer.unref();
  }

  /** Writes every pending advance now (one atomic batch per instance). */
  async flush(): Promise<void> {
    await this.flushing;
    if (this.dirty.size === 0) return;
    const batch = this.dirty;
    this.dirty = new Map();
    this.inFlight.add(batch);
    this.flushing = this.write(batch).finally(() => {
      this.inFlight.delete(batch);
      this.flushing = undefined;
    });
    await this.flushing;
  }

  private async write(batch: Map<string, Pending>): Promise<void> {
    let ok = 0;
    await Promise.all(
      [...batch].map(async ([partition, entries]) => {
        const ops: StateOp[] = [...entries.keys].map(([key, value]) => ({ type: 'put', key, value }));
        for (const [conversationID, seq] of entries.given) ops.push({ type: 'put', key: stateKey(GIVEN, conversationID), value: seq });
        try {
          await this.state.batch(partition, ops, { ttlMs: this.options.maxAgeMs });
          ok++;
        } catch (err) {
          this.options.onError?.(err, ownerOf(partition));
          this.requeue(partition, entries);
        }
      }),
    );
    if (ok) this.options.onCommit?.(ok);
  }

  private requeue(partition: string, entries: Pending): void {
    if (this.closed) return;
    for (const [k, v] of entries.keys) this.note(partition, k, v);
    for (const [conversationID, seq] of entries.given) this.advanceIn(partition, conversationID, seq);
  }

  /** Writes what is pending, then takes no more. */
  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    this.closed = true;
  }
}
