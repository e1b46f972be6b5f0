/**
 * A failed login can always be retried with the same OpenIMSDK object. open-im-sdk keeps its
 * socket manager after a failed login() and answers every later one with 10102 "login repeat"
 * until a Logout, OnKickedOffline or OnUserTokenExpired frame arrives; the bridge answers each
 * failed Login, then sends the frame that clears it (gate/loginRefusal.ts). Each case fails a
 * login, then logs the same object in with a good token — on both jssdk releases, in the
 * browser and in a mini-program.
 */
import fs from 'node:fs';
import { startBridge, type BridgeHandle } from '../../module/bridge';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { testBridgeOptions, TEST_ADMISSION, TEST_LIMITS } from '../support/bridge';
import { startTestServer, type TestServer } from '../support/emulator';
import { CLIENT_MODES, createJssdk, frameKindOf, jssdkLogin, rejectionOf, type ClientMode, type JssdkClient } from '../support/jssdk';
import { openRaw, connectUrl } from '../support/rawClient';
import { startUpstreamRelay, type UpstreamRelay } from '../support/upstreamRelay';
import type { WsResponse } from 'open-im-sdk';

/** How long the bridge waits for a held upstream login before answering it (a bridge option, not an assertion). */
const LOGIN_TIMEOUT_MS = 1_500;

let server: TestServer;
let admin: string;
let relay: UpstreamRelay;
/** Reaches the gateway through the relay, which can hold its logins. */
let plain: BridgeHandle;
/** The same, with --token_secret and a rate of one new connection per second. */
let guarded: BridgeHandle;
/** The same, whose login deadline passes before its upstream login times out. */
let hasty: BridgeHandle;
/** The guarded bridge's rate-limit clock, moved by the tests. */
let now = 0;
const dataDirs: string[] = [];
const clients: JssdkClient[] = [];

beforeAll(async () => {
  server = await startTestServer();
  admin = await adminToken(server.apiAddress, server.secret);
  relay = await startUpstreamRelay(server.wsAddress);
  const upstream = { apiAddress: server.apiAddress, wsAddress: relay.wsAddress };
  const plainOptions = testBridgeOptions(upstream, { limits: { ...TEST_LIMITS, loginTimeoutMs: LOGIN_TIMEOUT_MS } });
  const guardedOptions = testBridgeOptions(upstream, { admission: { ...TEST_ADMISSION, tokenSecret: server.secret, connectRatePerIp: 1, clock: () => now } });
  const hastyOptions = testBridgeOptions(upstream, { limits: { ...TEST_LIMITS, loginDeadlineMs: LOGIN_TIMEOUT_MS } });
  dataDirs.push(plainOptions.dataDir, guardedOptions.dataDir, hastyOptions.dataDir);
  plain = await startBridge(plainOptions);
  guarded = await startBridge(guardedOptions);
  hasty = await startBridge(hastyOptions);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await plain.close();
  await guarded.close();
  await hasty.close();
  await relay.close();
  await server.close();
  for (const d of dataDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A token whose signature is wrong: the server's 1505. */
function badSignature(token: string): string {
  const [h, p, s] = token.split('.');
  return `${h}.${p}.${s!.slice(0, -4)}AAAA`;
}

describe.each(CLIENT_MODES)('with a %s client', (mode: ClientMode) => {
  async function newClient(prefix: string): Promise<{ c: JssdkClient; token: string }> {
    const u = uniqueUserID(prefix);
    await registerUsers(server.apiAddress, admin, [{ userID: u, nickname: u }]);
    const c = createJssdk(u, mode);
    clients.push(c);
    return { c, token: await userToken(server.apiAddress, admin, u, 5) };
  }

  /** A login() that fails: its rejection, once the jssdk has handled every frame of the failed socket. */
  async function failedLogin(c: JssdkClient, token: string, wsAddr: string): Promise<WsResponse> {
    const attempt = jssdkLogin(c, { token, wsAddr, apiAddr: server.apiAddress });
    const closed = c.socketClosed();
    const err = await rejectionOf(attempt);
    await closed;
    return err;
  }

  /** login() again on the same object with a good token: it succeeds, and the session serves. */
  async function retrySucceeds(c: JssdkClient, token: string, wsAddr: string): Promise<void> {
    const mark = c.events.mark();
    const res = await jssdkLogin(c, { token, wsAddr, apiAddr: server.apiAddress });
    expect(res).toMatchObject({ event: 'Login', errCode: 0 }); // not the resolved 10102 "login repeat"
    await c.events.waitFor('OnSyncServerFinish', undefined, undefined, mark);
    expect((await c.sdk.getSelfUserInfo()).data).toMatchObject({ userID: c.userID });
    expect((await c.sdk.getLoginStatus()).data).toBe(3);
    const { kind, other } = frameKindOf(mode);
    expect(c.frames[kind]).toBeGreaterThan(0);
    expect(c.frames[other]).toBe(0);
  }

  it('after a token with a bad signature (1505, then OnUserTokenExpired)', async () => {
    const { c, token } = await newClient('sig');
    const err = await failedLogin(c, badSignature(token), plain.wsAddress);
    expect(err).toMatchObject({ event: 'Login', errCode: 1505 });
    expect(c.events.all('OnUserTokenExpired').map((e) => e.errCode)).toEqual([1505]);
    expect(c.events.all('OnConnectFailed')).toHaveLength(0);
    await retrySucceeds(c, token, plain.wsAddress);
  });

  it('after a malformed token (1503, then OnUserTokenExpired)', async () => {
    const { c, token } = await newClient('mal');
    const err = await failedLogin(c, 'not-a-token', plain.wsAddress);
    expect(err).toMatchObject({ event: 'Login', errCode: 1503 });
    expect(c.events.all('OnUserTokenExpired').map((e) => e.errCode)).toEqual([1503]);
    await retrySucceeds(c, token, plain.wsAddress);
  });

  it('after a forged token refused by --token_secret in-band, with no upstream connection', async () => {
    const { c, token } = await newClient('forged');
    const before = relay.connections;
    now += 1_000;
    const err = await failedLogin(c, badSignature(token), guarded.wsAddress);
    expect(err).toMatchObject({ event: 'Login', errCode: 1505, errMsg: 'token signature is invalid' });
    expect(c.events.all('OnUserTokenExpired').map((e) => e.errCode)).toEqual([1505]);
    expect(relay.connections).toBe(before);
    now += 1_000;
    await retrySucceeds(c, token, guarded.wsAddress);
  });

  it('after a Login whose upstream never answers (10002: OnConnectFailed, then the answer)', async () => {
    const { c, token } = await newClient('slow');
    relay.holding = true;
    let err: WsResponse;
    try {
      err = await failedLogin(c, token, plain.wsAddress);
    } finally {
      relay.holding = false;
    }
    expect(err).toMatchObject({ event: 'Login', errCode: 10002, errMsg: 'upstream login timed out' });
    expect(c.events.all('OnConnectFailed').map((e) => e.errCode)).toEqual([10002]);
    expect(c.events.all('OnUserTokenExpired')).toHaveLength(0);
    await retrySucceeds(c, token, plain.wsAddress);
  });

  it('after a Login still pending when the login deadline passes (10002: OnConnectFailed, then the answer)', async () => {
    const { c, token } = await newClient('late');
    relay.holding = true;
    let err: WsResponse;
    try {
      err = await failedLogin(c, token, hasty.wsAddress);
    } finally {
      relay.holding = false;
    }
    expect(err).toMatchObject({ event: 'Login', errCode: 10002, errMsg: 'login deadline passed' });
    expect(c.events.all('OnConnectFailed').map((e) => e.errCode)).toEqual([10002]);
    await retrySucceeds(c, token, hasty.wsAddress);
  });

  it('after a connection over the per-IP rate, refused in-band (10000) with no upstream connection', async () => {
    const { c, token } = await newClient('rate');
    now += 1_000;
    const other = await openRaw(connectUrl(guarded.wsAddress, { sendID: 'someone', token: 't', platformID: 5 })); // takes this second's connection
    other.close();
    const before = relay.connections;
    const err = await failedLogin(c, token, guarded.wsAddress);
    expect(err).toMatchObject({ event: 'Login', errCode: 10000, errMsg: 'too many new connections from this address' });
    expect(c.events.all('OnConnectFailed').map((e) => e.errCode)).toEqual([10000]);
    expect(relay.connections).toBe(before);
    now += 1_000;
    await retrySucceeds(c, token, guarded.wsAddress);
  });
});
