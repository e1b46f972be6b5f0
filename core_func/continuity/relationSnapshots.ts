/**
 * Where the relation snapshots of app instances are kept: one state-store partition per user
 * and platform (`rel:<userID>/<platformID>`), forgotten `maxAgeMs` after its last write, whose
 * keys start with the instance's login operationID. Only one instance of a user and platform
 * runs at a time (a newer login replaces the older session, whose jssdk then stops
 * reconnecting), so a new instance's snapshot replaces the older ones: a user reloading a page
 * all day keeps one snapshot, not one per reload. Writes are batched per instance (at most one
 * every `flushMs`) and the bridge drains them before it closes the store.
 */
import { OPTIONS } from '../../common/config';
import type { Logger } from '../../common/logger';
import { stateKey, type StateOp, type StateStore } from '../../state/stateStore';
import type { AppInstance } from './appInstance';
import { RelationTracker, type SnapshotPartitions } from './relationTracker';

export interface RelationSnapshotOptions {
  /** A snapshot not written for this long is forgotten (the instance then counts as new); 0: no relation catch-up. */
  readonly maxAgeMs: number;
  /** Changes the app was told of are written at most this often per instance. */
  readonly flushMs: number;
}

export const RELATION_SNAPSHOT_DEFAULTS: RelationSnapshotOptions = {
  maxAgeMs: OPTIONS.relationSnapshotMaxAgeMs.default,
  flushMs: OPTIONS.relationSnapshotFlushMs.default,
};

/** How long a snapshot write may wait to be written with others (state/stateStore.ts maxDelayMs). */
const SNAPSHOT_WRITE_DELAY_MS = 20;

function relationPartition(instance: AppInstance): string {
  return `rel:${stateKey(instance.userID, String(instance.platformID))}`;
}

export class RelationSnapshots implements SnapshotPartitions {
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly store: StateStore,
    readonly options: RelationSnapshotOptions,
  ) {}

  get enabled(): boolean {
    return this.options.maxAgeMs > 0;
  }

  /** The tracker of one session of an instance; undefined when relation catch-up is off. */
  open(instance: AppInstance, log: Logger): RelationTracker | undefined {
    if (!this.enabled) return undefined;
    return new RelationTracker(this, relationPartition(instance), instance.loginOperationID, log);
  }

  /** Every stored entry of a partition, of every instance. */
  read(partition: string): Promise<Array<[string, unknown]>> {
    return this.store.scan(partition, '', { expiring: true });
  }

  /** Writes one batch; the returned promise never rejects (errors are logged by the caller's handler). */
  write(partition: string, ops: readonly StateOp[]): Promise<void> {
    // No answer waits on a snapshot: the store may write it together with the next login's cursors.
    const p = this.store.batch(partition, ops, { ttlMs: this.options.maxAgeMs, maxDelayMs: SNAPSHOT_WRITE_DELAY_MS });
    const tracked = p.then(
      () => undefined,
      () => undefined,
    );
    this.pending.add(tracked);
    void tracked.finally(() => this.pending.delete(tracked));
    return p;
  }

  /** Waits for the writes under way (the bridge calls it before closing the store). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }
}
