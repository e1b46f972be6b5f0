/**
 * The state stores a suite runs on: LevelDB always, Redis when redis-server is installed (one
 * server per suite file, each bridge under a prefix of its own). Call at a file's top level,
 * before the suites that use it, so the server is up before their beforeAll hooks.
 */
import type { BridgeOptions } from '../../module/bridge';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from './redis';
import type { ClientMode } from './jssdk';

export type StateBackend = [name: string, options: () => Partial<BridgeOptions>];

export function stateBackends(): StateBackend[] {
  requireRedisUnderCi();
  const backends: StateBackend[] = [['LevelDB', () => ({})]];
  // The store does not depend on the upstream release: the older-release projects of the
  // profile matrix (jest.config.js) run these suites on LevelDB only, to keep them cheap.
  const olderRelease = typeof (globalThis as { EMULATOR_PROFILE?: unknown }).EMULATOR_PROFILE === 'string';
  if (!REDIS_SERVER || olderRelease) return backends;
  let redis: RedisServer | undefined;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });
  backends.push([
    'Redis',
    () => {
      if (!redis) throw new Error('the suite\'s redis-server has not started');
      return { stateStore: { url: redis.url, prefix: `suite${process.pid}-${n++}:`, commandTimeoutMs: 2_000 } };
    },
  ]);
  return backends;
}

/**
 * Every client mode on LevelDB, and the first mode (the browser) on Redis too: the store is
 * below the client's transport, so one mode per extra backend keeps the matrix cheap.
 */
export function clientsAndStores(modes: readonly ClientMode[]): Array<[mode: ClientMode, store: string, options: () => Partial<BridgeOptions>]> {
  const [level, ...others] = stateBackends();
  return [...modes.map((m): [ClientMode, string, () => Partial<BridgeOptions>] => [m, level![0], level![1]]), ...others.map(([name, options]): [ClientMode, string, () => Partial<BridgeOptions>] => [modes[0] ?? 'web', name, options])];
}
