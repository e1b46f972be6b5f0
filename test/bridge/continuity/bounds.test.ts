/**
 * The bounds and rules of catch-up, through the bridge with the real jssdk. The app instance
 * comes back the way the jssdk's own reconnect does — a login whose URL carries the same
 * operationID — without waiting for its 5 s retry: a new jssdk logs in with that operationID.
 * catchup_max_messages (past it the newest, counted), the instance's own sends (not new to
 * it, unlike those of the same user's other device), a never-seen instance (no catch-up),
 * the process-wide pace, cursor_max_age_ms (the instance is forgotten) and a failing store.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { MessageItem } from 'open-im-sdk';
import { bridgeSuite } from '../../support/bridge';
import { adminPost } from '../../support/admin';
import { chatWorld, received, sendBurst, sendText, waitForAll, waitForListInStep, type ChatWorld } from '../../support/continuity';
import { createJssdk, type JssdkClient } from '../../support/jssdk';
import { waitUntil } from '../../support/wait';
import { CatchUpPace } from '../../../core_func/continuity/catchUpPace';
import { CursorStore } from '../../../core_func/continuity/cursorStore';
import { openLevelStateStore } from '../../../state/levelStateStore';

const MAX = 5;
const suite = bridgeSuite({ resume: { graceMs: 0, maxSessions: 1, maxEvents: 1, maxBytes: 1024 }, continuity: { maxMessages: MAX, pullsPerSecond: 50, cursorMaxAgeMs: 3_600_000, cursorFlushMs: 20 } });

/** Logs the app instance `operationID` in (again); resolves once its sync is over. */
async function instance(userID: string, operationID: string): Promise<JssdkClient> {
  const c = suite.track(createJssdk(userID));
  await c.sdk.login({ userID, token: await suite.fx.tokenFor(userID), wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress, platformID: 5 }, operationID);
  await c.events.waitFor('OnSyncServerFinish');
  return c;
}

/** The app goes away (no Logout, no reconnect of its own) and its session ends. */
async function away(c: JssdkClient): Promise<void> {
  c.stopReconnecting();
  c.closeSocket();
  await waitUntil(() => suite.fx.bridge.sessionsOf(c.userID) === 0, 'the session to end');
}

async function metricValue(name: string): Promise<number> {
  const m = (await suite.fx.bridge.metricsJson()) as Array<{ name: string; values: Array<{ value: number }> }>;
  return m.find((x) => x.name === name)?.values.reduce((s, v) => s + v.value, 0) ?? 0;
}

async function world(prefix: string, singles = 1, groups = 0): Promise<{ userID: string; w: ChatWorld }> {
  const [userID] = await suite.fx.newUsers(prefix, 1);
  return { userID: userID!, w: await chatWorld(suite.fx.server.apiAddress, suite.fx.adminToken, userID!, singles, groups) };
}

describe('Catch-up bounds', () => {
  it(`past catchup_max_messages (${MAX}) sends only the newest ${MAX} of a conversation, counts it, and still brings the list in step`, async () => {
    const { userID, w } = await world('trunc');
    const first = await instance(userID, 'op-trunc');
    await waitForAll(first, 0, await sendBurst(w, 1, 'live'), 10_000);
    await away(first);
    const texts = (await sendBurst(w, 12, 'away')).get(w.conversations[0]!.conversationID)!;
    const truncatedBefore = await metricValue('openim_bridge_catchup_truncated_total');

    const back = await instance(userID, 'op-trunc');
    const newest = new Map([[w.conversations[0]!.conversationID, texts.slice(-MAX)]]);
    await waitForAll(back, 0, newest, 10_000);
    expect(received(back, 0).map((m) => m.textElem?.content)).toEqual(texts.slice(-MAX));
    await waitForListInStep(back, 0, w, 10_000);
    expect(await metricValue('openim_bridge_catchup_truncated_total')).toBe(truncatedBefore + 1);
  }, 30_000);

  it('does not hand an instance its own sends as new, but does hand it what the same user sent from another device', async () => {
    const { userID, w } = await world('own');
    const peer = w.conversations[0]!;
    const first = await instance(userID, 'op-own');
    await waitForAll(first, 0, await sendBurst(w, 1, 'live'), 10_000);
    const mine = (await first.sdk.createTextMessage('sent by this instance')).data as MessageItem;
    await first.sdk.sendMessage({ recvID: peer.target, groupID: '', message: mine });
    await away(first);
    const fromPhone = await adminPost<{ clientMsgID: string }>(w.apiAddress, w.adminToken, '/msg/send_msg', {
      sendID: userID, recvID: peer.target, groupID: '', senderPlatformID: 2, content: { content: 'sent from my phone' }, contentType: 101, sessionType: 1,
    });
    await sendText(w, peer, 'peer answers');

    const back = await instance(userID, 'op-own');
    await back.events.waitFor('OnRecvNewMessages', (e) => (e.data as MessageItem[]).some((m) => m.textElem?.content === 'peer answers'));
    await waitForListInStep(back, 0, w, 10_000);
    const got = received(back, 0);
    expect(got.map((m) => m.textElem?.content)).toEqual(['sent from my phone', 'peer answers']);
    expect(got[0]!.clientMsgID).toBe(fromPhone.clientMsgID);
  }, 30_000);

  it('gives an app instance the bridge has never seen no catch-up (it reads its lists, as with the SDK core)', async () => {
    const { userID, w } = await world('fresh');
    const first = await instance(userID, 'op-fresh-1');
    await waitForAll(first, 0, await sendBurst(w, 1, 'live'), 10_000);
    await away(first);
    await sendBurst(w, 3, 'away');
    const caughtUpBefore = await metricValue('openim_bridge_catchup_messages_total');

    const other = await instance(userID, 'op-fresh-2'); // a reload: a new instance
    const marker = await sendText(w, w.conversations[0]!, 'after the reload');
    const e = await other.events.waitFor('OnRecvNewMessages');
    expect((e.data as MessageItem[]).map((m) => m.clientMsgID)).toEqual([marker]);
    expect(received(other, 0)).toHaveLength(1);
    expect(await metricValue('openim_bridge_catchup_messages_total')).toBe(caughtUpBefore);
  }, 30_000);
});

describe('CatchUpPace (catchup_pulls_per_second)', () => {
  it('lets a second\'s worth of pulls start at once and queues the rest for their turn', async () => {
    const pace = new CatchUpPace(3);
    await Promise.all([pace.take(), pace.take(), pace.take()]);
    let started = 0;
    const more = [pace.take(), pace.take()].map((p) => p.then(() => started++));
    expect(pace.queued).toBe(2);
    expect(started).toBe(0);
    await Promise.all(more);
    expect(started).toBe(2);
    expect(pace.queued).toBe(0);
  });
});

describe('CursorStore on the LevelDB state store', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const dir = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'cursors-'));
    dirs.push(d);
    return d;
  };
  const inst = { userID: 'u1', platformID: 5, loginOperationID: 'op' };

  it('forgets an instance cursor_max_age_ms after its last write', async () => {
    const state = await openLevelStateStore(dir());
    const store = new CursorStore(state, { flushMs: 1, maxAgeMs: 100 });
    store.baseline(inst, new Map([['si_a_b', 2]]));
    store.advance(inst, 'si_a_b', 7);
    await store.flush();
    expect((await store.load(inst))?.given.get('si_a_b')).toBe(7);
    const deadline = Date.now() + 5_000;
    while ((await store.load(inst)) !== undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(await store.load(inst)).toBeUndefined();
    await store.close();
    await state.close();
  });

  it('counts a write that fails, keeps the advance pending for the next commit, and a load reports the store\'s error (the login then counts as a first one)', async () => {
    const state = await openLevelStateStore(dir());
    const errors: unknown[] = [];
    const store = new CursorStore(state, { flushMs: 60_000, maxAgeMs: 60_000, onError: (err) => errors.push(err) });
    await state.close(); // the store goes away under the cursors
    store.advance(inst, 'si_a_b', 9);
    await store.flush();
    expect(errors).toHaveLength(1);
    expect(store.pending).toBe(1);
    await expect(store.load(inst)).rejects.toThrow(/state store/);
  });
});
