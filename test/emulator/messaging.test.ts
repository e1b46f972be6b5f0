import { CbEvents } from '@openim/client-sdk';
import type { ConversationItem, MessageItem } from '@openim/client-sdk';
import { adminPost, adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import type { SdkClient } from '../support/clientSdk';
import { startTestServer } from '../support/emulator';
import type { TestServer } from '../support/emulator';

describe('messages between two client SDKs', () => {
  let server: TestServer;
  let admin: string;
  const clients: SdkClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    admin = await adminToken(server.apiAddress, server.secret);
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await server.close();
  });

  async function login(prefix: string, platformID = WEB_PLATFORM_ID): Promise<SdkClient> {
    const userID = uniqueUserID(prefix);
    await registerUsers(server.apiAddress, admin, [{ userID, nickname: prefix }]);
    const token = await userToken(server.apiAddress, admin, userID, platformID);
    const c = await loggedInClient({ userID, token, wsAddr: server.wsAddress, apiAddr: server.apiAddress, platformID });
    clients.push(c);
    return c;
  }

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
      server.apiAddress, admin, '/msg/get_conversations_has_read_and_max_seq', { userID: b.userID, conversationIDs: [conversationID] });
    expect(seqs.seqs?.[conversationID]).toEqual(expect.objectContaining({ hasReadSeq: 1, maxSeq: 1 }));

    await a.sdk.revokeMessage({ conversationID, clientMsgID: text.data.clientMsgID });
    const revoked = await b.events.waitFor(CbEvents.OnNewRecvMessageRevoked);
    expect(revoked.data).toEqual(expect.objectContaining({ clientMsgID: text.data.clientMsgID, revokerID: a.userID }));
  });

  it('delivers an admin /msg/send_msg text to a client', async () => {
    const sender = uniqueUserID('sys');
    await registerUsers(server.apiAddress, admin, [{ userID: sender, nickname: 'system' }]);
    const c = await login('carol');
    const reply = await adminPost<{ serverMsgID: string; clientMsgID: string; sendTime: number }>(server.apiAddress, admin, '/msg/send_msg', {
      sendID: sender, recvID: c.userID, senderPlatformID: 5, content: { content: 'from admin' }, contentType: 101, sessionType: 1,
    });
    expect(reply.clientMsgID).not.toBe('');
    const got = await c.events.waitFor(CbEvents.OnRecvNewMessages, (e) => messagesOf(e.data).some((m) => m.clientMsgID === reply.clientMsgID));
    expect(messagesOf(got.data)[0].textElem?.content).toBe('from admin');
  });

  it('kicks the first login when the same user logs in again on the same platform (multiLogin policy 1)', async () => {
    const userID = uniqueUserID('dave');
    await registerUsers(server.apiAddress, admin, [{ userID }]);
    const token1 = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    const first = await loggedInClient({ userID, token: token1, wsAddr: server.wsAddress, apiAddr: server.apiAddress });
    clients.push(first);
    // tokens are JWTs with second resolution: the same second yields the same token, which the
    // real gateway does not kick, so ask until the server issues a different one
    let token2 = token1;
    const deadline = Date.now() + 3000;
    while (token2 === token1 && Date.now() < deadline) token2 = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    expect(token2).not.toBe(token1);
    const second = await loggedInClient({ userID, token: token2, wsAddr: server.wsAddress, apiAddr: server.apiAddress });
    clients.push(second);
    await first.events.waitFor(CbEvents.OnKickedOffline);
    expect(second.events.all(CbEvents.OnKickedOffline)).toHaveLength(0);
    if (server.emulator) expect(server.emulator.stats.connectionsOf(userID)).toBe(1);
  });

  it('force_logout kicks the connection and invalidates its token', async () => {
    const e = await login('erin');
    await adminPost(server.apiAddress, admin, '/auth/force_logout', { userID: e.userID, platformID: WEB_PLATFORM_ID });
    await e.events.waitFor(CbEvents.OnKickedOffline);
  });
});
