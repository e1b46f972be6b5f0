/**
 * The bridge process going away while OpenIM stays up: stopped with SIGTERM, or killed with
 * SIGKILL, then started again (same port, same data directory). 200 messages in 10
 * conversations (single and group) are sent while it is down; the jssdk reconnects by
 * itself (its 5 s retry) and logs in again on the new process, which knows the app instance
 * from its delivery cursors and catches it up: each message once, in seq order per
 * conversation, and every conversation's unreadCount and latestMsg as on the server.
 */
import { registerUsers, uniqueUserID, userToken } from '../../support/admin';
import type { BridgeProcess } from '../../support/bridgeProcess';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll, waitForListInStep } from '../../support/continuity';
import { createJssdk, jssdkLogin } from '../../support/jssdk';
import { metricValue, scrapeMetrics } from '../../support/metrics';
import { processSuite } from '../../support/processSuite';
import { waitUntil } from '../../support/wait';

/** The jssdk retries every 5 s; room for a loaded machine. */
const RECONNECT_MS = 40_000;
const FLUSH_MS = '50';

const procs = processSuite();

function start(dataDir: string, port = 0): Promise<BridgeProcess> {
  return procs.start({ OPENIM_DB_DIR: dataDir, SDK_WS_PORT: String(port), CURSOR_FLUSH_MS: FLUSH_MS, LOG_LEVEL: 'warn' });
}

async function metric(b: BridgeProcess, name: string): Promise<number> {
  return metricValue(await scrapeMetrics(`http://127.0.0.1:${b.ready.port}`), name);
}

async function pollMetric(b: BridgeProcess, name: string, ok: (v: number) => boolean): Promise<void> {
  await waitUntil(async () => ok(await metric(b, name)), `${name} to get there`);
}

describe.each([['SIGTERM'], ['SIGKILL']] as const)('Continuity: the bridge stopped with %s and started again', (signal) => {
  it('after the jssdk\'s own reconnect, 200 messages sent while it was down arrive once each, in seq order, with the list in step', async () => {
    const dataDir = procs.dataDir();
    const first = await start(dataDir);
    const userID = uniqueUserID(`restart${signal}`);
    await registerUsers(procs.server.apiAddress, procs.admin, [{ userID }]);
    const app = createJssdk(userID);
    procs.clients.push(app);
    await jssdkLogin(app, { token: await userToken(procs.server.apiAddress, procs.admin, userID, 5), wsAddr: first.ready.wsAddress, apiAddr: procs.server.apiAddress });
    await app.events.waitFor('OnSyncServerFinish');
    const world = await chatWorld(procs.server.apiAddress, procs.admin, userID, 6, 4);
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
