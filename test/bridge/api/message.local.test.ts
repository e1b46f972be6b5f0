/**
 * The local-only message methods, end to end: what the OpenIM SDK core keeps in its local
 * database the bridge keeps in its state store, per user, across logins and bridge restarts:
 * one suite, on each state store (LevelDB on the bridge's disk, Redis shared).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageItem } from 'open-im-sdk';
import { startBridge, type BridgeHandle } from '../../../module/bridge';
import { testBridgeOptions } from '../../support/bridge';
import { CLIENT_MODES, createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { openRaw, connectUrl } from '../../support/rawClient';
import { errCodeOf, sendText, singleConversationID, startSuite, type Suite, itSentFramesInTheClientsKind } from './messageSupport';
import { clientsAndStores } from '../../support/stateBackends';

describe.each(clientsAndStores(CLIENT_MODES))('with a %s client on %s', (mode, _store, storeOptions) => {
  let s: Suite;

  beforeAll(async () => {
    s = await startSuite(mode, storeOptions());
  });
  afterAll(async () => {
    await s.close();
  });

  async function historyIDs(c: JssdkClient, conversationID: string): Promise<string[]> {
    const page = (await c.sdk.getAdvancedHistoryMessageList({ conversationID, count: 50, startClientMsgID: '', lastMinSeq: 0 })).data;
    return page.messageList.map((m) => m.clientMsgID);
  }

  describe('Local deletes', () => {
    it('DeleteMessageFromLocalStorage hides a message for this user, also after a new login; the server keeps it', async () => {
      const { a, b, ca, cb, conversationID } = await s.pair('ld');
      const keep = await sendText(ca, cb, 'keep');
      const drop = await sendText(ca, cb, 'drop locally');
      expect((await cb.sdk.deleteMessageFromLocalStorage({ conversationID, clientMsgID: drop.clientMsgID })).errCode).toBe(0);
      expect(await historyIDs(cb, conversationID)).toEqual([keep.clientMsgID]);
      expect(await historyIDs(ca, conversationID)).toEqual([keep.clientMsgID, drop.clientMsgID]);
      await cb.dispose();
      const again = await s.login(b);
      expect(await historyIDs(again, conversationID)).toEqual([keep.clientMsgID]);
      expect(a).not.toBe(b);
      expect(await errCodeOf(again.sdk.deleteMessageFromLocalStorage({ conversationID, clientMsgID: 3 as unknown as string }))).toBe(10001);
    });

    it('DeleteAllMsgFromLocal empties this user\'s history; later messages show', async () => {
      const { ca, cb, conversationID } = await s.pair('la');
      await sendText(ca, cb, 'old one');
      expect((await cb.sdk.deleteAllMsgFromLocal()).errCode).toBe(0);
      expect(await historyIDs(cb, conversationID)).toEqual([]);
      expect((await cb.sdk.getAllConversationList()).data.find((c) => c.conversationID === conversationID)).toMatchObject({ latestMsg: '' });
      const fresh = await sendText(ca, cb, 'new one');
      expect(await historyIDs(cb, conversationID)).toEqual([fresh.clientMsgID]);
      expect(await historyIDs(ca, conversationID)).toHaveLength(2);

      // a method without arguments refuses one (raw frame: the jssdk never sends it)
      const token = await s.fx.tokenFor(cb.userID, 2);
      const raw = await openRaw(connectUrl(s.fx.bridge.wsAddress, { sendID: cb.userID, token, platformID: 2 }));
      raw.request('Login', 'l1', [cb.userID, token]);
      expect(await raw.next((f) => f.operationID === 'l1')).toMatchObject({ errCode: 0 });
      raw.request('DeleteAllMsgFromLocal', 'd1', ['extra']);
      expect(await raw.next((f) => f.operationID === 'd1')).toMatchObject({ errCode: 10001 });
      raw.request('Logout', 'lo', []);
      await raw.closed();
    });
  });

  describe('Local inserts and localEx', () => {
    it('InsertSingleMessageToLocalStorage stores a message only this user sees, in history order', async () => {
      const { a, b, ca, cb, conversationID } = await s.pair('is');
      const first = await sendText(ca, cb, 'from the server');
      const draft = (await cb.sdk.createTextMessage('only on this bridge')).data;
      const stored = (await cb.sdk.insertSingleMessageToLocalStorage({ message: draft, recvID: a, sendID: b })).data as MessageItem;
      expect(stored).toMatchObject({ clientMsgID: draft.clientMsgID, sendID: b, recvID: a, sessionType: 1, status: 2, textElem: { content: 'only on this bridge' } });
      expect(await historyIDs(cb, conversationID)).toEqual([first.clientMsgID, draft.clientMsgID]);
      expect(await historyIDs(ca, conversationID)).toEqual([first.clientMsgID]);
      const found = (await cb.sdk.findMessageList([{ conversationID, clientMsgIDList: [draft.clientMsgID] }])).data as unknown as { totalCount: number };
      expect(found.totalCount).toBe(1);
      // DeleteMessage of a message that exists only locally stays local
      expect((await cb.sdk.deleteMessage({ conversationID, clientMsgID: draft.clientMsgID })).errCode).toBe(0);
      expect(await historyIDs(cb, conversationID)).toEqual([first.clientMsgID]);
      expect(await errCodeOf(cb.sdk.insertSingleMessageToLocalStorage({ message: 'nope' as never, recvID: a, sendID: b }))).toBe(10001);
    });

    it('InsertGroupMessageToLocalStorage stores a group message in the group conversation', async () => {
      const [u] = await s.fx.newUsers('ig', 1);
      const c = await s.login(u!);
      const m = (await c.sdk.createCustomMessage({ data: 'payload', extension: '', description: 'local group note' })).data;
      const stored = (await c.sdk.insertGroupMessageToLocalStorage({ message: m, groupID: 'grp-local', sendID: u! })).data as MessageItem;
      expect(stored).toMatchObject({ clientMsgID: m.clientMsgID, groupID: 'grp-local', recvID: '', sessionType: 3, status: 2, customElem: { data: 'payload' } });
      expect(await historyIDs(c, 'sg_grp-local')).toEqual([m.clientMsgID]);
      expect(await errCodeOf(c.sdk.insertGroupMessageToLocalStorage({ message: m, groupID: 9 as unknown as string, sendID: u! }))).toBe(10001);
    });

    it('SetMessageLocalEx sets localEx as this user\'s history shows it', async () => {
      const { ca, cb, conversationID } = await s.pair('lx');
      const sent = await sendText(ca, cb, 'annotate me');
      expect((await cb.sdk.setMessageLocalEx({ conversationID, clientMsgID: sent.clientMsgID, localEx: '{"starred":true}' })).errCode).toBe(0);
      const page = (await cb.sdk.getAdvancedHistoryMessageList({ conversationID, count: 10, startClientMsgID: '', lastMinSeq: 0 })).data;
      expect(page.messageList[0]).toMatchObject({ clientMsgID: sent.clientMsgID, localEx: '{"starred":true}' });
      const other = (await ca.sdk.getAdvancedHistoryMessageList({ conversationID, count: 10, startClientMsgID: '', lastMinSeq: 0 })).data;
      expect(other.messageList[0]).toMatchObject({ localEx: '' });
      expect(await errCodeOf(cb.sdk.setMessageLocalEx({ conversationID, clientMsgID: sent.clientMsgID, localEx: undefined as unknown as string }))).toBe(10001);
    });
  });

  describe('SearchLocalMessages', () => {
    it('searches keywords (any or all), senders and conversations', async () => {
      const { a, b, ca, cb, conversationID } = await s.pair('sr');
      await sendText(ca, cb, 'apple pie');
      await sendText(ca, cb, 'banana bread');
      await sendText(cb, ca, 'apple juice');
      type Result = { totalCount: number; searchResultItems: Array<{ conversationID: string; messageCount: number; conversationType: number; showName: string; messageList: MessageItem[] }> };
      const search = async (p: object) => (await cb.sdk.searchLocalMessages(p as never)).data as unknown as Result;

      const any = await search({ conversationID, keywordList: ['apple'], keywordListMatchType: 0, pageIndex: 1, count: 10 });
      expect(any.totalCount).toBe(2);
      expect(any.searchResultItems[0]).toMatchObject({ conversationID, messageCount: 2, conversationType: 1 });
      expect(any.searchResultItems[0]!.messageList.map((m) => m.textElem.content).sort()).toEqual(['apple juice', 'apple pie']);

      const all = await search({ conversationID, keywordList: ['apple', 'JUICE'], keywordListMatchType: 1 });
      expect(all.searchResultItems[0]!.messageList.map((m) => m.textElem.content)).toEqual(['apple juice']);

      const fromA = await search({ conversationID, keywordList: [], senderUserIDList: [a] });
      expect(fromA.totalCount).toBe(2);

      const everywhere = await search({ conversationID: '', keywordList: ['bread'] });
      expect(everywhere.totalCount).toBe(1);
      expect(everywhere.searchResultItems[0]).toMatchObject({ conversationID, messageCount: 1 });

      const paged = await search({ conversationID, keywordList: ['a'], pageIndex: 2, count: 2 });
      expect(paged.totalCount).toBe(3);
      expect(paged.searchResultItems[0]!.messageList).toHaveLength(1);

      expect(b).toBeTruthy();
      expect(await errCodeOf(cb.sdk.searchLocalMessages({ conversationID, keywordList: [] }))).toBe(10001);
      expect(await errCodeOf(cb.sdk.searchLocalMessages('x' as never))).toBe(10001);
    });
  });

  describe('Across bridge restarts', () => {
    it('keeps local data when the bridge restarts on the same state store', async () => {
      const restartStore = storeOptions();
      const dataDir = mkdtempSync(join(tmpdir(), 'bridge-restart-'));
      const [a, b] = (await s.fx.newUsers('rs', 2)) as [string, string];
      const conversationID = singleConversationID(a, b);
      const loginOn = async (bridge: BridgeHandle, userID: string) => {
        const c = createJssdk(userID, mode);
        await jssdkLogin(c, { token: await s.fx.tokenFor(userID), wsAddr: bridge.wsAddress, apiAddr: bridge.httpAddress });
        await c.events.waitFor('OnSyncServerFinish');
        return c;
      };
      try {
        const first = await startBridge(testBridgeOptions(s.fx.server, { dataDir, ...restartStore }));
        const ca = await loginOn(first, a);
        const cb = await loginOn(first, b);
        const gone = await sendText(ca, cb, 'delete me locally');
        const stays = await sendText(ca, cb, 'stays');
        await cb.sdk.deleteMessageFromLocalStorage({ conversationID, clientMsgID: gone.clientMsgID });
        await cb.sdk.setConversationDraft({ conversationID, draftText: 'unsent words' });
        await Promise.all([ca.dispose(), cb.dispose()]);
        await first.close();

        const second = await startBridge(testBridgeOptions(s.fx.server, { dataDir, ...restartStore }));
        const again = await loginOn(second, b);
        expect(await historyIDs(again, conversationID)).toEqual([stays.clientMsgID]);
        expect((await again.sdk.getAllConversationList()).data.find((c) => c.conversationID === conversationID)).toMatchObject({ draftText: 'unsent words' });
        await again.dispose();
        await second.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  });

  itSentFramesInTheClientsKind(() => s);
});
