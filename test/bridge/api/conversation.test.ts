/**
 * Conversation methods, end to end: open-im-sdk 3.5.2 → bridge → OpenIM server; the local state
 * (drafts, hidden, cleared) on each state store (LevelDB, and Redis with the browser client).
 */
import type { ConversationItem } from 'open-im-sdk';
import { adminPost } from '../../support/admin';
import { errCodeOf, sendText, singleConversationID, startSuite, type Suite, itSentFramesInTheClientsKind } from './messageSupport';
import { clientsAndStores } from '../../support/stateBackends';

import { CLIENT_MODES } from '../../support/jssdk';

describe.each(clientsAndStores(CLIENT_MODES))('with a %s client on %s', (mode, _store, storeOptions) => {
  let s: Suite;

  beforeAll(async () => {
    s = await startSuite(mode, storeOptions());
  });
  afterAll(async () => {
    await s.close();
  });

  /** A and B logged in, with one message from A to B. */
  async function chatting(prefix: string) {
    const [a, b] = await s.fx.newUsers(prefix, 2);
    const ca = await s.login(a!);
    const cb = await s.login(b!);
    const conversationID = singleConversationID(a!, b!);
    const markB = cb.events.mark();
    await sendText(ca, cb, `hello from ${prefix}`);
    await cb.events.waitForAnyOf(['OnNewConversation', 'OnConversationChanged'], undefined, markB);
    return { a: a!, b: b!, ca, cb, conversationID };
  }

  describe('Listing conversations', () => {
    it('GetConversationListSplit pages the list, GetOneConversation and GetMultipleConversation find them', async () => {
      const { a, cb, conversationID } = await chatting('cl');
      const page = (await cb.sdk.getConversationListSplit({ offset: 0, count: 10 })).data;
      expect(page).toHaveLength(1);
      expect(page[0]).toMatchObject({ conversationID, conversationType: 1, userID: a, groupID: '', unreadCount: 1, isPinned: false, draftText: '' });
      expect(JSON.parse(page[0]!.latestMsg)).toMatchObject({ sendID: a, textElem: { content: 'hello from cl' } });
      expect((await cb.sdk.getConversationListSplit({ offset: 1, count: 10 })).data).toEqual([]);

      const one = (await cb.sdk.getOneConversation({ sourceID: a, sessionType: 1 })).data;
      expect(one).toMatchObject({ conversationID, userID: a, unreadCount: 1 });

      const many = (await cb.sdk.getMultipleConversation(JSON.stringify([conversationID, 'si_nobody_none']))).data;
      expect(many.map((c) => c.conversationID)).toEqual([conversationID]);

      expect(await errCodeOf(cb.sdk.getConversationListSplit({ offset: 'x' as unknown as number, count: 10 }))).toBe(10001);
      expect(await errCodeOf(cb.sdk.getOneConversation({ sourceID: a, sessionType: '1' as unknown as number }))).toBe(10001);
      expect(await errCodeOf(cb.sdk.getMultipleConversation('{"not":"a list"}'))).toBe(10001);
    });

    it('GetConversationIDBySessionType computes the conversation ID', async () => {
      const [u] = await s.fx.newUsers('cid', 1);
      const c = await s.login(u!);
      expect((await c.sdk.getConversationIDBySessionType({ sourceID: 'zzpeer', sessionType: 1 })).data).toBe(singleConversationID(u!, 'zzpeer'));
      expect((await c.sdk.getConversationIDBySessionType({ sourceID: 'g1', sessionType: 3 })).data).toBe('sg_g1');
      expect((await c.sdk.getConversationIDBySessionType({ sourceID: 'g1', sessionType: 2 })).data).toBe('g_g1');
      expect(await errCodeOf(c.sdk.getConversationIDBySessionType({ sourceID: 'x', sessionType: 9 }))).toBe(10001);
    });
  });

  describe('Reading', () => {
    it('MarkConversationMessageAsRead zeroes the unread count, and the sender gets OnRecvC2CReadReceipt', async () => {
      const { b, ca, cb, conversationID } = await chatting('mr');
      const markA = ca.events.mark();
      const markB = cb.events.mark();
      const res = await cb.sdk.markConversationMessageAsRead(conversationID);
      expect(res.errCode).toBe(0);
      await cb.events.waitFor('OnTotalUnreadMessageCountChanged', (e) => e.data === 0, undefined, markB);
      expect((await cb.sdk.getTotalUnreadMsgCount()).data).toBe(0);
      const receipt = await ca.events.waitFor('OnRecvC2CReadReceipt', undefined, undefined, markA);
      const [info] = receipt.data as Array<{ userID: string; msgIDList: string[]; sessionType: number; readTime: number }>;
      expect(info).toMatchObject({ userID: b, sessionType: 1 });
      expect(info!.msgIDList).toHaveLength(1);
      expect(info!.readTime).toBeGreaterThan(0);
      // nothing left to read is not an error
      expect((await cb.sdk.markConversationMessageAsRead(conversationID)).errCode).toBe(0);
      expect(await errCodeOf(cb.sdk.markConversationMessageAsRead('si_no_such'))).toBe(10001);
    });
  });

  describe('Conversation settings', () => {
    it('PinConversation, SetConversationRecvMessageOpt, SetConversationPrivateChat and SetConversationBurnDuration change the conversation', async () => {
      const { a, cb, conversationID } = await chatting('ps');
      const changed = (mark: number, pred: (c: ConversationItem) => boolean) =>
        cb.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((c) => c.conversationID === conversationID && pred(c)), undefined, mark);

      let mark = cb.events.mark();
      expect((await cb.sdk.pinConversation({ conversationID, isPinned: true })).errCode).toBe(0);
      await changed(mark, (c) => c.isPinned);
      mark = cb.events.mark();
      await cb.sdk.setConversationRecvMessageOpt({ conversationID, opt: 2 });
      await changed(mark, (c) => c.recvMsgOpt === 2);
      mark = cb.events.mark();
      await cb.sdk.setConversationBurnDuration({ conversationID, burnDuration: 45 });
      await changed(mark, (c) => c.burnDuration === 45);
      mark = cb.events.mark();
      await cb.sdk.setConversationPrivateChat({ conversationID, isPrivate: true });
      await changed(mark, (c) => c.isPrivateChat);

      const one = (await cb.sdk.getOneConversation({ sourceID: a, sessionType: 1 })).data;
      expect(one).toMatchObject({ isPinned: true, recvMsgOpt: 2, burnDuration: 45, isPrivateChat: true });

      expect(await errCodeOf(cb.sdk.pinConversation({ conversationID, isPinned: 'yes' as unknown as boolean }))).toBe(10001);
      expect(await errCodeOf(cb.sdk.pinConversation({ conversationID: 'si_no_such', isPinned: true }))).toBe(10001);
      expect(await errCodeOf(cb.sdk.setConversationRecvMessageOpt({ conversationID, opt: '2' as unknown as number }))).toBe(10001);
      expect(await errCodeOf(cb.sdk.setConversationPrivateChat({ conversationID: 'si_no_such', isPrivate: true }))).toBe(10001);
      expect(await errCodeOf(cb.sdk.setConversationBurnDuration({ conversationID, burnDuration: null as unknown as number }))).toBe(10001);
    });

    it('ResetConversationGroupAtType resolves for a known conversation and refuses an unknown one', async () => {
      const { a, cb, conversationID } = await chatting('gr');
      expect(await cb.sdk.resetConversationGroupAtType(conversationID)).toMatchObject({ errCode: 0, data: '' });
      expect((await cb.sdk.getOneConversation({ sourceID: a, sessionType: 1 })).data.groupAtType).toBe(0);
      expect(await errCodeOf(cb.sdk.resetConversationGroupAtType('si_no_such'))).toBe(10001);
    });

    // OpenIM v3.8 omits zero fields from its JSON; the bridge writes them into the client SDK's cache itself.
    it('ResetConversationGroupAtType and PinConversation(false) bring values back to zero', async () => {
      const { a, b, cb, conversationID } = await chatting('ga');
      const changed = (mark: number, pred: (c: ConversationItem) => boolean) =>
        cb.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((c) => c.conversationID === conversationID && pred(c)), 5_000, mark);
      let mark = cb.events.mark();
      // an @-mention state as the server stores it
      await adminPost(s.fx.server.apiAddress, s.fx.adminToken, '/conversation/set_conversations', {
        userIDs: [b], conversation: { conversationID, conversationType: 1, userID: a, groupAtType: { value: 1 }, isPinned: { value: true } },
      });
      await changed(mark, (c) => c.groupAtType === 1 && c.isPinned);
      mark = cb.events.mark();
      await cb.sdk.resetConversationGroupAtType(conversationID);
      await cb.sdk.pinConversation({ conversationID, isPinned: false });
      await changed(mark, (c) => c.groupAtType === 0 && !c.isPinned);
    });

    it('SetConversationDraft stores a draft that conversation lists show, across a new login', async () => {
      const { b, cb, conversationID } = await chatting('dr');
      expect((await cb.sdk.setConversationDraft({ conversationID, draftText: 'half a thought' })).errCode).toBe(0);
      const [c] = (await cb.sdk.getMultipleConversation([conversationID] as unknown as string)).data;
      expect(c).toMatchObject({ draftText: 'half a thought' });
      expect(c!.draftTextTime).toBeGreaterThan(0);
      await cb.dispose();
      const again = await s.login(b);
      const list = (await again.sdk.getAllConversationList()).data;
      expect(list.find((x) => x.conversationID === conversationID)).toMatchObject({ draftText: 'half a thought' });
      expect(await errCodeOf(again.sdk.setConversationDraft({ conversationID, draftText: 7 as unknown as string }))).toBe(10001);
      expect(await errCodeOf(again.sdk.setConversationDraft({ conversationID: 'si_no_such', draftText: 'x' }))).toBe(10001);
    });
  });

  describe('Hiding and clearing', () => {
    it('HideConversation leaves the conversation out of the list until a new message arrives', async () => {
      const { ca, cb, conversationID } = await chatting('hc');
      expect((await cb.sdk.hideConversation(conversationID)).errCode).toBe(0);
      expect((await cb.sdk.getAllConversationList()).data.map((c) => c.conversationID)).not.toContain(conversationID);
      expect((await cb.sdk.getMultipleConversation([conversationID] as unknown as string)).data).toHaveLength(1);
      await sendText(ca, cb, 'back again');
      expect((await cb.sdk.getAllConversationList()).data.map((c) => c.conversationID)).toContain(conversationID);
      expect(await errCodeOf(cb.sdk.hideConversation('si_no_such'))).toBe(10001);
    });

    it('HideAllConversation empties the list', async () => {
      const { cb } = await chatting('ha');
      expect((await cb.sdk.getAllConversationList()).data).toHaveLength(1);
      expect((await cb.sdk.hideAllConversation()).errCode).toBe(0);
      expect((await cb.sdk.getAllConversationList()).data).toEqual([]);
      expect((await cb.sdk.getConversationListSplit({ offset: 0, count: 20 })).data).toEqual([]);
    });

    it('ClearConversationAndDeleteAllMsg empties the history and keeps the conversation, read', async () => {
      const { ca, cb, conversationID } = await chatting('cc');
      await sendText(ca, cb, 'second');
      expect((await cb.sdk.getAdvancedHistoryMessageList({ conversationID, count: 20, startClientMsgID: '', lastMinSeq: 0 })).data.messageList).toHaveLength(2);
      expect((await cb.sdk.clearConversationAndDeleteAllMsg(conversationID)).errCode).toBe(0);
      const history = (await cb.sdk.getAdvancedHistoryMessageList({ conversationID, count: 20, startClientMsgID: '', lastMinSeq: 0 })).data;
      expect(history.messageList).toEqual([]);
      const conv = (await cb.sdk.getAllConversationList()).data.find((c) => c.conversationID === conversationID);
      expect(conv).toMatchObject({ latestMsg: '', unreadCount: 0 });
      // the sender still has the messages
      expect((await ca.sdk.getAdvancedHistoryMessageList({ conversationID, count: 20, startClientMsgID: '', lastMinSeq: 0 })).data.messageList).toHaveLength(2);
      expect(await errCodeOf(cb.sdk.clearConversationAndDeleteAllMsg('si_no_such'))).toBe(10001);
    });

    it('DeleteConversationAndDeleteAllMsg removes the conversation and its messages', async () => {
      const { ca, cb, conversationID } = await chatting('dc');
      expect((await cb.sdk.deleteConversationAndDeleteAllMsg(conversationID)).errCode).toBe(0);
      expect((await cb.sdk.getAllConversationList()).data.map((c) => c.conversationID)).not.toContain(conversationID);
      expect((await cb.sdk.getAdvancedHistoryMessageList({ conversationID, count: 20, startClientMsgID: '', lastMinSeq: 0 })).data.messageList).toEqual([]);
      const sent = await sendText(ca, cb, 'a new start');
      const history = (await cb.sdk.getAdvancedHistoryMessageList({ conversationID, count: 20, startClientMsgID: '', lastMinSeq: 0 })).data;
      expect(history.messageList.map((m) => m.clientMsgID)).toEqual([sent.clientMsgID]);
      expect(await errCodeOf(cb.sdk.deleteConversationAndDeleteAllMsg(12 as unknown as string))).toBe(10001);
    });
  });

  itSentFramesInTheClientsKind(() => s);
});
