/**
 * A Login still pending when the login deadline passes is answered then (10002), and the feed's
 * upstream login, held by a relay, gives up later (its client SDK disposed). The login is counted once, as one error:
 * openim_bridge_logins_total and the Login request counter read from /metrics.
 */
import fs from 'node:fs';
import { startBridge, type BridgeHandle } from '../../module/bridge';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { testBridgeOptions, TEST_LIMITS } from '../support/bridge';
import { startTestServer, type TestServer } from '../support/emulator';
import { createJssdk, jssdkLogin, rejectionOf, WEB, type JssdkClient } from '../support/jssdk';
import { metricValue, scrapeMetrics } from '../support/metrics';
import { startUpstreamRelay, type UpstreamRelay } from '../support/upstreamRelay';
import { waitUntil } from '../support/wait';
import { liveUpstreamInstances } from '../../core_func/upstream/upstreamSession';

let server: TestServer;
let relay: UpstreamRelay;
let bridge: BridgeHandle;
let dataDir: string;
let client: JssdkClient | undefined;

beforeAll(async () => {
  server = await startTestServer();
  relay = await startUpstreamRelay(server.wsAddress);
  // The deadline passes first; the upstream login gives up a second later.
  const options = testBridgeOptions({ apiAddress: server.apiAddress, wsAddress: relay.wsAddress }, { limits: { ...TEST_LIMITS, loginDeadlineMs: 1_000, loginTimeoutMs: 2_000 } });
  dataDir = options.dataDir;
  bridge = await startBridge(options);
});

afterAll(async () => {
  await client?.dispose();
  await bridge.close();
  await relay.close();
  await server.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('counts a Login answered by the deadline once, after the feed\'s upstream login gave up too', async () => {
  const admin = await adminToken(server.apiAddress, server.secret);
  const userID = uniqueUserID('deadline');
  await registerUsers(server.apiAddress, admin, [{ userID, nickname: userID }]);
  const token = await userToken(server.apiAddress, admin, userID, WEB);
  client = createJssdk(userID);
  relay.holding = true;
  const err = await rejectionOf(jssdkLogin(client, { token, wsAddr: bridge.wsAddress, apiAddr: server.apiAddress }));
  expect(err).toMatchObject({ event: 'Login', errCode: 10002, errMsg: 'login deadline passed' });
  expect(relay.connections).toBe(1);
  // The feed's upstream login gives up (login_timeout_ms) and disposes its client SDK.
  await waitUntil(() => liveUpstreamInstances() === 0, 'the held upstream login given up');
  const m = await scrapeMetrics(bridge.httpAddress);
  expect(metricValue(m, 'openim_bridge_logins_total', { outcome: 'error', platform: String(WEB) })).toBe(1);
  expect(metricValue(m, 'openim_bridge_logins_total', { outcome: 'ok' })).toBe(0);
  expect(metricValue(m, 'openim_bridge_requests_total', { method: 'Login', outcome: 'error' })).toBe(1);
}, 30_000);
