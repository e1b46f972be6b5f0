/**
 * The bounds not covered elsewhere, each driven past its limit: the resume buffer, the pong
 * timeout and the upstream login timeout; and the upstream heartbeat interval.
 */
import WebSocket from 'ws';
import { liveUpstreamInstances } from '../../core_func/upstream/upstreamSession';
import { startBridge } from '../../module/bridge';
import type { SessionObserver } from '../../module/session/session';
import { startBridgeFixture, testBridgeOptions, TEST_LIMITS, type BridgeFixture } from '../support/bridge';
import { adminPost } from '../support/admin';
import { createJssdk, jssdkLogin } from '../support/jssdk';
import { connectUrl, openRaw } from '../support/rawClient';
import { startTarpit } from '../support/tarpit';
import { startTestServer } from '../support/emulator';
import { waitUntil } from '../support/wait';

describe('resume_max_events', () => {
  const counts: Record<string, number> = {};
  const observer: SessionObserver = { resume: (o) => void (counts[o] = (counts[o] ?? 0) + 1) };
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ observer, resume: { graceMs: 60_000, maxSessions: 10, maxEvents: 3, maxBytes: 8 << 20 } });
  });
  afterAll(() => fx.close());

  it('drops a waiting session whose missed events pass the bound, counts it, and releases it upstream', async () => {
    const [a, b] = (await fx.newUsers('ovf', 2)) as [string, string];
    const away = createJssdk(b);
    await jssdkLogin(away, { token: await fx.tokenFor(b), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    await away.events.waitFor('OnSyncServerFinish');
    away.stopReconnecting();
    const before = liveUpstreamInstances();
    fx.bridge.dropConnections(b);
    await waitUntil(() => fx.bridge.parkedCount() === 1, 'B to be parked');
    for (let i = 0; i < 3; i++) {
      await adminPost(fx.server.apiAddress, fx.adminToken, '/msg/send_msg', { sendID: a, recvID: b, senderPlatformID: 5, content: { content: `m${i}` }, contentType: 101, sessionType: 1 });
    }
    await waitUntil(() => fx.bridge.parkedCount() === 0, 'the overflowing session to be dropped');
    expect(counts.overflow).toBe(1);
    expect(fx.bridge.sessionCount()).toBe(0);
    expect(liveUpstreamInstances()).toBe(before - 1);
    await away.dispose();
  });
});

describe('pong_timeout_ms', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ pingIntervalMs: 100, pongTimeoutMs: 400 });
  });
  afterAll(() => fx.close());

  it('drops a connection that answers no pings and keeps one that does', async () => {
    const url = connectUrl(fx.bridge.wsAddress, { sendID: 'p', token: 't', platformID: 5 });
    const good = await openRaw(url);
    const deaf = new WebSocket(url, { autoPong: false });
    const deafClosed = new Promise<number>((resolve) => deaf.once('close', (code) => resolve(code)));
    await new Promise((r) => deaf.once('open', r));
    deaf.send(JSON.stringify({ reqFuncName: 'GetLoginStatus', operationID: 'd', data: '[]' }));
    good.request('GetLoginStatus', 'g1', []);
    await good.next((f) => f.operationID === 'g1');
    expect(await deafClosed).toBe(1006); // terminated, no close handshake
    good.request('GetLoginStatus', 'g2', []);
    expect((await good.next((f) => f.operationID === 'g2')).errCode).toBe(0);
    expect(good.ws.readyState).toBe(WebSocket.OPEN);
    good.close();
  });
});

describe('login_timeout_ms', () => {
  it('answers Login with 10002 when the upstream gateway never accepts, and releases the SDK instance', async () => {
    const server = await startTestServer();
    const tarpit = await startTarpit();
    const bridge = await startBridge(
      testBridgeOptions({ apiAddress: server.apiAddress, wsAddress: tarpit.address.replace(/^http/, 'ws') }, { limits: { ...TEST_LIMITS, loginTimeoutMs: 500 } }),
    );
    try {
      const before = liveUpstreamInstances();
      const raw = await openRaw(connectUrl(bridge.wsAddress, { sendID: 'slow', token: 't', platformID: 5 }));
      raw.request('Login', 'l1', ['slow', 't']);
      const answer = await raw.next((f) => f.event === 'Login');
      expect(answer).toMatchObject({ errCode: 10002, errMsg: 'upstream login timed out', operationID: 'l1' });
      expect((await raw.closed()).code).toBe(1000);
      expect(liveUpstreamInstances()).toBe(before);
    } finally {
      await bridge.close();
      await tarpit.close();
      await server.close();
    }
  });
});

describe('upstream_heartbeat_ms', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ limits: { ...TEST_LIMITS, upstreamHeartbeatMs: 150 } });
  });
  afterAll(() => fx.close());

  it("sets the interval of the upstream session's heartbeat (the client SDK's own is 10 s)", async () => {
    const emu = fx.server.emulator;
    if (!emu) return; // counting heartbeats needs the emulator
    const [u] = (await fx.newUsers('hb', 1)) as [string];
    const client = createJssdk(u);
    await jssdkLogin(client, { token: await fx.tokenFor(u), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    const since = emu.stats.heartbeatsOf(u);
    await waitUntil(() => emu.stats.heartbeatsOf(u) >= since + 3, 'three upstream heartbeats', 5_000);
    expect(emu.stats.connectionsOf(u)).toBe(1);
    await client.dispose();
  });
});
