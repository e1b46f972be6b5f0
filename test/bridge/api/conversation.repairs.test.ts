/**
 * Lists never break and counts never go back: the client SDK 0.0.14 defects repaired where they
 * start (core_func/upstream/sdkRepairs.ts), seen through the bridge with the real jssdk. The
 * bridge reaches msg_gateway through a relay that can hold back the first read of a login's
 * sync, to put a call at the worst moment.
 */
import type { AddressInfo } from 'node:net';
import WebSocket, { WebSocketServer } from 'ws';
import type { ConversationItem, MessageItem } from 'open-im-sdk';
import { adminPost } from '../../support/admin';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { CLIENT_MODES, createJssdk, jssdkLogin, type ClientMode, type JssdkClient } from '../../support/jssdk';
import { singleConversationID } from './messageSupport';

/** msg_gateway's GetConvMaxReadSeq: the first read of the client SDK's login sync. */
const GET_CONV_MAX_READ_SEQ = 1006;

/**
 * A relay in front of msg_gateway; while holding, the gateway's answers to one request kind wait.
 * The gateway's frames are JSON (binary frames) with the request kind in `reqIdentifier`.
 */
interface GatewayRelay {
  readonly address: string;
  setTarget(wsAddress: string): void;
  /** Answers of `reqIdentifier` from now on wait; resolves when the first of them arrived. */
  hold(reqIdentifier: number): Promise<void>;
  release(): void;
  close(): Promise<void>;
}

async function startGatewayRelay(): Promise<GatewayRelay> {
  let target = '';
  let held: { kind: number; arrived: () => void; waiting: Array<() => void> } | undefined;
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  server.on('connection', (client, req) => {
    const up = new WebSocket(target + (req.url ?? ''));
    const early: Array<[WebSocket.RawData, boolean]> = [];
    client.on('message', (data, isBinary) => (up.readyState === WebSocket.OPEN ? up.send(data, { binary: isBinary }) : early.push([data, isBinary])));
    up.on('open', () => early.splice(0).forEach(([data, isBinary]) => up.send(data, { binary: isBinary })));
    up.on('message', (data, isBinary) => {
      const pass = () => client.readyState === WebSocket.OPEN && client.send(data, { binary: isBinary });
      let kind = 0;
      try {
        kind = (JSON.parse(Buffer.from(data as Buffer).toString('utf8')) as { reqIdentifier?: number }).reqIdentifier ?? 0;
      } catch {
        kind = 0;
      }
      if (held && kind === held.kind) {
        held.waiting.push(pass);
        held.arrived();
      } else pass();
    });
    up.on('close', (code) => client.close(code === 1005 ? 1000 : code));
    up.on('error', () => client.terminate());
    client.on('close', () => up.terminate());
  });
  await new Promise<void>((resolve) => server.on('listening', () => resolve()));
  return {
    address: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    setTarget: (t) => (target = t),
    hold: (kind) => new Promise((arrived) => (held = { kind, arrived, waiting: [] })),
    release() {
      const waiting = held?.waiting ?? [];
      held = undefined;
      for (const go of waiting) go();
    },
    close: () =>
      new Promise((resolve) => {
        for (const c of server.clients) c.terminate();
        server.close(() => resolve());
      }),
  };
}

type Conversation = ConversationItem & { latestMsg: string };

describe.each(CLIENT_MODES)('with a %s client', (mode: ClientMode) => {
  let gateway: GatewayRelay;
  let fx: BridgeFixture;
  const clients: JssdkClient[] = [];

  beforeAll(async () => {
    gateway = await startGatewayRelay();
    fx = await startBridgeFixture((server) => {
      gateway.setTarget(server.wsAddress);
      return { upstream: { apiAddress: server.apiAddress, wsAddress: gateway.address } };
    });
  });
  afterAll(async () => {
    gateway.release();
    await Promise.all(clients.map((c) => c.dispose()));
    await fx.close();
    await gateway.close();
  });

  /** A jssdk client logged in through the bridge; `synced`: waits for its OnSyncServerFinish. */
  async function login(userID: string, synced = true): Promise<JssdkClient> {
    const c = createJssdk(userID, mode);
    clients.push(c);
    await jssdkLogin(c, { token: await fx.tokenFor(userID), wsAddr: fx.bridge.wsAddress, apiAddr: fx.bridge.httpAddress });
    if (synced) await c.events.waitFor('OnSyncServerFinish');
    return c;
  }

  const adminSend = (body: Record<string, unknown>) => adminPost<{ clientMsgID: string }>(fx.server.apiAddress, fx.adminToken, '/msg/send_msg', { senderPlatformID: 5, contentType: 101, ...body });

  const list = async (c: JssdkClient) => (await c.sdk.getConversationListSplit({ offset: 0, count: 100 })).data as Conversation[];

  describe('a relaunch after deleting a conversation that had messages', () => {
    it('lists every conversation and counts the unread total, without the deleted one', async () => {
      const [a, b] = (await fx.newUsers('del', 2)) as [string, string];
      const cb = await login(b);
      const mark = cb.events.mark();
      await adminSend({ sendID: a, recvID: b, sessionType: 1, content: { content: 'soon deleted' } });
      await cb.events.waitFor('OnRecvNewMessages', undefined, undefined, mark);
      const conversationID = singleConversationID(a, b);
      expect((await cb.sdk.deleteConversationAndDeleteAllMsg(conversationID)).errCode).toBe(0);
      await cb.dispose();

      const again = await login(b);
      const all = (await again.sdk.getAllConversationList()).data as Conversation[];
      expect(all.map((c) => c.conversationID)).toEqual([]);
      expect((await again.sdk.getConversationListSplit({ offset: 0, count: 20 })).data).toEqual([]);
      expect((await again.sdk.getTotalUnreadMsgCount()).data).toBe(0);

      // A later message brings the conversation back, counted from that message on.
      const back = again.events.mark();
      await adminSend({ sendID: a, recvID: b, sessionType: 1, content: { content: 'after the delete' } });
      await again.events.waitFor('OnRecvNewMessages', undefined, undefined, back);
      const listed = (await list(again)).find((c) => c.conversationID === conversationID);
      expect(listed).toMatchObject({ conversationID, unreadCount: 1 });
      expect(JSON.parse(listed!.latestMsg)).toMatchObject({ textElem: { content: 'after the delete' } });
    });
  });

  describe('a burst of messages to a group conversation the client has not loaded yet', () => {
    const ROUNDS = 6;
    const BURST = 4;

    it(`counts each message once, in order, and never goes back (${ROUNDS} rounds of ${BURST})`, async () => {
      const [owner, member] = (await fx.newUsers('burst', 2)) as [string, string];
      const cm = await login(member);
      const co = await login(owner);
      for (let round = 0; round < ROUNDS; round++) {
        const before = (await cm.sdk.getTotalUnreadMsgCount()).data as number;
        const mark = cm.events.mark();
        const group = (await co.sdk.createGroup({ memberUserIDs: [member], adminUserIDs: [], groupInfo: { groupName: `burst ${round}`, groupType: 2 } })).data;
        const conversationID = `sg_${group.groupID}`;
        const texts = Array.from({ length: BURST }, (_, i) => `r${round} n${i}`);
        // Right after the invitation, all at once: pushed while the client still loads the group's conversation.
        await Promise.all(texts.map((content) => adminSend({ sendID: owner, groupID: group.groupID, sessionType: 3, content: { content } })));
        const received = () => cm.events.history.slice(mark).filter((e) => e.event === 'OnRecvNewMessages').flatMap((e) => e.data as MessageItem[]).filter((m) => m.groupID === group.groupID);
        await cm.events.waitFor('OnRecvNewMessages', () => received().length >= BURST, undefined, mark);
        // What the server has not seen read: the burst and the group's creation notice.
        const seqs = await adminPost<{ seqs?: Record<string, { hasReadSeq?: number; maxSeq?: number }> | null }>(fx.server.apiAddress, fx.adminToken, '/msg/get_conversations_has_read_and_max_seq', { userID: member, conversationIDs: [conversationID] });
        const mine = seqs.seqs?.[conversationID];
        // OpenIM leaves zero values out of its JSON (or, by release, writes them): absent is 0.
        const unread = (mine?.maxSeq ?? 0) - (mine?.hasReadSeq ?? 0);
        expect(unread).toBeGreaterThanOrEqual(BURST);
        const counted = (e: { event: string; data: unknown }) => (e.data as Conversation[]).find((c) => c.conversationID === conversationID);
        await cm.events.waitFor('OnTotalUnreadMessageCountChanged', (e) => e.data === before + unread, undefined, mark);
        await cm.events.waitForAnyOf(['OnConversationChanged', 'OnNewConversation'], undefined, mark);
        await cm.events.waitFor('OnConversationChanged', (e) => counted(e)?.unreadCount === unread, undefined, mark);

        const seen = cm.events.history.slice(mark).filter((e) => e.event === 'OnConversationChanged' || e.event === 'OnNewConversation').map(counted).filter((c) => c !== undefined);
        const counts = seen.map((c) => c.unreadCount);
        expect(counts).toEqual([...counts].sort((x, y) => x - y));
        const latest = seen.map((c) => JSON.parse(c.latestMsg) as { seq: number });
        expect(latest.map((m) => m.seq)).toEqual(latest.map((m) => m.seq).sort((x, y) => x - y));
        const totals = cm.events.history.slice(mark).filter((e) => e.event === 'OnTotalUnreadMessageCountChanged').map((e) => e.data as number);
        expect(totals).toEqual([...totals].sort((x, y) => x - y));

        const listed = (await list(cm)).find((c) => c.conversationID === conversationID);
        expect(listed?.unreadCount).toBe(unread);
        expect(JSON.parse(listed!.latestMsg)).toMatchObject({ seq: Math.max(...received().map((m) => m.seq)) });
        expect((await cm.sdk.getTotalUnreadMsgCount()).data).toBe(before + unread);
      }
    });
  });

  describe('a new login after OnKickedOffline that lists at once', () => {
    it('lists the conversations the login sync reads, however late that sync answers', async () => {
      const [u, peer] = (await fx.newUsers('kick', 2)) as [string, string];
      const first = await login(u);
      const mark = first.events.mark();
      await adminSend({ sendID: peer, recvID: u, sessionType: 1, content: { content: 'before the kick' } });
      await first.events.waitFor('OnRecvNewMessages', undefined, undefined, mark);
      first.stopReconnecting();

      // The sync's first read (the seqs of every conversation) answers only after the list was asked for.
      const slowSync = gateway.hold(GET_CONV_MAX_READ_SEQ);
      const second = await login(u, false);
      await first.events.waitFor('OnKickedOffline');
      await slowSync;
      const listing = second.sdk.getAllConversationList();
      const total = second.sdk.getTotalUnreadMsgCount();
      // Answered by the bridge itself, after it took both calls above off the socket.
      expect((await second.sdk.getLoginStatus()).data).toBe(3);
      gateway.release();
      const all = (await listing).data as Conversation[];
      expect(all.map((c) => c.conversationID)).toEqual([singleConversationID(u, peer)]);
      expect(all[0]).toMatchObject({ unreadCount: 1 });
      expect((await total).data).toBe(1);
    });
  });
});
