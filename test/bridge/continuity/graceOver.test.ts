/**
 * The app's socket away three times longer than resume_grace_ms: its parked session is
 * released (and with it the events buffered for it), the jssdk comes back by itself (its 5 s
 * retry) and logs in afresh; the catch-up then hands it, from OpenIM, each message it missed
 * exactly once and in seq order, and the conversation changes that bring its list in step.
 */
import { bridgeSuite } from '../../support/bridge';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll, waitForListInStep, type ChatWorld } from '../../support/continuity';
import { waitUntil } from '../../support/wait';

const GRACE_MS = 300;
const resumes: string[] = [];
const suite = bridgeSuite({
  resume: { graceMs: GRACE_MS, maxSessions: 100, maxEvents: 10_000, maxBytes: 8 * 1024 * 1024 },
  continuity: { maxMessages: 1000, pullsPerSecond: 200, cursorMaxAgeMs: 3_600_000, cursorFlushMs: 50 },
  observer: { resume: (outcome) => resumes.push(outcome) },
});
/** The jssdk retries every 5 s; room for a loaded machine. */
const RECONNECT_MS = 30_000;

describe('Continuity: the socket away longer than the resume grace', () => {
  it('after the jssdk reconnects, 200 messages in 10 conversations arrive once each, in seq order, and the list matches the server', async () => {
    const [userID] = await suite.fx.newUsers('away', 1);
    const app = await suite.login(userID!);
    const world: ChatWorld = await chatWorld(suite.fx.server.apiAddress, suite.fx.adminToken, userID!, 6, 4);
    // One live message per conversation: the instance is known and has a cursor in each.
    const before = app.events.mark();
    await waitForAll(app, before, await sendBurst(world, 1, 'live'), 10_000);

    const away = app.events.mark();
    app.dropSocket();
    await waitUntil(() => suite.fx.bridge.parkedCount() === 1, 'the session to park');
    const expected = await sendBurst(world, 20, 'away');
    await waitUntil(() => resumes.includes('expired'), 'the parked session to expire', RECONNECT_MS);

    const got = await waitForAll(app, away, expected, RECONNECT_MS);
    expectExactlyOnceInOrder(got, expected);
    expect(resumes).toContain('miss');
    await waitForListInStep(app, away, world, 10_000);
  }, 90_000);
});
