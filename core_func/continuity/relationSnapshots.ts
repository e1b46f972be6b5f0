/**
 * Where the relation snapshots of app instances are kept: one state-store partition per
 * instance (`rel:<appInstanceKey>`), forgotten `maxAgeMs` after its last write. Writes are
 * batched per instance (at most one every `flushMs`) and the bridge drains them before it
 * closes the store.
 */
import { OPTIONS } from '../../common/config';
import type { Logger } from '../../common/logger';
import type { StateOp, StateStore } from '../../state/stateStore';
import { appInstanceKey, type AppInstance } from './appInstance';
import { RelationTracker } from './relationTracker';

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

/** What a snapshot partition holds besides its entries: that the instance is known. */
export const META_KEY = 'meta';

export function relationPartition(instance: AppInstance): string {
  return `rel:${appInstanceKey(instance)}`;
}

export class RelationSnapshots {
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
    return new RelationTracker(this, relationPartition(instance), log);
  }

  /** Every stored entry of a partition (META_KEY included). */
  read(partition: string): Promise<Array<[string, unknown]>> {
    return this.store.scan(partition, '');
  }

  /** Writes one batch; the returned promise never rejects (errors are logged by the caller's handler). */
  write(partition: string, ops: readonly StateOp[]): Promise<void> {
    const p = this.store.batch(partition, ops, { ttlMs: this.options.maxAgeMs });
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
