import { CbEvents } from '@openim/client-sdk';
import { registerUsers, uniqueUserID, userToken } from '../support/admin';
import { createSdkClient, loggedInClient, loginSdk, WEB_PLATFORM_ID } from '../support/clientSdk';
import { signToken } from '../../emulator/auth/jwt';
import { testProfile } from '../support/emulator';
import { emulatorSuite } from '../support/emulatorSuite';

describe('client SDK login against the emulator', () => {
  const suite = emulatorSuite();

  async function newUser(prefix: string): Promise<{ userID: string; token: string }> {
    const userID = uniqueUserID(prefix);
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID, nickname: `nick-${prefix}` }]);
    return { userID, token: await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID) };
  }

  it('emits OnConnectSuccess, OnSyncServerStart and OnSyncServerFinish', async () => {
    const u = await newUser('login');
    const client = await loggedInClient({ ...u, wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    suite.track(client);
    const names = client.events.history.map((e) => e.event);
    expect(names).toEqual(expect.arrayContaining([CbEvents.OnConnecting, CbEvents.OnConnectSuccess, CbEvents.OnSyncServerStart, CbEvents.OnSyncServerFinish]));
    expect(names.indexOf(CbEvents.OnConnectSuccess)).toBeLessThan(names.indexOf(CbEvents.OnSyncServerFinish));
    expect(names).not.toContain(CbEvents.OnSyncServerFailed);
    const self = await client.sdk.getSelfUserInfo();
    expect(self.data.userID).toBe(u.userID);
    expect(self.data.nickname).toBe('nick-login');
  });

  it('reports a forged token as OnConnectFailed + OnUserTokenInvalid with code 1505', async () => {
    const u = await newUser('forged');
    const client = createSdkClient(u.userID);
    suite.track(client);
    const [h, p] = u.token.split('.');
    await expect(loginSdk(client, { userID: u.userID, token: `${h}.${p}.AAAA`, wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress })).rejects.toThrow(/OnConnectFailed/);
    const invalid = await client.events.waitFor(CbEvents.OnUserTokenInvalid);
    expect(invalid.errCode).toBe(1505);
    expect(client.events.all(CbEvents.OnConnectFailed)[0].errCode).toBe(1505);
  });

  // before patch.13 the mismatch is a plain HTTP reply (profile upgradeTokenMismatchError), which the SDK sees as a network failure
  const upgraded = testProfile().upgradeTokenMismatchError;
  it(`reports a token of another user as ${upgraded ? 'TokenInvalid (1502)' : 'a network failure (OnConnectFailed 10000)'}`, async () => {
    const a = await newUser('mine');
    const b = await newUser('other');
    const client = createSdkClient(a.userID);
    suite.track(client);
    const login = loginSdk(client, { userID: a.userID, token: b.token, wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    if (upgraded) {
      await expect(login).rejects.toThrow();
      expect((await client.events.waitFor(CbEvents.OnUserTokenInvalid)).errCode).toBe(1502);
    } else {
      await expect(login).rejects.toBeDefined();
      expect((await client.events.waitFor(CbEvents.OnConnectFailed)).errCode).toBe(10000);
      expect(client.events.all(CbEvents.OnUserTokenInvalid)).toHaveLength(0);
    }
  });

  it('reports an expired token as OnUserTokenExpired (1501)', async () => {
    const u = await newUser('expired');
    const nowSeconds = Math.floor(Date.now() / 1000);
    // a correctly signed token whose exp has passed
    const expired = signToken(suite.server.secret, u.userID, WEB_PLATFORM_ID, nowSeconds - 3600, 60);
    const client = createSdkClient(u.userID);
    suite.track(client);
    await expect(loginSdk(client, { userID: u.userID, token: expired, wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress })).rejects.toThrow();
    expect((await client.events.waitFor(CbEvents.OnUserTokenExpired)).errCode).toBe(1501);
  });
});
