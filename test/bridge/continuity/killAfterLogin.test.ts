/**
 * The bridge killed (SIGKILL) the moment a first login was answered, before any timer could
 * write what it knows of the app instance. The instance is durable before its Login is
 * answered (its cursors at login are in the state store first), so the restarted bridge
 * recognises it when the jssdk reconnects and catches it up: every message sent while the
 * bridge was down arrives once, in seq order per conversation.
 */
import { registerUsers, uniqueUserID, userToken } from '../../support/admin';
import type { BridgeProcess } from '../../support/bridgeProcess';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll } from '../../support/continuity';
import { createJssdk, jssdkLogin } from '../../support/jssdk';
import { processSuite } from '../../support/processSuite';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../../support/redis';

requireRedisUnderCi();

/** The jssdk retries every 5 s; room for a loaded machine. */
const RECONNECT_MS = 40_000;

const procs = processSuite();
let redis: RedisServer | undefined;

beforeAll(async () => {
  if (REDIS_SERVER) redis = await startRedis();
});
afterAll(async () => {
  await redis?.close();
});

/** The state store's settings: LevelDB under the data directory, or a Redis prefix of the test's own. */
type Store = (dataDir: string) => Record<string, string>;
const STORES: Array<[string, Store]> = [['LevelDB', () => ({})]];
if (REDIS_SERVER) STORES.push(['Redis', (dataDir) => ({ STATE_STORE: redis!.url, STATE_STORE_PREFIX: `kill${dataDir.slice(-6)}:` })]);

/** The production defaults (cursor_flush_ms, relation_snapshot_flush_ms): nothing tuned for the test. */
function start(dataDir: string, store: Store, port = 0): Promise<BridgeProcess> {
  return procs.start({ OPENIM_DB_DIR: dataDir, SDK_WS_PORT: String(port), LOG_LEVEL: 'warn', ...store(dataDir) });
}

describe.each(STORES)('Continuity on %s: the bridge killed right after a first Login was answered', (_name, store) => {
  it('after the jssdk\'s own reconnect to the restarted bridge, every message sent while it was down arrives once, in order', async () => {
    const dataDir = procs.dataDir();
    const first = await start(dataDir, store);
    const userID = uniqueUserID('killedAtLogin');
    await registerUsers(procs.server.apiAddress, procs.admin, [{ userID }]);
    const world = await chatWorld(procs.server.apiAddress, procs.admin, userID, 3, 2);
    const app = createJssdk(userID);
    procs.clients.push(app);
    const away = app.events.mark();
    await jssdkLogin(app, { token: await userToken(procs.server.apiAddress, procs.admin, userID, 5), wsAddr: first.ready.wsAddress, apiAddr: procs.server.apiAddress });
    first.child.kill('SIGKILL');
    expect((await first.exited()).signal).toBe('SIGKILL');

    const expected = await sendBurst(world, 4, 'while killed');
    await start(dataDir, store, first.ready.port);
    const got = await waitForAll(app, away, expected, RECONNECT_MS);
    expectExactlyOnceInOrder(got, expected);
  }, 120_000);
});
