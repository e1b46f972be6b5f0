/**
 * An app instance is durable before its Login is answered (core_func/continuity/cursorStore.ts
 * `enrol`): once enrol resolves, a process that never commits again (SIGKILL) has left the
 * instance and its cursors at login in the state store, on LevelDB and on Redis alike. A second
 * CursorStore, with nothing in memory, reads it back as a known instance.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CursorStore } from '../../core_func/continuity/cursorStore';
import { openLevelStateStore } from '../../state/levelStateStore';
import { openRedisStateStore } from '../../state/redisStateStore';
import type { StateStore } from '../../state/stateStore';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../support/redis';

requireRedisUnderCi();

let redis: RedisServer | undefined;
let dir: string;
let n = 0;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cursor-enrol-'));
  if (REDIS_SERVER) redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
  rmSync(dir, { recursive: true, force: true });
});

const backends: Array<[string, () => Promise<StateStore>]> = [['LevelDB', () => openLevelStateStore(join(dir, `db${n++}`))]];
if (REDIS_SERVER) backends.push(['Redis', () => openRedisStateStore({ url: redis!.url, prefix: `enrol${n++}:`, commandTimeoutMs: 1_000 })]);

/** Commits only far in the future: whatever is read back was written by enrol itself. */
const NEVER = { flushMs: 3_600_000, maxAgeMs: 3_600_000 };

describe.each(backends)('CursorStore.enrol on %s', (_name, open) => {
  it('writes the instance and its max seqs at login before it resolves', async () => {
    const state = await open();
    try {
      const instance = { userID: 'alice', platformID: 5, loginOperationID: 'op-login-1' };
      const writer = new CursorStore(state, NEVER);
      expect(await writer.load(instance)).toBeUndefined();
      await writer.enrol(instance, new Map([['si_alice_bob', 7], ['sg_g1', 3]]));
      expect(writer.pending).toBe(0);

      const afterCrash = new CursorStore(state, NEVER);
      const stored = await afterCrash.load(instance);
      expect(stored).toBeDefined();
      expect([...stored!.base].sort()).toEqual([['sg_g1', 3], ['si_alice_bob', 7]]);
      expect(stored!.given.size).toBe(0);
      // Another instance of the same user and platform is still unknown.
      expect(await afterCrash.load({ ...instance, loginOperationID: 'op-login-2' })).toBeUndefined();
    } finally {
      await state.close();
    }
  });

  it('rejects when the store cannot take it, so the caller knows the instance is not durable', async () => {
    const state = await open();
    await state.close();
    const writer = new CursorStore(state, NEVER);
    await expect(writer.enrol({ userID: 'bob', platformID: 5, loginOperationID: 'op' }, new Map([['si_bob_carol', 1]]))).rejects.toBeDefined();
  });
});
