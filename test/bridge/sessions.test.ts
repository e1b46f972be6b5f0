/**
 * Session lifecycle: tokens the server rejects, one session per user and platform,
 * replacement only after the new login succeeded.
 */
import { bridgeSuite } from '../support/bridge';
import { CLIENT_MODES, createJssdk, jssdkLogin, type ClientMode, type JssdkClient } from '../support/jssdk';
import { waitUntil } from '../support/wait';

const suite = bridgeSuite();

function client(userID: string, mode: ClientMode): JssdkClient {
  return suite.track(createJssdk(userID, mode));
}

const login = (c: JssdkClient, token: string, platformID = 5) => jssdkLogin(c, { token, wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress, platformID });

/** A token signed with the right secret shape but a wrong signature. */
function forge(token: string): string {
  const [h, p, s] = token.split('.');
  return `${h}.${p}.${s!.slice(0, -4)}AAAA`;
}

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  describe('Login', () => {
    it('rejects a token the server refuses with the server\'s error code, and closes the socket', async () => {
      const [u] = await suite.fx.newUsers('bad', 1);
      const c = client(u!, mode);
      const [sessions, connections] = [suite.fx.bridge.sessionCount(), suite.fx.bridge.connectionCount()];
      const err = await login(c, forge(await suite.fx.tokenFor(u!))).catch((e: unknown) => e);
      expect(err).toMatchObject({ event: 'Login' });
      const code = (err as { errCode: number }).errCode;
      expect([1501, 1502, 1503, 1504, 1505, 1506, 1507]).toContain(code); // OpenIM's token error range
      expect(suite.fx.bridge.sessionCount()).toBe(sessions);
      await waitUntil(() => suite.fx.bridge.connectionCount() <= connections, 'the refused connection to close');
    });

    it('refuses a second Login on the same connection with 10102', async () => {
      const [u] = await suite.fx.newUsers('rep', 1);
      const token = await suite.fx.tokenFor(u!);
      const c = client(u!, mode);
      await login(c, token);
      // The jssdk itself refuses a second login() locally; send the frame the way another client would.
      const sdk = c.sdk as unknown as { sendRequest(r: object): Promise<unknown> };
      const err = await sdk.sendRequest({ reqFuncName: 'Login', operationID: 'again', userID: u, data: JSON.stringify([u, token]) }).catch((e: unknown) => e);
      expect(err).toMatchObject({ event: 'Login', errCode: 10102 });
      expect((await c.sdk.getLoginStatus()).data).toBe(3);
    });
  });

  describe('One session per user and platform', () => {
    it('replaces the first session only after the second logged in, and the first hears OnKickedOffline', async () => {
      const [u] = await suite.fx.newUsers('kick', 1);
      const token = await suite.fx.tokenFor(u!);
      const first = client(u!, mode);
      await login(first, token);
      const second = client(u!, mode);
      await login(second, token);
      await first.events.waitFor('OnKickedOffline');
      expect((await second.sdk.getLoginStatus()).data).toBe(3);
      expect((await second.sdk.getSelfUserInfo()).data).toMatchObject({ userID: u });
      expect(first.events.all('OnKickedOffline')).toHaveLength(1);
    });

    it('leaves the first session untouched when a second connection brings a wrong token', async () => {
      const [u] = await suite.fx.newUsers('keep', 1);
      const token = await suite.fx.tokenFor(u!);
      const first = client(u!, mode);
      await login(first, token);
      const intruder = client(u!, mode);
      await expect(login(intruder, forge(token))).rejects.toMatchObject({ event: 'Login' });
      expect(first.events.all('OnKickedOffline')).toHaveLength(0);
      expect((await first.sdk.getSelfUserInfo()).data).toMatchObject({ userID: u });
      expect((await first.sdk.getLoginStatus()).data).toBe(3);
    });

    it('keeps sessions of the same user on different platforms side by side', async () => {
      const [u] = await suite.fx.newUsers('multi', 1);
      const web = client(u!, mode);
      await login(web, await suite.fx.tokenFor(u!, 5));
      const ios = client(u!, mode);
      await login(ios, await suite.fx.tokenFor(u!, 1), 1);
      expect((await web.sdk.getSelfUserInfo()).data).toMatchObject({ userID: u });
      expect((await ios.sdk.getSelfUserInfo()).data).toMatchObject({ userID: u });
      expect(web.events.all('OnKickedOffline')).toHaveLength(0);
    });
  });
});
