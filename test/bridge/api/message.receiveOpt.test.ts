/**
 * A message to a receiver who does not receive messages (global or conversation receive option
 * 1): the real server drops it and answers the gateway's SendMsg with errCode 0 and empty data;
 * openim-sdk-core (what oimws runs for the jssdk) then reports it sent with an empty
 * serverMsgID and sendTime 0. The bridge answers the same, where the client SDK would throw.
 */
import type { MessageItem } from 'open-im-sdk';
import { adminPost } from '../../support/admin';
import { CLIENT_MODES } from '../../support/jssdk';
import { itSentFramesInTheClientsKind, sendText, startSuite, type Suite } from './messageSupport';

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  let s: Suite;
  beforeAll(async () => {
    s = await startSuite(mode);
  });
  afterAll(() => s.close());

  const seqsOf = async (userID: string, conversationID: string): Promise<{ maxSeq?: number } | undefined> =>
    (await adminPost<{ seqs?: Record<string, { maxSeq?: number }> }>(s.fx.server.apiAddress, s.fx.adminToken, '/msg/get_conversations_has_read_and_max_seq', { userID, conversationIDs: [conversationID] })).seqs?.[conversationID];

  describe('SendMessage to a receiver who does not receive messages', () => {
    it('resolves as openim-sdk-core does (status 2, serverMsgID "", sendTime 0), nothing is delivered, and the session keeps working', async () => {
      const { a, b, ca, cb, conversationID } = await s.pair('dnd');
      await adminPost(s.fx.server.apiAddress, s.fx.adminToken, '/user/set_global_msg_recv_opt', { userID: b, globalRecvMsgOpt: 1 });
      const created = (await ca.sdk.createTextMessage('dropped')).data;
      const dropped = (await ca.sdk.sendMessage({ recvID: b, groupID: '', message: created })).data;
      expect(dropped).toMatchObject({ clientMsgID: created.clientMsgID, sendID: a, recvID: b, sessionType: 1, status: 2, serverMsgID: '', sendTime: 0, textElem: { content: 'dropped' } });
      // nothing stored: no entry, or (the real server writes every field) maxSeq 0
      expect((await seqsOf(b, conversationID))?.maxSeq ?? 0).toBe(0);

      await adminPost(s.fx.server.apiAddress, s.fx.adminToken, '/user/set_global_msg_recv_opt', { userID: b, globalRecvMsgOpt: 0 });
      const sent = await sendText(ca, { userID: b, events: cb.events }, 'delivered');
      expect(sent.serverMsgID).not.toBe('');
      const received = cb.events.all('OnRecvNewMessages').flatMap((e) => e.data as MessageItem[]);
      expect(received.map((m) => m.textElem?.content)).toEqual(['delivered']);
      expect((await seqsOf(b, conversationID))?.maxSeq).toBe(1);
    });

    it('does the same for a conversation whose receive option is 1', async () => {
      const { a, b, ca, cb, conversationID } = await s.pair('dndc');
      await sendText(ca, { userID: b, events: cb.events }, 'first');
      await adminPost(s.fx.server.apiAddress, s.fx.adminToken, '/conversation/set_conversations', { userIDs: [b], conversation: { conversationID, conversationType: 1, userID: a, recvMsgOpt: 1 } });
      const created = (await ca.sdk.createTextMessage('muted')).data;
      const dropped = (await ca.sdk.sendMessage({ recvID: b, groupID: '', message: created })).data;
      expect(dropped).toMatchObject({ clientMsgID: created.clientMsgID, status: 2, serverMsgID: '', sendTime: 0 });
      expect((await seqsOf(b, conversationID))?.maxSeq).toBe(1);
    });
  });

  itSentFramesInTheClientsKind(() => s);
});
