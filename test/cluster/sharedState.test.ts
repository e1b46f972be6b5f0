/**
 * Several bridges, one state: three bridge processes behind Debian's nginx (deploy/nginx.conf,
 * consistent hash of sendID) keep their users' local state in one Redis. One is SIGKILLed: its
 * users reconnect through nginx by themselves (the jssdk's own retry) to the others and find
 * their drafts, local deletions, hidden conversations and localEx as they left them, and every
 * message sent to them meanwhile arrives once, in order. A fourth bridge is added and nginx
 * reloaded: the users that move to it keep their state too. A profile change seen by one
 * bridge drops the cached profile on the others.
 */
import type { ConversationItem, MessageItem } from 'open-im-sdk';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { startBridgeProcess, type BridgeProcess } from '../support/bridgeProcess';
import { startTestServer, type TestServer } from '../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { NGINX, startNginx, type Nginx } from '../support/nginx';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../support/redis';
import { waitUntil } from '../support/wait';

const USERS = 60;
/** Messages sent to each moved user while its bridge is gone. */
const DURING_FAILOVER = 3;
/** The jssdk reconnects every 5 s, up to 10 times. */
const FAILOVER_MS = 60_000;

requireRedisUnderCi();
if (!NGINX && process.env.CI === 'true') throw new Error('nginx is required under CI (.ci/run installs it)');
const maybe = NGINX && REDIS_SERVER ? describe : describe.skip;

type Conversations = { data: ConversationItem[] };

maybe('Three bridges, one Redis, behind nginx', () => {
  let server: TestServer;
  let redis: RedisServer;
  let nginx: Nginx;
  let admin: string;
  const bridges: BridgeProcess[] = [];
  let clients: JssdkClient[] = [];
  // Shared by the steps below, which run in order.
  const users = Array.from({ length: USERS }, (_, i) => uniqueUserID(`ss${i}`));
  const [S, T, F] = [uniqueUserID('sender'), uniqueUserID('hidden'), uniqueUserID('failover')];
  const byUser = new Map<string, JssdkClient>();
  const sent = new Map<string, { deleted: string; withEx: string }>();
  const failoverTexts = new Map<string, string[]>();
  const marks = new Map<string, number>();
  let tokens: Map<string, string>;
  let moved: string[] = [];
  let survivors: BridgeProcess[] = [];
  const conv = (a: string, b: string) => `si_${[a, b].sort().join('_')}`;
  const connect = async (userID: string) => {
    const c = createJssdk(userID);
    clients.push(c);
    await jssdkLogin(c, { token: tokens.get(userID)!, wsAddr: `ws://127.0.0.1:${nginx.port}`, apiAddr: server.apiAddress });
    await c.events.waitFor('OnSyncServerFinish');
    return c;
  };
  const send = async (from: JssdkClient, to: string, text: string) => {
    const m = (await from.sdk.createTextMessage(text)).data as MessageItem;
    return (await from.sdk.sendMessage({ recvID: to, groupID: '', message: m })).data as MessageItem;
  };
  /** All four kinds of local state of `u`, as its jssdk sees them now. */
  const expectStateIntact = async (u: string) => {
    const c = byUser.get(u)!;
    const i = users.indexOf(u);
    const list = ((await c.sdk.getAllConversationList()) as Conversations).data;
    expect(list.find((x) => x.conversationID === conv(S, u))).toMatchObject({ draftText: `draft ${i}` });
    expect(list.map((x) => x.conversationID)).not.toContain(conv(T, u));
    const history = (await c.sdk.getAdvancedHistoryMessageList({ conversationID: conv(S, u), count: 20, startClientMsgID: '', lastMinSeq: 0 })).data.messageList;
    expect(history.map((m) => m.clientMsgID)).toEqual([sent.get(u)!.withEx]);
    expect(history[0]).toMatchObject({ localEx: `ex ${i}` });
  };

  async function startInstance(): Promise<BridgeProcess> {
    const p = await startBridgeProcess(
      ['--openIM_log_level', 'warn', '--connect_rate_per_ip', '0', '--trusted_proxies', '127.0.0.1', '--state_store', redis.url, '--state_store_prefix', 'cluster:'],
      { OPENIM_API_ADDRESS: server.apiAddress, OPENIM_WS_ADDRESS: server.wsAddress },
    );
    bridges.push(p);
    return p;
  }

  /** Which bridges hold a logged-in session of `userID` (asked over their own loopback /status). */
  async function whereIs(userID: string, among: BridgeProcess[]): Promise<number[]> {
    const found: number[] = [];
    for (const b of among) {
      if (b.child.exitCode !== null || b.child.signalCode !== null) continue;
      const status = (await (await fetch(`http://127.0.0.1:${b.ready.port}/status?userID=${encodeURIComponent(userID)}`)).json()) as { user: { sessions: number } };
      if (status.user.sessions > 0) found.push(bridges.indexOf(b));
    }
    return found;
  }

  beforeAll(async () => {
    server = await startTestServer();
    redis = await startRedis();
    for (let i = 0; i < 3; i++) await startInstance();
    nginx = await startNginx(bridges.map((b) => b.ready.port));
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await nginx?.stop();
    for (const b of bridges) {
      if (b.child.exitCode === null && b.child.signalCode === null) {
        b.child.kill('SIGTERM');
        await b.exited();
      }
    }
    await redis?.close();
    await server?.close();
  });

  it(`keeps the local state of ${USERS} users (draft, local delete, hidden conversation, localEx) when their bridge is SIGKILLed`, async () => {
    await registerUsers(server.apiAddress, admin, [...users, S, T, F].map((userID) => ({ userID, nickname: `nick ${userID}` })));
    tokens = new Map(await Promise.all([...users, S, T, F].map(async (u) => [u, await userToken(server.apiAddress, admin, u, 5)] as const)));
    const [cs, ct, cf] = [await connect(S), await connect(T), await connect(F)];
    for (const u of users) byUser.set(u, await connect(u));
    // Each user: from S a message deleted locally and one with a localEx, a draft; T's conversation hidden.
    await Promise.all(
      users.map(async (u, i) => {
        const c = byUser.get(u)!;
        const mark = c.events.mark();
        const deleted = await send(cs, u, `delete me ${i}`);
        const withEx = await send(cs, u, `keep me ${i}`);
        await send(ct, u, `hide me ${i}`);
        await c.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.clientMsgID === withEx.clientMsgID), 20_000, mark);
        await c.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.textElem?.content === `hide me ${i}`), 20_000, mark);
        expect((await c.sdk.deleteMessageFromLocalStorage({ conversationID: conv(S, u), clientMsgID: deleted.clientMsgID })).errCode).toBe(0);
        expect((await c.sdk.setMessageLocalEx({ conversationID: conv(S, u), clientMsgID: withEx.clientMsgID, localEx: `ex ${i}` })).errCode).toBe(0);
        expect((await c.sdk.setConversationDraft({ conversationID: conv(S, u), draftText: `draft ${i}` })).errCode).toBe(0);
        expect((await c.sdk.hideConversation(conv(T, u))).errCode).toBe(0);
        sent.set(u, { deleted: deleted.clientMsgID, withEx: withEx.clientMsgID });
      }),
    );

    const home = new Map<string, number>();
    for (const u of users) {
      const at = await whereIs(u, bridges);
      expect(at).toHaveLength(1);
      home.set(u, at[0]!);
    }
    for (const i of [0, 1, 2]) expect([...home.values()].filter((x) => x === i).length).toBeGreaterThan(0);

    // SIGKILL the bridge of the most users (F's is spared: F writes to them while they are away).
    const fAt = (await whereIs(F, bridges))[0];
    const usersOn = (i: number) => [...home.values()].filter((x) => x === i).length;
    const victim = [0, 1, 2].filter((i) => i !== fAt).sort((a, b) => usersOn(b) - usersOn(a))[0]!;
    moved = users.filter((u) => home.get(u) === victim);
    for (const u of moved) marks.set(u, byUser.get(u)!.events.mark());
    bridges[victim]!.child.kill('SIGKILL');
    await bridges[victim]!.exited();
    for (const u of moved) {
      const texts = Array.from({ length: DURING_FAILOVER }, (_, k) => `while away ${users.indexOf(u)}.${k}`);
      for (const t of texts) await send(cf, u, t);
      failoverTexts.set(u, texts);
    }

    survivors = bridges.filter((_, i) => i !== victim);
    // Reconnected by the jssdk itself, through nginx, to a surviving bridge.
    await Promise.all(moved.map((u) => byUser.get(u)!.events.waitFor('OnConnectSuccess', () => true, FAILOVER_MS, marks.get(u))));
    for (const u of moved) expect(await whereIs(u, survivors)).toHaveLength(1);
    for (const u of users) await expectStateIntact(u);
  }, 180_000);

  it('delivers every message sent to the moved users during the failover once, in order (catch-up on the shared cursors)', async () => {
    expect(moved.length).toBeGreaterThan(0);
    await Promise.all(
      moved.map(async (u) => {
        const c = byUser.get(u)!;
        const texts = failoverTexts.get(u)!;
        const last = texts[texts.length - 1]!;
        await c.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.textElem?.content === last), 15_000, marks.get(u));
        const arrived = c.events
          .all('OnRecvNewMessages')
          .flatMap((e) => e.data as MessageItem[])
          .filter((m) => m.sendID === F)
          .map((m) => m.textElem?.content);
        expect(arrived).toEqual(texts);
      }),
    );
  }, 60_000);

  it('drops a cached profile on every bridge when one of them sees it change', async () => {
    const now = new Map<string, number>();
    for (const u of users) now.set(u, (await whereIs(u, survivors))[0]!);
    const watcher = users[0]!;
    const changer = users.find((u) => now.get(u) !== now.get(watcher))!;
    const wc = byUser.get(watcher)!;
    const before = JSON.stringify((await wc.sdk.getUsersInfoWithCache({ userIDList: [changer] } as never)).data);
    expect(before).toContain(`nick ${changer}`);
    expect((await byUser.get(changer)!.sdk.setSelfInfo({ nickname: 'renamed' } as never)).errCode).toBe(0);
    let after = before;
    // 10 s: well under the cache's 60 s time to live, so only the invalidation can explain it.
    await waitUntil(async () => {
      after = JSON.stringify((await wc.sdk.getUsersInfoWithCache({ userIDList: [changer] } as never)).data);
      return after.includes('renamed');
    }, 'the renamed profile on another bridge', 10_000);
    expect(after).toContain('renamed');
  }, 60_000);

  it('keeps the state of the users that move to a fourth bridge added to nginx', async () => {
    const fourth = await startInstance();
    await nginx.reload([...survivors, fourth].map((b) => b.ready.port));
    await Promise.all(clients.map((c) => c.dispose()));
    clients = [];
    for (const u of users) byUser.set(u, await connect(u));
    const onFourth: string[] = [];
    for (const u of users) {
      const at = await whereIs(u, [...survivors, fourth]);
      expect(at).toHaveLength(1);
      if (at[0] === bridges.indexOf(fourth)) onFourth.push(u);
    }
    expect(onFourth.length).toBeGreaterThan(0);
    for (const u of onFourth) await expectStateIntact(u);
  }, 120_000);
});
