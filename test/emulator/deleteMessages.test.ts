import type { MessageItem } from '@openim/client-sdk';
import { adminPost, adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import { startTestServer } from '../support/emulator';
import type { TestServer } from '../support/emulator';

describe('deleting and clearing messages on the server', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(() => server.close());

  async function chat(prefix: string, texts: string[]): Promise<{ sender: string; reader: string; conversationID: string }> {
    const sender = uniqueUserID(`${prefix}s`);
    const reader = uniqueUserID(`${prefix}r`);
    await registerUsers(server.apiAddress, admin, [{ userID: sender }, { userID: reader }]);
    for (const text of texts) {
      await adminPost(server.apiAddress, admin, '/msg/send_msg', { sendID: sender, recvID: reader, senderPlatformID: 5, content: { content: text }, contentType: 101, sessionType: 1 });
    }
    return { sender, reader, conversationID: `si_${[sender, reader].sort().join('_')}` };
  }

  async function historyOf(userID: string, conversationID: string): Promise<Array<[number, string | undefined]>> {
    const c = await loggedInClient({ userID, token: await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID), wsAddr: server.wsAddress, apiAddr: server.apiAddress });
    try {
      const h = await c.sdk.getAdvancedHistoryMessageList({ conversationID, count: 20, startClientMsgID: '' });
      return h.data.messageList.map((m: MessageItem) => [m.seq, m.textElem?.content]);
    } finally {
      await c.dispose();
    }
  }

  it('hides a message deleted for oneself from that user only', async () => {
    const { sender, reader, conversationID } = await chat('del', ['keep', 'drop', 'last']);
    const readerToken = await userToken(server.apiAddress, admin, reader, WEB_PLATFORM_ID);
    await adminPost(server.apiAddress, readerToken, '/msg/delete_msgs', { userID: reader, conversationID, seqs: [2] });
    expect(await historyOf(reader, conversationID)).toEqual([[1, 'keep'], [3, 'last']]);
    expect(await historyOf(sender, conversationID)).toEqual([[1, 'keep'], [2, 'drop'], [3, 'last']]);
  });

  it('clears the history for oneself and marks it read', async () => {
    const { sender, reader, conversationID } = await chat('clr', ['a', 'b']);
    await adminPost(server.apiAddress, admin, '/msg/clear_conversation_msg', { userID: reader, conversationIDs: [conversationID] });
    expect(await historyOf(reader, conversationID)).toEqual([]);
    const seqs = await adminPost<{ seqs?: Record<string, { hasReadSeq?: number; maxSeq?: number }> }>(
      server.apiAddress, admin, '/msg/get_conversations_has_read_and_max_seq', { userID: reader, conversationIDs: [conversationID] });
    expect(seqs.seqs?.[conversationID]).toEqual(expect.objectContaining({ hasReadSeq: 2, maxSeq: 2 }));
    expect(await historyOf(sender, conversationID)).toHaveLength(2);
  });
});
