/**
 * Relation catch-up: friend, group and application changes made while a jssdk app was away
 * (OpenIM v3.8 pushes their notifications online only) reach it after its own reconnect as
 * the events the OpenIM SDK core's login sync fired, each once, and its lists agree.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger } from '../../../common/logger';
import { adminToken, userToken } from '../../support/admin';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { startBridgeProcess, type BridgeProcess } from '../../support/bridgeProcess';
import { startTestServer, type TestServer } from '../../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { waitUntil } from '../../support/wait';
import { expectCaughtUp, expectEachOnce, expectListsAgree, isGroup, World, type Cast } from './relationScenario';

/** The jssdk retries every 5 s; leave room for a loaded machine. */
const RECONNECT_WAIT_MS = 30_000;
const GRACE_MS = 1_000;

interface LogLine {
  msg?: string;
  userID?: string;
  known?: boolean;
  events?: number;
}

/** Log lines of an in-process bridge, to wait on its own account of a catch-up. */
function recordingLogger(lines: LogLine[]) {
  return createLogger('info', { write: (s: string) => void lines.push(JSON.parse(s) as LogLine) });
}

function savedCount(lines: readonly unknown[], userID: string): number {
  return (lines as LogLine[]).filter((l) => l.userID === userID && l.msg === 'relation snapshot saved').length;
}

function logged(lines: readonly unknown[], userID: string, msg: string): boolean {
  return (lines as LogLine[]).some((l) => l.userID === userID && l.msg === msg);
}

/** A's app connected and known to the bridge (its snapshot saved), with D's application had live. */
async function connectApp(world: World, k: Cast, app: JssdkClient, login: () => Promise<unknown>, lines: readonly unknown[]): Promise<number> {
  await login();
  await app.events.waitFor('OnSyncServerFinish');
  await waitUntil(() => logged(lines, k.a, 'relation snapshot captured'), 'the snapshot of A\'s app');
  const liveSince = app.events.mark();
  await world.liveApplication(k);
  await app.events.waitFor('OnFriendApplicationAdded', (e) => (e.data as { fromUserID?: string }).fromUserID === k.d, 10_000, liveSince);
  return liveSince;
}

async function afterReconnect(world: World, k: Cast, app: JssdkClient, since: number, liveSince: number): Promise<void> {
  await expectCaughtUp(app, k, since, RECONNECT_WAIT_MS);
  await world.sentinel(k);
  await app.events.waitFor('OnGroupInfoChanged', (e) => isGroup(k.renameGroup)(e.data as Record<string, unknown>) && (e.data as { notification?: string }).notification === 'sentinel', 10_000, since);
  expectEachOnce(app, k, since, liveSince);
  await expectListsAgree(app, k);
}

describe('Relation catch-up after the socket was away longer than resume_grace_ms', () => {
  const lines: LogLine[] = [];
  let fx: BridgeFixture;
  const apps: JssdkClient[] = [];
  beforeAll(async () => {
    fx = await startBridgeFixture({ resume: { graceMs: GRACE_MS, maxSessions: 100, maxEvents: 1_000, maxBytes: 1 << 20 }, logger: recordingLogger(lines) });
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.dispose()));
    await fx.close();
  });

  it('sends the changes made meanwhile as OnFriendApplicationAccepted, OnFriendAdded, OnFriendApplicationAdded, OnJoinedGroupAdded, OnGroupInfoChanged, OnJoinedGroupDeleted, each once', async () => {
    const world = new World(fx.server.apiAddress, fx.adminToken);
    const k = await world.cast();
    const app = createJssdk(k.a);
    apps.push(app);
    const token = await fx.tokenFor(k.a);
    const liveSince = await connectApp(world, k, app, () => jssdkLogin(app, { token, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress }), lines);

    const since = app.events.mark();
    expect(fx.bridge.dropConnections(k.a)).toBe(1);
    await waitUntil(() => fx.bridge.parkedCount() === 1, 'A\'s session to be parked');
    await world.whileAway(k);
    // The grace passes before the jssdk's first retry (5 s): the session, and what it buffered, is gone.
    await waitUntil(() => fx.bridge.parkedCount() === 0, 'the parked session to expire', 10_000);

    await afterReconnect(world, k, app, since, liveSince);
    expect(logged(lines, k.a, 'relation catch-up done')).toBe(true);
  }, 90_000);

  it('sends a group application made meanwhile to a group the app user owns as OnGroupApplicationAdded, once', async () => {
    const world = new World(fx.server.apiAddress, fx.adminToken);
    const k = await world.cast();
    const owned = await world.as<{ groupInfo: { groupID: string } }>(k.a, '/group/create_group', {
      ownerUserID: k.a,
      memberUserIDs: [k.d],
      adminUserIDs: [],
      groupInfo: { groupName: 'apply here', groupType: 2, needVerification: 1 },
    });
    const groupID = owned.groupInfo.groupID;
    const app = createJssdk(k.a);
    apps.push(app);
    const token = await fx.tokenFor(k.a);
    await connectApp(world, k, app, () => jssdkLogin(app, { token, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress }), lines);

    const since = app.events.mark();
    expect(fx.bridge.dropConnections(k.a)).toBe(1);
    await waitUntil(() => fx.bridge.parkedCount() === 1, 'A\'s session to be parked');
    await world.as(k.c, '/group/join_group', { groupID, reqMessage: 'let me in', joinSource: 3, inviterUserID: k.c });
    await waitUntil(() => fx.bridge.parkedCount() === 0, 'the parked session to expire', 10_000);

    const applied = await app.events.waitFor('OnGroupApplicationAdded', () => true, RECONNECT_WAIT_MS, since);
    expect(applied.data).toMatchObject({ groupID, groupName: 'apply here', userID: k.c, reqMsg: 'let me in', handleResult: 0 });
    await world.sentinel(k);
    await app.events.waitFor('OnGroupInfoChanged', (e) => (e.data as { notification?: string }).notification === 'sentinel', 10_000, since);
    expect(app.events.history.slice(since).filter((e) => e.event === 'OnGroupApplicationAdded')).toHaveLength(1);
    const listed = (await app.sdk.getGroupApplicationListAsRecipient()).data as Array<{ groupID: string; userID: string }>;
    expect(listed.map((l) => [l.groupID, l.userID])).toEqual([[groupID, k.c]]);
  }, 60_000);

  it('sends nothing to an app instance it has never seen (a new login reads its lists)', async () => {
    const world = new World(fx.server.apiAddress, fx.adminToken);
    const k = await world.cast();
    const first = createJssdk(k.a);
    apps.push(first);
    const token = await fx.tokenFor(k.a);
    await connectApp(world, k, first, () => jssdkLogin(first, { token, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress }), lines);
    await first.dispose();
    await world.whileAway(k);

    // A reload: a new login() is a new instance (a new operationID in its URL).
    const reloaded = createJssdk(k.a);
    apps.push(reloaded);
    await jssdkLogin(reloaded, { token, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    await reloaded.events.waitFor('OnSyncServerFinish');
    await waitUntil(() => lines.filter((l) => l.userID === k.a && l.msg === 'relation snapshot captured').length === 2, 'the new instance\'s snapshot');
    await world.sentinel(k);
    await reloaded.events.waitFor('OnGroupInfoChanged', (e) => (e.data as { notification?: string }).notification === 'sentinel');
    const relationEvents = reloaded.events.history.filter((e) => /^On(Friend|Black|JoinedGroup|GroupInfo|GroupApplication)/.test(e.event));
    expect(relationEvents.map((e) => e.event)).toEqual(['OnGroupInfoChanged']);
    await expectListsAgree(reloaded, k);
  }, 60_000);
});

describe('Relation catch-up after the bridge process restarted', () => {
  let server: TestServer;
  let admin: string;
  let bridge: BridgeProcess | undefined;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-rel-'));
  const apps: JssdkClient[] = [];

  const start = (port: number) =>
    startBridgeProcess(['--openIM_log_level', 'debug', '--connect_rate_per_ip', '0'], {
      OPENIM_API_ADDRESS: server.apiAddress,
      OPENIM_WS_ADDRESS: server.wsAddress,
      OPENIM_DB_DIR: dataDir,
      SDK_WS_PORT: String(port),
    });

  beforeAll(async () => {
    server = await startTestServer();
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(async () => {
    await Promise.all(apps.map((a) => a.dispose()));
    bridge?.child.kill('SIGKILL');
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it.each([
    ['SIGTERM', { code: 0, signal: null }],
    ['SIGKILL', { code: null, signal: 'SIGKILL' }],
  ] as const)('sends the changes made while it was down (%s, started again on the same port), each once', async (signal, exit) => {
    const world = new World(server.apiAddress, admin);
    const k = await world.cast();
    bridge = await start(0);
    const port = bridge.ready.port;
    const app = createJssdk(k.a);
    apps.push(app);
    const token = await userToken(server.apiAddress, admin, k.a, 5);
    const first = bridge;
    const liveSince = await connectApp(world, k, app, () => jssdkLogin(app, { token, wsAddr: first.ready.wsAddress, apiAddr: server.apiAddress }), first.lines);
    // SIGKILL leaves no time to save: wait until the live application is written (at most relation_snapshot_flush_ms after it).
    await waitUntil(() => savedCount(first.lines, k.a) >= 2, 'the live application to be saved');

    const since = app.events.mark();
    first.child.kill(signal);
    expect(await first.exited()).toEqual(exit);
    await world.whileAway(k);
    bridge = await start(port);

    await afterReconnect(world, k, app, since, liveSince);
    expect(logged(bridge.lines, k.a, 'relation catch-up done')).toBe(true);
    await app.dispose();
    bridge.child.kill('SIGTERM');
    await bridge.exited();
    bridge = undefined;
  }, 90_000);
});
