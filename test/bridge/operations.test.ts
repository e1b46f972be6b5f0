/**
 * Operating the bridge: /metrics counts exactly what happened, /readyz follows the upstream,
 * /status reports sessions and is closed to strangers.
 */
import http from 'node:http';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { bridgeSuite, startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { startTestServer, usingEmulator } from '../support/emulator';
import { startBridge } from '../../module/bridge';
import { testBridgeOptions } from '../support/bridge';
import { connectUrl, openRaw } from '../support/rawClient';

interface Family {
  name: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }[];
}

async function scrape(fx: { bridge: { httpAddress: string } }): Promise<Map<string, Family>> {
  const text = await (await fetch(`${fx.bridge.httpAddress}/metrics`)).text();
  return new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
}

function value(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const f = families.get(name);
  const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m ? Number(m.value ?? m.count) : 0;
}

describe('/metrics', () => {
  const suite = bridgeSuite();
  const clients: JssdkClient[] = [];

  it('counts 3 logins, 10 requests and 1 failure exactly, in Prometheus text format', async () => {
    const users = await suite.fx.newUsers('met', 3);
    for (const u of users) {
      const c = suite.track(createJssdk(u));
      clients.push(c);
      await jssdkLogin(c, { token: await suite.fx.tokenFor(u), wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress });
    }
    const c = clients[0]!;
    for (let i = 0; i < 9; i++) await c.sdk.getLoginStatus();
    await expect(c.sdk.createTextMessage(42 as unknown as string)).rejects.toMatchObject({ errCode: 10001 });

    const m = await scrape(suite.fx);
    expect(value(m, 'openim_bridge_logins_total', { outcome: 'ok', platform: '5' })).toBe(3);
    expect(value(m, 'openim_bridge_requests_total', { method: 'Login', outcome: 'ok' })).toBe(3);
    expect(value(m, 'openim_bridge_requests_total', { method: 'GetLoginStatus', outcome: 'ok' })).toBe(9);
    expect(value(m, 'openim_bridge_requests_total', { method: 'CreateTextMessage', outcome: 'error' })).toBe(1);
    const total = m.get('openim_bridge_requests_total')!.metrics.reduce((n, x) => n + Number(x.value), 0);
    expect(total).toBe(13); // 3 logins + 10 requests
    expect(value(m, 'openim_bridge_sessions', { platform: '5' })).toBe(3);
    expect(value(m, 'openim_bridge_connections')).toBe(3);
    expect(m.has('openim_bridge_process_cpu_user_seconds_total')).toBe(true);
    const text = await (await fetch(`${suite.fx.bridge.httpAddress}/metrics`)).text();
    // The parser drops histogram labels; read the latency count from its text line.
    expect(text).toMatch(/^openim_bridge_request_duration_seconds_count\{method="GetLoginStatus"\} 9$/m);
    for (const u of users) expect(text).not.toContain(u); // no user IDs (or tokens) in labels
  });

  it('counts refused upgrades by reason', async () => {
    await expect(openRaw(connectUrl(suite.fx.bridge.wsAddress, { token: 't', platformID: 5 }))).rejects.toMatchObject({ status: 400 });
    const m = await scrape(suite.fx);
    expect(value(m, 'openim_bridge_refused_upgrades_total', { reason: 'missing sendID' })).toBe(1);
  });
});

describe('/status', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ adminToken: 'let-me-in' });
  });
  afterAll(() => fx.close());

  it('reports version, upstream and session counts to loopback callers', async () => {
    const [u] = await fx.newUsers('st', 1);
    const c = createJssdk(u!);
    await jssdkLogin(c, { token: await fx.tokenFor(u!), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    const res = await fetch(`${fx.bridge.httpAddress}/status`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ version: '0.1.0', connections: 1, sessions: 1, parkedSessions: 0, onlineUsers: 1, shuttingDown: false, upstream: { apiAddress: fx.server.apiAddress, wsAddress: fx.server.wsAddress } });
    expect(typeof body.uptimeSeconds).toBe('number');
    await c.dispose();
  });

  it('asks callers other than 127.0.0.1 / ::1 for the admin token', async () => {
    // From 127.0.0.2 (still this machine): the bridge counts only 127.0.0.1 and ::1 as loopback.
    const get = (headers: Record<string, string>) =>
      new Promise<number>((resolve, reject) => {
        const u = new URL(`${fx.bridge.httpAddress}/status`);
        http.get({ host: u.hostname, port: u.port, path: u.pathname, localAddress: '127.0.0.2', headers }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        }).on('error', reject);
      });
    expect(await get({})).toBe(401);
    expect(await get({ Authorization: 'Bearer wrong-token' })).toBe(401);
    expect(await get({ Authorization: 'Bearer let-me-in' })).toBe(200);
  });
});

describe('/readyz', () => {
  it('is 200 with the upstream up, 503 once it is down, and 503 during shutdown', async () => {
    if (!usingEmulator()) return;
    const server = await startTestServer();
    const bridge = await startBridge(testBridgeOptions(server, { maxConnections: 10, resume: { graceMs: 0, maxSessions: 1, maxEvents: 1, maxBytes: 1024 } }));
    const readyz = async () => (await fetch(`${bridge.httpAddress}/readyz`)).status;
    expect(await readyz()).toBe(200);
    expect(await (await fetch(`${bridge.httpAddress}/healthz`)).json()).toEqual({ status: 'ok' });
    await server.stop();
    const turnsTo = async (want: number) => {
      const deadline = Date.now() + 5_000;
      let status = await readyz();
      while (status !== want && Date.now() < deadline) status = await readyz();
      return status;
    };
    expect(await turnsTo(503)).toBe(503);
    await server.start();
    expect(await turnsTo(200)).toBe(200);

    // A client that does not answer the close handshake keeps shutdown in its grace period.
    const raw = await openRaw(connectUrl(bridge.wsAddress, { sendID: 'late', token: 't', platformID: 5 }));
    raw.pause();
    const closing = bridge.close(2_000);
    expect(await readyz()).toBe(503);
    await closing;
    await server.close();
  });
});
