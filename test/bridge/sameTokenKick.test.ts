/**
 * A parked session whose upstream connection the server kicks while its client is away: up
 * to v3.8.3-patch.7 the gateway kicks even connections with the same token when another one
 * opens (no checkSameTokenFunc). The returning client must get a working session, not the
 * kicked upstream. Runs on every release profile (jest.config.js MATRIX_SUITES).
 */
import type { MessageItem } from 'open-im-sdk';
import type { SessionObserver } from '../../module/session/session';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { loggedInClient, type SdkClient } from '../support/clientSdk';
import { testProfile } from '../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { waitUntil } from '../support/wait';

/** The jssdk retries every 5 s; leave room for a loaded machine. */
const RECONNECT_WAIT_MS = 30_000;

describe('a parked session kicked upstream by a same-token connection', () => {
  const counts: Record<string, number> = {};
  const observer: SessionObserver = { resume: (o) => void (counts[o] = (counts[o] ?? 0) + 1) };
  let fx: BridgeFixture;
  const clients: Array<JssdkClient | SdkClient> = [];
  beforeAll(async () => {
    fx = await startBridgeFixture({ observer });
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await fx.close();
  });

  const login = async (userID: string, token: string): Promise<JssdkClient> => {
    const c = createJssdk(userID);
    clients.push(c);
    await jssdkLogin(c, { token, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    await c.events.waitFor('OnSyncServerFinish');
    return c;
  };
  const texts = (c: JssdkClient, since: number): string[] =>
    c.events.history.slice(since).filter((e) => e.event === 'OnRecvNewMessages').flatMap((e) => (e.data as MessageItem[]).map((m) => m.textElem?.content ?? ''));
  const send = async (from: JssdkClient, to: string, text: string): Promise<void> => {
    const msg = (await from.sdk.createTextMessage(text)).data as MessageItem;
    await from.sdk.sendMessage({ recvID: to, groupID: '', message: msg });
  };

  it('comes back to a working session on every release', async () => {
    const emulator = fx.server.emulator;
    if (!emulator) return; // needs the emulator's connection counts
    const [a, b] = (await fx.newUsers('stk', 2)) as [string, string];
    const ca = await login(a, await fx.tokenFor(a));
    const tokenB = await fx.tokenFor(b);
    const cb = await login(b, tokenB);
    const since = cb.events.mark();

    expect(fx.bridge.dropConnections(b)).toBe(1);
    await waitUntil(() => fx.bridge.parkedCount() === 1, 'B\'s session to be parked');
    // Another client of B's, straight to the server, with the same token and platform.
    const direct = await loggedInClient({ userID: b, token: tokenB, wsAddr: fx.server.wsAddress, apiAddr: fx.server.apiAddress });
    clients.push(direct);
    if (testProfile().keepSameTokenConnections) {
      expect(emulator.stats.connectionsOf(b)).toBe(2);
    } else {
      // The parked session's upstream was kicked: it must not be resumed.
      await waitUntil(() => emulator.stats.connectionsOf(b) === 1 && fx.bridge.parkedCount() === 0, 'the kicked parked session to be dropped');
    }
    await direct.dispose();

    // The jssdk reconnects on its own and logs in again.
    await waitUntil(() => fx.bridge.sessionsOf(b) === 1, 'B to log in again', RECONNECT_WAIT_MS);
    expect(counts.hit ?? 0).toBe(testProfile().keepSameTokenConnections ? 1 : 0);
    await send(ca, b, 'after the kick');
    await waitUntil(() => texts(cb, since).includes('after the kick'), 'B to receive the live message');
    const aSince = ca.events.mark();
    await send(cb, a, 'reply');
    await waitUntil(() => texts(ca, aSince).includes('reply'), 'A to receive B\'s reply');
  }, 60_000);

  it('keeps the newer session\'s upstream when a login with the same token replaces an active one', async () => {
    const emulator = fx.server.emulator;
    if (!emulator) return;
    const [a, b] = (await fx.newUsers('str', 2)) as [string, string];
    const ca = await login(a, await fx.tokenFor(a));
    const tokenB = await fx.tokenFor(b);
    const first = await login(b, tokenB);
    const second = await login(b, tokenB);
    await first.events.waitFor('OnKickedOffline');
    await waitUntil(() => emulator.stats.connectionsOf(b) === 1, 'one upstream connection of B');
    const since = second.events.mark();
    await send(ca, b, 'to the newer session');
    await waitUntil(() => texts(second, since).includes('to the newer session'), 'the newer session to receive a push');
    expect(second.events.all('OnKickedOffline')).toHaveLength(0);
    expect(first.events.all('OnKickedOffline')).toHaveLength(1);
  });
});
