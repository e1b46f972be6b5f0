/**
 * Every limit: the request or connection past it gets the documented answer, and a
 * well-behaved client connected at the same time is unaffected.
 */
import WebSocket from 'ws';
import { startBridge } from '../../module/bridge';
import { startBridgeFixture, testBridgeOptions, TEST_ADMISSION, TEST_LIMITS, type BridgeFixture } from '../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { connectUrl, openRaw, type RawClient } from '../support/rawClient';
import { startTestServer } from '../support/emulator';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { startTarpit } from '../support/tarpit';
import { waitUntil } from '../support/wait';
import { DESCRIPTOR_RESERVE } from '../../module/session/descriptorBudget';

const RESUME_OFF = { graceMs: 0, maxSessions: 1, maxEvents: 1, maxBytes: 1024 };

async function wellBehaved(fx: BridgeFixture): Promise<JssdkClient> {
  const [u] = await fx.newUsers('good', 1);
  const c = createJssdk(u!);
  await jssdkLogin(c, { token: await fx.tokenFor(u!), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
  return c;
}

async function stillWorks(c: JssdkClient): Promise<void> {
  expect((await c.sdk.getSelfUserInfo()).data).toMatchObject({ userID: c.userID });
}

describe('max_connections', () => {
  let fx: BridgeFixture;
  const raws: RawClient[] = [];
  beforeAll(async () => {
    fx = await startBridgeFixture({ maxConnections: 2 });
  });
  afterAll(async () => {
    raws.forEach((r) => r.close());
    await fx.close();
  });

  it('refuses the upgrade past the limit with HTTP 503 and keeps the others', async () => {
    const good = await wellBehaved(fx);
    raws.push(await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: 'x', token: 't', platformID: 5 })));
    await expect(openRaw(connectUrl(fx.bridge.wsAddress, { sendID: 'y', token: 't', platformID: 5 }))).rejects.toMatchObject({ status: 503 });
    await stillWorks(good);
    await good.dispose();
  });
});

describe('the open-file limit', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    // Room for two connections: two descriptors each on top of the reserve.
    fx = await startBridgeFixture({ openFileLimit: DESCRIPTOR_RESERVE + 4 });
  });
  afterAll(() => fx.close());

  it('refuses with HTTP 503 before descriptors run out, counting a parked session as one', async () => {
    const url = (id: string) => connectUrl(fx.bridge.wsAddress, { sendID: id, token: 't', platformID: 5 });
    const metrics = await (await fetch(`${fx.bridge.httpAddress}/metrics`)).text();
    expect(metrics).toMatch(/^openim_bridge_connection_capacity 2$/m);
    const good = await wellBehaved(fx);
    const raw = await openRaw(url('r1'));
    await expect(openRaw(url('r2'))).rejects.toMatchObject({ status: 503, body: 'out of file descriptors' });
    await stillWorks(good);

    // good's session parks when its socket drops: one descriptor (upstream) instead of two.
    good.stopReconnecting();
    fx.bridge.dropConnections(good.userID);
    await waitUntil(() => fx.bridge.parkedCount() === 1 && fx.bridge.connectionCount() === 1, 'the session to park');
    await expect(openRaw(url('r3'))).rejects.toMatchObject({ status: 503 });
    raw.close();
    await waitUntil(() => fx.bridge.connectionCount() === 0, 'the raw connection to close');
    const again = await openRaw(url('r4'));
    again.request('GetLoginStatus', 'g', []);
    expect(await again.next((f) => f.operationID === 'g')).toMatchObject({ errCode: 0, data: '1' }); // logged out
    again.close();
    await good.dispose();
  });
});

/** What a connection's Login is answered with: the in-band rate refusal, or anything else (admitted). */
async function loginAnswer(c: RawClient): Promise<'refused' | 'admitted'> {
  c.request('Login', 'rate-login', [c.sendID, 't']);
  const f = await c.next((x) => x.operationID === 'rate-login' && x.event === 'Login');
  return f.errCode === 10000 && f.errMsg === 'too many new connections from this address' ? 'refused' : 'admitted';
}

describe('connect_rate_per_ip', () => {
  let fx: BridgeFixture;
  // A clock that stands still: no token comes back during the test.
  beforeAll(async () => {
    fx = await startBridgeFixture({ admission: { ...TEST_ADMISSION, connectRatePerIp: 2, clock: () => 0 } });
  });
  afterAll(() => fx.close());

  it('refuses a burst of new connections from one address in-band: their Login gets 10000, then a Logout frame, then the close', async () => {
    const clients = await Promise.all(Array.from({ length: 12 }, (_, i) => openRaw(connectUrl(fx.bridge.wsAddress, { sendID: `b${i}`, token: 't', platformID: 5 }))));
    const answers = await Promise.all(clients.map(loginAnswer));
    expect(answers.filter((a) => a === 'admitted')).toHaveLength(2);
    const refused = clients.filter((_, i) => answers[i] === 'refused');
    expect(refused).toHaveLength(10);
    for (const c of refused) {
      expect(await c.next((f) => f.event === 'OnConnectFailed')).toMatchObject({ errCode: 10000, operationID: 'rate-login' });
      expect(await c.next((f) => f.event === 'Logout')).toMatchObject({ errCode: 10000, operationID: 'rate-login' });
      expect(await c.closed()).toMatchObject({ code: 1000 });
    }
    for (const c of clients) c.close();
  });
});

describe('connect_rate_per_ip behind a trusted proxy', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ admission: { ...TEST_ADMISSION, connectRatePerIp: 2, clock: () => 0 }, trustedProxies: ['127.0.0.1'] });
  });
  afterAll(() => fx.close());

  // Documentation addresses (TEST-NET), only ever written into a header. The proxy appends the
  // address it saw last; what a client puts before it (here a different address each time) is
  // not believed, so it cannot dodge the limit.
  let spoof = 0;
  const from = (client: string) =>
    openRaw(connectUrl(fx.bridge.wsAddress, { sendID: 'p', token: 't', platformID: 5 }), { 'X-Forwarded-For': `203.0.113.${++spoof}, ${client}` });

  it('counts connections per client named by X-Forwarded-For, not per proxy', async () => {
    const first = await Promise.all(Array.from({ length: 6 }, () => from('192.0.2.10')));
    expect((await Promise.all(first.map(loginAnswer))).filter((a) => a === 'refused')).toHaveLength(4);
    const other = await from('198.51.100.20');
    expect(await loginAnswer(other)).toBe('admitted');
    other.close();
    for (const c of first) c.close();
  });
});

describe('max_frame_bytes', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ maxFrameBytes: 4096 });
  });
  afterAll(() => fx.close());

  it('closes the socket with 1009 for a frame past twice the limit, leaving others alone', async () => {
    const good = await wellBehaved(fx);
    const raw = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: 'big', token: 't', platformID: 5 }));
    raw.send('x'.repeat(3 * 4096));
    expect((await raw.closed()).code).toBe(1009);
    await stillWorks(good);
    await good.dispose();
  });
});

describe('idle_timeout_ms and login_deadline_ms', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ limits: { ...TEST_LIMITS, idleTimeoutMs: 500, loginDeadlineMs: 1500 } });
  });
  afterAll(() => fx.close());

  it('closes a socket that sends nothing with 1008', async () => {
    const raw = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: 'idle', token: 't', platformID: 5 }));
    expect(await raw.closed()).toEqual({ code: 1008, reason: 'idle: no request after the upgrade' });
  });

  it('closes a socket that talks but never logs in with 1008, and keeps a logged-in one', async () => {
    const good = await wellBehaved(fx);
    const raw = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: 'chatty', token: 't', platformID: 5 }));
    raw.request('GetLoginStatus', 'g1', []);
    expect((await raw.next((f) => f.operationID === 'g1')).data).toBe('1');
    expect(await raw.closed()).toEqual({ code: 1008, reason: 'login deadline passed' });
    await stillWorks(good);
    await good.dispose();
  });
});

describe('max_inflight_requests and request_timeout_ms, against an upstream API that never answers', () => {
  it('answers requests past the in-flight limit with 10007, then each stuck one with 10002, on an open socket', async () => {
    const server = await startTestServer();
    const tarpit = await startTarpit();
    const bridge = await startBridge(
      testBridgeOptions(
        { apiAddress: tarpit.address, wsAddress: server.wsAddress },
        { maxFrameBytes: 1 << 20, maxConnections: 100, limits: { ...TEST_LIMITS, maxInflightRequests: 2, requestTimeoutMs: 1500 }, resume: RESUME_OFF },
      ),
    );
    try {
      const admin = await adminToken(server.apiAddress, server.secret);
      const u = uniqueUserID('stuck');
      await registerUsers(server.apiAddress, admin, [{ userID: u }]);
      const token = await userToken(server.apiAddress, admin, u, 5);
      const raw = await openRaw(connectUrl(bridge.wsAddress, { sendID: u, token, platformID: 5 }));
      raw.request('Login', 'login', [u, token]);
      expect(await raw.next((f) => f.event === 'Login')).toMatchObject({ operationID: 'login', errCode: 0 });

      for (let i = 0; i < 4; i++) raw.request('GetSelfUserInfo', `q${i}`, []);
      const third = await raw.next((f) => f.operationID === 'q2');
      expect(third).toEqual({ event: 'GetSelfUserInfo', errCode: 10007, errMsg: 'too many requests in flight (limit 2)', data: '', operationID: 'q2' });
      expect(await raw.next((f) => f.operationID === 'q3')).toMatchObject({ errCode: 10007 });
      const first = await raw.next((f) => f.operationID === 'q0', 10_000);
      expect(first).toMatchObject({ event: 'GetSelfUserInfo', errCode: 10002, errMsg: 'GetSelfUserInfo: upstream did not answer within 1500 ms' });
      expect(await raw.next((f) => f.operationID === 'q1', 10_000)).toMatchObject({ errCode: 10002 });
      // With the stuck requests answered, the same socket serves again.
      raw.request('GetLoginStatus', 'status', []);
      expect(await raw.next((f) => f.operationID === 'status')).toMatchObject({ errCode: 0, data: '3' });
      expect(raw.ws.readyState).toBe(WebSocket.OPEN);
      raw.close();
    } finally {
      await bridge.close();
      await tarpit.close();
      await server.close();
    }
  });
});
