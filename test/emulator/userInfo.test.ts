import { CbEvents } from '@openim/client-sdk';
import type { SelfUserInfo } from '@openim/client-sdk';
import { adminPost, adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import { startTestServer } from '../support/emulator';
import type { TestServer } from '../support/emulator';

describe('user info', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(() => server.close());

  it('tells the client when an admin changes its nickname (UserInfoUpdatedNotification)', async () => {
    const userID = uniqueUserID('renamed');
    await registerUsers(server.apiAddress, admin, [{ userID, nickname: 'before' }]);
    const c = await loggedInClient({ userID, token: await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID), wsAddr: server.wsAddress, apiAddr: server.apiAddress });
    try {
      await adminPost(server.apiAddress, admin, '/user/update_user_info_ex', { userInfo: { userID, nickname: 'after' } });
      const updated = await c.events.waitFor(CbEvents.OnSelfInfoUpdated, (e) => (e.data as SelfUserInfo).nickname === 'after');
      expect((updated.data as SelfUserInfo).userID).toBe(userID);
      const info = await adminPost<{ usersInfo?: Array<{ userID: string; nickname?: string }> }>(server.apiAddress, admin, '/user/get_users_info', { userIDs: [userID, 'imAdmin', 'nobody'] });
      expect(info.usersInfo?.map((u) => [u.userID, u.nickname])).toEqual([[userID, 'after'], ['imAdmin', 'superAdmin']]);
    } finally {
      await c.dispose();
    }
  });

  it('refuses to register a user twice (1102) and non-admin registration (1002)', async () => {
    const userID = uniqueUserID('twice');
    await registerUsers(server.apiAddress, admin, [{ userID }]);
    await expect(registerUsers(server.apiAddress, admin, [{ userID }])).rejects.toEqual(expect.objectContaining({ errCode: 1102 }));
    const token = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    await expect(registerUsers(server.apiAddress, token, [{ userID: uniqueUserID('x') }])).rejects.toEqual(expect.objectContaining({ errCode: 1002 }));
  });
});
