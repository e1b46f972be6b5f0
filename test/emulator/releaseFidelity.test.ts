/**
 * Issue 15: behaviours read line by line from open-im-server v3.8.3-patch.16 (the default
 * release) that the emulator had wrong, each driven by the real @openim/client-sdk.
 */
import WebSocket from 'ws';
import { CbEvents } from '@openim/client-sdk';
import { PbCoder } from '@openim/protocol';
import type { SdkWsProto } from '@openim/protocol';
import type { ConversationItem, MessageItem } from '@openim/client-sdk';
import { adminPost, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

type SeqsReply = { seqs?: Record<string, { hasReadSeq?: number; maxSeq?: number }> };

describe('release fidelity (v3.8.3-patch.16 by default)', () => {
  const suite = emulatorSuite();
  const { login } = suite;
  const single = (a: string, b: string): string => `si_${[a, b].sort().join('_')}`;
  const seqsOf = (userID: string, conversationIDs: string[]): Promise<SeqsReply> =>
    adminPost<SeqsReply>(suite.server.apiAddress, suite.admin, '/msg/get_conversations_has_read_and_max_seq', { userID, conversationIDs });
  const newestSeqs = (userID: string): Promise<{ maxSeqs?: Record<string, number> }> =>
    adminPost(suite.server.apiAddress, suite.admin, '/msg/newest_seq', { userID });

  it('1. the sender has read its own messages (SetHasReadSeqs): no unread count for them after a new login', async () => {
    const a = await login('own');
    const b = await login('peer');
    for (const text of ['one', 'two']) {
      const msg = await a.sdk.createTextMessage(text);
      await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: msg.data });
    }
    const conversationID = single(a.userID, b.userID);
    expect((await seqsOf(a.userID, [conversationID])).seqs?.[conversationID]).toEqual(expect.objectContaining({ hasReadSeq: 2, maxSeq: 2 }));
    expect((await seqsOf(b.userID, [conversationID])).seqs?.[conversationID]?.hasReadSeq).toBe(0);
    const again = await suite.loginAs(a.userID, 2);
    const list = await again.sdk.getConversationListSplit({ offset: 0, count: 20 });
    const conv = (list.data as ConversationItem[]).find((c) => c.conversationID === conversationID);
    expect(conv?.unreadCount).toBe(0);
    expect((await again.sdk.getTotalUnreadMsgCount()).data).toBe(0);
  });

  it('2. a message to a receiver who does not receive (global or conversation option 1) is dropped, the send fails', async () => {
    const a = await login('dndA');
    const b = await login('dndB');
    const conversationID = single(a.userID, b.userID);
    await adminPost(suite.server.apiAddress, suite.admin, '/user/set_global_msg_recv_opt', { userID: b.userID, globalRecvMsgOpt: 1 });
    const first = await a.sdk.createTextMessage('not for you');
    await expect(a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: first.data })).rejects.toBeDefined();
    expect((await newestSeqs(b.userID)).maxSeqs?.[conversationID]).toBeUndefined();

    await adminPost(suite.server.apiAddress, suite.admin, '/user/set_global_msg_recv_opt', { userID: b.userID, globalRecvMsgOpt: 0 });
    const second = await a.sdk.createTextMessage('now you get it');
    await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: second.data });
    const got = await b.events.waitFor(CbEvents.OnRecvNewMessages, (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === second.data.clientMsgID));
    expect((got.data as MessageItem[])[0].seq).toBe(1);
    expect(b.events.history.flatMap((e) => (e.event === CbEvents.OnRecvNewMessages ? (e.data as MessageItem[]) : [])).map((m) => m.clientMsgID)).not.toContain(first.data.clientMsgID);

    await adminPost(suite.server.apiAddress, suite.admin, '/conversation/set_conversations', { userIDs: [b.userID], conversation: { conversationID, conversationType: 1, userID: a.userID, recvMsgOpt: 1 } });
    const third = await a.sdk.createTextMessage('muted conversation');
    await expect(a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: third.data })).rejects.toBeDefined();
    expect((await seqsOf(b.userID, [conversationID])).seqs?.[conversationID]?.maxSeq).toBe(1);
  });

  it('3. friend notifications are online only (reliabilityLevel 1): pushed with seq 0, never in n_ conversations', async () => {
    const a = await login('ntfA');
    const b = await login('ntfB');
    // A chat first, so that GetMaxSeq lists n_<a>_<b> if it had a seq.
    const msg = await a.sdk.createTextMessage('hello');
    await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: msg.data });
    await a.sdk.addFriend({ toUserID: b.userID, reqMsg: 'hi' });
    const added = await b.events.waitFor(CbEvents.OnFriendApplicationAdded);
    expect(added.data).toEqual(expect.objectContaining({ fromUserID: a.userID, toUserID: b.userID }));
    const created = await a.sdk.createGroup({ groupInfo: { groupName: 'n', groupType: 2 }, memberUserIDs: [b.userID], adminUserIDs: [] });
    const groupID = (created.data as { groupID: string }).groupID;
    await b.events.waitFor(CbEvents.OnJoinedGroupAdded);
    // GroupCreated is isSendMsg: its chat copy has seq 1 in sg_, the notification itself none in n_.
    expect((await newestSeqs(b.userID)).maxSeqs).toEqual({ [single(a.userID, b.userID)]: 1, [`sg_${groupID}`]: 1 });
  });

  it('3. revoke notifications stay reliable: stored with a seq in n_<a>_<b>', async () => {
    const a = await login('rvkA');
    const b = await login('rvkB');
    const msg = await a.sdk.createTextMessage('take back');
    await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: msg.data });
    const conversationID = single(a.userID, b.userID);
    await a.sdk.revokeMessage({ conversationID, clientMsgID: msg.data.clientMsgID });
    await b.events.waitFor(CbEvents.OnNewRecvMessageRevoked);
    expect((await newestSeqs(b.userID)).maxSeqs).toEqual({ [conversationID]: 1, [`n_${conversationID.slice(3)}`]: 1 });
  });

  it('4. a member who quit sees the group only up to the seq at which it left (SetConversationMaxSeq)', async () => {
    const owner = await login('gOwner');
    const member = await login('gMember');
    const created = await owner.sdk.createGroup({ groupInfo: { groupName: 'g', groupType: 2 }, memberUserIDs: [member.userID], adminUserIDs: [] });
    const groupID = (created.data as { groupID: string }).groupID;
    const conversationID = `sg_${groupID}`;
    const before = await owner.sdk.createTextMessage('before');
    await owner.sdk.sendMessage({ recvID: '', groupID, message: before.data });
    await member.events.waitFor(CbEvents.OnRecvNewMessages, (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === before.data.clientMsgID));
    const leftAt = (await seqsOf(owner.userID, [conversationID])).seqs?.[conversationID]?.maxSeq ?? 0;
    await member.sdk.quitGroup(groupID);
    const after = await owner.sdk.createTextMessage('after');
    await owner.sdk.sendMessage({ recvID: '', groupID, message: after.data });
    // The member's bound is the seq after its own MemberQuit tips (isSendMsg: a chat copy with a seq).
    const ownerMax = (await seqsOf(owner.userID, [conversationID])).seqs?.[conversationID]?.maxSeq ?? 0;
    expect(ownerMax).toBe(leftAt + 2);
    expect((await seqsOf(member.userID, [conversationID])).seqs?.[conversationID]?.maxSeq).toBe(leftAt + 1);
    // A fresh login of the member counts unread only up to its bound (1006 answers the bounded max seq).
    const again = await suite.loginAs(member.userID, 2);
    const list = (await again.sdk.getConversationListSplit({ offset: 0, count: 20 })).data as ConversationItem[];
    expect(list.find((c) => c.conversationID === conversationID)?.latestMsg ?? '').not.toContain('after');
  });

  it('7. marking another user\'s conversation read is not refused (as_read.go has no access check)', async () => {
    const a = await login('readA');
    const b = await login('readB');
    const msg = await a.sdk.createTextMessage('x');
    await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: msg.data });
    const conversationID = single(a.userID, b.userID);
    const aToken = await userToken(suite.server.apiAddress, suite.admin, a.userID, WEB_PLATFORM_ID + 1);
    await adminPost(suite.server.apiAddress, aToken, '/msg/mark_conversation_as_read', { userID: b.userID, conversationID, hasReadSeq: 1, seqs: [] });
    expect((await seqsOf(b.userID, [conversationID])).seqs?.[conversationID]?.hasReadSeq).toBe(1);
  });
});

describe('a notification as the gateway pushes it (NotificationSender.send)', () => {
  const suite = emulatorSuite();

  it('has seq 0, an MD5 clientMsgID and every option key of msgprocessor.NewOptions', async () => {
    const from = await suite.newUser('pushA');
    const to = await suite.newUser('pushB');
    const token = await userToken(suite.server.apiAddress, suite.admin, to, WEB_PLATFORM_ID);
    const ws = new WebSocket(`${suite.server.wsAddress}/?sendID=${to}&platformID=5&operationID=o&isBackground=false&isMsgResp=true&sdkType=js&token=${token}`);
    try {
      const push = new Promise<SdkWsProto.MsgData>((resolve) => {
        ws.on('message', (d: Buffer, isBinary: boolean) => {
          if (!isBinary) return;
          const frame = JSON.parse(d.toString()) as { reqIdentifier: number; data: string };
          if (frame.reqIdentifier !== 2001) return;
          const msgs = PbCoder.PushMessages.decode(Buffer.from(frame.data, 'base64'));
          const first = Object.values(msgs.notificationMsgs)[0]?.Msgs[0];
          if (first) resolve(first);
        });
      });
      await new Promise((r) => ws.once('message', r)); // the handshake's {"errCode":0}
      await adminPost(suite.server.apiAddress, suite.admin, '/friend/add_friend', { fromUserID: from, toUserID: to, reqMsg: 'hi' });
      const n = await push;
      expect(n).toMatchObject({ sendID: from, recvID: to, contentType: 1203, sessionType: 1, msgFrom: 200, seq: 0 });
      expect(n.clientMsgID).toMatch(/^[0-9a-f]{32}$/);
      expect(n.options).toEqual({
        notNotification: false, sendMsg: false, history: false, persistent: false, offlinePush: false, unreadCount: false,
        conversationUpdate: false, senderSync: true, notPrivate: false, senderConversationUpdate: false, reactionFromCache: false,
      });
    } finally {
      ws.close();
    }
  });
});
