/**
 * The Redis state store against a real redis-server: the same contract as the LevelDB store
 * (both run here), its key layout, and what it does when Redis goes away and comes back.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Redis from 'ioredis';
import { openLevelStateStore } from '../../state/levelStateStore';
import { openRedisStateStore, redisStoreName } from '../../state/redisStateStore';
import { openStateStore } from '../../state/openStateStore';
import { StateStoreError, type StateStore } from '../../state/stateStore';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../support/redis';
import { waitUntil } from '../support/wait';

requireRedisUnderCi();
const maybe = REDIS_SERVER ? describe : describe.skip;

maybe('State store contract, on LevelDB and on Redis', () => {
  let redis: RedisServer;
  let dir: string;
  let n = 0;
  beforeAll(async () => {
    redis = await startRedis();
    dir = mkdtempSync(join(tmpdir(), 'state-contract-'));
  });
  afterAll(async () => {
    await redis?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const backends: Array<[string, () => Promise<StateStore>]> = [
    ['LevelDB', () => openLevelStateStore(join(dir, `db${n++}`))],
    ['Redis', () => openRedisStateStore({ url: redis.url, prefix: `t${n++}:`, commandTimeoutMs: 1_000 })],
  ];

  describe.each(backends)('%s', (_name, open) => {
    it('keeps partitions apart, scans by prefix in key order, applies a batch whole and in order', async () => {
      const store = await open();
      await store.batch('u:alice', [
        { type: 'put', key: 'draft/b', value: 2 },
        { type: 'put', key: 'draft/a', value: { text: 'x', n: 1 } },
        { type: 'put', key: 'hide/x', value: 3 },
        { type: 'del', key: 'hide/x' },
        { type: 'put', key: 'hide/x', value: 4 },
      ]);
      await store.batch('cursor:alice', [{ type: 'put', key: 'draft/a', value: 'other' }]);
      await store.batch('u:alice', [{ type: 'del', key: 'draft/b' }, { type: 'put', key: 'draft/c', value: 5 }]);
      expect(await store.scan('u:alice', 'draft/')).toEqual([['draft/a', { text: 'x', n: 1 }], ['draft/c', 5]]);
      expect(await store.getMany('u:alice', ['draft/a', 'draft/b', 'hide/x'])).toEqual([{ text: 'x', n: 1 }, undefined, 4]);
      expect(await store.getMany('u:alice', [])).toEqual([]);
      expect(await store.get('cursor:alice', 'draft/a')).toBe('other');
      expect(await store.scan('u:bob', '')).toEqual([]);
      expect(await store.partitions!()).toEqual(['cursor:alice', 'u:alice']);
      await store.close();
    });

    it('forgets a partition whose time to live passed and reports what is left of one', async () => {
      const store = await open();
      await store.batch('c:gone', [{ type: 'put', key: 'k', value: 1 }], { ttlMs: -1 });
      await store.batch('c:kept', [{ type: 'put', key: 'k', value: 2 }], { ttlMs: 60_000 });
      await store.batch('u:x', [{ type: 'put', key: 'k', value: 3 }]);
      expect(await store.get('c:gone', 'k')).toBeUndefined();
      expect(await store.get('c:kept', 'k')).toBe(2);
      const left = await store.remainingTtlMs!('c:kept');
      expect(left).toBeGreaterThan(50_000);
      expect(left).toBeLessThanOrEqual(60_000);
      expect(await store.remainingTtlMs!('u:x')).toBeUndefined();
      expect(await store.partitions!()).toEqual(['c:kept', 'u:x']);
      await store.close();
    });
  });
});

maybe('Redis state store', () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedis({ appendOnly: true });
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('keeps one hash per partition under the prefix, fields the keys, values JSON', async () => {
    const store = await openRedisStateStore({ url: redis.url, prefix: 'layout:', commandTimeoutMs: 1_000 });
    await store.batch('u:al/ice', [{ type: 'put', key: 'draft/si_a_b', value: { draftText: 'hi', draftTextTime: 5 } }], { ttlMs: 60_000 });
    const raw = new Redis(redis.url);
    expect(await raw.type('layout:u:al/ice')).toBe('hash');
    expect(await raw.hgetall('layout:u:al/ice')).toEqual({ 'draft/si_a_b': '{"draftText":"hi","draftTextTime":5}' });
    expect(await raw.pttl('layout:u:al/ice')).toBeGreaterThan(50_000);
    raw.disconnect();
    await store.close();
  });

  it('names the store without its password', () => {
    expect(redisStoreName('redis://user:s3cret@10.0.0.7:6380/2')).toBe('redis://10.0.0.7:6380/2');
    expect(redisStoreName('rediss://:s3cret@cache.example')).toBe('rediss://cache.example:6379/0');
  });

  it('refuses to open when Redis cannot be reached, naming the address and not the password', async () => {
    const err = (await openStateStore({ url: 'redis://bridge:s3cret@127.0.0.1:1/0', prefix: 'x:', dataDir: '', commandTimeoutMs: 500 }).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/^cannot reach the state store redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED/);
    expect(err.message).not.toContain('s3cret');
  });

  it('answers every call made while Redis is away with a StateStoreError (errCode 10006) at once, and works again when it is back; nothing acknowledged is lost', async () => {
    const changes: boolean[] = [];
    const store = await openRedisStateStore({ url: redis.url, prefix: 'fault:', commandTimeoutMs: 1_000, onConnection: (up) => changes.push(up) });
    await store.batch('u:a', [{ type: 'put', key: 'draft/c1', value: 'before' }]);
    await redis.stop();
    await waitUntil(() => !store.isAvailable!(), 'Redis gone');
    for (const call of [() => store.get('u:a', 'draft/c1'), () => store.scan('u:a', ''), () => store.batch('u:a', [{ type: 'put', key: 'draft/c2', value: 'during' }])]) {
      const err = (await call().catch((e: unknown) => e)) as StateStoreError;
      expect(err).toBeInstanceOf(StateStoreError);
      expect(err.errCode).toBe(10006);
      expect(err.errMsg).toContain(`state store ${redis.url} is unavailable`);
    }
    await redis.start();
    await waitUntil(() => store.isAvailable!(), 'Redis back', 15_000);
    expect(await store.scan('u:a', '')).toEqual([['draft/c1', 'before']]);
    await store.batch('u:a', [{ type: 'put', key: 'draft/c2', value: 'after' }]);
    expect(await store.get('u:a', 'draft/c2')).toBe('after');
    expect(changes).toEqual([false, true]);
    await store.close();
  });

  it('answers a call to a Redis that does not answer (frozen) as failed once the command timeout passed, and works when it answers again', async () => {
    const store = await openRedisStateStore({ url: redis.url, prefix: 'slow:', commandTimeoutMs: 300 });
    await store.batch('u:a', [{ type: 'put', key: 'k', value: 1 }]);
    redis.pause();
    try {
      const err = (await store.batch('u:a', [{ type: 'put', key: 'k', value: 2 }]).catch((e: unknown) => e)) as StateStoreError;
      expect(err).toBeInstanceOf(StateStoreError);
      expect(err.errCode).toBe(10006);
      expect(err.errMsg).toBe(`state store ${redis.url} is unavailable: Command timed out`);
    } finally {
      redis.resume();
    }
    // The timed-out write may still be applied by a slow Redis (it was answered as failed, and is idempotent).
    expect([1, 2]).toContain(await store.get('u:a', 'k'));
    await store.batch('u:a', [{ type: 'put', key: 'k', value: 3 }]);
    expect(await store.get('u:a', 'k')).toBe(3);
    await store.close();
  });

  it('carries invalidations to the other instances, not back to the one that published', async () => {
    const one = await openStateStore({ url: redis.url, prefix: 'inv:', dataDir: '', commandTimeoutMs: 1_000 });
    const two = await openStateStore({ url: redis.url, prefix: 'inv:', dataDir: '', commandTimeoutMs: 1_000 });
    const other = await openStateStore({ url: redis.url, prefix: 'elsewhere:', dataDir: '', commandTimeoutMs: 1_000 });
    const heard: Record<string, string[]> = { one: [], two: [], other: [] };
    one.invalidations.subscribe((u) => heard.one!.push(u));
    two.invalidations.subscribe((u) => heard.two!.push(u));
    other.invalidations.subscribe((u) => heard.other!.push(u));
    one.invalidations.publish('alice');
    two.invalidations.publish('bob');
    await waitUntil(() => heard.one!.length === 1 && heard.two!.length === 1);
    expect(heard).toEqual({ one: ['bob'], two: ['alice'], other: [] });
    for (const s of [one, two, other]) {
      await s.invalidations.close();
      await s.store.close();
    }
  });
});
