/**
 * The state store: where the bridge keeps what outlives a socket (a user's local data, the
 * delivery cursors of app instances), behind one small interface so one instance may keep it
 * on its own disk (LevelDB) and several may share it (Redis).
 *
 * Data lives in partitions (one user's local data, one app instance's cursors); every call
 * names its partition, a batch is atomic within it, and a partition may carry a time to live.
 * Values are JSON.
 */
import { ErrorCode } from '../common/errors';

export type StateOp = { readonly type: 'put'; readonly key: string; readonly value: unknown } | { readonly type: 'del'; readonly key: string };

export interface StateBatchOptions {
  /** The whole partition is forgotten this long after its last write (absent: kept). */
  readonly ttlMs?: number;
  /**
   * The caller does not wait on this write: a store may hold the batch this long to write it
   * together with others (it is written at once when the store closes).
   */
  readonly maxDelayMs?: number;
}

export interface StateScanOptions {
  /**
   * Every write of this partition carries a time to live (`StateBatchOptions.ttlMs`): a store
   * that keeps every partition's expiry in memory may answer an empty scan without reading when
   * it has none for the partition.
   */
  readonly expiring?: boolean;
}

export interface StateStore {
  /** Where the data is, for errors and logs (never with a password). */
  readonly name: string;
  get(partition: string, key: string): Promise<unknown>;
  getMany(partition: string, keys: readonly string[]): Promise<unknown[]>;
  /** Entries whose key starts with `prefix`, ordered by key. */
  scan(partition: string, prefix: string, options?: StateScanOptions): Promise<Array<[string, unknown]>>;
  batch(partition: string, ops: readonly StateOp[], options?: StateBatchOptions): Promise<void>;
  close(): Promise<void>;
  /** Whether the store answers right now (absent: always; an embedded store is there or the process is not). */
  isAvailable?(): boolean;
  /** Every partition holding data (for migrations; absent where the store cannot list them). */
  partitions?(): Promise<string[]>;
  /** Milliseconds the partition has left before it is forgotten (undefined: kept, or no such partition). */
  remainingTtlMs?(partition: string): Promise<number | undefined>;
}

/**
 * A state store operation that did not happen: the caller answers it as failed, never as done.
 * It carries its jssdk errCode (SdkInternalError, as the SDK core answered a failed local
 * database) and an errMsg naming the store, so every layer maps it the same way.
 */
export class StateStoreError extends Error {
  readonly errCode = ErrorCode.StateStoreUnavailable;
  constructor(
    readonly store: string,
    cause: unknown,
  ) {
    super(`state store ${store} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'StateStoreError';
  }

  get errMsg(): string {
    return this.message;
  }
}

/** The partition of one user's local data. */
export function userPartition(userID: string): string {
  return `u:${userID}`;
}

/** Key parts are URI-encoded so a `/` in an ID can never reach into another key range. */
export function stateKey(...parts: string[]): string {
  return parts.map(encodeURIComponent).join('/');
}

/** The parts of a key made by stateKey. */
export function keyParts(key: string): string[] {
  return key.split('/').map(decodeURIComponent);
}
