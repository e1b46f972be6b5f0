/**
 * A real two-instance cluster: Debian's nginx (deploy/nginx.conf, consistent hash of sendID)
 * in front of two bridges sharing one OpenIM server. Users stick to their instance; when one
 * instance stops, its users reconnect through nginx to the other and chat again.
 */
import type { MessageItem } from 'open-im-sdk';
import { startBridge, type BridgeHandle } from '../../module/bridge';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { testBridgeOptions, TEST_ADMISSION } from '../support/bridge';
import { startTestServer, type TestServer } from '../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { NGINX, startNginx, type Nginx } from '../support/nginx';

const USERS = 40;
/** The jssdk reconnects every 5 s, up to 10 times. */
const FAILOVER_MS = 60_000;

if (!NGINX && process.env.CI === 'true') throw new Error('nginx is required under CI (.ci/run installs it)');
const maybe = NGINX ? describe : describe.skip;
if (!NGINX) console.warn('nginx not installed: skipping the cluster test (apt-get install nginx-light)');

async function instance(server: TestServer): Promise<BridgeHandle> {
  return startBridge(
    testBridgeOptions(server, {
      maxConnections: 10_000,
      // Every test client is 127.0.0.1 behind nginx too: no per-IP rate limit here (see limits.test.ts).
      admission: { ...TEST_ADMISSION, connectRatePerIp: 0 },
      trustedProxies: ['127.0.0.1'],
      resume: { graceMs: 60_000, maxSessions: 1000, maxEvents: 10_000, maxBytes: 8 << 20 },
    }),
  );
}

async function whereIs(userID: string, instances: BridgeHandle[]): Promise<number> {
  const found: number[] = [];
  for (const [i, b] of instances.entries()) {
    const status = (await (await fetch(`${b.httpAddress}/status?userID=${encodeURIComponent(userID)}`)).json()) as { user: { sessions: number } };
    if (status.user.sessions > 0) found.push(i);
  }
  expect(found).toHaveLength(1);
  return found[0]!;
}

maybe('nginx in front of two bridge instances', () => {
  let server: TestServer;
  let bridges: BridgeHandle[];
  let nginx: Nginx;
  let clients: JssdkClient[] = [];
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    bridges = [await instance(server), await instance(server)];
    nginx = await startNginx(bridges.map((b) => b.port));
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await nginx?.stop();
    for (const b of bridges ?? []) if (!b.closing) await b.close();
    await server?.close();
  });

  it(`keeps each of ${USERS} users on one instance, spreads them over both, and fails over`, async () => {
    const users = Array.from({ length: USERS }, (_, i) => uniqueUserID(`lb${i}`));
    await registerUsers(server.apiAddress, admin, users.map((userID) => ({ userID })));
    const tokens = new Map(await Promise.all(users.map(async (u) => [u, await userToken(server.apiAddress, admin, u, 5)] as const)));
    const wsAddr = `ws://127.0.0.1:${nginx.port}`;
    const connectAll = async () => {
      clients = [];
      for (const u of users) {
        const c = createJssdk(u);
        clients.push(c);
        await jssdkLogin(c, { token: tokens.get(u)!, wsAddr, apiAddr: server.apiAddress });
      }
    };

    await connectAll();
    const first = new Map<string, number>();
    for (const u of users) first.set(u, await whereIs(u, bridges));
    const counts = [0, 1].map((i) => [...first.values()].filter((x) => x === i).length);
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBeGreaterThan(0);

    // Log everyone out and in again: each lands where it was.
    for (const c of clients) await c.sdk.logout();
    await connectAll();
    for (const u of users) expect(await whereIs(u, bridges)).toBe(first.get(u));

    // Stop instance 0: its users see a 1001 close, reconnect through nginx, and land on instance 1.
    const moved = users.filter((u) => first.get(u) === 0);
    const stayed = users.filter((u) => first.get(u) === 1);
    const movedClients = clients.filter((c) => moved.includes(c.userID));
    const marks = movedClients.map((c) => c.events.mark());
    await bridges[0]!.close(3_000);
    await Promise.all(
      movedClients.map(async (c) => {
        const deadline = Date.now() + FAILOVER_MS;
        while (bridges[1]!.sessionsOf(c.userID) === 0) {
          if (Date.now() > deadline) throw new Error(`${c.userID} did not fail over`);
          await new Promise((r) => setTimeout(r, 50));
        }
      }),
    );
    expect(marks).toHaveLength(moved.length);

    // Moved and staying users chat across the surviving instance.
    const a = movedClients[0]!;
    const b = clients.find((c) => c.userID === stayed[0])!;
    const since = b.events.mark();
    const msg = (await a.sdk.createTextMessage('after failover')).data as MessageItem;
    await a.sdk.sendMessage({ recvID: b.userID, groupID: '', message: msg });
    await b.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.textElem?.content === 'after failover'), 20_000, since);
    const back = (await b.sdk.createTextMessage('reply')).data as MessageItem;
    const sinceA = a.events.mark();
    await b.sdk.sendMessage({ recvID: a.userID, groupID: '', message: back });
    await a.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.textElem?.content === 'reply'), 20_000, sinceA);
  }, 180_000);
});
