/**
 * Every malformed frame, unknown method, wrong argument or refused upgrade gets a clear,
 * jssdk-shaped answer, and the connection keeps working.
 */
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { connectUrl, openRaw, type RawClient } from '../support/rawClient';

let fx: BridgeFixture;
let userID: string;
let token: string;
const open: RawClient[] = [];

beforeAll(async () => {
  fx = await startBridgeFixture({ maxFrameBytes: 64 * 1024 });
  [userID] = (await fx.newUsers('pe', 1)) as [string];
  token = await fx.tokenFor(userID);
});
afterAll(async () => {
  for (const c of open) c.close();
  await fx.close();
});

async function connect(operationID = 'conn-op'): Promise<RawClient> {
  const c = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: userID, token, platformID: 5, operationID }));
  open.push(c);
  return c;
}

/** The connection still answers a request after whatever came before. */
async function stillServes(c: RawClient): Promise<void> {
  c.request('GetLoginStatus', 'alive-check', []);
  const f = await c.next((x) => x.operationID === 'alive-check');
  expect(f).toEqual({ event: 'GetLoginStatus', errCode: 0, errMsg: '', data: '1', operationID: 'alive-check' });
}

describe('Upgrade', () => {
  it('greets with InitSDK carrying the URL\'s operationID, in the kind of the first frame and before its answer', async () => {
    const c = await connect('greeting-op');
    c.request('GetLoginStatus', 'first', []);
    expect(await c.next(() => true)).toEqual({ event: 'InitSDK', errCode: 0, errMsg: '', data: '', operationID: 'greeting-op' });
    expect(await c.next(() => true)).toMatchObject({ event: 'GetLoginStatus', errCode: 0, operationID: 'first' });
    expect(c.kinds).toEqual(['text', 'text']);
    const b = await connect('binary-op');
    b.send(Buffer.from(JSON.stringify({ reqFuncName: 'GetLoginStatus', operationID: 'first', userID: '', data: '[]' })));
    expect(await b.next(() => true)).toMatchObject({ event: 'InitSDK', operationID: 'binary-op' });
    expect(await b.next(() => true)).toMatchObject({ event: 'GetLoginStatus', errCode: 0, operationID: 'first' });
    expect(b.kinds).toEqual(['binary', 'binary']);
  });

  it.each([
    [{ token: 't', platformID: 5 }, 400],
    [{ sendID: 'u', platformID: 5 }, 401],
    [{ sendID: 'u', token: 't' }, 400],
    [{ sendID: 'u', token: 't', platformID: 'x' }, 400],
  ])('refuses %j at the HTTP level with %i', async (params, status) => {
    await expect(openRaw(connectUrl(fx.bridge.wsAddress, params))).rejects.toMatchObject({ status });
  });

  it('accepts the token from an Authorization: Bearer header', async () => {
    const c = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: userID, platformID: 5 }), { Authorization: `Bearer ${token}` });
    open.push(c);
    await stillServes(c);
  });
});

describe('Frames the bridge cannot read', () => {
  it.each([
    ['not JSON', '{"reqFuncName":"GetLoginStatus",', 'frame is not valid JSON', ''],
    ['a JSON array', '[]', 'frame must be a JSON object', ''],
    ['no operationID', JSON.stringify({ reqFuncName: 'GetLoginStatus', data: '[]' }), 'operationID must be a non-empty string', ''],
    ['data not an array', JSON.stringify({ reqFuncName: 'GetLoginStatus', operationID: 'o-1', data: '{}' }), 'data must hold a JSON array of arguments', 'o-1'],
  ])('answers %s with Protocol Error 20000', async (_what, text, errMsg, operationID) => {
    const c = await connect();
    c.send(text);
    const f = await c.next((x) => x.event === 'Protocol Error');
    expect(f).toEqual({ event: 'Protocol Error', errCode: 20000, errMsg, data: '', operationID });
    await stillServes(c);
  });

  it('answers a frame over the size limit with an error naming its size, and stays open', async () => {
    const c = await connect();
    const big = JSON.stringify({ reqFuncName: 'CreateTextMessage', operationID: 'big-1', data: JSON.stringify(['x'.repeat(100 * 1024)]) });
    c.send(big);
    const f = await c.next((x) => x.operationID === 'big-1');
    expect(f).toMatchObject({ event: 'CreateTextMessage', errCode: 20000, errMsg: `frame of ${big.length} bytes exceeds the limit` });
    await stillServes(c);
  });
});

describe('Dispatch', () => {
  it.each(['NoSuchMethod', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'GetLoginUserID '])(
    'answers the unknown method %j with errCode 20000 naming it',
    async (name) => {
      const c = await connect();
      c.request(name, 'unknown-1', []);
      const f = await c.next((x) => x.operationID === 'unknown-1');
      expect(f).toEqual({ event: name, errCode: 20000, errMsg: `unknown method "${name}"`, data: '', operationID: 'unknown-1' });
      await stillServes(c);
    },
  );

  it('answers a call that needs a session with 10004 before Login', async () => {
    const c = await connect();
    c.request('GetSelfUserInfo', 'early-1', []);
    const f = await c.next((x) => x.operationID === 'early-1');
    expect(f).toMatchObject({ event: 'GetSelfUserInfo', errCode: 10004 });
    expect(f.errMsg).toContain('call Login first');
    await stillServes(c);
  });

  it.each([
    ['Login', [5, 'x'], 'Login: argument userID must be a string, got number'],
    ['Login', ['only-one'], 'Login: missing argument token (position 2 of 2)'],
    ['CreateTextMessage', [{}], 'CreateTextMessage: argument text must be a string, got object'],
    ['SendMessage', ['not json', 'r', '', '{}', false], 'SendMessage: argument message must be a JSON string, got unparseable text'],
    ['GetLoginStatus', ['extra'], 'GetLoginStatus: expected at most 0 argument(s), got 1'],
  ])('answers %s with wrong arguments %j with 10001 naming the argument', async (method, args, errMsg) => {
    const c = await connect();
    c.request(method, 'args-1', args);
    const f = await c.next((x) => x.operationID === 'args-1');
    expect(f).toEqual({ event: method, errCode: 10001, errMsg, data: '', operationID: 'args-1' });
    await stillServes(c);
  });

  it('refuses a Login for another user than the connection\'s sendID', async () => {
    const c = await connect();
    c.request('Login', 'login-other', ['someone-else', token]);
    const f = await c.next((x) => x.operationID === 'login-other');
    expect(f).toMatchObject({ event: 'Login', errCode: 10001, errMsg: 'Login: argument userID must equal the connection\'s sendID' });
    await stillServes(c);
  });
});
