/**
 * Copies every partition of one state store into another (LevelDB into Redis when a single
 * instance becomes several), keeping each partition's remaining time to live. Idempotent: a
 * copied entry overwrites the same entry, so running it again, or after an interruption, is safe.
 */
import type { StateOp, StateStore } from './stateStore';

/** Entries written per batch, so one huge partition is not one huge transaction. */
export const MIGRATE_BATCH_ENTRIES = 500;

export interface MigrationResult {
  readonly partitions: number;
  readonly entries: number;
}

export async function migrateState(from: StateStore, to: StateStore, onPartition?: (partition: string, entries: number) => void): Promise<MigrationResult> {
  if (!from.partitions) throw new Error(`the state store ${from.name} cannot list its partitions`);
  let entries = 0;
  const partitions = await from.partitions();
  for (const partition of partitions) {
    const rows = await from.scan(partition, '');
    const ttlMs = await from.remainingTtlMs?.(partition);
    for (let i = 0; i < rows.length; i += MIGRATE_BATCH_ENTRIES) {
      const ops = rows.slice(i, i + MIGRATE_BATCH_ENTRIES).map(([key, value]): StateOp => ({ type: 'put', key, value }));
      await to.batch(partition, ops, ttlMs === undefined ? undefined : { ttlMs });
    }
    entries += rows.length;
    onPartition?.(partition, rows.length);
  }
  return { partitions: partitions.length, entries };
}
