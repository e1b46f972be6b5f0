import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { MAX_GROUP_OPS, openLevelStateStore } from '../../state/levelStateStore';
import { localStoreOn } from '../../core_func/localStore/localStore';
import { StateStoreError } from '../../state/stateStore';

describe('LevelDB state store', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'state-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps partitions apart, scans by prefix in key order, and applies a batch whole', async () => {
    const store = await openLevelStateStore(dir);
    await store.batch('u:alice', [
      { type: 'put', key: 'draft/b', value: 2 },
      { type: 'put', key: 'draft/a', value: 1 },
      { type: 'put', key: 'hide/x', value: 3 },
    ]);
    await store.batch('cursor:alice', [{ type: 'put', key: 'draft/a', value: 'other' }]);
    await store.batch('u:alice', [{ type: 'del', key: 'draft/b' }, { type: 'put', key: 'draft/c', value: 4 }]);
    expect(await store.scan('u:alice', 'draft/')).toEqual([['draft/a', 1], ['draft/c', 4]]);
    expect(await store.getMany('u:alice', ['draft/a', 'draft/b', 'hide/x'])).toEqual([1, undefined, 3]);
    expect(await store.get('cursor:alice', 'draft/a')).toBe('other');
    expect(await store.scan('u:bob', '')).toEqual([]);
    await store.close();
  });

  it('forgets a partition whose time to live passed, at the next read and at open', async () => {
    const store = await openLevelStateStore(dir);
    await store.batch('c:gone', [{ type: 'put', key: 'k', value: 1 }], { ttlMs: -1 });
    await store.batch('c:kept', [{ type: 'put', key: 'k', value: 2 }], { ttlMs: 60_000 });
    expect(await store.get('c:gone', 'k')).toBeUndefined();
    expect(await store.get('c:kept', 'k')).toBe(2);
    await store.batch('c:later', [{ type: 'put', key: 'k', value: 3 }], { ttlMs: -1 });
    await store.close();

    const rawKeys = async (): Promise<string[]> => {
      const raw = new ClassicLevel<string, unknown>(join(dir, 'bridge-local.leveldb'), { valueEncoding: 'json' });
      const keys = await raw.keys().all();
      await raw.close();
      return keys;
    };
    expect((await rawKeys()).some((k) => k.includes('later'))).toBe(true);

    const reopened = await openLevelStateStore(dir);
    await reopened.close();
    const keys = await rawKeys();
    expect(keys.some((k) => k.includes('later'))).toBe(false);
    expect(keys.some((k) => k.includes('kept'))).toBe(true);
  });

  it('reads local data written in the key layout of earlier releases (<userID>/<kind>/…)', async () => {
    const raw = new ClassicLevel<string, unknown>(join(dir, 'bridge-local.leveldb'), { valueEncoding: 'json' });
    await raw.put('al%2Fice/draft/si_a_b', { draftText: 'hi', draftTextTime: 5 });
    await raw.put('al%2Fice/hide/*', 7);
    await raw.close();
    const local = localStoreOn(await openLevelStateStore(dir));
    const user = local.forUser('al/ice');
    expect([...(await user.drafts())]).toEqual([['si_a_b', { draftText: 'hi', draftTextTime: 5 }]]);
    expect(await user.hiddenAt('si_a_b')).toBe(7);
    expect([...(await local.forUser('al').drafts())]).toEqual([]);
    await local.close();
  });

  it('writes the batches that come while one write is under way as one LevelDB write, each in call order', async () => {
    const store = await openLevelStateStore(dir);
    const writes = jest.spyOn(ClassicLevel.prototype, 'batch');
    try {
      await Promise.all([
        store.batch('u:a', [{ type: 'put', key: 'k', value: 1 }]),
        store.batch('u:a', [{ type: 'put', key: 'k', value: 2 }, { type: 'put', key: 'j', value: 'x' }]),
        store.batch('c:b', [{ type: 'put', key: 'k', value: 3 }], { ttlMs: 60_000 }),
        store.batch('u:a', [{ type: 'del', key: 'j' }]),
      ]);
      // The first alone (none was under way), the three that came meanwhile together.
      expect(writes).toHaveBeenCalledTimes(2);
      expect((writes.mock.calls[1] as unknown[])[0]).toHaveLength(5);
    } finally {
      writes.mockRestore();
    }
    expect(await store.scan('u:a', '')).toEqual([['k', 2]]);
    expect(await store.get('c:b', 'k')).toBe(3);
    expect(await store.remainingTtlMs!('c:b')).toBeGreaterThan(59_000);
    await store.close();
  });

  it('fails only the caller whose batch LevelDB refuses; the others of its group are written', async () => {
    const store = await openLevelStateStore(dir);
    const first = store.batch('u:a', [{ type: 'put', key: 'first', value: 1 }]);
    const good = store.batch('u:a', [{ type: 'put', key: 'good', value: 2 }]);
    const bad = store.batch('u:a', [{ type: 'put', key: 'bad', value: undefined }]);
    await expect(first).resolves.toBeUndefined();
    await expect(good).resolves.toBeUndefined();
    await expect(bad).rejects.toBeInstanceOf(StateStoreError);
    await expect(bad).rejects.toThrow(/leveldb:/);
    expect(await store.scan('u:a', '')).toEqual([['first', 1], ['good', 2]]);
    await store.close();
  });

  it('answers a scan of an expiring partition it holds no expiry for without reading, and reads one it does', async () => {
    const store = await openLevelStateStore(dir);
    await store.batch('c:kept', [{ type: 'put', key: 'k', value: 1 }], { ttlMs: 60_000 });
    const reads = jest.spyOn(ClassicLevel.prototype, 'iterator');
    try {
      expect(await store.scan('c:never', '', { expiring: true })).toEqual([]);
      expect(reads).not.toHaveBeenCalled();
      expect(await store.scan('c:kept', '', { expiring: true })).toEqual([['k', 1]]);
      // Without the hint a partition is read even when it has no expiry (user data never has one).
      expect(await store.scan('u:none', '')).toEqual([]);
      expect(reads).toHaveBeenCalledTimes(2);
    } finally {
      reads.mockRestore();
    }
    await store.close();
    // Expiries are loaded at open: after a restart the partition is still found.
    const reopened = await openLevelStateStore(dir);
    expect(await reopened.scan('c:kept', '', { expiring: true })).toEqual([['k', 1]]);
    await reopened.close();
  });

  it('writes every batch still waiting before it closes', async () => {
    const store = await openLevelStateStore(dir);
    const pending = Array.from({ length: 20 }, (_, i) => store.batch('u:a', [{ type: 'put', key: `k${String(i).padStart(2, '0')}`, value: i }]));
    await store.close();
    await Promise.all(pending);
    const reopened = await openLevelStateStore(dir);
    expect((await reopened.scan('u:a', '')).map(([, v]) => v)).toEqual(Array.from({ length: 20 }, (_, i) => i));
    await reopened.close();
  });

  it('holds a batch whose caller allowed a delay until the next batch that cannot wait, its delay, or close', async () => {
    const store = await openLevelStateStore(dir);
    const writes = jest.spyOn(ClassicLevel.prototype, 'batch');
    try {
      // Rides along with the next batch that cannot wait.
      const lazy = store.batch('c:snap', [{ type: 'put', key: 'meta', value: 1 }], { ttlMs: 60_000, maxDelayMs: 10_000 });
      expect(writes).not.toHaveBeenCalled();
      await store.batch('c:cur', [{ type: 'put', key: 'known', value: 1 }], { ttlMs: 60_000 });
      await lazy;
      expect(writes).toHaveBeenCalledTimes(1);
      expect((writes.mock.calls[0] as unknown[])[0]).toHaveLength(4);
      // Alone: written once its delay (capped at 50 ms) has passed.
      const asked = Date.now();
      const alone = store.batch('c:snap', [{ type: 'put', key: 'meta', value: 2 }], { maxDelayMs: 10_000 });
      expect(writes).toHaveBeenCalledTimes(1);
      await alone;
      expect(writes).toHaveBeenCalledTimes(2);
      // The cap, not the 10 s asked for (the bound is loose: only an uncapped delay passes it).
      expect(Date.now() - asked).toBeLessThan(5_000);
      // Still waiting at close: written before the database closes.
      void store.batch('c:snap', [{ type: 'put', key: 'meta', value: 3 }], { maxDelayMs: 10_000 });
      await store.close();
      expect(writes).toHaveBeenCalledTimes(3);
    } finally {
      writes.mockRestore();
    }
    const reopened = await openLevelStateStore(dir);
    expect(await reopened.get('c:snap', 'meta')).toBe(3);
    expect(await reopened.get('c:cur', 'known')).toBe(1);
    await reopened.close();
  });

  it('splits a group commit past MAX_GROUP_OPS operations into several writes, in call order', async () => {
    const store = await openLevelStateStore(dir);
    const size = Math.floor(MAX_GROUP_OPS * 0.4);
    const ops = (tag: number) => Array.from({ length: size }, (_, i) => ({ type: 'put' as const, key: `k${String(i).padStart(6, '0')}`, value: tag }));
    const writes = jest.spyOn(ClassicLevel.prototype, 'batch');
    try {
      await Promise.all([1, 2, 3, 4].map((tag) => store.batch('u:a', ops(tag))));
      // The first alone; the second and third together (0.8 of the cap); the fourth would pass it.
      expect(writes.mock.calls.map((c) => (c as unknown[])[0] as unknown[]).map((batch) => batch.length)).toEqual([size, 2 * size, size]);
    } finally {
      writes.mockRestore();
    }
    const rows = await store.scan('u:a', '');
    expect(rows).toHaveLength(size);
    expect(rows.every(([, v]) => v === 4)).toBe(true);
    await store.close();
  });
});
