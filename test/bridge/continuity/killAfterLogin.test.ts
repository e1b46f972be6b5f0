/**
 * The bridge killed (SIGKILL) the moment a first login was answered, before any timer could
 * write what it knows of the app instance. The instance is durable before its Login is
 * answered (its cursors at login are in the state store first), so the restarted bridge
 * recognises it when the jssdk reconnects and catches it up: every message sent while the
 * bridge was down arrives once, in seq order per conversation.
 */
import fs from 'node:fs';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../../support/admin';
import { freshDataDir, startBridgeProcess, type BridgeProcess } from '../../support/bridgeProcess';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll } from '../../support/continuity';
import { startTestServer, type TestServer } from '../../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../../support/redis';

requireRedisUnderCi();

/** The jssdk retries every 5 s; room for a loaded machine. */
const RECONNECT_MS = 40_000;

let server: TestServer;
let admin: string;
let redis: RedisServer | undefined;
const clients: JssdkClient[] = [];
const bridges: BridgeProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  admin = await adminToken(server.apiAddress, server.secret);
  if (REDIS_SERVER) redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  for (const b of bridges) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
  await Promise.all(bridges.map((b) => b.exited()));
  await server.close();
  await redis?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** The state store's settings: LevelDB under the data directory, or a Redis prefix of the test's own. */
type Store = (dataDir: string) => Record<string, string>;
const STORES: Array<[string, Store]> = [['LevelDB', () => ({})]];
if (REDIS_SERVER) STORES.push(['Redis', (dataDir) => ({ STATE_STORE: redis!.url, STATE_STORE_PREFIX: `kill${dataDir.slice(-6)}:` })]);

/** The production defaults (cursor_flush_ms, relation_snapshot_flush_ms): nothing tuned for the test. */
function start(dataDir: string, store: Store, port = 0): Promise<BridgeProcess> {
  const env = { OPENIM_API_ADDRESS: server.apiAddress, OPENIM_WS_ADDRESS: server.wsAddress, OPENIM_DB_DIR: dataDir, SDK_WS_PORT: String(port), LOG_LEVEL: 'warn', ...store(dataDir) };
  return startBridgeProcess([], env).then((b) => {
    bridges.push(b);
    return b;
  });
}

describe.each(STORES)('Continuity on %s: the bridge killed right after a first Login was answered', (_name, store) => {
  it('after the jssdk\'s own reconnect to the restarted bridge, every message sent while it was down arrives once, in order', async () => {
    const dataDir = freshDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir, store);
    const userID = uniqueUserID('killedAtLogin');
    await registerUsers(server.apiAddress, admin, [{ userID }]);
    const world = await chatWorld(server.apiAddress, admin, userID, 3, 2);
    const app = createJssdk(userID);
    clients.push(app);
    const away = app.events.mark();
    await jssdkLogin(app, { token: await userToken(server.apiAddress, admin, userID, 5), wsAddr: first.ready.wsAddress, apiAddr: server.apiAddress });
    first.child.kill('SIGKILL');
    expect((await first.exited()).signal).toBe('SIGKILL');

    const expected = await sendBurst(world, 4, 'while killed');
    await start(dataDir, store, first.ready.port);
    const got = await waitForAll(app, away, expected, RECONNECT_MS);
    expectExactlyOnceInOrder(got, expected);
  }, 120_000);
});
