/**
 * The bridge process going away while OpenIM stays up: stopped with SIGTERM, or killed with
 * SIGKILL, then started again (same port, same data directory). 200 messages in 10
 * conversations (single and group) are sent while it is down; the jssdk reconnects by
 * itself (its 5 s retry) and logs in again on the new process, which knows the app instance
 * from its delivery cursors and catches it up: each message once, in seq order per
 * conversation, and every conversation's unreadCount and latestMsg as on the server.
 */
import fs from 'node:fs';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../../support/admin';
import { freshDataDir, startBridgeProcess, type BridgeProcess } from '../../support/bridgeProcess';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll, waitForListInStep } from '../../support/continuity';
import { startTestServer, type TestServer } from '../../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';

/** The jssdk retries every 5 s; room for a loaded machine. */
const RECONNECT_MS = 40_000;
const FLUSH_MS = '50';

let server: TestServer;
let admin: string;
const clients: JssdkClient[] = [];
const bridges: BridgeProcess[] = [];
const dirs: string[] = [];

beforeAll(async () => {
  server = await startTestServer();
  admin = await adminToken(server.apiAddress, server.secret);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  for (const b of bridges) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
  await Promise.all(bridges.map((b) => b.exited()));
  await server.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function start(dataDir: string, port = 0): Promise<BridgeProcess> {
  const env = { OPENIM_API_ADDRESS: server.apiAddress, OPENIM_WS_ADDRESS: server.wsAddress, OPENIM_DB_DIR: dataDir, SDK_WS_PORT: String(port), CURSOR_FLUSH_MS: FLUSH_MS, LOG_LEVEL: 'warn' };
  return startBridgeProcess([], env).then((b) => {
    bridges.push(b);
    return b;
  });
}

async function metric(b: BridgeProcess, name: string): Promise<number> {
  const text = await (await fetch(`http://127.0.0.1:${b.ready.port}/metrics`)).text();
  const m = new RegExp(`^${name} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : 0;
}

async function pollMetric(b: BridgeProcess, name: string, ok: (v: number) => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!ok(await metric(b, name))) {
    if (Date.now() > deadline) throw new Error(`${name} never got there`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.each([['SIGTERM'], ['SIGKILL']] as const)('Continuity: the bridge stopped with %s and started again', (signal) => {
  it('after the jssdk\'s own reconnect, 200 messages sent while it was down arrive once each, in seq order, with the list in step', async () => {
    const dataDir = freshDataDir();
    dirs.push(dataDir);
    const first = await start(dataDir);
    const userID = uniqueUserID(`restart${signal}`);
    await registerUsers(server.apiAddress, admin, [{ userID }]);
    const app = createJssdk(userID);
    clients.push(app);
    await jssdkLogin(app, { token: await userToken(server.apiAddress, admin, userID, 5), wsAddr: first.ready.wsAddress, apiAddr: server.apiAddress });
    await app.events.waitFor('OnSyncServerFinish');
    const world = await chatWorld(server.apiAddress, admin, userID, 6, 4);
    const live = app.events.mark();
    await waitForAll(app, live, await sendBurst(world, 1, 'live'), 10_000);
    // Everything given so far is committed: what SIGKILL could cost is re-sends of the last cursor_flush_ms, not measured here.
    await pollMetric(first, 'openim_bridge_cursors_pending', (v) => v === 0);
    expect(await metric(first, 'openim_bridge_cursor_commits_total')).toBeGreaterThan(0);

    const away = app.events.mark();
    first.child.kill(signal);
    const exit = await first.exited();
    expect(signal === 'SIGTERM' ? exit.code : exit.signal).toBe(signal === 'SIGTERM' ? 0 : 'SIGKILL');
    const expected = await sendBurst(world, 20, `while ${signal}`);
    const second = await start(dataDir, first.ready.port);

    const got = await waitForAll(app, away, expected, RECONNECT_MS);
    expectExactlyOnceInOrder(got, expected);
    await waitForListInStep(app, away, world, 10_000);
    await pollMetric(second, 'openim_bridge_catchup_messages_total', (v) => v === 200);
  }, 120_000);
});
