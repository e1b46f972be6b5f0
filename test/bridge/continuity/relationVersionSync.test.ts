/**
 * Relation catch-up reads friends as the OpenIM SDK core v3.8 does: a new app instance's
 * snapshot keeps where the server's friend version log stood, and when that instance comes
 * back the bridge asks get_incremental_friends for the changes since that mark instead of
 * reading the whole friend list; the changes still arrive as the SDK core's events, once.
 * A new instance's baseline takes what the client SDK's own login sync read (the friend log's
 * mark, the friend and joined-group IDs) instead of asking again; when those replies fail, the
 * bridge reads for itself. The REST calls go through a recording relay in front of the emulator.
 */
import { createLogger } from '../../../common/logger';
import { adminPost } from '../../support/admin';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { recordingRelay } from '../../support/recordingRelay';
import { waitUntil } from '../../support/wait';
import { eventsSince, expectCaughtUp, World, type Cast } from './relationScenario';

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
  // A new instance without friends: the log's current mark (empty versionID) asked for once, by the
  // client SDK's login sync, whose mark and empty friend IDs the bridge takes: no list of its own.
  const asked = bodiesOf(firstLogin, '/friend/get_incremental_friends').filter((b) => b.userID === k.a && b.versionID === '');
  expect(asked).toHaveLength(1);
  expect(bodiesOf(firstLogin, '/friend/get_friend_list').filter((b) => b.userID === k.a)).toEqual([]);
  // A is in two groups: their details are read, once.
  expect(bodiesOf(firstLogin, '/group/get_joined_group_list').filter((b) => b.fromUserID === k.a)).toHaveLength(1);

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

/** Logs A's new app instance in and waits for its snapshot; the relay's calls from then on. */
async function newInstance(k: Cast): Promise<{ app: JssdkClient; from: number }> {
  const app = createJssdk(k.a);
  apps.push(app);
  const token = await fx.tokenFor(k.a);
  const from = relay.calls.length;
  await jssdkLogin(app, { token, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
  await waitUntil(() => logged(k.a, 'relation snapshot captured'), 'the snapshot of A\'s app');
  return { app, from };
}

/** A's socket is lost past the grace: the next login of the same instance is caught up. */
async function awayPastGrace(k: Cast): Promise<void> {
  expect(fx.bridge.dropConnections(k.a)).toBe(1);
  await waitUntil(() => fx.bridge.parkedCount() === 1, 'A\'s session to be parked');
  await waitUntil(() => fx.bridge.parkedCount() === 0, 'the parked session to expire', 10_000);
}

it('takes a user with friends and groups from the SDK\'s login sync and catches up as before', async () => {
  const world = new World(fx.server.apiAddress, fx.adminToken);
  const k = await world.cast();
  await adminPost(fx.server.apiAddress, fx.adminToken, '/friend/import_friend', { ownerUserID: k.a, friendUserIDs: [k.d] });
  const { app, from } = await newInstance(k);
  // The mark is the SDK's (one empty-versionID call in all); friends' and groups' details are read once.
  expect(bodiesOf(from, '/friend/get_incremental_friends').filter((b) => b.userID === k.a && b.versionID === '')).toHaveLength(1);
  expect(bodiesOf(from, '/friend/get_full_friend_user_ids').filter((b) => b.userID === k.a)).toHaveLength(1);
  expect(bodiesOf(from, '/friend/get_friend_list').filter((b) => b.userID === k.a)).toHaveLength(1);
  expect(bodiesOf(from, '/group/get_joined_group_list').filter((b) => b.fromUserID === k.a)).toHaveLength(1);

  const since = app.events.mark();
  await awayPastGrace(k);
  const away = relay.calls.length;
  await world.whileAway(k);
  await world.as(k.d, '/friend/delete_friend', { ownerUserID: k.d, friendUserID: k.a });
  await adminPost(fx.server.apiAddress, fx.adminToken, '/friend/delete_friend', { ownerUserID: k.a, friendUserID: k.d });

  await expectCaughtUp(app, k, since, RECONNECT_WAIT_MS);
  const deleted = await app.events.waitFor('OnFriendDeleted', (e) => (e.data as { userID?: string }).userID === k.d, RECONNECT_WAIT_MS, since);
  expect(deleted.data).toMatchObject({ userID: k.d });
  await waitUntil(() => lines.filter((l) => l.userID === k.a && l.msg === 'relation catch-up done').length === 1, 'the catch-up to be saved');
  // The stored mark was the SDK's: the catch-up asked for the changes since it, not the whole list.
  const incremental = bodiesOf(away, '/friend/get_incremental_friends').filter((b) => b.userID === k.a && b.versionID !== '');
  expect(incremental.length).toBeGreaterThanOrEqual(1);
  expect(bodiesOf(away, '/friend/get_friend_list').filter((b) => b.userID === k.a)).toEqual([]);
  expect(eventsSince(app, since, 'OnFriendAdded').map((e) => (e.data as { userID?: string }).userID)).toEqual([k.b]);
  expect(eventsSince(app, since, 'OnFriendDeleted').map((e) => (e.data as { userID?: string }).userID)).toEqual([k.d]);
}, 60_000);

it('reads friends and groups itself when the SDK\'s full-ID replies fail', async () => {
  const world = new World(fx.server.apiAddress, fx.adminToken);
  const k = await world.cast();
  relay.failing.add('/friend/get_full_friend_user_ids');
  relay.failing.add('/group/get_full_join_group_ids');
  let first: { app: JssdkClient; from: number };
  try {
    first = await newInstance(k);
  } finally {
    relay.failing.clear();
  }
  const { app, from } = first;
  expect(bodiesOf(from, '/friend/get_full_friend_user_ids').filter((b) => b.userID === k.a)).toHaveLength(1);
  expect(bodiesOf(from, '/friend/get_friend_list').filter((b) => b.userID === k.a)).toHaveLength(1);
  expect(bodiesOf(from, '/group/get_joined_group_list').filter((b) => b.fromUserID === k.a)).toHaveLength(1);

  const since = app.events.mark();
  await awayPastGrace(k);
  await world.whileAway(k);
  await expectCaughtUp(app, k, since, RECONNECT_WAIT_MS);
  await waitUntil(() => lines.filter((l) => l.userID === k.a && l.msg === 'relation catch-up done').length === 1, 'the catch-up to be saved');
  expect(eventsSince(app, since, 'OnFriendAdded').map((e) => (e.data as { userID?: string }).userID)).toEqual([k.b]);
  expect(eventsSince(app, since, 'OnJoinedGroupAdded').map((e) => (e.data as { groupID?: string }).groupID)).toEqual([k.inviteGroup]);
}, 60_000);
