/**
 * Sessions are released completely: 500 sessions opened and closed (half by Logout, half by
 * the client closing its socket, after which the session waits out a short resume grace
 * period) leave no session, SDK instance, upstream connection or timer behind, and the heap
 * returns near where it started.
 */
import v8 from 'node:v8';
import vm from 'node:vm';
import { liveUpstreamInstances } from '../../core_func/upstream/upstreamSession';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { createJssdk, jssdkLogin } from '../support/jssdk';
import { waitUntil } from '../support/wait';
import { BridgeClient } from '../../client';

const SESSIONS = 500;
const BATCH = 25;
/** Generous: a leaked SDK instance per session would cost far more than this in total. */
const HEAP_GROWTH_LIMIT_BYTES = 40 * 1024 * 1024;

v8.setFlagsFromString('--expose_gc');
const gc = vm.runInNewContext('gc') as () => void;

let fx: BridgeFixture;
beforeAll(async () => {
  fx = await startBridgeFixture({ resume: { graceMs: 200, maxSessions: 10_000, maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 } });
});
afterAll(() => fx.close());

function timers(): number {
  return process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
}

async function cycle(userIDs: string[], tokens: Map<string, string>, viaLogout: boolean): Promise<void> {
  await Promise.all(
    userIDs.map(async (u) => {
      const c = createJssdk(u);
      await jssdkLogin(c, { token: tokens.get(u)!, wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
      if (viaLogout) await c.sdk.logout();
      else c.closeSocket();
    }),
  );
}

async function settled(): Promise<void> {
  await waitUntil(() => fx.bridge.connectionCount() === 0 && fx.bridge.sessionCount() === 0 && liveUpstreamInstances() === 0, 'every session to be released', 30_000);
  const emu = fx.server.emulator;
  if (emu) await waitUntil(() => emu.stats.gatewayConnectionsOpen === 0, 'upstream connections to close', 30_000);
}

describe('Session release', () => {
  it(`releases sessions, SDK instances, upstream connections and timers for ${SESSIONS} sessions`, async () => {
    const users = await fx.newUsers('leak', SESSIONS);
    const tokens = new Map(await Promise.all(users.map(async (u) => [u, await fx.tokenFor(u)] as const)));

    // Warm up (module caches, JIT) before taking the baseline.
    await cycle(users.slice(0, BATCH), tokens, true);
    await settled();
    gc();
    const baseHeap = process.memoryUsage().heapUsed;
    const baseTimers = timers();

    let opened = 0;
    for (let i = 0; i < users.length; i += BATCH) {
      await cycle(users.slice(i, i + BATCH), tokens, (i / BATCH) % 2 === 0);
      opened += Math.min(BATCH, users.length - i);
    }
    expect(opened).toBe(SESSIONS);
    await settled();
    expect(liveUpstreamInstances()).toBe(0);
    expect(fx.bridge.sessionCount()).toBe(0);
    if (fx.server.emulator) expect(fx.server.emulator.stats.gatewayConnectionsOpened).toBeGreaterThanOrEqual(SESSIONS + BATCH);

    await waitUntil(() => timers() <= baseTimers, `timers back to ${baseTimers} (now ${timers()})`, 20_000);
    gc();
    const growth = process.memoryUsage().heapUsed - baseHeap;
    expect(growth).toBeLessThan(HEAP_GROWTH_LIMIT_BYTES);
  });
});

describe('Bridge close', () => {
  it('releases every session upstream: parked ones, and those whose sockets close while it closes', async () => {
    const own = await startBridgeFixture({ tcpPort: 0 }); // resume on, 60 s grace
    const before = liveUpstreamInstances();
    const [parkedUser, closingUser] = (await own.newUsers('bc', 2)) as [string, string];
    const parked = createJssdk(parkedUser);
    await jssdkLogin(parked, { token: await own.tokenFor(parkedUser), wsAddr: own.bridge.wsAddress, apiAddr: own.server.apiAddress });
    parked.stopReconnecting();
    parked.closeSocket();
    await waitUntil(() => own.bridge.parkedCount() === 1, 'the first session to park');
    // A TCP client leaving without Logout just as the bridge closes: its session would park after the shutdown released the parked ones.
    const leaving = await BridgeClient.connect({ address: own.bridge.tcpAddress!, userID: closingUser, token: await own.tokenFor(closingUser), reconnect: false });
    expect(liveUpstreamInstances()).toBe(before + 2);
    leaving.close();
    await own.bridge.close();
    await waitUntil(() => liveUpstreamInstances() === before, 'both SDK instances to be released');
    expect(own.bridge.parkedCount()).toBe(0);
    await parked.dispose();
    await own.server.close();
  });
});
