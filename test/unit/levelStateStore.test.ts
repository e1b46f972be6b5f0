import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ClassicLevel } from 'classic-level';
import { openLevelStateStore } from '../../state/levelStateStore';
import { localStoreOn } from '../../core_func/localStore/localStore';

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
});
