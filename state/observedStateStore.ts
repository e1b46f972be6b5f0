/** A state store that reports each failed operation (for metrics) and otherwise passes everything through. */
import type { StateStore } from './stateStore';

export type StateOperation = 'get' | 'getMany' | 'scan' | 'batch';

export function observedStateStore(store: StateStore, onFailure: (op: StateOperation) => void): StateStore {
  const watch = <T>(op: StateOperation, p: Promise<T>): Promise<T> =>
    p.catch((err: unknown) => {
      onFailure(op);
      throw err;
    });
  return {
    name: store.name,
    get: (partition, key) => watch('get', store.get(partition, key)),
    getMany: (partition, keys) => watch('getMany', store.getMany(partition, keys)),
    scan: (partition, prefix, options) => watch('scan', store.scan(partition, prefix, options)),
    batch: (partition, ops, options) => watch('batch', store.batch(partition, ops, options)),
    close: () => store.close(),
    isAvailable: store.isAvailable && (() => store.isAvailable!()),
    partitions: store.partitions && (() => store.partitions!()),
    remainingTtlMs: store.remainingTtlMs && ((partition) => store.remainingTtlMs!(partition)),
  };
}
