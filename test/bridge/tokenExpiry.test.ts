/**
 * A token that expires during a session: the session keeps working until the upstream has to
 * connect again; then the server refuses the token (1501) and the jssdk gets OnUserTokenExpired
 * (on which it closes its socket), as with oimws.
 */
import { startBridge, type BridgeHandle } from '../../module/bridge';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { testBridgeOptions } from '../support/bridge';
import { startTestServer, usingEmulator, type TestServer } from '../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { waitUntil } from '../support/wait';

/** Long enough for the login to complete well before it, short enough for a quick test. */
const TOKEN_TTL_SECONDS = 3;
/** The client SDK reconnects 5 s after losing its connection. */
const RECONNECT_MS = 30_000;

const maybe = usingEmulator() ? describe : describe.skip;

maybe('Token expiry', () => {
  let server: TestServer;
  let bridge: BridgeHandle;
  let client: JssdkClient | undefined;
  beforeAll(async () => {
    server = await startTestServer({ tokenExpireSeconds: TOKEN_TTL_SECONDS });
    bridge = await startBridge(testBridgeOptions(server));
  });
  afterAll(async () => {
    await client?.dispose();
    await bridge.close();
    await server.close();
  });

  it('reaches the jssdk as OnUserTokenExpired with the server\'s code when the upstream reconnects', async () => {
    const admin = await adminToken(server.apiAddress, server.secret);
    const u = uniqueUserID('exp');
    await registerUsers(server.apiAddress, admin, [{ userID: u }]);
    const token = await userToken(server.apiAddress, admin, u, 5);
    const exp = (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()) as { exp: number }).exp;
    client = createJssdk(u);
    await jssdkLogin(client, { token, wsAddr: bridge.wsAddress, apiAddr: server.apiAddress });
    expect((await client.sdk.getSelfUserInfo()).data).toMatchObject({ userID: u });

    // Wait for the clock, not for a guess: the token is past its `exp`.
    await waitUntil(() => Date.now() > exp * 1000, 'the token to expire', (TOKEN_TTL_SECONDS + 5) * 1000);
    const mark = client.events.mark();
    expect(server.emulator!.dropConnections(u)).toBe(1);
    const expired = await client.events.waitFor('OnUserTokenExpired', undefined, RECONNECT_MS, mark);
    expect(expired.errCode).toBe(1501);
    await waitUntil(() => bridge.sessionCount() === 0, 'the session to end');
  }, 60_000);
});
