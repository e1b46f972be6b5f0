/**
 * The OpenIM server going away and coming back: sessions report the upstream's reconnects,
 * requests made meanwhile get an error (not silence), and afterwards messages flow again.
 */
import type { MessageItem } from 'open-im-sdk';
import { bridgeSuite } from '../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { usingEmulator } from '../support/emulator';

const SESSIONS = 50;
const BATCH = 10;
/** The client SDK retries every 5 s; leave room for a loaded machine. */
const RECOVERY_MS = 45_000;

const suite = bridgeSuite();
const clients: JssdkClient[] = [];

const maybe = usingEmulator() ? describe : describe.skip;

maybe('Upstream restart', () => {
  it(`keeps ${SESSIONS} sessions through an outage and lets them exchange messages afterwards`, async () => {
    const users = await suite.fx.newUsers('up', SESSIONS);
    for (let i = 0; i < users.length; i += BATCH) {
      await Promise.all(
        users.slice(i, i + BATCH).map(async (u) => {
          const c = suite.track(createJssdk(u));
          clients.push(c);
          await jssdkLogin(c, { token: await suite.fx.tokenFor(u), wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress });
          await c.events.waitFor('OnSyncServerFinish', undefined, 30_000);
        }),
      );
    }
    const marks = clients.map((c) => c.events.mark());

    await suite.fx.server.stop();
    // Each session sees the upstream trying again, and failing.
    await Promise.all(clients.map((c, i) => c.events.waitFor('OnConnectFailed', undefined, RECOVERY_MS, marks[i])));
    expect(clients.every((c, i) => c.events.history.slice(marks[i]).some((e) => e.event === 'OnConnecting'))).toBe(true);
    // A request that needs the upstream is answered with an error, not left hanging.
    const created = (await clients[0]!.sdk.createTextMessage('during the outage')).data as MessageItem;
    await expect(clients[0]!.sdk.sendMessage({ recvID: users[1]!, groupID: '', message: created })).rejects.toMatchObject({ event: 'SendMessageNotOss' });
    expect(suite.fx.bridge.sessionCount()).toBe(SESSIONS);

    const beforeRestart = clients.map((c) => c.events.mark());
    await suite.fx.server.start();
    await Promise.all(clients.map((c, i) => c.events.waitFor('OnConnectSuccess', undefined, RECOVERY_MS, beforeRestart[i])));

    const sinceRecovery = clients.map((c) => c.events.mark());
    await Promise.all(
      clients.map(async (c, i) => {
        const msg = (await c.sdk.createTextMessage(`after restart from ${i}`)).data as MessageItem;
        await c.sdk.sendMessage({ recvID: users[(i + 1) % SESSIONS]!, groupID: '', message: msg });
      }),
    );
    await Promise.all(
      clients.map((c, i) =>
        c.events.waitFor(
          'OnRecvNewMessages',
          (e) => (e.data as MessageItem[]).some((m) => m.textElem?.content === `after restart from ${(i + SESSIONS - 1) % SESSIONS}`),
          30_000,
          sinceRecovery[i],
        ),
      ),
    );
  }, 180_000);
});
