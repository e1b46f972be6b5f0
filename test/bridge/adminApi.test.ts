/**
 * The admin API end to end, with the real jssdk: a user's sessions listed (platform, instance,
 * since, bytes queued), kicked on one platform or all (the app gets OnKickedOffline and logs in
 * again with the same SDK instance), this instance drained (readiness 503, upgrades refused,
 * every client closed with 1001); a wrong or missing token answered 401 in JSON, and never logged.
 */
import os from 'node:os';
import { Writable } from 'node:stream';
import { metricValue, scrapeMetrics } from '../support/metrics';
import { createLogger } from '../../common/logger';
import { bridgeSuite, startBridgeFixture } from '../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { openRaw } from '../support/rawClient';

const ADMIN_TOKEN = 'adm-9f2c41d7e0b3';
const MINI_WEB = 6;

type SessionsAnswer = { userID: string; sessions: { platformID: number; platform: string; instance: string; since: string; state: string; bytesQueued: number }[] };

async function admin(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${base}${path}`, {
    method: init.method ?? 'GET',
    headers: { ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  expect(res.headers.get('content-type')).toBe('application/json');
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

describe('Admin API', () => {
  const logged: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logged.push(chunk.toString('utf8'));
      done();
    },
  });
  const suite = bridgeSuite({ adminToken: ADMIN_TOKEN, trustedProxies: ['127.0.0.1'], logger: createLogger('info', sink) });

  async function loginOn(userID: string, platformID: number): Promise<JssdkClient> {
    const c = suite.track(createJssdk(userID, platformID === MINI_WEB ? 'uni' : 'web'));
    await jssdkLogin(c, { token: await suite.fx.tokenFor(userID, platformID), wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress, platformID });
    await c.events.waitFor('OnSyncServerFinish');
    return c;
  }

  it('lists a user\'s sessions on this instance: platform, instance, since, state and bytes queued', async () => {
    const [u] = await suite.fx.newUsers('adml', 1);
    const before = Date.now();
    await loginOn(u!, 5);
    await loginOn(u!, MINI_WEB);
    const { status, body } = await admin(suite.fx.bridge.httpAddress, `/admin/sessions?userID=${encodeURIComponent(u!)}`);
    expect(status).toBe(200);
    const answer = body as unknown as SessionsAnswer;
    expect(answer.userID).toBe(u);
    expect(answer.sessions.map((s) => [s.platformID, s.platform, s.state]).sort()).toEqual([
      [5, 'Web', 'active'],
      [6, 'MiniWeb', 'active'],
    ]);
    for (const s of answer.sessions) {
      expect(s.instance).toBe(`${os.hostname()}#${process.pid}`);
      expect(Date.parse(s.since)).toBeGreaterThanOrEqual(before - 1000);
      expect(s.bytesQueued).toBe(0);
    }
    const none = await admin(suite.fx.bridge.httpAddress, '/admin/sessions?userID=nobody-here');
    expect(none).toEqual({ status: 200, body: { userID: 'nobody-here', sessions: [] } });
    expect(await admin(suite.fx.bridge.httpAddress, '/admin/sessions')).toEqual({ status: 400, body: { error: 'userID is required' } });
  });

  it('kicks one platform: that app gets OnKickedOffline and logs in again with the same SDK, the other platform stays', async () => {
    const [u, peer] = await suite.fx.newUsers('admk', 2);
    const web = await loginOn(u!, 5);
    const mini = await loginOn(u!, MINI_WEB);
    const sender = await loginOn(peer!, 5);
    const webMark = web.events.mark();
    const miniMark = mini.events.mark();
    const kicked = await admin(suite.fx.bridge.httpAddress, '/admin/kick', { method: 'POST', body: { userID: u, platformID: 5 } });
    expect(kicked).toEqual({ status: 200, body: { userID: u, platformID: 5, kicked: 1 } });
    await web.events.waitFor('OnKickedOffline', () => true, 10_000, webMark);
    const left = (await admin(suite.fx.bridge.httpAddress, `/admin/sessions?userID=${u}`)).body as unknown as SessionsAnswer;
    expect(left.sessions.map((s) => s.platformID)).toEqual([MINI_WEB]);

    // The same SDK instance logs in again and chats.
    const again = await jssdkLogin(web, { token: await suite.fx.tokenFor(u!, 5), wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress });
    expect(again.errCode).toBe(0);
    const msg = (await sender.sdk.createTextMessage('after the kick')).data;
    expect((await sender.sdk.sendMessage({ recvID: u!, groupID: '', message: msg })).errCode).toBe(0);
    const got = await web.events.waitFor('OnRecvNewMessages', (e) => JSON.stringify(e.data).includes('after the kick'), 10_000, webMark);
    expect(got.errCode).toBe(0);
    await mini.events.waitFor('OnRecvNewMessages', (e) => JSON.stringify(e.data).includes('after the kick'), 10_000, miniMark);
    expect(mini.events.all('OnKickedOffline')).toHaveLength(0);
    expect(metricValue(await scrapeMetrics(suite.fx.bridge.httpAddress), 'openim_bridge_admin_kicks_total')).toBe(1);
  });

  it('kicks every platform of a user when none is named', async () => {
    const [u] = await suite.fx.newUsers('admka', 1);
    const web = await loginOn(u!, 5);
    const mini = await loginOn(u!, MINI_WEB);
    const marks = [web.events.mark(), mini.events.mark()];
    const kicked = await admin(suite.fx.bridge.httpAddress, `/admin/kick?userID=${u}`, { method: 'POST', headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(kicked).toEqual({ status: 200, body: { userID: u, platformID: 0, kicked: 2 } });
    await web.events.waitFor('OnKickedOffline', () => true, 10_000, marks[0]);
    await mini.events.waitFor('OnKickedOffline', () => true, 10_000, marks[1]);
    expect(((await admin(suite.fx.bridge.httpAddress, `/admin/sessions?userID=${u}`)).body as unknown as SessionsAnswer).sessions).toEqual([]);
    expect(await admin(suite.fx.bridge.httpAddress, '/admin/kick', { method: 'POST', body: { userID: u, platformID: -2 } })).toEqual({ status: 400, body: { error: 'platformID must be a positive integer (absent or 0: every platform)' } });
    expect((await admin(suite.fx.bridge.httpAddress, `/admin/kick?userID=${u}`)).status).toBe(405);
  });

  it('answers a wrong token (even from loopback) and a missing one from a remote client with 401 in JSON, and logs neither token', async () => {
    const base = suite.fx.bridge.httpAddress;
    const wrong = 'not-the-admin-token-5521';
    for (const path of ['/admin/sessions?userID=x', '/admin/kick?userID=x', '/admin/drain', '/status']) {
      const method = path === '/admin/sessions?userID=x' || path === '/status' ? 'GET' : 'POST';
      expect(await admin(base, path, { method, headers: { authorization: `Bearer ${wrong}` } })).toEqual({ status: 401, body: { error: 'wrong admin token' } });
      // Through a trusted proxy, for a client elsewhere: the proxy's loopback address does not count.
      expect(await admin(base, path, { method, headers: { 'x-forwarded-for': '203.0.113.7' } })).toEqual({ status: 401, body: { error: 'admin token required: Authorization: Bearer <admin_token>' } });
    }
    expect((await admin(base, '/admin/sessions?userID=x', { headers: { 'x-forwarded-for': '203.0.113.7', authorization: `Bearer ${ADMIN_TOKEN}` } })).status).toBe(200);
    expect(suite.fx.bridge.closing).toBe(false);
    const text = logged.join('');
    expect(text).toContain('admin request refused');
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(ADMIN_TOKEN);
  });
});

describe('Admin API: drain', () => {
  it('turns /readyz 503 at once, refuses new connections, closes every client with 1001 over drain_ms and counts it', async () => {
    const fx = await startBridgeFixture({ drainMs: 1_500 });
    const clients: JssdkClient[] = [];
    try {
      const users = await fx.newUsers('admd', 3);
      const closes: Promise<number>[] = [];
      for (const u of users) {
        const c = createJssdk(u);
        clients.push(c);
        await jssdkLogin(c, { token: await fx.tokenFor(u), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
        c.stopReconnecting();
        const ws = (c.sdk as unknown as { wsManager: { ws: import('ws').WebSocket } }).wsManager.ws;
        closes.push(new Promise((resolve) => ws.once('close', (code: number) => resolve(code))));
      }
      expect((await fetch(`${fx.bridge.httpAddress}/readyz`)).status).toBe(200);
      const answer = await admin(fx.bridge.httpAddress, '/admin/drain', { method: 'POST' });
      expect(answer).toEqual({ status: 202, body: { draining: true, alreadyDraining: false, connections: 3 } });
      expect(await (await fetch(`${fx.bridge.httpAddress}/readyz`)).json()).toEqual({ status: 'shutting down' });
      await expect(openRaw(`${fx.bridge.wsAddress}/?sendID=${users[0]}&token=${await fx.tokenFor(users[0]!)}&platformID=5&operationID=late`)).rejects.toMatchObject({ status: 503 });
      expect(await admin(fx.bridge.httpAddress, '/admin/drain', { method: 'POST' })).toMatchObject({ status: 202, body: { alreadyDraining: true } });
      const metrics = await scrapeMetrics(fx.bridge.httpAddress);
      expect(metricValue(metrics, 'openim_bridge_draining')).toBe(1);
      expect(metricValue(metrics, 'openim_bridge_drain_connections', { state: 'total' })).toBe(3);
      expect(await Promise.all(closes)).toEqual([1001, 1001, 1001]);
      await fx.bridge.drain();
      expect(fx.bridge.connectionCount()).toBe(0);
      expect(fx.bridge.sessionCount()).toBe(0);
    } finally {
      await Promise.all(clients.map((c) => c.dispose()));
      await fx.close();
    }
  }, 60_000);
});
