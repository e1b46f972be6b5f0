/**
 * The msgpack codec and the TCP framing under hostile input: random msgpack values and
 * mutated envelopes, garbage handshake lines, truncated and oversized lengths, unknown frame
 * kinds. No crash, a clear answer or refusal every time, and a well-behaved client alongside
 * keeps working.
 */
import net from 'node:net';
import fc from 'fast-check';
import { pack } from 'msgpackr';
import WebSocket from 'ws';
import { BridgeClient } from '../../client';
import { decodeClose, encodeFrame, FrameKind, FrameReader } from '../../network/tcpFraming';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';

const FRAMES = Number(process.env.FUZZ_FRAMES_MSGPACK ?? 10_000);
const SEED = 424242;
const MAX_FRAME = 64 * 1024;

let fx: BridgeFixture;
let good: BridgeClient;
beforeAll(async () => {
  fx = await startBridgeFixture({ tcpPort: 0, maxFrameBytes: MAX_FRAME });
  const [u] = (await fx.newUsers('fzm', 1)) as [string];
  good = await BridgeClient.connect({ address: fx.bridge.tcpAddress!, userID: u, token: await fx.tokenFor(u), codec: 'msgpack' });
});
afterAll(async () => {
  good.close();
  await fx.close();
});

afterEach(async () => {
  // Whatever the test threw at the bridge, a well-behaved client still gets answers.
  expect(await good.call('GetLoginStatus')).toBe(3);
  expect(await good.call('GetSelfUserInfo')).toMatchObject({ userID: expect.any(String) });
});

function tcpAddress(): { host: string; port: number } {
  const u = new URL(fx.bridge.tcpAddress!);
  return { host: u.hostname, port: Number(u.port) };
}

/** Opens a raw TCP connection, writes `bytes`, and collects everything until the server closes. */
function rawTcp(bytes: Buffer[]): Promise<Buffer> {
  return new Promise((resolve) => {
    const s = net.connect(tcpAddress());
    const got: Buffer[] = [];
    s.on('data', (d) => got.push(d));
    s.on('error', () => undefined);
    s.on('close', () => resolve(Buffer.concat(got)));
    s.on('connect', () => {
      for (const b of bytes) s.write(b);
      s.end();
    });
  });
}

describe('msgpack codec', () => {
  it(`answers ${FRAMES} random and mutated msgpack frames`, async () => {
    let n = 0;
    const envelope = fc.record({
      reqFuncName: fc.oneof(fc.constantFrom('GetLoginStatus', 'CreateTextMessage', 'SendMessage', 'Login', '__proto__', 'toString'), fc.anything()),
      operationID: fc.oneof({ weight: 6, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.anything() }),
      data: fc.oneof(fc.array(fc.anything(), { maxLength: 5 }), fc.anything()),
    });
    const frames = fc.sample(
      fc.oneof(
        { weight: 6, arbitrary: envelope.map((e) => pack({ ...e, operationID: e.operationID === null ? `m-${n++}` : e.operationID })) },
        { weight: 2, arbitrary: fc.anything().map((v) => pack(v)) },
        { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((b) => Buffer.from(b)) },
      ),
      { numRuns: FRAMES, seed: SEED },
    );
    const ws = new WebSocket(`${fx.bridge.wsAddress}/?sendID=fuzzm&token=t&platformID=5`, ['openim.msgpack.v1']);
    let answers = 0;
    let textFrames = 0;
    ws.on('message', (_d, isBinary) => {
      if (!isBinary) textFrames++;
      answers++;
    });
    await new Promise((r) => ws.once('open', r));
    expect(ws.protocol).toBe('openim.msgpack.v1');
    const closed = new Promise<number>((r) => ws.once('close', (code) => r(code)));
    for (const f of frames) ws.send(f);
    const initSDK = 1;
    await Promise.race([closed, new Promise<void>((r) => { const t = setInterval(() => answers >= FRAMES + initSDK && (clearInterval(t), r()), 10); })]);
    expect(answers).toBe(FRAMES + initSDK);
    expect(textFrames).toBe(0); // msgpack connections get binary frames only
    ws.close();
  }, 120_000);
});

describe('TCP framing', () => {
  it.each([
    ['garbage', Buffer.from([0xff, 0x00, 0x13, 0x0a])],
    ['a line that is not a query', Buffer.from('GET / HTTP/1.1\r\n')],
    ['no sendID', Buffer.from('token=t&platformID=5\n')],
  ])('refuses a handshake line of %s with ERR and a reason', async (_what, line) => {
    const answer = (await rawTcp([line])).toString();
    expect(answer).toMatch(/^ERR (400|401) .+\n$/);
  });

  it('refuses a handshake line over the limit', async () => {
    expect((await rawTcp([Buffer.alloc(5000, 0x61)])).toString()).toBe('ERR 400 handshake line too long\n');
  });

  function afterHandshake(frames: Buffer[]): Promise<{ code: number; reason: string } | undefined> {
    return rawTcp([Buffer.from('sendID=fz&token=t&platformID=5&codec=msgpack\n'), ...frames]).then((all) => {
      const text = all.toString('latin1');
      expect(text.startsWith('OK\n')).toBe(true);
      const { frames: got } = new FrameReader(1 << 20).push(all.subarray(3));
      const close = got.find((f) => f.kind === FrameKind.Close);
      return close ? decodeClose(close.payload) : undefined;
    });
  }

  it('closes with 1009 when a frame declares more than the limit, before reading it', async () => {
    const header = Buffer.alloc(5);
    header.writeUInt32BE(MAX_FRAME + 100, 0);
    expect(await afterHandshake([header])).toEqual({ code: 1009, reason: `frame of ${MAX_FRAME + 99} bytes exceeds the limit of ${MAX_FRAME}` });
  });

  it('closes with 1008 on a zero length or an unknown frame kind', async () => {
    expect(await afterHandshake([Buffer.alloc(4)])).toEqual({ code: 1008, reason: 'frame length 0 (a frame has at least its kind byte)' });
    expect(await afterHandshake([Buffer.from([0, 0, 0, 1, 9])])).toEqual({ code: 1008, reason: 'unknown frame kind 9' });
  });

  it('survives truncated frames and random byte streams', async () => {
    const streams = fc.sample(fc.uint8Array({ minLength: 1, maxLength: 300 }), { numRuns: 200, seed: SEED });
    for (const s of streams) await afterHandshake([Buffer.from(s)]);
    const truncated = encodeFrame(FrameKind.Message, pack({ reqFuncName: 'GetLoginStatus', operationID: 'x', data: [] })).subarray(0, 7);
    expect(await afterHandshake([truncated])).toBeUndefined();
  });
});
