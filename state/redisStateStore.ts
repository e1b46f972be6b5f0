/**
 * The state store on Redis, shared by every bridge instance: one hash per partition
 * (`<prefix><partition>`), its fields the keys, its values JSON. A batch is one MULTI/EXEC on
 * that hash (PEXPIRE in it for a time to live), so it applies whole or not at all.
 *
 * Commands never wait for a connection: with the offline queue off and a command timeout, a
 * call made while Redis is away or slow fails within `commandTimeoutMs` as a StateStoreError,
 * and the client reconnects by itself in the background.
 */
import Redis, { type RedisOptions } from 'ioredis';
import { StateStoreError, type StateBatchOptions, type StateOp, type StateStore } from './stateStore';

export interface RedisStateStoreOptions {
  /** redis://[user:pass@]host:port/db or rediss://… */
  readonly url: string;
  /** Prepended to every key and channel, so several deployments may share one Redis. */
  readonly prefix: string;
  /** Longest a command (or the first connection) may take before it is answered as failed. */
  readonly commandTimeoutMs: number;
  /** Told when the connection is lost and when it is back (for logs). */
  readonly onConnection?: (up: boolean, detail: string) => void;
}

/** The address without user info, for errors and logs. */
export function redisStoreName(url: string): string {
  const u = new URL(url);
  const db = u.pathname.replace(/^\/+/, '') || '0';
  return `${u.protocol}//${u.hostname}:${u.port || '6379'}/${db}`;
}

/** Reconnect attempts back off to this at most, so a returning Redis is found quickly. */
const MAX_RECONNECT_DELAY_MS = 1_000;

/** Client options for a connection that never queues commands while disconnected. */
export function redisClientOptions(options: RedisStateStoreOptions): RedisOptions {
  return {
    lazyConnect: true,
    enableOfflineQueue: false,
    // A command in flight when the connection drops fails instead of being sent again later.
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs,
    connectTimeout: options.commandTimeoutMs,
    retryStrategy: (times) => Math.min(50 * 2 ** Math.min(times, 10), MAX_RECONNECT_DELAY_MS),
  };
}

/** Glob special characters of a SCAN MATCH pattern, escaped. */
function globEscape(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function parse(raw: string | null | undefined): unknown {
  return raw === null || raw === undefined ? undefined : JSON.parse(raw);
}

class RedisStateStore implements StateStore {
  private up = false;
  /** The last connection error, which says more than ioredis's 'Connection is closed.'. */
  lastError = '';
  /** Transitions are told from the end of the first connection on (open reports that one itself). */
  opened = false;

  constructor(
    readonly client: Redis,
    private readonly prefix: string,
    readonly name: string,
    onConnection: RedisStateStoreOptions['onConnection'],
  ) {
    client.on('ready', () => {
      if (!this.up && this.opened) onConnection?.(true, 'ready');
      this.up = true;
    });
    const down = (detail: string) => {
      if (this.up && this.opened) onConnection?.(false, detail);
      this.up = false;
    };
    // Without an 'error' listener ioredis prints every failed reconnect to the console.
    client.on('error', (err: Error) => {
      this.lastError = err.message;
      down(err.message);
    });
    client.on('close', () => down('connection closed'));
  }

  private key(partition: string): string {
    return this.prefix + partition;
  }

  private async guard<T>(op: () => Promise<T>): Promise<T> {
    try {
      return await op();
    } catch (err) {
      throw new StateStoreError(this.name, err);
    }
  }

  isAvailable(): boolean {
    return this.client.status === 'ready';
  }

  get(partition: string, key: string): Promise<unknown> {
    return this.guard(async () => parse(await this.client.hget(this.key(partition), key)));
  }

  getMany(partition: string, keys: readonly string[]): Promise<unknown[]> {
    return this.guard(async () => (keys.length === 0 ? [] : (await this.client.hmget(this.key(partition), ...keys)).map(parse)));
  }

  scan(partition: string, prefix: string): Promise<Array<[string, unknown]>> {
    return this.guard(async () => {
      // A partition is one user's bounded local data (or one instance's cursors): read whole.
      const all = await this.client.hgetall(this.key(partition));
      return Object.keys(all)
        .filter((k) => k.startsWith(prefix))
        .sort()
        .map((k): [string, unknown] => [k, parse(all[k])]);
    });
  }

  batch(partition: string, ops: readonly StateOp[], options?: StateBatchOptions): Promise<void> {
    return this.guard(async () => {
      const key = this.key(partition);
      const multi = this.client.multi();
      // Ops apply in order (a put after a del of the same key wins, as in LevelDB's batch).
      for (const op of ops) {
        if (op.type === 'put') multi.hset(key, op.key, JSON.stringify(op.value));
        else multi.hdel(key, op.key);
      }
      if (options?.ttlMs !== undefined) multi.pexpire(key, Math.round(options.ttlMs)); // 0 or less: gone at once, as in LevelDB
      if (ops.length === 0 && options?.ttlMs === undefined) return;
      const results = await multi.exec();
      if (results === null) throw new Error('transaction aborted');
      const failed = results.find(([err]) => err);
      if (failed) throw failed[0];
    });
  }

  partitions(): Promise<string[]> {
    return this.guard(async () => {
      const found: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await this.client.scan(cursor, 'MATCH', `${globEscape(this.prefix)}*`, 'COUNT', 1000);
        cursor = next;
        for (const k of keys) found.push(k.slice(this.prefix.length));
      } while (cursor !== '0');
      return [...new Set(found)].sort();
    });
  }

  remainingTtlMs(partition: string): Promise<number | undefined> {
    return this.guard(async () => {
      const ms = await this.client.pttl(this.key(partition));
      return ms >= 0 ? ms : undefined;
    });
  }

  async close(): Promise<void> {
    this.opened = false;
    await this.client.quit().catch(() => this.client.disconnect());
  }
}

/**
 * Connects to Redis and returns the store; if Redis cannot be reached now, throws an error
 * naming the address (never the password) and leaves nothing running.
 */
export async function openRedisStateStore(options: RedisStateStoreOptions): Promise<StateStore & { readonly client: Redis }> {
  const name = redisStoreName(options.url);
  const client = new Redis(options.url, redisClientOptions(options));
  const store = new RedisStateStore(client, options.prefix, name, options.onConnection);
  try {
    await client.connect();
    await client.ping();
  } catch (err) {
    client.disconnect();
    throw new Error(`cannot reach the state store ${name}: ${store.lastError || (err as Error).message}`);
  }
  store.opened = true;
  return store;
}
