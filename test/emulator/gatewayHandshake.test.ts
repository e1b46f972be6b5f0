import { adminPost, adminToken, OpenIMApiError, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { WEB_PLATFORM_ID } from '../support/clientSdk';
import { firstGatewayReply, startTestServer } from '../support/emulator';
import type { TestServer } from '../support/emulator';

const firstReply = firstGatewayReply;

describe('gateway handshake and tokens', () => {
  let server: TestServer;
  let admin: string;
  let userID: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await adminToken(server.apiAddress, server.secret);
    userID = uniqueUserID('hs');
    await registerUsers(server.apiAddress, admin, [{ userID }]);
  });
  afterAll(() => server.close());

  const url = (q: string): string => `${server.wsAddress}/?${q}`;

  it('with isMsgResp=true writes a token error after upgrading, then closes', async () => {
    const r = await firstReply(url(`sendID=${userID}&platformID=5&operationID=o&isBackground=false&isMsgResp=true&token=x.y.z`));
    expect(r.upgraded).toBe(true);
    expect(JSON.parse(r.body)).toEqual(expect.objectContaining({ errCode: 1503 }));
    await r.closed;
  });

  it('answers an argument error over plain HTTP even with isMsgResp=true (the parsed info is never set)', async () => {
    const r = await firstReply(url(`sendID=${userID}&platformID=5&operationID=o&isBackground=false&isMsgResp=true`));
    expect(r.upgraded).toBe(false);
    expect(JSON.parse(r.body)).toEqual({ errCode: 1602, errMsg: 'args err, need token, sendID, platformID', errDlt: 'token is empty' });
  });

  it('without isMsgResp answers over plain HTTP', async () => {
    const r = await firstReply(url(`sendID=${userID}&platformID=5&operationID=o&isBackground=false&token=x.y.z`));
    expect(r.upgraded).toBe(false);
    expect(JSON.parse(r.body)).toEqual(expect.objectContaining({ errCode: 1503 }));
  });

  it('kicks an older token when a newer one is issued for the same platform (1506), then forgets it (1507)', async () => {
    const t1 = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    let t2 = t1;
    const deadline = Date.now() + 3000;
    while (t2 === t1 && Date.now() < deadline) t2 = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    const parse = (token: string): Promise<unknown> => adminPost(server.apiAddress, admin, '/auth/parse_token', { token });
    await expect(parse(t1)).rejects.toEqual(expect.objectContaining({ errCode: 1506 }));
    await expect(parse(t2)).resolves.toEqual(expect.objectContaining({ userID, platformID: WEB_PLATFORM_ID }));
    let t3 = t2;
    while (t3 === t2 && Date.now() < deadline + 3000) t3 = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    await expect(parse(t1)).rejects.toEqual(expect.objectContaining({ errCode: 1507 }));
    const r = await firstReply(url(`sendID=${userID}&platformID=5&operationID=o&isBackground=false&isMsgResp=true&token=${t2}`));
    expect(JSON.parse(r.body)).toEqual(expect.objectContaining({ errCode: 1506 }));
  });

  it('drops a connection that stays silent past the read deadline', async () => {
    if (!server.emulator) return;
    const quick = await startTestServer({ wsReadTimeoutMs: 150 });
    try {
      const a = await adminToken(quick.apiAddress, quick.secret);
      const id = uniqueUserID('idle');
      await registerUsers(quick.apiAddress, a, [{ userID: id }]);
      const token = await userToken(quick.apiAddress, a, id, WEB_PLATFORM_ID);
      const r = await firstReply(`${quick.wsAddress}/?sendID=${id}&platformID=5&operationID=o&isBackground=false&isMsgResp=true&token=${token}`);
      expect(JSON.parse(r.body)).toEqual({ errCode: 0, errMsg: '', errDlt: '' });
      await r.closed;
      expect(quick.emulator?.stats.connectionsOf(id)).toBe(0);
    } finally {
      await quick.close();
    }
  });

  it('rejects a token used for another platform with TokenInvalid (1502)', async () => {
    const token = await userToken(server.apiAddress, admin, userID, 2);
    const r = await firstReply(url(`sendID=${userID}&platformID=5&operationID=o&isBackground=false&isMsgResp=true&token=${token}`));
    expect(JSON.parse(r.body)).toEqual(expect.objectContaining({ errCode: 1502 }));
  });

  it('answers REST calls without token or with a bad secret with the real codes', async () => {
    await expect(adminPost(server.apiAddress, '', '/user/get_users_info', { userIDs: [userID] })).rejects.toEqual(expect.objectContaining({ errCode: 1001 }));
    await expect(adminPost(server.apiAddress, '', '/auth/get_admin_token', { secret: 'wrong', userID: 'imAdmin' })).rejects.toBeInstanceOf(OpenIMApiError);
    await expect(adminPost(server.apiAddress, '', '/auth/get_admin_token', { secret: 'wrong', userID: 'imAdmin' })).rejects.toEqual(expect.objectContaining({ errCode: 1002 }));
    const userTok = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    await expect(adminPost(server.apiAddress, userTok, '/auth/get_user_token', { userID, platformID: 5 })).rejects.toEqual(expect.objectContaining({ errCode: 1002 }));
  });
});
