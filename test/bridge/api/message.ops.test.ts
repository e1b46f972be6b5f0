/**
 * Revoking, deleting, paging and finding messages, typing notices, and the message events,
 * end to end: open-im-sdk 3.5.2 → bridge → OpenIM server.
 */
import type { MessageItem, RevokedInfo } from 'open-im-sdk';
import { loggedInClient, type SdkClient } from '../../support/clientSdk';
import { adminPost } from '../../support/admin';
import { CLIENT_MODES, type JssdkClient } from '../../support/jssdk';
import { errCodeOf, sendText, singleConversationID, startSuite, type Suite, itSentFramesInTheClientsKind } from './messageSupport';

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  let s: Suite;
  const rawClients: SdkClient[] = [];

  beforeAll(async () => {
    s = await startSuite(mode);
  });
  afterAll(async () => {
    await Promise.all(rawClients.map((c) => c.dispose()));
    await s.close();
  });

  type Page = { isEnd: boolean; lastMinSeq: number; messageList: MessageItem[] };
  const history = async (c: { sdk: JssdkClient['sdk'] }, conversationID: string, count = 50, startClientMsgID = ''): Promise<Page> =>
    (await c.sdk.getAdvancedHistoryMessageList({ conversationID, count, startClientMsgID, lastMinSeq: 0 })).data as unknown as Page;

  describe('Receiving', () => {
    it('delivers OnRecvNewMessages, OnNewConversation, OnConversationChanged and OnTotalUnreadMessageCountChanged for a message sent by the admin REST API', async () => {
      const [sender, receiver] = (await s.fx.newUsers('rv', 2)) as [string, string];
      const c = await s.login(receiver);
      const mark = c.events.mark();
      await adminPost(s.fx.server.apiAddress, s.fx.adminToken, '/msg/send_msg', {
        sendID: sender, recvID: receiver, senderPlatformID: 5, content: { content: 'from the admin api' }, contentType: 101, sessionType: 1,
      });
      const got = await c.events.waitFor('OnRecvNewMessages', undefined, undefined, mark);
      const [m] = got.data as MessageItem[];
      expect(m).toMatchObject({ sendID: sender, recvID: receiver, contentType: 101, textElem: { content: 'from the admin api' }, pictureElem: null });
      const conv = await c.events.waitForAnyOf(['OnNewConversation', 'OnConversationChanged'], undefined, mark);
      expect(conv.data).toEqual(expect.arrayContaining([expect.objectContaining({ conversationID: singleConversationID(sender, receiver), userID: sender })]));
      await c.events.waitFor('OnTotalUnreadMessageCountChanged', (e) => e.data === 1, undefined, mark);
      const more = c.events.mark();
      await adminPost(s.fx.server.apiAddress, s.fx.adminToken, '/msg/send_msg', {
        sendID: sender, recvID: receiver, senderPlatformID: 5, content: { content: 'again' }, contentType: 101, sessionType: 1,
      });
      const changed = await c.events.waitFor('OnConversationChanged', undefined, undefined, more);
      expect((changed.data as Array<{ unreadCount: number; latestMsg: string }>)[0]).toMatchObject({ unreadCount: 2 });
      expect(JSON.parse((changed.data as Array<{ latestMsg: string }>)[0]!.latestMsg)).toMatchObject({ textElem: { content: 'again' } });
    });

    it('reports the initial sync with OnSyncServerStart and OnSyncServerFinish', async () => {
      const [u] = await s.fx.newUsers('sy', 1);
      const c = await s.login(u!);
      const start = c.events.history.findIndex((e) => e.event === 'OnSyncServerStart');
      const finish = c.events.history.findIndex((e) => e.event === 'OnSyncServerFinish');
      expect(start).toBeGreaterThanOrEqual(0);
      expect(finish).toBeGreaterThan(start);
      expect(c.events.all('OnSyncServerFailed')).toEqual([]);
    });
  });

  describe('Business notifications', () => {
    it('delivers OnRecvCustomBusinessMessage with the notification content', async () => {
      const [u] = await s.fx.newUsers('bn', 1);
      const c = await s.login(u!);
      const mark = c.events.mark();
      await adminPost(s.fx.server.apiAddress, s.fx.adminToken, '/msg/send_business_notification', {
        key: 'order', data: '{"id":7}', sendUserID: 'imAdmin', recvUserID: u, sendMsg: false,
      });
      const e = await c.events.waitFor('OnRecvCustomBusinessMessage', undefined, 5_000, mark);
      expect(e.data).toEqual({ key: 'order', data: '{"id":7}' });
    });
  });

  describe('Revoking', () => {
    it('RevokeMessage revokes; the peer gets OnNewRecvMessageRevoked with the RevokedInfo', async () => {
      const { a, ca, cb, conversationID } = await s.pair('rk');
      const sent = await sendText(ca, cb, 'regrettable');
      const mark = cb.events.mark();
      const res = await ca.sdk.revokeMessage({ conversationID, clientMsgID: sent.clientMsgID });
      expect(res.errCode).toBe(0);
      const expected = { revokerID: a, clientMsgID: sent.clientMsgID, sourceMessageSendID: a, sessionType: 1, seq: sent.seq || expect.any(Number), ex: '' };
      const revoked = (await cb.events.waitFor('OnNewRecvMessageRevoked', undefined, undefined, mark)).data as RevokedInfo;
      expect(revoked).toMatchObject(expected);
      expect(revoked.revokeTime).toBeGreaterThan(0);
      const after = await history(cb, conversationID);
      expect(after.messageList.find((m) => m.clientMsgID === sent.clientMsgID)).toMatchObject({ contentType: 2101 });

      expect(await errCodeOf(ca.sdk.revokeMessage({ conversationID, clientMsgID: 'no-such-message' }))).toBe(10002);
      expect(await errCodeOf(ca.sdk.revokeMessage({ conversationID, clientMsgID: 5 as unknown as string }))).toBe(10001);
    });

    it('also sends the older OnRecvMessageRevoked, with the same RevokedInfo', async () => {
      const { a, ca, cb, conversationID } = await s.pair('ro');
      const sent = await sendText(ca, cb, 'take it back');
      const mark = cb.events.mark();
      await ca.sdk.revokeMessage({ conversationID, clientMsgID: sent.clientMsgID });
      const newer = (await cb.events.waitFor('OnNewRecvMessageRevoked', undefined, undefined, mark)).data as RevokedInfo;
      const older = (await cb.events.waitFor('OnRecvMessageRevoked', undefined, undefined, mark)).data as RevokedInfo;
      expect(older).toEqual(newer);
      expect(older).toMatchObject({ revokerID: a, clientMsgID: sent.clientMsgID, sessionType: 1 });
    });

    it('refuses to revoke the peer\'s message in a single chat, and revokes a message this login never saw', async () => {
      const { b, ca, cb, conversationID } = await s.pair('rp');
      const sent = await sendText(ca, cb, 'not yours to revoke');
      expect(await errCodeOf(cb.sdk.revokeMessage({ conversationID, clientMsgID: sent.clientMsgID }))).toBe(10002);
      // a fresh login of B has an empty cache: its own older message is found in the history
      const mine = await sendText(cb, ca, 'mine');
      await cb.dispose();
      const again = await s.login(b);
      expect((await again.sdk.revokeMessage({ conversationID, clientMsgID: mine.clientMsgID })).errCode).toBe(0);
    });
  });

  describe('Deleting', () => {
    it('DeleteMessage removes a message for this user only', async () => {
      const { ca, cb, conversationID } = await s.pair('dm');
      const first = await sendText(ca, cb, 'keep');
      const second = await sendText(ca, cb, 'drop');
      expect((await cb.sdk.deleteMessage({ conversationID, clientMsgID: second.clientMsgID })).errCode).toBe(0);
      expect((await history(cb, conversationID)).messageList.map((m) => m.clientMsgID)).toEqual([first.clientMsgID]);
      expect((await history(ca, conversationID)).messageList.map((m) => m.clientMsgID)).toEqual([first.clientMsgID, second.clientMsgID]);
      expect(await errCodeOf(cb.sdk.deleteMessage({ conversationID, clientMsgID: 'no-such-message' }))).toBe(10002);
      expect(await errCodeOf(cb.sdk.deleteMessage({ conversationID: null as unknown as string, clientMsgID: 'x' }))).toBe(10001);
    });

    it('DeleteAllMsgFromLocalAndSvr removes every message of this user', async () => {
      const { ca, cb, conversationID } = await s.pair('da');
      await sendText(ca, cb, 'one');
      await sendText(ca, cb, 'two');
      expect((await cb.sdk.deleteAllMsgFromLocalAndSvr()).errCode).toBe(0);
      expect((await history(cb, conversationID)).messageList).toEqual([]);
      expect((await cb.sdk.getAllConversationList()).data.find((c) => c.conversationID === conversationID)).toMatchObject({ latestMsg: '' });
      expect((await history(ca, conversationID)).messageList).toHaveLength(2);
    });
  });

  describe('History', () => {
    it('GetAdvancedHistoryMessageList pages backwards and GetAdvancedHistoryMessageListReverse forwards', async () => {
      const { ca, cb, conversationID } = await s.pair('hp');
      const sent: MessageItem[] = [];
      for (let i = 0; i < 5; i++) sent.push(await sendText(ca, cb, `m${i}`));
      const ids = sent.map((m) => m.clientMsgID);

      const newest = await history(cb, conversationID, 2);
      expect(newest.messageList.map((m) => m.clientMsgID)).toEqual(ids.slice(3));
      expect(newest.isEnd).toBe(false);
      expect(newest.lastMinSeq).toBe(newest.messageList[0]!.seq);
      const older = await history(cb, conversationID, 2, newest.messageList[0]!.clientMsgID);
      expect(older.messageList.map((m) => m.clientMsgID)).toEqual(ids.slice(1, 3));
      // a page depends only on its start, not on the page asked for before
      const sameAgain = await history(cb, conversationID, 2, newest.messageList[0]!.clientMsgID);
      expect(sameAgain.messageList.map((m) => m.clientMsgID)).toEqual(ids.slice(1, 3));
      const oldest = await history(cb, conversationID, 2, older.messageList[0]!.clientMsgID);
      expect(oldest.messageList.map((m) => m.clientMsgID)).toEqual(ids.slice(0, 1));
      expect(oldest.isEnd).toBe(true);

      const forward = (await cb.sdk.getAdvancedHistoryMessageListReverse({ conversationID, count: 2, startClientMsgID: ids[0]!, lastMinSeq: 0 })).data;
      expect(forward.messageList.map((m) => m.clientMsgID)).toEqual(ids.slice(1, 3));
      expect(forward.isEnd).toBe(false);

      expect(await errCodeOf(cb.sdk.getAdvancedHistoryMessageList({ conversationID, startClientMsgID: '' } as never))).toBe(10001);
      expect(await errCodeOf(cb.sdk.getAdvancedHistoryMessageListReverse('x' as never))).toBe(10001);
    });

    it('FindMessageList finds messages by clientMsgID', async () => {
      const { ca, cb, conversationID } = await s.pair('fm');
      const one = await sendText(ca, cb, 'first');
      await sendText(ca, cb, 'middle');
      const three = await sendText(ca, cb, 'third');
      const res = (await cb.sdk.findMessageList([{ conversationID, clientMsgIDList: [one.clientMsgID, three.clientMsgID, 'no-such'] }])).data as unknown as {
        totalCount: number;
        findResultItems: Array<{ conversationID: string; messageCount: number; conversationType: number; messageList: MessageItem[] }>;
      };
      expect(res.totalCount).toBe(2);
      expect(res.findResultItems).toHaveLength(1);
      expect(res.findResultItems[0]).toMatchObject({ conversationID, messageCount: 2, conversationType: 1 });
      expect(res.findResultItems[0]!.messageList.map((m) => m.textElem.content).sort()).toEqual(['first', 'third']);
      const none = (await cb.sdk.findMessageList([{ conversationID, clientMsgIDList: ['nothing'] }])).data as unknown as { totalCount: number };
      expect(none.totalCount).toBe(0);
      expect(await errCodeOf(cb.sdk.findMessageList('not a list' as never))).toBe(10001);
    });
  });

  describe('Typing', () => {
    it('TypingStatusUpdate sends a typing notice the peer\'s SDK sees', async () => {
      const [a, b] = (await s.fx.newUsers('ty', 2)) as [string, string];
      const ca = await s.login(a);
      const peer = await loggedInClient({ userID: b, token: await s.fx.tokenFor(b, 5), wsAddr: s.fx.server.wsAddress, apiAddr: s.fx.server.apiAddress, platformID: 5 });
      rawClients.push(peer);
      await sendText(ca, peer, 'hi');
      const mark = peer.events.mark();
      const res = await ca.sdk.typingStatusUpdate({ recvID: b, msgTip: 'yes' });
      expect(res.errCode).toBe(0);
      const typing = await peer.events.waitFor('OnConversationUserInputStatusChanged', undefined, undefined, mark);
      expect(typing.data).toMatchObject({ conversationID: singleConversationID(a, b), userID: a, platformIDs: [5] });
      // the notice is not a stored message
      expect((await history(ca, singleConversationID(a, b))).messageList.map((m) => m.contentType)).toEqual([101]);
      expect(await errCodeOf(ca.sdk.typingStatusUpdate({ recvID: '', msgTip: 'yes' }))).toBe(10001);
      expect(await errCodeOf(ca.sdk.typingStatusUpdate({ recvID: b, msgTip: 1 as unknown as string }))).toBe(10001);
    });
  });

  itSentFramesInTheClientsKind(() => s);
});
