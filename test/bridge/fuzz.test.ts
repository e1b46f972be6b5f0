/**
 * 100,000 random and mutated frames across every method: the process never crashes, every
 * frame is answered (or its socket closed with a reason), and a well-behaved session
 * connected alongside keeps working.
 */
import fc from 'fast-check';
import { CbEvents } from 'open-im-sdk';
import { ADAPTER_LIST } from '../../core_func/table';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { connectUrl, openRaw, type RawClient } from '../support/rawClient';

const FRAMES = Number(process.env.FUZZ_FRAMES ?? 100_000);
/** Frames sent to a logged-in session, where arguments reach real adapters and the upstream. */
const LOGGED_IN_FRAMES = Math.min(2_000, Math.floor(FRAMES / 50));
const BATCH = 500;
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);
const EVENT_NAMES = new Set<string>([...Object.values(CbEvents), 'InitSDK']);
const METHODS = ADAPTER_LIST.map((a) => a.method);
/** Methods that end or replace the session are fuzzed on throwaway connections only. */
const LIFECYCLE = new Set(['Login', 'Logout']);

const weird = fc.oneof(
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', '', ' ', 'null', '[]', '{}'),
  fc.string({ maxLength: 24 }),
);
const hugeNumber = fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 64, -0, 1e-320);
function deep(depth: number): string {
  return '['.repeat(depth) + ']'.repeat(depth);
}
const jsonValue = fc.oneof(
  { depthSize: 'small' },
  fc.jsonValue({ maxDepth: 4 }),
  hugeNumber,
  weird,
  fc.constant({ __proto__: { polluted: true } }),
  fc.dictionary(weird, fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 }),
);
const argArray = fc.array(fc.oneof(jsonValue, jsonValue.map((v) => JSON.stringify(v) ?? 'null')), { maxLength: 6 });

/** A frame as text; mostly well-formed envelopes with hostile contents, some broken outright. */
function frameArb(methods: readonly string[], opID: () => string): fc.Arbitrary<string | Buffer> {
  const envelope = fc.record({
    reqFuncName: fc.oneof(fc.constantFrom(...methods), weird, jsonValue),
    operationID: fc.oneof({ weight: 8, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: jsonValue }),
    userID: fc.oneof(fc.string({ maxLength: 8 }), jsonValue),
    data: fc.oneof({ weight: 6, arbitrary: argArray.map((a) => JSON.stringify(a)) }, { weight: 1, arbitrary: jsonValue }),
  });
  const wellFormed = envelope.map((e) => JSON.stringify({ ...e, operationID: e.operationID === null ? opID() : e.operationID }));
  return fc.oneof(
    { weight: 12, arbitrary: wellFormed },
    { weight: 2, arbitrary: wellFormed.chain((t) => fc.nat(t.length).map((n) => t.slice(0, n))) }, // truncated
    { weight: 1, arbitrary: fc.nat(3000).map((d) => `{"reqFuncName":"GetLoginStatus","operationID":"${opID()}","data":"${deep(d)}"}`) },
    { weight: 1, arbitrary: fc.nat(200).map((d) => deep(d)) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) }, // binary, often invalid UTF-8
    { weight: 1, arbitrary: fc.string({ maxLength: 64 }) },
  );
}

interface Tally {
  sent: number;
  answered: number;
  closedWithReason: number;
}

/** Sends `frames` on sockets it reopens as needed; counts answers (non-event frames) and reasoned closes. */
async function blast(url: string, frames: (string | Buffer)[], tally: Tally, onSocket?: (raw: RawClient) => Promise<void>): Promise<void> {
  let i = 0;
  while (i < frames.length) {
    const raw = await openRaw(url);
    await onSocket?.(raw);
    let answered = 0;
    raw.ws.on('message', (d) => {
      const f = JSON.parse(d.toString()) as { event: string };
      if (!EVENT_NAMES.has(f.event)) answered++;
    });
    const closed = raw.closed();
    let open = true;
    void closed.then(() => (open = false));
    const start = i;
    for (; i < frames.length && open; i++) {
      raw.send(frames[i]!);
      tally.sent++;
      if ((i - start) % BATCH === BATCH - 1) await new Promise((r) => setImmediate(r));
    }
    const sentHere = i - start;
    // Everything sent is answered, or the socket closes with a reason.
    await Promise.race([closed, waitFor(() => answered >= sentHere)]);
    if (answered >= sentHere) {
      tally.answered += sentHere;
      raw.close();
      await closed;
    } else {
      const c = await closed;
      expect(c.code).not.toBe(1006);
      expect(c.reason).not.toBe('');
      tally.answered += answered;
      tally.closedWithReason += sentHere - answered;
    }
  }
}

function waitFor(cond: () => boolean): Promise<void> {
  return new Promise((resolve) => {
    const check = () => (cond() ? resolve() : setTimeout(check, 10));
    check();
  });
}

let fx: BridgeFixture;
let good: JssdkClient;
beforeAll(async () => {
  fx = await startBridgeFixture();
  const [u] = await fx.newUsers('fzgood', 1);
  good = createJssdk(u!);
  await jssdkLogin(good, { token: await fx.tokenFor(u!), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
});
afterAll(async () => {
  await good.dispose();
  await fx.close();
});

describe('Fuzzing the gate and every adapter', () => {
  it(`answers ${FRAMES} hostile frames and keeps a well-behaved session working`, async () => {
    let n = 0;
    const opID = () => `fz-${n++}`;
    const loggedOut = fc.sample(frameArb(METHODS, opID), { numRuns: FRAMES - LOGGED_IN_FRAMES, seed: SEED });
    const loggedIn = fc.sample(frameArb(METHODS.filter((m) => !LIFECYCLE.has(m)), opID), { numRuns: LOGGED_IN_FRAMES, seed: SEED + 1 });

    const tally: Tally = { sent: 0, answered: 0, closedWithReason: 0 };
    await blast(connectUrl(fx.bridge.wsAddress, { sendID: 'fuzzer', token: 'not-a-token', platformID: 5 }), loggedOut, tally);

    const [u] = await fx.newUsers('fzin', 1);
    const token = await fx.tokenFor(u!);
    await blast(connectUrl(fx.bridge.wsAddress, { sendID: u!, token, platformID: 5 }), loggedIn, tally, async (raw) => {
      raw.request('Login', 'fz-login', [u, token]);
      expect((await raw.next((f) => f.event === 'Login', 30_000)).errCode).toBe(0);
    });

    expect(tally.sent).toBe(FRAMES);
    expect(tally.answered + tally.closedWithReason).toBe(FRAMES);
    expect(tally.answered).toBeGreaterThan(FRAMES * 0.9);

    // The well-behaved session alongside never noticed.
    expect((await good.sdk.getSelfUserInfo()).data).toMatchObject({ userID: good.userID });
    expect((await good.sdk.getLoginStatus()).data).toBe(3);
    expect(({}) as Record<string, unknown>).not.toHaveProperty('polluted');
  }, 300_000);
});
