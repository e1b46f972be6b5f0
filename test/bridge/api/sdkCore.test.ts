/**
 * What a jssdk app sees where @openim/client-sdk 0.0.14 and openim-sdk-core v3.5.1 disagree:
 * the bridge answers as the SDK core does (core_func/coreRules/), end to end, in browser and
 * mini-program clients.
 */
import type { ConversationItem, MessageItem } from 'open-im-sdk';
import { resolveProfile } from '../../../emulator';
import { CLIENT_MODES, createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { waitUntil } from '../../support/wait';
import { itSentFramesInTheClientsKind, sendText, startSuite, type Suite } from './messageSupport';

/** OpenIM's platform ID of Android: "another device" of the same user. */
const ANDROID = 2;
/** … and of iOS: a third device. */
const IOS = 1;
const AT_ALL = 'AtAllTag';
const GroupAtType = { AtNormal: 0, AtMe: 1, AtAll: 2, AtAllAtMe: 3, GroupNotification: 4 } as const;

const ids = (e: { data: unknown }) => (e.data as MessageItem[]).map((m) => m.clientMsgID);

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  let s: Suite;
  beforeAll(async () => {
    s = await startSuite(mode);
  });
  afterAll(async () => {
    await s.close();
  });

  const conversation = async (c: JssdkClient, conversationID: string): Promise<ConversationItem> =>
    (await c.sdk.getMultipleConversation(JSON.stringify([conversationID]))).data[0]!;

  /** `from` sends `text`, and `to` answers: once `from` has the answer, every push of `from`'s own message has arrived too. */
  async function sendThenReply(from: JssdkClient, to: JssdkClient, count: number): Promise<{ sent: MessageItem[]; reply: MessageItem }> {
    const sent: MessageItem[] = [];
    for (let i = 0; i < count; i++) sent.push(await sendText(from, to, `mine ${i}`));
    const reply = await sendText(to, from, 'the answer');
    return { sent, reply };
  }

  describe('Own sends', () => {
    it('are not reported back to the sending session as OnRecvNewMessages; only the peer\'s reply is', async () => {
      const { ca, cb } = await s.pair('os');
      const mark = ca.events.mark();
      const { sent, reply } = await sendThenReply(ca, cb, 5);
      const reported = ca.events.history.slice(mark).filter((e) => e.event === 'OnRecvNewMessages').flatMap(ids);
      expect(reported).toEqual([reply.clientMsgID]);
      expect(sent.map((m) => m.status)).toEqual([2, 2, 2, 2, 2]);
    });

    it('a message the same user sent from another device is reported, as the SDK core does', async () => {
      const { a, ca, cb } = await s.pair('od');
      const other = s.track(createJssdk(a, mode));
      await jssdkLogin(other, { token: await s.fx.tokenFor(a, ANDROID), wsAddr: s.fx.bridge.wsAddress, apiAddr: s.fx.bridge.httpAddress, platformID: ANDROID });
      await other.events.waitFor('OnSyncServerFinish');
      const mark = ca.events.mark();
      const fromPhone = await sendText(other, cb, 'sent on the phone');
      const got = await ca.events.waitFor('OnRecvNewMessages', (e) => ids(e).includes(fromPhone.clientMsgID), undefined, mark);
      expect((got.data as MessageItem[])[0]).toMatchObject({ sendID: a, textElem: { content: 'sent on the phone' } });
      // … and the phone itself does not get its own send back.
      const { reply } = await sendThenReply(other, cb, 1);
      const phoneReported = other.events.all('OnRecvNewMessages').flatMap(ids);
      expect(phoneReported).not.toContain(fromPhone.clientMsgID);
      expect(phoneReported).toContain(reply.clientMsgID);
    });
  });

  describe('Unread counts', () => {
    it('own messages never count as unread, in the conversation or the total; the peer\'s do', async () => {
      const { ca, cb, conversationID } = await s.pair('ou');
      const mark = ca.events.mark();
      await sendThenReply(ca, cb, 3);
      await ca.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((c) => c.conversationID === conversationID && JSON.parse(c.latestMsg).sendID === cb.userID), undefined, mark);
      const changes = ca.events.history.slice(mark).filter((e) => e.event === 'OnConversationChanged' || e.event === 'OnNewConversation').flatMap((e) => e.data as ConversationItem[]);
      expect(changes.filter((c) => c.conversationID === conversationID && JSON.parse(c.latestMsg).sendID === ca.userID).map((c) => c.unreadCount)).toEqual(expect.arrayContaining([0]));
      expect(changes.filter((c) => c.conversationID === conversationID).map((c) => c.unreadCount).every((n) => n <= 1)).toBe(true);
      expect((await conversation(ca, conversationID)).unreadCount).toBe(1);
      expect((await ca.sdk.getTotalUnreadMsgCount()).data).toBe(1);
      const totals = ca.events.history.slice(mark).filter((e) => e.event === 'OnTotalUnreadMessageCountChanged').map((e) => e.data);
      expect(totals).toEqual([1]);
    });

    it('a group message the user sent does not count as unread for the sender', async () => {
      const [a, b] = (await s.fx.newUsers('gu', 2)) as [string, string];
      const ca = await s.login(a);
      const cb = await s.login(b);
      const group = (await ca.sdk.createGroup({ memberUserIDs: [b], adminUserIDs: [], groupInfo: { groupName: 'unread', groupType: 2 } })).data;
      const conversationID = `sg_${group.groupID}`;
      // The group-created notification made the conversation; its count is the server's (the emulator's sender read seq: issue 15).
      await ca.events.waitForAnyOf(['OnNewConversation', 'OnConversationChanged']);
      const before = (await conversation(ca, conversationID)).unreadCount;
      const markB = cb.events.mark();
      const created = (await ca.sdk.createTextMessage('to the group')).data;
      const sent = (await ca.sdk.sendMessage({ recvID: '', groupID: group.groupID, message: created })).data;
      await cb.events.waitFor('OnRecvNewMessages', (e) => ids(e).includes(sent.clientMsgID), undefined, markB);
      const reply = (await cb.sdk.sendMessage({ recvID: '', groupID: group.groupID, message: (await cb.sdk.createTextMessage('ack')).data })).data;
      await ca.events.waitFor('OnRecvNewMessages', (e) => ids(e).includes(reply.clientMsgID));
      await ca.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((c) => c.conversationID === conversationID && c.unreadCount === 1));
      const after = (await conversation(ca, conversationID)).unreadCount;
      expect(after).toBe(before + 1);
      expect((await ca.sdk.getTotalUnreadMsgCount()).data).toBe(after);
    });
  });

  describe('Read receipts', () => {
    it('the peer reading my message marks it isRead and leaves my unread count (its reply is still unread)', async () => {
      const { ca, cb, conversationID } = await s.pair('rr');
      const mine = await sendText(ca, cb, 'read me');
      const reply = await sendText(cb, ca, 'reply before reading');
      await ca.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((c) => c.conversationID === conversationID && c.unreadCount === 1));
      const mark = ca.events.mark();
      await cb.sdk.markConversationMessageAsRead(conversationID);
      const receipt = await ca.events.waitFor('OnRecvC2CReadReceipt', undefined, undefined, mark);
      // The server names every seq up to the reader's read position (open-im-server v3.8.3 MarkConversationAsRead), the reader's own included.
      expect((receipt.data as Array<{ userID: string; msgIDList: string[] }>)[0]).toMatchObject({ userID: cb.userID, msgIDList: expect.arrayContaining([mine.clientMsgID]) });
      const later = await sendText(cb, ca, 'and one more');
      await ca.events.waitFor('OnRecvNewMessages', (e) => ids(e).includes(later.clientMsgID));
      const changes = ca.events.history.slice(mark).filter((e) => e.event === 'OnConversationChanged').flatMap((e) => e.data as ConversationItem[]);
      expect(changes.map((c) => c.unreadCount)).not.toContain(0);
      expect((await conversation(ca, conversationID)).unreadCount).toBe(2);
      expect((await ca.sdk.getTotalUnreadMsgCount()).data).toBe(2);
      const history = (await ca.sdk.getAdvancedHistoryMessageList({ conversationID, count: 10, startClientMsgID: '', lastMinSeq: 0 })).data.messageList;
      expect(history.find((m) => m.clientMsgID === mine.clientMsgID)?.isRead).toBe(true);
      expect(history.find((m) => m.clientMsgID === later.clientMsgID)?.isRead).toBe(false);
      expect(reply.sendID).toBe(cb.userID);
      // and A can still read its conversation
      expect((await ca.sdk.markConversationMessageAsRead(conversationID)).errCode).toBe(0);
      expect((await conversation(ca, conversationID)).unreadCount).toBe(0);
    });
  });

  describe('Reads on another device', () => {
    it('what the user read on another device is read in this session too: unread 0, and the total', async () => {
      const { a, ca, cb, conversationID } = await s.pair('ro');
      const phone = s.track(createJssdk(a, mode));
      await jssdkLogin(phone, { token: await s.fx.tokenFor(a, ANDROID), wsAddr: s.fx.bridge.wsAddress, apiAddr: s.fx.bridge.httpAddress, platformID: ANDROID });
      await phone.events.waitFor('OnSyncServerFinish');
      await sendText(cb, ca, 'one');
      const two = await sendText(cb, ca, 'two');
      await phone.events.waitFor('OnRecvNewMessages', (e) => ids(e).includes(two.clientMsgID));
      await ca.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((c) => c.conversationID === conversationID && c.unreadCount === 2));
      const mark = ca.events.mark();
      expect((await phone.sdk.markConversationMessageAsRead(conversationID)).errCode).toBe(0);
      await ca.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((c) => c.conversationID === conversationID && c.unreadCount === 0), undefined, mark);
      await ca.events.waitFor('OnTotalUnreadMessageCountChanged', (e) => e.data === 0, undefined, mark);
      expect((await conversation(ca, conversationID)).unreadCount).toBe(0);
      expect((await ca.sdk.getTotalUnreadMsgCount()).data).toBe(0);
    });
  });

  describe('@-mentions', () => {
    async function threeInAGroup(prefix: string) {
      const [a, b, c] = (await s.fx.newUsers(prefix, 3)) as [string, string, string];
      const ca = await s.login(a);
      const cb = await s.login(b);
      const cc = await s.login(c);
      const group = (await ca.sdk.createGroup({ memberUserIDs: [b, c], adminUserIDs: [], groupInfo: { groupName: 'mentions', groupType: 2 } })).data;
      return { ca, cb, cc, groupID: group.groupID, conversationID: `sg_${group.groupID}` };
    }

    async function mention(from: JssdkClient, groupID: string, atUserIDList: string[], readers: JssdkClient[]): Promise<MessageItem> {
      const marks = readers.map((r) => r.events.mark());
      const m = (await from.sdk.createTextAtMessage({ text: 'look', atUserIDList, atUsersInfo: atUserIDList.map((atUserID) => ({ atUserID, groupNickname: atUserID })) })).data;
      const sent = (await from.sdk.sendMessage({ recvID: '', groupID, message: m })).data;
      await Promise.all(readers.map((r, i) => r.events.waitFor('OnRecvNewMessages', (e) => ids(e).includes(sent.clientMsgID), undefined, marks[i])));
      return sent;
    }

    const atTypeBecomes = (c: JssdkClient, conversationID: string, groupAtType: number, since = 0) =>
      c.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((x) => x.conversationID === conversationID && x.groupAtType === groupAtType), undefined, since);

    it('sets AtMe on the mentioned member\'s conversation only; ResetConversationGroupAtType clears it', async () => {
      const { ca, cb, cc, groupID, conversationID } = await threeInAGroup('am');
      const markB = cb.events.mark();
      await mention(ca, groupID, [cb.userID], [cb, cc]);
      await atTypeBecomes(cb, conversationID, GroupAtType.AtMe, markB);
      expect((await conversation(cb, conversationID)).groupAtType).toBe(GroupAtType.AtMe);
      expect((await conversation(cc, conversationID)).groupAtType).toBe(GroupAtType.AtNormal);
      expect((await conversation(ca, conversationID)).groupAtType).toBe(GroupAtType.AtNormal);
      const reset = cb.events.mark();
      expect((await cb.sdk.resetConversationGroupAtType(conversationID)).errCode).toBe(0);
      await atTypeBecomes(cb, conversationID, GroupAtType.AtNormal, reset);
      expect((await conversation(cb, conversationID)).groupAtType).toBe(GroupAtType.AtNormal);
    });

    it('the mark is the server\'s: still set after a fresh login; ResetConversationGroupAtType clears it with one OnConversationChanged, and a re-login keeps it cleared', async () => {
      const { ca, cb, cc, groupID, conversationID } = await threeInAGroup('as');
      const b = cb.userID;
      const markB = cb.events.mark();
      await mention(ca, groupID, [b], [cb, cc]);
      await atTypeBecomes(cb, conversationID, GroupAtType.AtMe, markB);
      const freshLogin = async (platformID: number): Promise<JssdkClient> => {
        const c = s.track(createJssdk(b, mode));
        await jssdkLogin(c, { token: await s.fx.tokenFor(b, platformID), wsAddr: s.fx.bridge.wsAddress, apiAddr: s.fx.bridge.httpAddress, platformID });
        await c.events.waitFor('OnSyncServerFinish');
        return c;
      };
      expect((await conversation(await freshLogin(ANDROID), conversationID)).groupAtType).toBe(GroupAtType.AtMe);

      const reset = cb.events.mark();
      expect((await cb.sdk.resetConversationGroupAtType(conversationID)).errCode).toBe(0);
      expect((await conversation(cb, conversationID)).groupAtType).toBe(GroupAtType.AtNormal);
      // A later message is pushed after the server's change notification for the reset.
      const later = (await cc.sdk.sendMessage({ recvID: '', groupID, message: (await cc.sdk.createTextMessage('after the reset')).data })).data;
      await cb.events.waitFor('OnConversationChanged', (e) => (e.data as ConversationItem[]).some((x) => x.conversationID === conversationID && x.latestMsg.includes(later.clientMsgID)), undefined, reset);
      const changes = cb.events.history.slice(reset).filter((e) => e.event === 'OnConversationChanged').flatMap((e) => e.data as ConversationItem[]).filter((x) => x.conversationID === conversationID);
      expect(changes.map((x) => x.groupAtType)).toEqual(changes.map(() => GroupAtType.AtNormal));
      expect(changes.filter((x) => !x.latestMsg.includes(later.clientMsgID))).toHaveLength(1);
      expect((await conversation(await freshLogin(IOS), conversationID)).groupAtType).toBe(GroupAtType.AtNormal);
    });

    it('sets AtAll for the members (the sender too on v3.8.0 only), and AtAllAtMe for a member mentioned besides', async () => {
      const { ca, cb, cc, groupID, conversationID } = await threeInAGroup('aa');
      const [markB, markC] = [cb.events.mark(), cc.events.mark()];
      await mention(ca, groupID, [AT_ALL, cb.userID], [cb, cc]);
      await atTypeBecomes(cb, conversationID, GroupAtType.AtAllAtMe, markB);
      await atTypeBecomes(cc, conversationID, GroupAtType.AtAll, markC);
      // From the v3.8.3 tag the sender is left out; v3.8.0 marks it too (emulator/msg/atInfo.ts).
      const senderMark = resolveProfile(process.env.EMULATOR_PROFILE).atInfoRules === 'v3.8.0' ? GroupAtType.AtAll : GroupAtType.AtNormal;
      if (senderMark !== GroupAtType.AtNormal) await atTypeBecomes(ca, conversationID, senderMark);
      expect((await conversation(ca, conversationID)).groupAtType).toBe(senderMark);
      expect((await conversation(cc, conversationID)).groupAtType).toBe(GroupAtType.AtAll);
    });
  });

  describe('Group announcements', () => {
    const atTypeOf = (e: { data: unknown }, conversationID: string) => (e.data as ConversationItem[]).find((x) => x.conversationID === conversationID)?.groupAtType;

    it('a new announcement sets GroupNotification on every member\'s conversation, the operator\'s too; ResetConversationGroupAtType clears it', async () => {
      const [a, b] = (await s.fx.newUsers('an', 2)) as [string, string];
      const ca = await s.login(a);
      const cb = await s.login(b);
      const groupID = (await ca.sdk.createGroup({ memberUserIDs: [b], adminUserIDs: [], groupInfo: { groupName: 'announcements', groupType: 2 } })).data.groupID;
      const conversationID = `sg_${groupID}`;
      const announced = (c: JssdkClient) => c.events.history.some((e) => (e.event === 'OnNewConversation' || e.event === 'OnConversationChanged') && atTypeOf(e, conversationID) !== undefined);
      await waitUntil(() => announced(ca) && announced(cb), 'the group conversation on both');
      expect((await conversation(cb, conversationID)).groupAtType).toBe(GroupAtType.AtNormal);

      const [markA, markB] = [ca.events.mark(), cb.events.mark()];
      expect((await ca.sdk.setGroupInfo({ groupID, notification: 'meeting at ten' })).errCode).toBe(0);
      for (const [c, mark] of [[cb, markB], [ca, markA]] as const) {
        await c.events.waitFor('OnConversationChanged', (e) => atTypeOf(e, conversationID) === GroupAtType.GroupNotification, undefined, mark);
        expect((await conversation(c, conversationID)).groupAtType).toBe(GroupAtType.GroupNotification);
      }

      const reset = cb.events.mark();
      expect((await cb.sdk.resetConversationGroupAtType(conversationID)).errCode).toBe(0);
      await cb.events.waitFor('OnConversationChanged', (e) => atTypeOf(e, conversationID) === GroupAtType.AtNormal, undefined, reset);
      expect((await conversation(cb, conversationID)).groupAtType).toBe(GroupAtType.AtNormal);
      expect((await conversation(ca, conversationID)).groupAtType).toBe(GroupAtType.GroupNotification);
    });
  });

  itSentFramesInTheClientsKind(() => s);
});

describe('A WeChat mini-program client (wx.connectSocket, no uni, no WebSocket)', () => {
  let s: Suite;
  beforeAll(async () => {
    s = await startSuite('wx');
  });
  afterAll(async () => {
    await s.close();
  });

  it('logs in, receives and sends, and its own send is not reported back to it', async () => {
    const { ca, cb } = await s.pair('wx');
    const mark = ca.events.mark();
    const mine = await sendText(ca, cb, 'from WeChat');
    const reply = await sendText(cb, ca, 'to WeChat');
    expect(ca.events.history.slice(mark).filter((e) => e.event === 'OnRecvNewMessages').flatMap(ids)).toEqual([reply.clientMsgID]);
    expect(mine.status).toBe(2);
  });

  itSentFramesInTheClientsKind(() => s);
});
