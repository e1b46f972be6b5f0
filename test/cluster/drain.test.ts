/**
 * A deploy that drains: three bridge processes behind Debian's nginx (deploy/nginx.conf) on one
 * Redis, chat traffic flowing, one of them gets SIGTERM. Its /readyz is 503 while it still holds
 * its clients; it closes them with 1001 spread over --drain_ms and exits 0; each client's jssdk
 * reconnects by itself through nginx to a survivor, whose upstream logins stay within
 * --logins_per_second (counted from the survivors' own log records of each login start, checked
 * against their metrics) with the pace seen to hold some back; every message sent meanwhile
 * arrives once, in order, and nobody gets an error.
 */
import type { MessageItem } from 'open-im-sdk';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { startBridgeProcess, type BridgeProcess } from '../support/bridgeProcess';
import { startTestServer, type TestServer } from '../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { metricValue, scrapeMetrics } from '../support/metrics';
import { NGINX, startNginx, type Nginx } from '../support/nginx';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../support/redis';
import { waitUntil } from '../support/wait';

const USERS = 30;
const LOGINS_PER_SECOND = 3;
const DRAIN_MS = 2_000;
/** The jssdk reconnects every 5 s, up to 10 times. */
const FAILOVER_MS = 60_000;

requireRedisUnderCi();
if (!NGINX && process.env.CI === 'true') throw new Error('nginx is required under CI (.ci/run installs it)');
const maybe = NGINX && REDIS_SERVER ? describe : describe.skip;

type LoginRecord = { msg?: string; startedAt?: number };

/** Most login starts in any half-open one-second window. */
function maxPerSecond(starts: number[]): number {
  let most = 0;
  for (const t of starts) most = Math.max(most, starts.filter((s) => s >= t && s < t + 1000).length);
  return most;
}

maybe('Draining one of three bridges behind nginx under traffic', () => {
  let server: TestServer;
  let redis: RedisServer;
  let nginx: Nginx;
  const bridges: BridgeProcess[] = [];
  const clients: JssdkClient[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    redis = await startRedis();
    for (let i = 0; i < 3; i++) {
      bridges.push(
        await startBridgeProcess(
          ['--connect_rate_per_ip', '0', '--trusted_proxies', '127.0.0.1', '--state_store', redis.url, '--state_store_prefix', 'drain:', '--drain_ms', String(DRAIN_MS), '--logins_per_second', String(LOGINS_PER_SECOND)],
          { OPENIM_API_ADDRESS: server.apiAddress, OPENIM_WS_ADDRESS: server.wsAddress, LOG_LEVEL: 'info', CURSOR_FLUSH_MS: '50' },
        ),
      );
    }
    nginx = await startNginx(bridges.map((b) => b.ready.port));
  });
  let stopTraffic = async () => undefined;
  afterAll(async () => {
    await stopTraffic();
    await Promise.all(clients.map((c) => c.dispose()));
    await nginx?.stop();
    for (const b of bridges) if (b.child.exitCode === null && b.child.signalCode === null) b.child.kill('SIGKILL');
    await Promise.all(bridges.map((b) => b.exited()));
    await redis?.close();
    await server?.close();
  });

  it('moves every client of the drained bridge to the others, pacing their logins, losing nothing, failing nobody', async () => {
    const admin = await adminToken(server.apiAddress, server.secret);
    const users = Array.from({ length: USERS }, (_, i) => uniqueUserID(`dr${i}`));
    const S = uniqueUserID('drsender');
    await registerUsers(server.apiAddress, admin, [...users, S].map((userID) => ({ userID })));
    const byUser = new Map<string, JssdkClient>();
    for (const u of [S, ...users]) {
      const c = createJssdk(u);
      clients.push(c);
      byUser.set(u, c);
    }
    await Promise.all(
      [S, ...users].map(async (u) => {
        const c = byUser.get(u)!;
        await jssdkLogin(c, { token: await userToken(server.apiAddress, admin, u, 5), wsAddr: `ws://127.0.0.1:${nginx.port}`, apiAddr: server.apiAddress });
        await c.events.waitFor('OnSyncServerFinish', () => true, 30_000);
      }),
    );

    const homeOf = async (u: string) => {
      const at: number[] = [];
      for (const [i, b] of bridges.entries()) {
        if (b.child.exitCode !== null || b.child.signalCode !== null) continue;
        const answer = (await (await fetch(`http://127.0.0.1:${b.ready.port}/admin/sessions?userID=${encodeURIComponent(u)}`)).json()) as { sessions: unknown[] };
        if (answer.sessions.length > 0) at.push(i);
      }
      expect(at).toHaveLength(1);
      return at[0]!;
    };
    const home = new Map<string, number>();
    for (const u of [S, ...users]) home.set(u, await homeOf(u));
    const victimIndex = [0, 1, 2].filter((i) => i !== home.get(S)).sort((a, b) => users.filter((u) => home.get(u) === b).length - users.filter((u) => home.get(u) === a).length)[0]!;
    const victim = bridges[victimIndex]!;
    const survivors = bridges.filter((b) => b !== victim);
    const moved = users.filter((u) => home.get(u) === victimIndex);
    expect(moved.length).toBeGreaterThanOrEqual(3);

    const marks = new Map(users.map((u) => [u, byUser.get(u)!.events.mark()]));
    const sent = new Map<string, string[]>(users.map((u) => [u, []]));
    const sender = byUser.get(S)!;
    let traffic = true;
    let round = 0;
    const trafficDone = (async () => {
      while (traffic) {
        for (const u of users) {
          const text = `r${round} to ${u}`;
          const m = (await sender.sdk.createTextMessage(text)).data;
          const answer = await sender.sdk.sendMessage({ recvID: u, groupID: '', message: m });
          expect(answer.errCode).toBe(0);
          sent.get(u)!.push(text);
        }
        round++;
      }
    })();

    // However the test ends, the traffic stops before the clients are disposed.
    stopTraffic = async () => {
      traffic = false;
      await trafficDone.catch(() => undefined);
    };
    await waitUntil(() => round >= 1, 'a first round of traffic', 30_000);
    victim.child.kill('SIGTERM');
    const victimBase = `http://127.0.0.1:${victim.ready.port}`;
    // Readiness turns red first, while the instance still holds its clients.
    await waitUntil(async () => (await fetch(`${victimBase}/readyz`)).status === 503, 'the drained bridge not ready');
    const during = await scrapeMetrics(victimBase);
    expect(metricValue(during, 'openim_bridge_draining')).toBe(1);
    expect(metricValue(during, 'openim_bridge_drain_connections', { state: 'total' })).toBe(moved.length);
    expect(metricValue(during, 'openim_bridge_drain_connections', { state: 'closed' })).toBeLessThan(moved.length);
    expect(await victim.exited()).toEqual({ code: 0, signal: null });

    await Promise.all(moved.map((u) => byUser.get(u)!.events.waitFor('OnConnectSuccess', () => true, FAILOVER_MS, marks.get(u))));
    for (const u of moved) expect(survivors.map((b) => bridges.indexOf(b))).toContain(await homeOf(u));
    const roundsAfter = round + 1;
    await waitUntil(() => round > roundsAfter, 'a round of traffic after the move', 30_000);
    traffic = false;
    await trafficDone;

    // No message lost or doubled: each user got what was sent to it, once, in order.
    await Promise.all(
      users.map(async (u) => {
        const c = byUser.get(u)!;
        const texts = sent.get(u)!;
        await c.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.textElem?.content === texts.at(-1)), 30_000, marks.get(u));
        const got = c.events.history
          .slice(marks.get(u))
          .filter((e) => e.event === 'OnRecvNewMessages')
          .flatMap((e) => e.data as MessageItem[])
          .filter((m) => m.sendID === S)
          .map((m) => m.textElem?.content);
        expect(got).toEqual(texts);
      }),
    );

    // Nobody got an error: no failed login anywhere, no kick, no token event.
    for (const c of clients) expect(c.events.all('OnKickedOffline').length + c.events.all('OnUserTokenExpired').length + c.events.all('OnUserTokenInvalid').length).toBe(0);
    let waited = 0;
    for (const b of survivors) {
      const m = await scrapeMetrics(`http://127.0.0.1:${b.ready.port}`);
      expect(metricValue(m, 'openim_bridge_logins_total', { outcome: 'error' })).toBe(0);
      expect(metricValue(m, 'openim_bridge_logins_paced_total', { outcome: 'refused' })).toBe(0);
      waited += metricValue(m, 'openim_bridge_logins_paced_total', { outcome: 'waited' });
      // The bound, from the bridge's own record of every login start.
      const starts = (b.lines as LoginRecord[]).filter((l) => l.msg === 'upstream login started').map((l) => l.startedAt!);
      expect(starts.length).toBe(metricValue(m, 'openim_bridge_login_starts_total'));
      expect(starts.length).toBe(metricValue(m, 'openim_bridge_logins_total', { outcome: 'ok' }));
      expect(maxPerSecond(starts)).toBeLessThanOrEqual(LOGINS_PER_SECOND);
    }
    // The pace held logins back (the bound was tested, not just never reached).
    expect(waited).toBeGreaterThan(0);
  }, 240_000);
});
