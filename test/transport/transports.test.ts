/**
 * The foundation scenarios and resume, over every transport and codec — the same test code
 * parameterised: JSON over WebSocket, msgpack over WebSocket, msgpack over TCP.
 */
import { BridgeClient, BridgeCallError, type BridgeClientOptions } from '../../client';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { waitUntil } from '../support/wait';

type Combo = { name: string; codec: 'json' | 'msgpack'; transport: 'ws' | 'tcp' };
const COMBOS: Combo[] = [
  { name: 'JSON over WebSocket', codec: 'json', transport: 'ws' },
  { name: 'msgpack over WebSocket', codec: 'msgpack', transport: 'ws' },
  { name: 'msgpack over TCP', codec: 'msgpack', transport: 'tcp' },
];

interface Message {
  clientMsgID: string;
  sendID: string;
  recvID: string;
  textElem?: { content: string };
}

let fx: BridgeFixture;
const open: BridgeClient[] = [];
let resumeHits = 0;
beforeAll(async () => {
  fx = await startBridgeFixture({ tcpPort: 0, observer: { resume: (o) => void (o === 'hit' && resumeHits++) } });
});
afterAll(async () => {
  for (const c of open) c.close();
  await fx.close();
});

describe.each(COMBOS)('$name', ({ codec, transport }) => {
  const address = () => (transport === 'tcp' ? fx.bridge.tcpAddress! : fx.bridge.wsAddress);
  async function client(userID: string, extra: Partial<BridgeClientOptions> = {}): Promise<BridgeClient> {
    // The reconnect delay leaves the messages of the resume test time to be sent while B is away.
    const c = await BridgeClient.connect({ address: address(), userID, token: await fx.tokenFor(userID), codec, reconnect: { delayMs: 1_000, maxAttempts: 50 }, ...extra });
    open.push(c);
    return c;
  }
  function inbox(c: BridgeClient): Message[] {
    const got: Message[] = [];
    c.on('OnRecvNewMessages', (data) => got.push(...(data as Message[])));
    return got;
  }
  async function send(from: BridgeClient, to: string, text: string): Promise<Message> {
    const msg = await from.call<Message>('CreateTextMessage', text);
    return from.call<Message>('SendMessage', msg, to, '', undefined, false);
  }

  it('logs in, sends and receives, with native values in both directions', async () => {
    const [a, b] = (await fx.newUsers(`t${codec}${transport}`, 2)) as [string, string];
    const ca = await client(a);
    const cb = await client(b);
    const got = inbox(cb);
    expect(await ca.call('GetLoginStatus')).toBe(3);
    expect(await ca.call('GetLoginUserID')).toBe(a);
    expect(await ca.call('GetSelfUserInfo')).toMatchObject({ userID: a, nickname: `nick ${a}` });
    const sent = await send(ca, b, `hello over ${codec}/${transport}`);
    expect(sent).toMatchObject({ sendID: a, recvID: b, textElem: { content: `hello over ${codec}/${transport}` } });
    await waitUntil(() => got.length === 1, 'B to receive the message');
    expect(got[0]).toMatchObject({ clientMsgID: sent.clientMsgID, sendID: a, textElem: { content: `hello over ${codec}/${transport}` } });
  });

  it('answers errors with their codes and keeps the connection', async () => {
    const [u] = (await fx.newUsers(`e${codec}${transport}`, 1)) as [string];
    const c = await client(u);
    await expect(c.call('NoSuchMethod')).rejects.toMatchObject({ errCode: 20000, errMsg: 'unknown method "NoSuchMethod"' });
    await expect(c.call('__proto__')).rejects.toBeInstanceOf(BridgeCallError);
    await expect(c.call('CreateTextMessage', 42)).rejects.toMatchObject({ errCode: 10001, errMsg: 'CreateTextMessage: argument text must be a string, got number' });
    await expect(c.call('Login', u, 'x')).rejects.toMatchObject({ errCode: 10102 });
    expect(await c.call('GetLoginStatus')).toBe(3);
  });

  it('refuses a wrong token at login', async () => {
    const [u] = (await fx.newUsers(`w${codec}${transport}`, 1)) as [string];
    const token = await fx.tokenFor(u);
    await expect(BridgeClient.connect({ address: address(), userID: u, token: `${token.slice(0, -4)}AAAA`, codec, reconnect: false })).rejects.toMatchObject({ event: 'Login' });
  });

  it('kicks the first session when the same user logs in again on the same platform', async () => {
    const [u] = (await fx.newUsers(`k${codec}${transport}`, 1)) as [string];
    const first = await client(u);
    const kicked = new Promise((resolve) => first.on('OnKickedOffline', resolve));
    const second = await client(u);
    await kicked;
    expect(await second.call('GetLoginStatus')).toBe(3);
    await waitUntil(() => first.state === 'closed', 'the first client to be closed');
  });

  it('logs out', async () => {
    const [u] = (await fx.newUsers(`l${codec}${transport}`, 1)) as [string];
    const c = await client(u);
    await c.logout();
    expect(c.state).toBe('closed');
    await expect(c.call('GetLoginStatus')).rejects.toMatchObject({ errCode: 10002 });
  });

  it('resumes after a dropped connection and replays what was missed, in order, once', async () => {
    const [a, b] = (await fx.newUsers(`r${codec}${transport}`, 2)) as [string, string];
    const ca = await client(a);
    const cb = await client(b);
    const got = inbox(cb);
    const reconnected = new Promise((resolve) => cb.on('reconnected', resolve));
    const hitsBefore = resumeHits;
    cb.dropConnection();
    await waitUntil(() => cb.state === 'reconnecting', 'B to notice the drop');
    const texts = Array.from({ length: 20 }, (_, i) => `missed ${i}`);
    for (const t of texts) await send(ca, b, t);
    await reconnected;
    expect(resumeHits).toBe(hitsBefore + 1);
    await waitUntil(() => got.length >= texts.length, 'the replay');
    expect(got.map((m) => m.textElem?.content)).toEqual(texts);
  });
});

describe('BridgeClient.close() while reconnecting', () => {
  it('ends the wait at once, so a closed client holds no timer', async () => {
    const [u] = (await fx.newUsers('cl', 1)) as [string];
    const c = await BridgeClient.connect({ address: fx.bridge.wsAddress, userID: u, token: await fx.tokenFor(u), reconnect: { delayMs: 60_000, maxAttempts: 5 } });
    const timers = () => process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    c.dropConnection();
    await waitUntil(() => c.state === 'reconnecting', 'the client to notice the drop');
    const waiting = timers();
    c.close();
    expect(c.state).toBe('closed');
    expect(timers()).toBe(waiting - 1);
    await expect(c.call('GetLoginStatus')).rejects.toMatchObject({ errCode: 10002 });
  });
});
