/**
 * msg_gateway restarting while the REST API stays up: messages sent through the API
 * meanwhile are pushed to nobody; once the session's upstream reconnects (the client SDK's
 * own retry) they reach the app as OnRecvNewMessages, each once, in seq order — the client
 * SDK's repaired pull and the bridge's catch-up both run, the ordering gate lets one copy
 * through — and nothing in the bridge leaves a promise rejection unhandled.
 */
import { bridgeSuite } from '../../support/bridge';
import { usingEmulator } from '../../support/emulator';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll, waitForListInStep } from '../../support/continuity';

const suite = bridgeSuite({ continuity: { maxMessages: 1000, pullsPerSecond: 200, cursorMaxAgeMs: 3_600_000, cursorFlushMs: 50 } });
const RECONNECT_MS = 45_000;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => unhandled.push(reason);
beforeAll(() => process.on('unhandledRejection', onUnhandled));
afterAll(() => process.off('unhandledRejection', onUnhandled));

const maybe = usingEmulator() ? describe : describe.skip;

maybe('Continuity: the OpenIM gateway restarts, the API stays up', () => {
  it('messages sent meanwhile arrive as events after the upstream reconnects, once each and in order; no unhandled rejection', async () => {
    const [userID] = await suite.fx.newUsers('gw', 1);
    const app = await suite.login(userID!);
    const world = await chatWorld(suite.fx.server.apiAddress, suite.fx.adminToken, userID!, 3, 2);
    const before = app.events.mark();
    await waitForAll(app, before, await sendBurst(world, 1, 'live'), 10_000);

    const mark = app.events.mark();
    await suite.fx.server.emulator!.stopGateway();
    await app.events.waitFor('OnConnecting', undefined, RECONNECT_MS, mark);
    const expected = await sendBurst(world, 10, 'gateway down');
    await suite.fx.server.emulator!.startGateway();
    await app.events.waitFor('OnConnectSuccess', undefined, RECONNECT_MS, mark);

    const got = await waitForAll(app, mark, expected, RECONNECT_MS);
    expectExactlyOnceInOrder(got, expected);
    await waitForListInStep(app, mark, world, 10_000);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
