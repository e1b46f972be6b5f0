import { CbEvents } from '@openim/client-sdk';
import type { ConversationItem, MessageItem } from '@openim/client-sdk';
import { adminPost, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

describe('messages between two client SDKs', () => {
  const suite = emulatorSuite();
  const { login } = suite;

  const messagesOf = (data: unknown): MessageItem[] => data as MessageItem[];
  const conversationsOf = (data: unknown): ConversationItem[] => data as ConversationItem[];

  it('delivers a text, counts it unread, marks it read, and revokes it', async () => {
    const a = await login('alice');
    const b = await login('bob');
    const text = await a.sdk.createTextMessage('hello bob');
    const sent = await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: text.data });
    expect(sent.data.serverMsgID).not.toBe('');

    const received = await b.events.waitFor(CbEvents.OnRecvNewMessages, (e) => messagesOf(e.data).some((m) => m.clientMsgID === text.data.clientMsgID));
    const msg = messagesOf(received.data).find((m) => m.clientMsgID === text.data.clientMsgID);
    expect(msg?.textElem?.content).toBe('hello bob');
    expect(msg?.seq).toBe(1);
    expect(msg?.sendID).toBe(a.userID);

    const conversationID = `si_${[a.userID, b.userID].sort().join('_')}`;
    const fresh = await b.events.waitFor(CbEvents.OnNewConversation, (e) => conversationsOf(e.data).some((c) => c.conversationID === conversationID));
    expect(conversationsOf(fresh.data).find((c) => c.conversationID === conversationID)?.unreadCount).toBe(1);

    const mark = b.events.mark();
    await b.sdk.markConversationMessageAsRead(conversationID);
    const read = await b.events.waitFor(
      CbEvents.OnConversationChanged,
      (e) => conversationsOf(e.data).some((c) => c.conversationID === conversationID && c.unreadCount === 0),
      undefined,
      mark,
    );
    expect(conversationsOf(read.data)[0].unreadCount).toBe(0);
    const seqs = await adminPost<{ seqs?: Record<string, { hasReadSeq?: number; maxSeq?: number }> }>(
      suite.server.apiAddress, suite.admin, '/msg/get_conversations_has_read_and_max_seq', { userID: b.userID, conversationIDs: [conversationID] });
    expect(seqs.seqs?.[conversationID]).toEqual(expect.objectContaining({ hasReadSeq: 1, maxSeq: 1 }));

    await a.sdk.revokeMessage({ conversationID, clientMsgID: text.data.clientMsgID });
    const revoked = await b.events.waitFor(CbEvents.OnNewRecvMessageRevoked);
    expect(revoked.data).toEqual(expect.objectContaining({ clientMsgID: text.data.clientMsgID, revokerID: a.userID }));
  });

  it('delivers an admin /msg/send_msg text to a client', async () => {
    const sender = uniqueUserID('sys');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID: sender, nickname: 'system' }]);
    const c = await login('carol');
    const reply = await adminPost<{ serverMsgID: string; clientMsgID: string; sendTime: number }>(suite.server.apiAddress, suite.admin, '/msg/send_msg', {
      sendID: sender, recvID: c.userID, senderPlatformID: 5, content: { content: 'from admin' }, contentType: 101, sessionType: 1,
    });
    expect(reply.clientMsgID).not.toBe('');
    const got = await c.events.waitFor(CbEvents.OnRecvNewMessages, (e) => messagesOf(e.data).some((m) => m.clientMsgID === reply.clientMsgID));
    expect(messagesOf(got.data)[0].textElem?.content).toBe('from admin');
  });

  it('kicks the first login when the same user logs in again on the same platform (multiLogin policy 1)', async () => {
    const userID = uniqueUserID('dave');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID }]);
    const token1 = await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID);
    const first = await loggedInClient({ userID, token: token1, wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    suite.track(first);
    // tokens are JWTs with second resolution: the same second yields the same token, which the
    // real gateway does not kick, so ask until the server issues a different one
    let token2 = token1;
    const deadline = Date.now() + 3000;
    while (token2 === token1 && Date.now() < deadline) token2 = await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID);
    expect(token2).not.toBe(token1);
    const second = await loggedInClient({ userID, token: token2, wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    suite.track(second);
    await first.events.waitFor(CbEvents.OnKickedOffline);
    expect(second.events.all(CbEvents.OnKickedOffline)).toHaveLength(0);
    if (suite.server.emulator) expect(suite.server.emulator.stats.connectionsOf(userID)).toBe(1);
  });

  it('force_logout kicks the connection and invalidates its token', async () => {
    const e = await login('erin');
    await adminPost(suite.server.apiAddress, suite.admin, '/auth/force_logout', { userID: e.userID, platformID: WEB_PLATFORM_ID });
    await e.events.waitFor(CbEvents.OnKickedOffline);
  });
});
