/**
 * Relation catch-up reads friends as the OpenIM SDK core v3.8 does: a new app instance's
 * snapshot keeps where the server's friend version log stood, and when that instance comes
 * back the bridge asks get_incremental_friends for the changes since that mark instead of
 * reading the whole friend list; the changes still arrive as the SDK core's events, once.
 * The bridge's REST calls go through a recording relay in front of the emulator.
 */
import { createLogger } from '../../../common/logger';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { recordingRelay } from '../../support/recordingRelay';
import { waitUntil } from '../../support/wait';
import { eventsSince, World } from './relationScenario';

const GRACE_MS = 1_000;
const RECONNECT_WAIT_MS = 30_000;

interface LogLine {
  msg?: string;
  userID?: string;
}

const relay = recordingRelay();
const lines: LogLine[] = [];
let fx: BridgeFixture;
const apps: JssdkClient[] = [];

beforeAll(async () => {
  await relay.listen();
  fx = await startBridgeFixture((server) => {
    relay.setTarget(server.apiAddress);
    return {
      upstream: { apiAddress: relay.address(), wsAddress: server.wsAddress },
      resume: { graceMs: GRACE_MS, maxSessions: 100, maxEvents: 1_000, maxBytes: 1 << 20 },
      logger: createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) }),
    };
  });
});
afterAll(async () => {
  await Promise.all(apps.map((a) => a.dispose()));
  await fx.close();
  await relay.close();
});

const logged = (userID: string, msg: string) => lines.some((l) => l.userID === userID && l.msg === msg);
const bodiesOf = (from: number, path: string) => relay.calls.slice(from).filter((c) => c.path === path).map((c) => c.body as Record<string, unknown>);

it('asks only for the friend changes since the stored mark when a known instance comes back', async () => {
  const world = new World(fx.server.apiAddress, fx.adminToken);
  const k = await world.cast();
  const app = createJssdk(k.a);
  apps.push(app);
  const token = await fx.tokenFor(k.a);

  const firstLogin = relay.calls.length;
  await jssdkLogin(app, { token, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
  await app.events.waitFor('OnSyncServerFinish');
  await waitUntil(() => logged(k.a, 'relation snapshot captured'), 'the snapshot of A\'s app');
  // A new instance: the whole list, and the log's current mark asked for (empty versionID) beside
  // it — by the bridge, besides the client SDK's own login sync, which asks the same.
  const asked = bodiesOf(firstLogin, '/friend/get_incremental_friends').filter((b) => b.userID === k.a && b.versionID === '');
  expect(asked).toHaveLength(2);
  const listed = bodiesOf(firstLogin, '/friend/get_friend_list').filter((b) => b.userID === k.a);
  expect(listed).toHaveLength(1);

  const since = app.events.mark();
  expect(fx.bridge.dropConnections(k.a)).toBe(1);
  await waitUntil(() => fx.bridge.parkedCount() === 1, 'A\'s session to be parked');
  await waitUntil(() => fx.bridge.parkedCount() === 0, 'the parked session to expire', 10_000);
  const away = relay.calls.length;
  // B accepts A's application: B becomes A's friend while A's app is away.
  await world.as(k.b, '/friend/add_friend_response', { fromUserID: k.a, toUserID: k.b, handleResult: 1, handleMsg: 'B accepts' });

  const added = await app.events.waitFor('OnFriendAdded', (e) => (e.data as { userID?: string }).userID === k.b, RECONNECT_WAIT_MS, since);
  expect(added.data).toMatchObject({ userID: k.b, nickname: `nick ${k.b}` });
  await waitUntil(() => lines.filter((l) => l.userID === k.a && l.msg === 'relation catch-up done').length === 1, 'the catch-up to be saved');
  // The bridge's own friend reading at the catch-up: one incremental call from the stored mark, no whole list.
  const incremental = bodiesOf(away, '/friend/get_incremental_friends').filter((b) => b.userID === k.a && b.versionID !== '');
  expect(incremental.length).toBeGreaterThanOrEqual(1);
  expect(incremental.every((b) => typeof b.version === 'number' && b.version > 0)).toBe(true);
  expect(bodiesOf(away, '/friend/get_friend_list').filter((b) => b.userID === k.a)).toEqual([]);
  expect(eventsSince(app, since, 'OnFriendAdded').map((e) => (e.data as { userID?: string }).userID)).toEqual([k.b]);
}, 60_000);
