/**
 * What one app instance has been told of its relations (friends, blacklist, applications,
 * joined groups), kept while its session lives and saved in the instance's snapshot. At a
 * login that could not be resumed it reads the server's state and, for an instance it knows,
 * sends what changed while the app was away as the events the OpenIM SDK core's login sync
 * fired; an event whose change the app already has is not sent again.
 *
 * Friends are read as the SDK core v3.8 reads them (VersionSynchronizer): the snapshot keeps
 * where the server's friend version log stood at the last reading, and a known instance asks
 * only for what changed since (the whole list only when the server answers "full"). Blacklist
 * and applications have no version log in v3.8 and are read whole; so are joined groups (see
 * JOINED_GROUPS).
 */
import type { Logger } from '../../common/logger';
import { toBridgeError } from '../../common/errors';
import { keyParts, stateKey, type StateOp } from '../../state/stateStore';
import type { LoginSyncReads } from '../upstream/loginSyncTap';
import type { RestCaller } from '../upstream/rest/caller';
import { effectsOf, mayBeRedundant, type RelationEffect } from './relationEffects';
import { digest, FRIENDS, JOINED_GROUPS, RELATION_KINDS, type RelationEvent, type RelationKind, type VersionMark } from './relationKinds';

/** What an instance's snapshot holds besides its entries: that the instance is known. */
export const META = 'meta';
/** Where the server's version logs (friends) stood when the instance's entries were last read whole or caught up. */
export const VERSIONS = 'versions';

/** Where a tracker reads and writes its instance's snapshot (relationSnapshots.ts). */
export interface SnapshotPartitions {
  readonly options: { readonly flushMs: number };
  read(partition: string): Promise<Array<[string, unknown]>>;
  write(partition: string, ops: readonly StateOp[]): Promise<void>;
}

type Json = Record<string, unknown>;
type Marks = Record<string, VersionMark>;

/** The server's state of one kind, and where its version log stood when it was read. */
interface ServerState {
  readonly items: Map<string, Json>;
  readonly mark?: VersionMark;
}

/** What the client SDK's login sync already read of a kind: the log's mark, the keys of its entries. */
interface SdkRead {
  readonly mark?: Promise<VersionMark | undefined>;
  readonly keys?: Promise<readonly string[] | undefined>;
}

function sdkReadsByKind(reads: LoginSyncReads | undefined): Map<RelationKind, SdkRead> {
  if (!reads) return new Map();
  return new Map<RelationKind, SdkRead>([
    [FRIENDS, { mark: reads.friendMark, keys: reads.friendIDs }],
    [JOINED_GROUPS, { keys: reads.joinedGroupIDs }],
  ]);
}

/** `loading`: the stored snapshot and the server's state are being read; `ready`: entries are what the app has. */
type Phase = 'idle' | 'loading' | 'ready' | 'closed';

const KIND_BY_PREFIX = new Map(RELATION_KINDS.map((k) => [k.prefix, k]));

export class RelationTracker {
  private phase: Phase = 'idle';
  /** By kind; a kind's map is made when it gets its first entry (most users have none of most kinds). */
  private readonly entries = new Map<RelationKind, Map<string, Json>>();
  /** Where the server's version logs stood at the last reading, by kind prefix (saved with the snapshot). */
  private marks: Marks = {};
  /** Entries the app was told of while the server's state was being read: that reading may predate them. */
  private readonly touched = new Set<string>();
  /** Entries removed from what the app has during this session: a second removal is not news. */
  private readonly removed = new Set<string>();
  private readonly dirty = new Set<string>();
  private flushTimer?: NodeJS.Timeout;
  /** The data of the events catch-up sends: already in the entries, yet news to the app. */
  private ownEvents?: WeakSet<object>;

  constructor(
    private readonly snapshots: SnapshotPartitions,
    private readonly partition: string,
    /** The instance's login operationID, first part of each of its keys. */
    private readonly instance: string,
    private readonly log: Logger,
  ) {}

  /**
   * Reads the stored snapshot and the server's state, saves the snapshot and, for a known
   * instance, resolves with the differences as events for the app (sent through the session,
   * so `told` sees them). Never rejects: without a snapshot the instance stays unknown. What the
   * client SDK's login sync read (`sdkReads`) stands in for the same readings of the bridge's own.
   */
  async catchUp(ctx: RestCaller, sdkReads?: LoginSyncReads): Promise<RelationEvent[]> {
    if (this.phase !== 'idle') return [];
    this.phase = 'loading';
    const started = Date.now();
    try {
      const stored = await this.snapshots.read(this.partition);
      if (this.phase !== 'loading') return [];
      const metaKey = stateKey(this.instance, META);
      const known = stored.some(([k]) => k === metaKey);
      const local = known ? entriesOf(stored, this.instance) : undefined;
      const storedMarks = known ? marksOf(stored, this.instance) : {};
      const sdk = sdkReadsByKind(sdkReads);
      const fresh = await Promise.all(RELATION_KINDS.map((k) => serverState(k, ctx, local?.get(k), storedMarks[k.prefix], sdk.get(k))));
      if (this.phase !== 'loading') return [];
      this.rememberStored(stored);
      const events: RelationEvent[] = [];
      const marks: Marks = {};
      RELATION_KINDS.forEach((kind, i) => {
        const { items: server, mark } = fresh[i]!;
        if (mark) marks[kind.prefix] = mark;
        if (local) {
          const had = local.get(kind) ?? new Map<string, Json>();
          events.push(...differences(kind, had, server, (key) => this.touched.has(id(kind, key))));
          // What catch-up removes is removed for good: the same removal coming live later is not news.
          for (const key of had.keys()) if (!server.has(key) && !this.touched.has(id(kind, key))) this.removed.add(id(kind, key));
        }
        this.adopt(kind, server);
      });
      this.marks = marks;
      this.touched.clear();
      this.phase = 'ready';
      for (const e of events) if (typeof e.data === 'object' && e.data !== null) (this.ownEvents ??= new WeakSet()).add(e.data);
      // Saved once the session has sent the events (it does so as soon as this resolves).
      setImmediate(() => {
        void this.flush(true).then(() => this.log.info({ known, events: events.length, ms: Date.now() - started }, known ? 'relation catch-up done' : 'relation snapshot captured'));
      });
      return events;
    } catch (err) {
      if (this.phase === 'loading') this.phase = 'idle';
      this.log.warn({ err: toBridgeError(err).message }, 'relation catch-up failed');
      return [];
    }
  }

  /** Whether the app already has exactly what this event would tell it. */
  alreadyKnown(event: string, data: unknown, userID: string): boolean {
    if (this.phase !== 'ready' || !mayBeRedundant(event) || (typeof data === 'object' && data !== null && this.ownEvents?.has(data) === true)) return false;
    const effects = effectsOf(event, data, userID);
    return effects.length > 0 && effects.every((e) => this.hasEffect(e));
  }

  /** Records an event the app was sent. */
  told(event: string, data: unknown, userID: string): void {
    if (this.phase === 'closed') return;
    const effects = effectsOf(event, data, userID);
    if (effects.length === 0) return;
    for (const e of effects) this.apply(e);
    if (this.phase === 'ready') this.scheduleFlush();
  }

  /** The session ends: what is not saved yet is saved now. */
  close(): void {
    if (this.phase === 'closed') return;
    const wasReady = this.phase === 'ready';
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (wasReady) void this.flush(false);
    this.phase = 'closed';
  }

  private hasEffect(e: RelationEffect): boolean {
    const have = this.entries.get(e.kind)?.get(e.key);
    if (e.op === 'del') return have === undefined && this.removed.has(id(e.kind, e.key));
    return have !== undefined && digest(e.kind, have) === digest(e.kind, e.item);
  }

  private apply(e: RelationEffect): void {
    const map = this.mapOf(e.kind);
    const k = id(e.kind, e.key);
    if (this.phase !== 'ready') this.touched.add(k);
    if (e.op === 'del') {
      if (!map.delete(e.key) && this.phase === 'ready') return;
      this.removed.add(k);
    } else {
      // An update of an entry the app does not have adds nothing (a group it is not in changed).
      if (e.op === 'update' && !map.has(e.key) && this.phase === 'ready') return;
      map.set(e.key, e.item);
      this.removed.delete(k);
    }
    this.dirty.add(k);
  }

  /** Takes the server's entries, except those the app was told of since the reading began. */
  private adopt(kind: RelationKind, server: Map<string, Json>): void {
    const map = this.entries.get(kind);
    const live = map ? [...map].filter(([key]) => this.touched.has(id(kind, key))) : [];
    const removedLive = this.touched.size > 0 ? new Set([...this.touched].filter((k) => this.removed.has(k))) : undefined;
    if (server.size === 0 && live.length === 0) {
      this.entries.delete(kind);
      return;
    }
    const next = new Map<string, Json>();
    for (const [key, item] of server) if (!removedLive?.has(id(kind, key))) next.set(key, item);
    for (const [key, item] of live) next.set(key, item);
    this.entries.set(kind, next);
  }

  private mapOf(kind: RelationKind): Map<string, Json> {
    let map = this.entries.get(kind);
    if (!map) this.entries.set(kind, (map = new Map()));
    return map;
  }

  private scheduleFlush(): void {
    if (this.flushTimer) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.flush(false);
    }, this.snapshots.options.flushMs);
    this.flushTimer.unref();
  }

  /** Writes the changed entries (all of them when `whole`) and the instance's mark, in one batch; never rejects. */
  private flush(whole: boolean): Promise<void> {
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    const ops: StateOp[] = [];
    if (whole) {
      // The partition is rewritten: entries stored earlier and gone since must go too.
      ops.push(...[...this.storedKeys].map((key) => ({ type: 'del' as const, key })));
      for (const [kind, map] of this.entries) for (const [key, item] of map) ops.push({ type: 'put', key: this.storageKey(kind.prefix, key), value: item });
    } else {
      for (const k of this.dirty) {
        const [prefix, key] = splitID(k);
        const kind = KIND_BY_PREFIX.get(prefix)!;
        const item = this.entries.get(kind)?.get(key);
        const storageKey = this.storageKey(prefix, key);
        ops.push(item === undefined ? { type: 'del', key: storageKey } : { type: 'put', key: storageKey, value: item });
      }
    }
    this.dirty.clear();
    if (whole) this.storedKeys = new Set([...this.entries].flatMap(([kind, map]) => [...map.keys()].map((key) => this.storageKey(kind.prefix, key))));
    if (whole && Object.keys(this.marks).length > 0) ops.push({ type: 'put', key: stateKey(this.instance, VERSIONS), value: this.marks });
    ops.push({ type: 'put', key: stateKey(this.instance, META), value: { savedAt: Date.now() } });
    return this.snapshots.write(this.partition, ops).then(
      () => this.log.debug({ ops: ops.length }, 'relation snapshot saved'),
      (err: unknown) => this.log.warn({ err: toBridgeError(err).message }, 'relation snapshot not saved'),
    );
  }

  private storageKey(prefix: string, key: string): string {
    return stateKey(this.instance, prefix, key);
  }

  /** Keys in the partition that `flush(true)` deletes unless it writes them again (other instances' included). */
  private storedKeys = new Set<string>();

  /** Remembers the stored keys read at catch-up. */
  private rememberStored(stored: Array<[string, unknown]>): void {
    this.storedKeys = new Set(stored.map(([k]) => k));
  }
}

function id(kind: RelationKind, key: string): string {
  return `${kind.prefix}\u0000${key}`;
}

function splitID(k: string): [string, string] {
  const at = k.indexOf('\u0000');
  return [k.slice(0, at), k.slice(at + 1)];
}

/** The stored entries of one instance by kind. */
function entriesOf(stored: Array<[string, unknown]>, instance: string): Map<RelationKind, Map<string, Json>> {
  const out = new Map<RelationKind, Map<string, Json>>();
  for (const [storageKey, value] of stored) {
    if (typeof value !== 'object' || value === null) continue;
    const [owner, prefix, key] = keyParts(storageKey);
    if (owner !== instance) continue;
    const kind = prefix === undefined ? undefined : KIND_BY_PREFIX.get(prefix);
    if (!kind || key === undefined) continue;
    if (!out.has(kind)) out.set(kind, new Map());
    out.get(kind)!.set(key, value as Json);
  }
  return out;
}

/** Where the instance's snapshot says the server's version logs stood. */
function marksOf(stored: Array<[string, unknown]>, instance: string): Marks {
  const key = stateKey(instance, VERSIONS);
  const value = stored.find(([k]) => k === key)?.[1];
  const out: Marks = {};
  if (typeof value !== 'object' || value === null) return out;
  for (const [prefix, mark] of Object.entries(value)) {
    const m = mark as Partial<VersionMark> | null;
    if (typeof m?.versionID === 'string' && typeof m.version === 'number') out[prefix] = { versionID: m.versionID, version: m.version };
  }
  return out;
}

/**
 * The server's state of one kind. A kind with a version log, for an instance whose snapshot
 * has its mark: the stored entries with the changes since the mark applied (the whole list
 * only when the server answers "full"). Otherwise the whole list, with the log's current mark
 * asked for beside it (a change made in between reaches the app live, and the next reading
 * compares it again, so the order of the two answers does not matter).
 */
async function serverState(kind: RelationKind, ctx: RestCaller, had: Map<string, Json> | undefined, mark: VersionMark | undefined, sdk: SdkRead | undefined): Promise<ServerState> {
  if (!kind.since) return { items: keyed(kind, await wholeList(kind, ctx, sdk)) };
  if (!mark) {
    const since = kind.since;
    const [now, list] = await Promise.all([currentMark(sdk, () => since(ctx, undefined)), wholeList(kind, ctx, sdk)]);
    return { items: keyed(kind, list), mark: markOf(now) };
  }
  const changes = await kind.since(ctx, mark);
  if (changes.full) return { items: keyed(kind, await kind.fetch(ctx)), mark: markOf(changes) };
  const items = new Map(had ?? []);
  for (const key of changes.deleted) items.delete(key);
  for (const item of changes.changed) {
    const key = kind.key(item);
    if (key !== undefined) items.set(key, item);
  }
  return { items, mark: markOf(changes) };
}

/** The kind's whole list: none when the SDK's login sync found no entries, else read (the SDK reads only keys). */
async function wholeList(kind: RelationKind, ctx: RestCaller, sdk: SdkRead | undefined): Promise<Json[]> {
  const keys = await sdk?.keys;
  return keys?.length === 0 ? [] : kind.fetch(ctx);
}

/** The log's current mark as the SDK's login sync read it, else asked for. */
async function currentMark(sdk: SdkRead | undefined, ask: () => Promise<VersionMark>): Promise<VersionMark> {
  return (await sdk?.mark) ?? ask();
}

function markOf(m: VersionMark): VersionMark | undefined {
  return m.versionID ? { versionID: m.versionID, version: m.version } : undefined;
}

function keyed(kind: RelationKind, list: readonly Json[]): Map<string, Json> {
  const out = new Map<string, Json>();
  for (const item of list) {
    const key = kind.key(item);
    if (key !== undefined) out.set(key, item);
  }
  return out;
}

/** The events the SDK core's syncer fired for one kind, entries the app was told of meanwhile left out. */
function differences(kind: RelationKind, local: Map<string, Json>, server: Map<string, Json>, skip: (key: string) => boolean): RelationEvent[] {
  const events: RelationEvent[] = [];
  for (const [key, item] of server) {
    if (skip(key)) continue;
    const had = local.get(key);
    if (had === undefined) events.push(...kind.inserted(item));
    else if (digest(kind, had) !== digest(kind, item)) events.push(...kind.updated(item));
  }
  for (const [key, item] of local) if (!server.has(key) && !skip(key)) events.push(...kind.deleted(item));
  return events;
}
