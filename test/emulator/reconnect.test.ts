import { CbEvents } from '@openim/client-sdk';
import type { MessageItem } from '@openim/client-sdk';
import { adminPost, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

/** The client SDK waits 5 s before reconnecting; allow for it. */
const RECONNECT_WAIT_MS = 15_000;

describe('a client that loses its connection', () => {
  const suite = emulatorSuite();

  it('reconnects with the same token and keeps receiving', async () => {
    const emulator = suite.server.emulator;
    if (!emulator) return; // cutting a connection needs the emulator's test hook
    const sender = uniqueUserID('talker');
    const userID = uniqueUserID('flaky');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID: sender }, { userID }]);
    const c = await loggedInClient({ userID, token: await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID), wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    try {
      const send = (text: string): Promise<{ clientMsgID: string }> =>
        adminPost(suite.server.apiAddress, suite.admin, '/msg/send_msg', { sendID: sender, recvID: userID, senderPlatformID: 5, content: { content: text }, contentType: 101, sessionType: 1 });
      const first = await send('before');
      await c.events.waitFor(CbEvents.OnRecvNewMessages, (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === first.clientMsgID));

      const mark = c.events.mark();
      expect(emulator.dropConnections(userID)).toBe(1);
      expect(emulator.stats.connectionsOf(userID)).toBe(0);
      // Nothing is sent while the client is away: the client SDK 0.0.14 cannot catch up after a
      // reconnect (pullMsgBySeqRange spreads a Map with [].concat(map.entries()) and throws a
      // TypeError), against the real server as here.
      await c.events.waitFor(CbEvents.OnConnecting, undefined, RECONNECT_WAIT_MS, mark);
      await c.events.waitFor(CbEvents.OnSyncServerFinish, undefined, RECONNECT_WAIT_MS, mark);
      expect(emulator.stats.connectionsOf(userID)).toBe(1);

      const after = await send('after');
      const got = await c.events.waitFor(CbEvents.OnRecvNewMessages, (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === after.clientMsgID));
      const msg = (got.data as MessageItem[]).find((m) => m.clientMsgID === after.clientMsgID);
      expect(msg?.seq).toBe(2);
      expect(msg?.textElem?.content).toBe('after');
    } finally {
      await c.dispose();
    }
  }, 30_000);
});
