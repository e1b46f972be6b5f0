/**
 * Backpressure: a client that stops reading while tens of thousands of events are produced
 * costs the bridge a bounded amount of memory, and loses nothing: once it reads again it gets
 * what was already on its socket, then — after the jssdk-style reconnect and Login — the rest.
 */
import { adminPost } from '../support/admin';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { connectUrl, openRaw, type Frame, type RawClient } from '../support/rawClient';
import { waitUntil } from '../support/wait';

/** About three events each (message, conversation change, unread count): ~50,000 events. */
const MESSAGES = Number(process.env.SLOW_READER_MESSAGES ?? 17_000);
const SEND_CONCURRENCY = 32;
const MAX_OUTBOUND = 256 * 1024;
const RESUME = { graceMs: 120_000, maxSessions: 10, maxEvents: 200_000, maxBytes: 256 * 1024 * 1024 };

let fx: BridgeFixture;
beforeAll(async () => {
  fx = await startBridgeFixture({ maxOutboundBytes: MAX_OUTBOUND, resume: RESUME });
});
afterAll(() => fx.close());

function texts(frames: Frame[]): string[] {
  return frames
    .filter((f) => f.event === 'OnRecvNewMessages')
    .flatMap((f) => (JSON.parse(f.data) as { textElem?: { content: string } }[]).map((m) => m.textElem?.content ?? ''));
}

async function login(raw: RawClient, userID: string, token: string): Promise<void> {
  raw.request('Login', `login-${Date.now()}`, [userID, token]);
  const answer = await raw.next((f) => f.event === 'Login', 30_000);
  expect(answer.errCode).toBe(0);
}

describe('A client that stops reading', () => {
  it(`costs bounded memory while ${MESSAGES} messages arrive, and gets every one of them once`, async () => {
    const [a, b] = (await fx.newUsers('slow', 2)) as [string, string];
    const token = await fx.tokenFor(b);
    const first = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: b, token, platformID: 5 }));
    await login(first, b, token);
    await first.next((f) => f.event === 'OnSyncServerFinish', 30_000);
    first.pause();

    const sent: string[] = [];
    let next = 0;
    const producer = Promise.all(
      Array.from({ length: SEND_CONCURRENCY }, async () => {
        while (next < MESSAGES) {
          const text = `slow ${next++}`;
          await adminPost(fx.server.apiAddress, fx.adminToken, '/msg/send_msg', {
            sendID: a,
            recvID: b,
            senderPlatformID: 5,
            content: { content: text },
            contentType: 101,
            sessionType: 1,
          });
          sent.push(text);
        }
      }),
    );

    await waitUntil(() => fx.bridge.parkedCount() === 1, 'the slow client\'s session to be parked', 60_000);
    // The bridge gave up on the socket (1008) behind what was already queued: reading on yields
    // those frames, then the close. (`ws` drops a peer that has not read them within 30 s.)
    first.resume();
    const closed = await first.closed();
    expect(closed.code).toBe(1008);
    const onFirst = texts(first.frames);

    // Everything produced from now on waits in the session's bounded resume buffer.
    await producer;
    expect(fx.bridge.parkedCount()).toBe(1);
    expect(fx.bridge.parkedBytes()).toBeGreaterThan(0);
    expect(fx.bridge.parkedBytes()).toBeLessThanOrEqual(RESUME.maxBytes);

    const second = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: b, token, platformID: 5 }));
    await login(second, b, token);
    await waitUntil(
      () => onFirst.length + texts(second.frames).length >= MESSAGES,
      `all ${MESSAGES} messages (first socket ${onFirst.length}, after resume ${texts(second.frames).length})`,
      60_000,
    );
    const all = [...onFirst, ...texts(second.frames)];
    expect(all).toHaveLength(MESSAGES);
    expect(new Set(all)).toEqual(new Set(sent));
    expect(fx.bridge.parkedCount()).toBe(0);
    second.close();
  }, 240_000);
});
