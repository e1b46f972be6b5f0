/**
 * Redis, the shared state store, lost for ten seconds under traffic and back: the bridge keeps
 * relaying live messages and upstream calls, answers the local-only methods with errCode 10006
 * naming the store (never hangs, never claims a write it did not make), reports it in /readyz
 * and /metrics, and recovers by itself; nothing written before the loss is lost.
 */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { REDIS_SERVER, requireRedisUnderCi, startRedis, type RedisServer } from '../support/redis';
import { rejectionOf } from '../support/jssdk';
import { waitUntil } from '../support/wait';
import { sendText, singleConversationID, startSuite, type Suite } from './api/messageSupport';

/** The gap: Redis stays away this long while traffic goes on. */
const GAP_MS = 10_000;

requireRedisUnderCi();
const maybe = REDIS_SERVER ? describe : describe.skip;

async function readyz(s: Suite): Promise<{ status: number; body: { status: string; stateStore?: { name: string; available: boolean } } }> {
  const res = await fetch(`${s.fx.bridge.httpAddress}/readyz`);
  return { status: res.status, body: (await res.json()) as never };
}

async function metric(s: Suite, name: string, labels: Record<string, string> = {}): Promise<number> {
  const text = await (await fetch(`${s.fx.bridge.httpAddress}/metrics`)).text();
  type Family = { name: string; metrics: Array<{ value: string; labels?: Record<string, string> }> };
  const family = (parsePrometheusTextFormat(text) as Family[]).find((f) => f.name === name);
  const sample = family?.metrics.find((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
  return sample ? Number(sample.value) : 0;
}

/** Polls an HTTP answer until it holds (no event exists for a store's connection state). */
async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  let ok = false;
  const deadline = Date.now() + timeoutMs;
  while (!(ok = await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  if (!ok) throw new Error(`timed out waiting for ${what}`);
}

maybe('Redis state store lost while running', () => {
  let redis: RedisServer;
  let s: Suite;
  beforeAll(async () => {
    // An append-only file (fsync always): what Redis acknowledged survives its kill, as OPERATIONS.md advises.
    redis = await startRedis({ appendOnly: true });
    s = await startSuite('web', { stateStore: { url: redis.url, prefix: 'faults:', commandTimeoutMs: 1_000 } });
  });
  afterAll(async () => {
    await s?.close();
    await redis?.close();
  });

  it(`keeps live traffic flowing for ${GAP_MS / 1000} s without Redis, fails local-only calls cleanly, and recovers with nothing lost`, async () => {
    const [a, b] = (await s.fx.newUsers('rf', 2)) as [string, string];
    const ca = await s.login(a);
    const cb = await s.login(b);
    const conversationID = singleConversationID(a, b);
    const gone = await sendText(ca, cb, 'deleted before the gap');
    const kept = await sendText(ca, cb, 'kept');
    await cb.sdk.deleteMessageFromLocalStorage({ conversationID, clientMsgID: gone.clientMsgID });
    await cb.sdk.setConversationDraft({ conversationID, draftText: 'written before the gap' });
    expect(await readyz(s)).toEqual({ status: 200, body: expect.objectContaining({ status: 'ready', stateStore: { name: redis.url, available: true } }) });
    expect(await metric(s, 'openim_bridge_state_store_up')).toBe(1);

    await redis.stop();
    const stoppedAt = Date.now();
    await eventually(async () => (await readyz(s)).body.stateStore?.available === false, 'readyz to report the store away');
    // Still in rotation: live traffic works; the body says what is degraded.
    expect(await readyz(s)).toEqual({ status: 200, body: expect.objectContaining({ status: 'degraded: state store unavailable', stateStore: { name: redis.url, available: false } }) });
    expect(await metric(s, 'openim_bridge_state_store_up')).toBe(0);

    const draft = await rejectionOf(cb.sdk.setConversationDraft({ conversationID, draftText: 'written during the gap' }));
    expect(draft).toMatchObject({ errCode: 10006, event: 'SetConversationDraft' });
    expect(draft.errMsg).toMatch(new RegExp(`^state store ${redis.url.replace(/[/.]/g, '\\$&')} is unavailable: `));
    const del = await rejectionOf(cb.sdk.deleteMessageFromLocalStorage({ conversationID, clientMsgID: kept.clientMsgID }));
    expect(del).toMatchObject({ errCode: 10006, event: 'DeleteMessageFromLocalStorage' });
    expect(del.errMsg).toContain(`state store ${redis.url} is unavailable`);
    // Answers that merge local state fail the same way rather than show hidden or deleted data.
    expect(await rejectionOf(cb.sdk.getAllConversationList())).toMatchObject({ errCode: 10006 });

    // Under traffic for the whole gap: messages both ways, and an upstream call.
    let sent = 0;
    while (Date.now() - stoppedAt < GAP_MS) {
      await sendText(ca, cb, `during the gap ${sent}`);
      await sendText(cb, ca, `reply ${sent}`);
      sent++;
    }
    expect(sent).toBeGreaterThan(0);
    expect((await ca.sdk.getSelfUserInfo()).data).toMatchObject({ userID: a });
    expect(await metric(s, 'openim_bridge_state_store_failures_total', { operation: 'batch' })).toBeGreaterThanOrEqual(2);

    await redis.start();
    await eventually(async () => (await readyz(s)).body.status === 'ready', 'readyz to report the store back');
    expect(await metric(s, 'openim_bridge_state_store_up')).toBe(1);
    const list = (await cb.sdk.getAllConversationList()).data;
    expect(list.find((c) => c.conversationID === conversationID)).toMatchObject({ draftText: 'written before the gap' });
    const history = (await cb.sdk.getAdvancedHistoryMessageList({ conversationID, count: 2 * sent + 10, startClientMsgID: '', lastMinSeq: 0 })).data.messageList;
    expect(history.map((m) => m.clientMsgID)).not.toContain(gone.clientMsgID);
    expect(history.map((m) => m.clientMsgID)).toContain(kept.clientMsgID);
    expect(history).toHaveLength(1 + 2 * sent);
    expect((await cb.sdk.setConversationDraft({ conversationID, draftText: 'after' })).errCode).toBe(0);
    expect((await cb.sdk.getAllConversationList()).data.find((c) => c.conversationID === conversationID)).toMatchObject({ draftText: 'after' });
    await waitUntil(() => s.fx.bridge.connectionCount() >= 2, 'both clients still connected');
  }, 90_000);
});
