/**
 * The crash policy, on the real process (a preloaded script makes the faults happen inside it,
 * test/support/faultInjection.js). An unhandled rejection is logged and counted and the bridge
 * goes on serving. An uncaught exception is logged and counted, every client is closed with
 * 1001 and the process exits 1; started again by its supervisor (here: the test) on the same
 * port and data, it catches the jssdk up, by the jssdk's own reconnect, on every message sent
 * meanwhile, once each and in order.
 */
import fs from 'node:fs';
import path from 'node:path';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { freshDataDir, startBridgeProcess, type BridgeProcess } from '../support/bridgeProcess';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll } from '../support/continuity';
import { startTestServer, type TestServer } from '../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { metricValue, scrapeMetrics } from '../support/metrics';
import { waitUntil } from '../support/wait';

const INJECT = path.resolve(__dirname, '../support/faultInjection.js');
const RECONNECT_MS = 40_000;

let server: TestServer;
let admin: string;
const clients: JssdkClient[] = [];
const bridges: BridgeProcess[] = [];
const dataDir = freshDataDir();

beforeAll(async () => {
  server = await startTestServer();
  admin = await adminToken(server.apiAddress, server.secret);
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  for (const b of bridges) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
  await Promise.all(bridges.map((b) => b.exited()));
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function start(port = 0, faults = ''): Promise<BridgeProcess> {
  const env: Record<string, string> = { OPENIM_API_ADDRESS: server.apiAddress, OPENIM_WS_ADDRESS: server.wsAddress, OPENIM_DB_DIR: dataDir, SDK_WS_PORT: String(port), CURSOR_FLUSH_MS: '50', LOG_LEVEL: 'info' };
  if (faults) Object.assign(env, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${INJECT}`.trim(), BRIDGE_TEST_FAULTS: faults });
  const b = await startBridgeProcess([], env);
  bridges.push(b);
  return b;
}

type LogLine = { level?: number; msg?: string; err?: { message?: string } };
const logged = (b: BridgeProcess, msg: string) => (b.lines as LogLine[]).filter((l) => l.msg?.startsWith(msg));

describe('Crash policy', () => {
  it('counts an unhandled rejection and goes on; after an uncaught exception closes everyone with 1001, exits 1, and the restarted bridge catches the app up', async () => {
    const first = await start(0, 'rejection,exception');
    const userID = uniqueUserID('crash');
    await registerUsers(server.apiAddress, admin, [{ userID }]);
    const app = createJssdk(userID);
    clients.push(app);
    await jssdkLogin(app, { token: await userToken(server.apiAddress, admin, userID, 5), wsAddr: first.ready.wsAddress, apiAddr: server.apiAddress });
    await app.events.waitFor('OnSyncServerFinish');
    const world = await chatWorld(server.apiAddress, admin, userID, 3, 1);
    const base = `http://127.0.0.1:${first.ready.port}`;

    // An unhandled rejection: logged, counted, nothing else.
    first.child.kill('SIGUSR2');
    await waitUntil(async () => metricValue(await scrapeMetrics(base), 'openim_bridge_unhandled_rejections_total') === 1, 'the rejection counted');
    expect(logged(first, 'unhandled rejection').map((l) => [l.level, l.err?.message])).toEqual([[50, 'injected rejection']]);
    const live = app.events.mark();
    const sentLive = await sendBurst(world, 2, 'after the rejection');
    expectExactlyOnceInOrder(await waitForAll(app, live, sentLive, 10_000), sentLive);
    expect(first.child.exitCode).toBeNull();
    await waitUntil(async () => metricValue(await scrapeMetrics(base), 'openim_bridge_cursors_pending') === 0, 'the delivery cursors written');

    // An uncaught exception: every client closed with 1001, exit 1.
    const ws = (app.sdk as unknown as { wsManager: { ws: import('ws').WebSocket } }).wsManager.ws;
    const closed = new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code)));
    const away = app.events.mark();
    first.child.kill('SIGUSR2');
    expect(await closed).toBe(1001);
    expect(await first.exited()).toEqual({ code: 1, signal: null });
    expect(logged(first, 'uncaught exception').map((l) => [l.level, l.err?.message])).toEqual([[60, 'injected exception']]);

    // The supervisor starts it again; the jssdk's own reconnect finds it and is caught up.
    const sentAway = await sendBurst(world, 5, 'while crashed');
    const second = await start(first.ready.port);
    expectExactlyOnceInOrder(await waitForAll(app, away, sentAway, RECONNECT_MS), sentAway);
    await waitUntil(async () => metricValue(await scrapeMetrics(`http://127.0.0.1:${second.ready.port}`), 'openim_bridge_catchup_messages_total') === 20, 'the catch-up counted');
  }, 120_000);
});
