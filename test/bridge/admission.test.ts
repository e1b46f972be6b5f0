/**
 * Who may connect: browser origins, and — with the OpenIM secret configured — tokens verified
 * at the upgrade, before any upstream connection is opened.
 */
import { createHmac } from 'node:crypto';
import { startBridgeFixture, TEST_ADMISSION, type BridgeFixture } from '../support/bridge';
import { createJssdk, jssdkLogin } from '../support/jssdk';
import { connectUrl, openRaw } from '../support/rawClient';
import { usingEmulator } from '../support/emulator';

function sign(secret: string, claims: object): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

describe('allowed_origins', () => {
  let fx: BridgeFixture;
  beforeAll(async () => {
    fx = await startBridgeFixture({ admission: { ...TEST_ADMISSION, allowedOrigins: ['https://chat.example.com'] } });
  });
  afterAll(() => fx.close());
  const url = () => connectUrl(fx.bridge.wsAddress, { sendID: 'o', token: 't', platformID: 5 });

  it('refuses a page from another origin with HTTP 403 (cross-site WebSocket hijacking)', async () => {
    await expect(openRaw(url(), { Origin: 'https://evil.example.net' })).rejects.toMatchObject({ status: 403 });
  });

  it('accepts the allowed origin, and clients that send no Origin (native, mini programs)', async () => {
    const a = await openRaw(url(), { Origin: 'https://chat.example.com' });
    const b = await openRaw(url());
    for (const c of [a, b]) {
      c.request('GetLoginStatus', 'served', []);
      expect(await c.next((f) => f.operationID === 'served')).toMatchObject({ errCode: 0, data: '1' });
    }
    a.close();
    b.close();
  });
});

describe('token_secret (local token verification)', () => {
  let fx: BridgeFixture | undefined;
  let user: string;
  let other: string;
  afterAll(() => fx?.close());

  it('refuses forged, expired, other-user and other-platform tokens in-band with the gateway\'s token code and opens no upstream connection', async () => {
    // The fixture's server is created first, so the bridge learns its secret through this hook.
    fx = await startBridgeFixture((server) => ({ admission: { ...TEST_ADMISSION, tokenSecret: server.secret } }));
    const secret = fx.server.secret;
    [user, other] = (await fx.newUsers('tv', 2)) as [string, string];
    const now = Math.floor(Date.now() / 1000);
    const cases: [string, string, number, number][] = [
      ['forged', sign('not-the-secret', { UserID: user, PlatformID: 5, exp: now + 3600, nbf: now - 60, iat: now }), 5, 1505],
      ['expired', sign(secret, { UserID: user, PlatformID: 5, exp: now - 10, nbf: now - 7200, iat: now - 7200 }), 5, 1501],
      ['not yet valid', sign(secret, { UserID: user, PlatformID: 5, exp: now + 7200, nbf: now + 3600, iat: now }), 5, 1504],
      ['another user\'s', await fx.tokenFor(other), 5, 1502],
      ['another platform\'s', await fx.tokenFor(user, 1), 5, 1502],
      ['garbage', 'not-a-jwt', 5, 1503],
    ];
    const opened = fx.server.emulator?.stats.gatewayConnectionsOpened;
    for (const [, token, platformID, errCode] of cases) {
      const c = await openRaw(connectUrl(fx.bridge.wsAddress, { sendID: user, token, platformID }));
      c.request('Login', 'tv-login', [user, token]);
      expect(await c.next((f) => f.event === 'Login')).toMatchObject({ errCode, operationID: 'tv-login' });
      expect(await c.next((f) => f.event === 'OnUserTokenExpired')).toMatchObject({ errCode, operationID: 'tv-login' });
      expect(await c.closed()).toMatchObject({ code: 1000 });
    }
    if (usingEmulator()) expect(fx.server.emulator!.stats.gatewayConnectionsOpened).toBe(opened);

    // The jssdk sees its login() fail with the token's code, and a good token still works.
    const bad = createJssdk(user);
    await expect(jssdkLogin(bad, { token: cases[0]![1], wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress })).rejects.toMatchObject({ errCode: 1505 });
    const good = createJssdk(user);
    await jssdkLogin(good, { token: await fx.tokenFor(user), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    expect((await good.sdk.getSelfUserInfo()).data).toMatchObject({ userID: user });
    await good.dispose();
  });
});
