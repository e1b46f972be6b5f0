import { CbEvents } from '@openim/client-sdk';
import type { MessageItem } from '@openim/client-sdk';
import { adminPost, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

describe('what a client finds when it logs in after messages arrived', () => {
  const suite = emulatorSuite();

  it('lists the conversation with its unread count and pulls the history in seq order', async () => {
    const sender = uniqueUserID('early');
    const late = uniqueUserID('late');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID: sender, nickname: 'early' }, { userID: late, nickname: 'late' }]);
    for (const text of ['one', 'two', 'three']) {
      await adminPost(suite.server.apiAddress, suite.admin, '/msg/send_msg', {
        sendID: sender, recvID: late, senderPlatformID: 5, content: { content: text }, contentType: 101, sessionType: 1,
      });
    }
    const c = await loggedInClient({ userID: late, token: await userToken(suite.server.apiAddress, suite.admin, late, WEB_PLATFORM_ID), wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    suite.track(c);
    const conversationID = `si_${[sender, late].sort().join('_')}`;

    const list = await c.sdk.getConversationListSplit({ offset: 0, count: 20 });
    const conv = list.data.find((x) => x.conversationID === conversationID);
    expect(conv?.unreadCount).toBe(3);
    expect(conv?.userID).toBe(sender);
    expect(conv?.showName).toBe('early');
    expect((JSON.parse(conv?.latestMsg ?? '{}') as MessageItem).textElem?.content).toBe('three');
    expect((await c.sdk.getTotalUnreadMsgCount()).data).toBe(3);

    const history = await c.sdk.getAdvancedHistoryMessageList({ conversationID, count: 20, startClientMsgID: '' });
    expect(history.data.messageList.map((m) => [m.seq, m.textElem?.content])).toEqual([[1, 'one'], [2, 'two'], [3, 'three']]);
    expect(c.events.all(CbEvents.OnSyncServerFailed)).toHaveLength(0);
  });
});
