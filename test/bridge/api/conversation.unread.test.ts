/**
 * Unread counts follow the server's has-read seqs: the real msg transfer marks a sender's own
 * messages read (BatchInsertChat2Cache → SetHasReadSeqs), so after a new login the sender has
 * nothing unread, and the receiver's count is what the server says it has not read.
 */
import type { ConversationItem } from 'open-im-sdk';
import { adminPost } from '../../support/admin';
import { CLIENT_MODES, createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { itSentFramesInTheClientsKind, sendText, startSuite, type Suite } from './messageSupport';

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  let s: Suite;
  beforeAll(async () => {
    s = await startSuite(mode);
  });
  afterAll(() => s.close());

  /** A second login of `userID` on another platform, through the bridge (released, and its frames counted, with the suite's). */
  async function loginOn(userID: string, platformID: number): Promise<JssdkClient> {
    const c = s.track(createJssdk(userID, mode));
    await jssdkLogin(c, { token: await s.fx.tokenFor(userID, platformID), wsAddr: s.fx.bridge.wsAddress, apiAddr: s.fx.bridge.httpAddress, platformID });
    await c.events.waitFor('OnSyncServerFinish');
    return c;
  }

  describe('unread counts after a new login', () => {
    it('count nothing of the sender\'s own messages, and the receiver\'s unread ones', async () => {
      const { a, b, ca, cb, conversationID } = await s.pair('unr');
      for (const t of ['one', 'two', 'three']) await sendText(ca, { userID: b, events: cb.events }, t);
      const seqs = await adminPost<{ seqs?: Record<string, { hasReadSeq?: number; maxSeq?: number }> }>(s.fx.server.apiAddress, s.fx.adminToken, '/msg/get_conversations_has_read_and_max_seq', { userID: a, conversationIDs: [conversationID] });
      expect(seqs.seqs?.[conversationID]).toEqual(expect.objectContaining({ hasReadSeq: 3, maxSeq: 3 }));

      const a2 = await loginOn(a, 2);
      const aConv = ((await a2.sdk.getConversationListSplit({ offset: 0, count: 20 })).data as ConversationItem[]).find((c) => c.conversationID === conversationID);
      expect(aConv?.unreadCount).toBe(0);
      expect((await a2.sdk.getTotalUnreadMsgCount()).data).toBe(0);

      const b2 = await loginOn(b, 2);
      const bConv = ((await b2.sdk.getConversationListSplit({ offset: 0, count: 20 })).data as ConversationItem[]).find((c) => c.conversationID === conversationID);
      expect(bConv?.unreadCount).toBe(3);
      expect((await b2.sdk.getTotalUnreadMsgCount()).data).toBe(3);
    });
  });

  itSentFramesInTheClientsKind(() => s);
});
