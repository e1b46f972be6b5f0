/**
 * `npm run state:migrate -- --from <dir> --to redis://…` (the zx script, the built CLI) copies
 * every partition of a bridge's LevelDB state into Redis, time to live included; run twice it
 * leaves the same data; a bad address or missing argument fails with a message and no copy.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ClassicLevel } from 'classic-level';
import { openLevelStateStore } from '../../state/levelStateStore';
import { openRedisStateStore } from '../../state/redisStateStore';
import { localStoreOn } from '../../core_func/localStore/localStore';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../support/redis';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const zx = path.join(root, 'node_modules/zx/build/cli.js');
const migrate = (args: string[]) => run(process.execPath, [zx, path.join(root, 'scripts', 'stateMigrate.mjs'), ...args], { cwd: root, timeout: 120_000 });

requireRedisUnderCi();
const maybe = REDIS_SERVER ? describe : describe.skip;

maybe('state:migrate', () => {
  let redis: RedisServer;
  let dir: string;
  beforeAll(async () => {
    redis = await startRedis();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'migrate-db-'));
  });
  afterAll(async () => {
    await redis?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('copies every partition of a LevelDB state store into Redis, idempotently', async () => {
    // One user in the layout of earlier releases, one written today, one instance's cursors with a TTL.
    const raw = new ClassicLevel<string, unknown>(path.join(dir, 'bridge-local.leveldb'), { valueEncoding: 'json' });
    await raw.put('old%2Fuser/draft/si_a_b', { draftText: 'from before', draftTextTime: 5 });
    await raw.close();
    const level = await openLevelStateStore(dir);
    const local = localStoreOn(level);
    const bob = local.forUser('bob');
    await bob.setDraft('si_bob_carol', { draftText: 'hello', draftTextTime: 7 });
    await bob.markDeleted('si_bob_carol', 'm1');
    await bob.hideConversation('sg_g1', 9);
    await bob.insertMessage('si_bob_carol', { clientMsgID: 'ins1', textElem: { content: 'local' } });
    await bob.setLocalEx('si_bob_carol', 'ins1', 'ex1');
    await level.batch('cur:bob\u00005\u0000op1', [{ type: 'put', key: 'seq/si_bob_carol', value: 12 }], { ttlMs: 3_600_000 });
    await level.close();

    const first = await migrate(['--from', dir, '--to', redis.url]);
    const line = JSON.parse(first.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(line).toEqual({ event: 'migrated', from: `leveldb:${dir}`, to: redis.url, partitions: 3, entries: 7 });
    const again = JSON.parse((await migrate(['--from', dir, `--to=${redis.url}`])).stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    expect(again).toEqual(line);

    const shared = await openRedisStateStore({ url: redis.url, prefix: 'openim-bridge:', commandTimeoutMs: 1_000 });
    expect(await shared.partitions!()).toEqual(['cur:bob\u00005\u0000op1', 'u:bob', 'u:old/user']);
    const remote = localStoreOn(shared);
    const rb = remote.forUser('bob');
    expect([...(await rb.drafts())]).toEqual([['si_bob_carol', { draftText: 'hello', draftTextTime: 7 }]]);
    expect([...(await rb.deletedIDs('si_bob_carol'))]).toEqual(['m1']);
    expect(await rb.hiddenAt('sg_g1')).toBe(9);
    expect(await rb.insertedMessages('si_bob_carol')).toEqual([{ clientMsgID: 'ins1', textElem: { content: 'local' }, localEx: 'ex1' }]);
    expect([...(await rb.localExes('si_bob_carol'))]).toEqual([['ins1', 'ex1']]);
    expect([...(await remote.forUser('old/user').drafts())]).toEqual([['si_a_b', { draftText: 'from before', draftTextTime: 5 }]]);
    expect(await shared.get('cur:bob\u00005\u0000op1', 'seq/si_bob_carol')).toBe(12);
    const ttl = await shared.remainingTtlMs!('cur:bob\u00005\u0000op1');
    expect(ttl).toBeGreaterThan(3_000_000);
    expect(await shared.remainingTtlMs!('u:bob')).toBeUndefined();
    await remote.close();
  }, 120_000);

  it('refuses without a Redis address, and names an unreachable one without its password', async () => {
    const usage = (await migrate(['--from', dir]).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: npm run state:migrate -- --from <openIMDbDir> --to redis://');
    const down = (await migrate(['--from', dir, '--to', 'redis://admin:s3cret@127.0.0.1:1/0']).catch((e: unknown) => e)) as { code: number; stderr: string };
    expect(down.code).toBe(1);
    expect(down.stderr).toContain('cannot reach the state store redis://127.0.0.1:1/0: connect ECONNREFUSED');
    expect(down.stderr).not.toContain('s3cret');
  }, 120_000);
});
