/**
 * Session resume: a client whose socket drops without Logout gets back every event it missed,
 * in order, exactly once, when the jssdk reconnects and logs in again within the grace period.
 */
import type { MessageItem } from 'open-im-sdk';
import type { SessionObserver } from '../../module/session/session';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { CLIENT_MODES, createJssdk, frameKindOf, jssdkLogin, type ClientMode, type JssdkClient } from '../support/jssdk';
import { waitUntil } from '../support/wait';

const MESSAGES = 200;
/** The jssdk retries every 5 s; leave room for a loaded machine. */
const RECONNECT_WAIT_MS = 30_000;

function resumeCounter(): SessionObserver & { counts: Record<string, number> } {
  const counts: Record<string, number> = {};
  return { counts, resume: (o) => void (counts[o] = (counts[o] ?? 0) + 1) };
}

/** Every jssdk client of this file, for the text-frame check. */
const everyClient: JssdkClient[] = [];

async function pair(fx: BridgeFixture, clients: JssdkClient[], mode: ClientMode): Promise<[JssdkClient, JssdkClient]> {
  const [a, b] = await fx.newUsers('rs', 2);
  const out: JssdkClient[] = [];
  for (const u of [a!, b!]) {
    const c = createJssdk(u, mode);
    clients.push(c);
    everyClient.push(c);
    await jssdkLogin(c, { token: await fx.tokenFor(u), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    await c.events.waitFor('OnSyncServerFinish');
    out.push(c);
  }
  return out as [JssdkClient, JssdkClient];
}

async function send(from: JssdkClient, to: string, text: string): Promise<void> {
  const msg = (await from.sdk.createTextMessage(text)).data as MessageItem;
  await from.sdk.sendMessage({ recvID: to, groupID: '', message: msg });
}

function receivedTexts(c: JssdkClient, since: number): string[] {
  return c.events.history
    .slice(since)
    .filter((e) => e.event === 'OnRecvNewMessages')
    .flatMap((e) => (e.data as MessageItem[]).map((m) => m.textElem?.content ?? ''));
}

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  describe('Resume within the grace period', () => {
    const observer = resumeCounter();
    let fx: BridgeFixture;
    const clients: JssdkClient[] = [];
    beforeAll(async () => {
      fx = await startBridgeFixture({ observer });
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await fx.close();
    });

    it(`replays ${MESSAGES} messages sent while B was away, in order, exactly once`, async () => {
      const [a, b] = await pair(fx, clients, mode);
      const since = b.events.mark();
      expect(fx.bridge.dropConnections(b.userID)).toBe(1);
      await waitUntil(() => fx.bridge.parkedCount() === 1, 'B\'s session to be parked');

      const texts = Array.from({ length: MESSAGES }, (_, i) => `missed ${i}`);
      for (const t of texts) await send(a, b.userID, t);

      await waitUntil(() => receivedTexts(b, since).length >= MESSAGES, `B to receive ${MESSAGES} messages`, RECONNECT_WAIT_MS);
      expect(observer.counts.hit).toBe(1);
      expect(receivedTexts(b, since)).toEqual(texts);

      // And then live again.
      await send(a, b.userID, 'live after resume');
      await waitUntil(() => receivedTexts(b, since).length === MESSAGES + 1, 'the live message');
      expect(receivedTexts(b, since).at(-1)).toBe('live after resume');
      expect(b.events.history.slice(since).filter((e) => e.event === 'OnSyncServerStart')).toHaveLength(0);
      expect(fx.bridge.parkedCount()).toBe(0);
    }, 60_000);
  });

  describe('Reconnect after the grace period', () => {
    const observer = resumeCounter();
    let fx: BridgeFixture;
    const clients: JssdkClient[] = [];
    beforeAll(async () => {
      fx = await startBridgeFixture({ observer, resume: { graceMs: 300, maxSessions: 100, maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 } });
    });
    afterAll(async () => {
      await Promise.all(clients.map((c) => c.dispose()));
      await fx.close();
    });

    it('gets a fresh upstream login, no replay, and what was sent meanwhile once, by catch-up (core_func/continuity)', async () => {
      const [a, b] = await pair(fx, clients, mode);
      const since = b.events.mark();
      fx.bridge.dropConnections(b.userID);
      await waitUntil(() => fx.bridge.parkedCount() === 1, 'B\'s session to be parked');
      await send(a, b.userID, 'while away');
      await waitUntil(() => fx.bridge.parkedCount() === 0, 'the grace period to pass');
      expect(observer.counts.expired).toBe(1);

      // The jssdk reconnects on its own and logs in again: a fresh session, synced from the server.
      await b.events.waitFor('OnSyncServerFinish', undefined, RECONNECT_WAIT_MS, since);
      expect(observer.counts.hit).toBeUndefined();
      expect(observer.counts.miss).toBeGreaterThanOrEqual(3); // two first logins, then the fresh one
      await waitUntil(() => receivedTexts(b, since).includes('while away'), 'the catch-up', RECONNECT_WAIT_MS);
      expect(receivedTexts(b, since).filter((t) => t === 'while away')).toEqual(['while away']);
      expect((await b.sdk.getLoginStatus()).data).toBe(3);
    }, 60_000);
  });

  it('sent every frame to the jssdk in the kind its release reads', () => {
    const all = everyClient.filter((c) => c.mode === mode).map((c) => c.frames);
    const { kind, other } = frameKindOf(mode);
    expect(all.reduce((n, f) => n + f[kind], 0)).toBeGreaterThan(0);
    expect(all.reduce((n, f) => n + f[other], 0)).toBe(0);
  });
});
