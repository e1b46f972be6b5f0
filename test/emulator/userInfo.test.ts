import { CbEvents } from '@openim/client-sdk';
import type { SelfUserInfo } from '@openim/client-sdk';
import { adminPost, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

describe('user info', () => {
  const suite = emulatorSuite();

  it('tells the client when an admin changes its nickname (UserInfoUpdatedNotification)', async () => {
    const userID = uniqueUserID('renamed');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID, nickname: 'before' }]);
    const c = await loggedInClient({ userID, token: await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID), wsAddr: suite.server.wsAddress, apiAddr: suite.server.apiAddress });
    try {
      await adminPost(suite.server.apiAddress, suite.admin, '/user/update_user_info_ex', { userInfo: { userID, nickname: 'after' } });
      const updated = await c.events.waitFor(CbEvents.OnSelfInfoUpdated, (e) => (e.data as SelfUserInfo).nickname === 'after');
      expect((updated.data as SelfUserInfo).userID).toBe(userID);
      const info = await adminPost<{ usersInfo?: Array<{ userID: string; nickname?: string }> }>(suite.server.apiAddress, suite.admin, '/user/get_users_info', { userIDs: [userID, 'imAdmin', 'nobody'] });
      expect(info.usersInfo?.map((u) => [u.userID, u.nickname])).toEqual([[userID, 'after'], ['imAdmin', 'superAdmin']]);
    } finally {
      await c.dispose();
    }
  });

  it('refuses to register a user twice (1102) and non-admin registration (1002)', async () => {
    const userID = uniqueUserID('twice');
    await registerUsers(suite.server.apiAddress, suite.admin, [{ userID }]);
    await expect(registerUsers(suite.server.apiAddress, suite.admin, [{ userID }])).rejects.toEqual(expect.objectContaining({ errCode: 1102 }));
    const token = await userToken(suite.server.apiAddress, suite.admin, userID, WEB_PLATFORM_ID);
    await expect(registerUsers(suite.server.apiAddress, token, [{ userID: uniqueUserID('x') }])).rejects.toEqual(expect.objectContaining({ errCode: 1002 }));
  });
});
