/**
 * The crash policy, on the real process (a preloaded script makes the faults happen inside it,
 * test/support/faultInjection.js). An unhandled rejection is logged and counted and the bridge
 * goes on serving. An uncaught exception is logged and counted, every client is closed with
 * 1001 and the process exits 1; started again by its supervisor (here: the test) on the same
 * port and data, it catches the jssdk up, by the jssdk's own reconnect, on every message sent
 * meanwhile, once each and in order.
 */
import path from 'node:path';
import { registerUsers, uniqueUserID, userToken } from '../support/admin';
import type { BridgeProcess } from '../support/bridgeProcess';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll } from '../support/continuity';
import { createJssdk, jssdkLogin } from '../support/jssdk';
import { processSuite } from '../support/processSuite';
import { metricValue, scrapeMetrics } from '../support/metrics';
import { waitUntil } from '../support/wait';

const INJECT = path.resolve(__dirname, '../support/faultInjection.js');
const RECONNECT_MS = 40_000;

const procs = processSuite();
const dataDir = procs.dataDir();

async function start(port = 0, faults = ''): Promise<BridgeProcess> {
  const env: Record<string, string> = { OPENIM_DB_DIR: dataDir, SDK_WS_PORT: String(port), CURSOR_FLUSH_MS: '50', LOG_LEVEL: 'info' };
  if (faults) Object.assign(env, { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --require ${INJECT}`.trim(), BRIDGE_TEST_FAULTS: faults });
  return procs.start(env);
}

type LogLine = { level?: number; msg?: string; err?: { message?: string } };
const logged = (b: BridgeProcess, msg: string) => (b.lines as LogLine[]).filter((l) => l.msg?.startsWith(msg));

describe('Crash policy', () => {
  it('counts an unhandled rejection and goes on; after an uncaught exception closes everyone with 1001, exits 1, and the restarted bridge catches the app up', async () => {
    const first = await start(0, 'rejection,exception');
    const userID = uniqueUserID('crash');
    await registerUsers(procs.server.apiAddress, procs.admin, [{ userID }]);
    const app = createJssdk(userID);
    procs.clients.push(app);
    await jssdkLogin(app, { token: await userToken(procs.server.apiAddress, procs.admin, userID, 5), wsAddr: first.ready.wsAddress, apiAddr: procs.server.apiAddress });
    await app.events.waitFor('OnSyncServerFinish');
    const world = await chatWorld(procs.server.apiAddress, procs.admin, userID, 3, 1);
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
