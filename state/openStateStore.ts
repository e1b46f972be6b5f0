/**
 * Opens the state store the configuration names: the embedded LevelDB under the data
 * directory when no address is given, Redis for a redis:// or rediss:// address; with it
 * the invalidations channel that fits (none for LevelDB, pub/sub for Redis).
 */
import { openLevelStateStore } from './levelStateStore';
import { openRedisStateStore } from './redisStateStore';
import { noInvalidations, redisInvalidations, type Invalidations } from './invalidations';
import type { StateStore } from './stateStore';

export interface StateStoreConfig {
  /** '' (LevelDB under dataDir) or redis://[user:pass@]host:port/db, rediss://… */
  readonly url: string;
  readonly prefix: string;
  readonly dataDir: string;
  /** Redis: longest a command or the first connection may take. */
  readonly commandTimeoutMs: number;
  readonly onConnection?: (up: boolean, detail: string) => void;
  readonly onPublishFailed?: (err: Error) => void;
}

export interface OpenedState {
  readonly store: StateStore;
  readonly invalidations: Invalidations;
}

export function isRedisUrl(url: string): boolean {
  return /^rediss?:\/\//i.test(url);
}

export async function openStateStore(config: StateStoreConfig): Promise<OpenedState> {
  if (!config.url) return { store: await openLevelStateStore(config.dataDir), invalidations: noInvalidations };
  if (!isRedisUrl(config.url)) throw new Error('the state store address must be empty (LevelDB) or a redis:// or rediss:// URL');
  const store = await openRedisStateStore({ url: config.url, prefix: config.prefix, commandTimeoutMs: config.commandTimeoutMs, onConnection: config.onConnection });
  try {
    const invalidations = await redisInvalidations(store.client, config.prefix, config.onPublishFailed ?? (() => undefined));
    return { store, invalidations };
  } catch (err) {
    await store.close();
    throw new Error(`cannot subscribe to the state store ${store.name}: ${(err as Error).message}`);
  }
}
