/**
 * The switches of each release profile (emulator/profile.ts), one emulator per profile,
 * driven by the real @openim/client-sdk where a client sees the difference.
 */
import { CbEvents } from '@openim/client-sdk';
import { PROFILE_NAMES, resolveProfile } from '../../emulator';
import type { ProfileName } from '../../emulator';
import { adminPost, adminToken, OpenIMApiError, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { loggedInClient, WEB_PLATFORM_ID, type SdkClient } from '../support/clientSdk';
import { firstGatewayReply, startTestServer, usingEmulator } from '../support/emulator';
import type { TestServer } from '../support/emulator';
import { waitUntil } from '../support/wait';

const describeEmulator = usingEmulator() ? describe : describe.skip;

describeEmulator.each(PROFILE_NAMES.map((p) => [p]))('profile %s', (name: ProfileName) => {
  const profile = resolveProfile(name);
  let server: TestServer;
  let admin: string;
  const clients: SdkClient[] = [];
  beforeAll(async () => {
    server = await startTestServer({ profile: name });
    admin = await adminToken(server.apiAddress, server.secret);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await server.close();
  });
  const newUser = async (prefix: string): Promise<string> => {
    const userID = uniqueUserID(prefix);
    await registerUsers(server.apiAddress, admin, [{ userID, nickname: prefix }]);
    return userID;
  };
  const sdkLogin = async (userID: string, token: string): Promise<SdkClient> => {
    const c = await loggedInClient({ userID, token, wsAddr: server.wsAddress, apiAddr: server.apiAddress, platformID: WEB_PLATFORM_ID });
    clients.push(c);
    return c;
  };
  const errCodeOfPost = (token: string, path: string, body: unknown): Promise<number> =>
    adminPost(server.apiAddress, token, path, body).then(
      () => 0,
      (err: unknown) => (err instanceof OpenIMApiError ? err.errCode : -1),
    );
  const url = (q: string): string => `${server.wsAddress}/?${q}`;

  it('is the emulator\'s profile', () => {
    expect(server.emulator?.profile.name).toBe(name);
  });

  it(`5. a second connection with the same token ${profile.keepSameTokenConnections ? 'leaves the first alone (checkSameTokenFunc)' : 'kicks the first'}; the token stays usable`, async () => {
    const userID = await newUser('same');
    const token = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    const first = await sdkLogin(userID, token);
    const second = await sdkLogin(userID, token);
    if (profile.keepSameTokenConnections) {
      expect(server.emulator?.stats.connectionsOf(userID)).toBe(2);
      expect(first.events.all(CbEvents.OnKickedOffline)).toEqual([]);
    } else {
      await first.events.waitFor(CbEvents.OnKickedOffline);
      await waitUntil(() => server.emulator?.stats.connectionsOf(userID) === 1, 'one connection left');
    }
    expect(second.events.all(CbEvents.OnKickedOffline)).toEqual([]);
    // InvalidateToken preserves the new connection's token: never marked kicked under policy 1.
    await expect(adminPost(server.apiAddress, admin, '/auth/parse_token', { token })).resolves.toEqual(expect.objectContaining({ userID, platformID: WEB_PLATFORM_ID }));
  });

  it(`6. a token of another platform is refused ${profile.upgradeTokenMismatchError ? 'after the upgrade (handlerError)' : 'as plain HTTP (httpError)'}`, async () => {
    const userID = await newUser('plt');
    const token = await userToken(server.apiAddress, admin, userID, 2);
    const r = await firstGatewayReply(url(`sendID=${userID}&platformID=5&operationID=o&isBackground=false&isMsgResp=true&sdkType=js&token=${token}`));
    expect(r.upgraded).toBe(profile.upgradeTokenMismatchError);
    expect(JSON.parse(r.body)).toEqual({ errCode: 1502, errMsg: 'TokenInvalidError', errDlt: 'token platform 2 != platformID 5' });
  });

  it('6. the argument rules of the release (operationID, sdkType, isBackground, platformID)', async () => {
    const userID = await newUser('args');
    const token = await userToken(server.apiAddress, admin, userID, WEB_PLATFORM_ID);
    const reply = async (q: string): Promise<{ upgraded: boolean; errCode: number; errDlt: string }> => {
      const r = await firstGatewayReply(url(`sendID=${userID}&platformID=5&token=${token}&isMsgResp=true&${q}`));
      const body = JSON.parse(r.body) as { errCode: number; errDlt: string };
      return { upgraded: r.upgraded, errCode: body.errCode, errDlt: body.errDlt };
    };
    const ok = { upgraded: true, errCode: 0, errDlt: '' };
    const noOperationID = await reply('isBackground=false&sdkType=js');
    const badSdkType = await reply('operationID=o&isBackground=false&sdkType=rust');
    const badBackground = await reply('operationID=o&isBackground=maybe&sdkType=js');
    server.emulator?.dropConnections(userID);
    if (profile.connArgRules === 'patch.14') {
      expect(noOperationID).toEqual({ upgraded: false, errCode: 1602, errDlt: 'operationID is empty' });
      expect(badSdkType).toEqual({ upgraded: false, errCode: 1602, errDlt: 'sdkType is invalid' });
      expect(badBackground).toEqual({ upgraded: false, errCode: 500, errDlt: 'strconv.ParseBool: parsing "maybe": invalid syntax' });
    } else {
      expect(noOperationID).toEqual(ok);
      expect(badSdkType).toEqual(profile.connArgRules === 'v3.8.3' ? { upgraded: false, errCode: 1602, errDlt: 'sdkType is not go or js' } : ok);
      expect(badBackground).toEqual(ok);
    }
  });

  it(`7. refusing an already handled friend request is ${profile.friendRequestHandledCode}`, async () => {
    const [from, to] = [await newUser('frA'), await newUser('frB')];
    const toToken = await userToken(server.apiAddress, admin, to, WEB_PLATFORM_ID);
    const b = await sdkLogin(to, toToken);
    await adminPost(server.apiAddress, admin, '/friend/add_friend', { fromUserID: from, toUserID: to, reqMsg: 'hi' });
    await b.sdk.refuseFriendApplication({ toUserID: from, handleMsg: 'no' });
    // The client SDK reports every HTTP error as 10006 with the server's errMsg.
    const name = profile.friendRequestHandledCode === 1305 ? 'FriendRequestHandled' : 'ServerInternalError';
    await expect(b.sdk.refuseFriendApplication({ toUserID: from, handleMsg: 'still no' })).rejects.toEqual(expect.objectContaining({ errCode: 10006, errMsg: name }));
    const rest = adminPost(server.apiAddress, toToken, '/friend/add_friend_response', { fromUserID: from, toUserID: to, handleResult: -1, handleMsg: '' });
    await expect(rest).rejects.toEqual(expect.objectContaining({ errCode: profile.friendRequestHandledCode, errMsg: name }));
  });
  it(`setConversationAtInfo: @everyone and B marks B AtAllAtMe, C AtAll, and the sender ${profile.atInfoRules === 'v3.8.0' ? 'AtAll too' : 'nothing'}; each change announced`, async () => {
    const [a, b, c] = [await newUser('atA'), await newUser('atB'), await newUser('atC')];
    const [ca, cb, cc] = [await sdkLogin(a, await userToken(server.apiAddress, admin, a, WEB_PLATFORM_ID)), await sdkLogin(b, await userToken(server.apiAddress, admin, b, WEB_PLATFORM_ID)), await sdkLogin(c, await userToken(server.apiAddress, admin, c, WEB_PLATFORM_ID))];
    const groupID = (await ca.sdk.createGroup({ memberUserIDs: [b, c], groupInfo: { groupName: 'at', groupType: 2 } })).data.groupID;
    const conversationID = `sg_${groupID}`;
    const [markB, markC] = [cb.events.mark(), cc.events.mark()];
    const m = await ca.sdk.createTextAtMessage({ text: 'look', atUserIDList: ['AtAllTag', b], atUsersInfo: [{ atUserID: b, groupNickname: b }] });
    await ca.sdk.sendMessage({ recvID: '', groupID, message: m.data });
    // The client SDK learns it from the ConversationChangeNotification (its incremental conversation sync).
    const atType = (x: SdkClient, since: number, groupAtType: number) =>
      x.events.waitFor(CbEvents.OnConversationChanged, (e) => (e.data as Array<{ conversationID: string; groupAtType: number }>).some((v) => v.conversationID === conversationID && v.groupAtType === groupAtType), undefined, since);
    await atType(cb, markB, 3);
    await atType(cc, markC, 2);
    const stored = async (userID: string) =>
      (await adminPost<{ conversations: Array<{ groupAtType?: number }> }>(server.apiAddress, admin, '/conversation/get_conversations', { ownerUserID: userID, conversationIDs: [conversationID] })).conversations[0]?.groupAtType ?? 0;
    expect(await stored(b)).toBe(3);
    expect(await stored(c)).toBe(2);
    expect(await stored(a)).toBe(profile.atInfoRules === 'v3.8.0' ? 2 : 0);
  });
  it(`${profile.groupInfoRoutes === 'v3.8.0' ? 'SetGroupInfo' : 'SetGroupInfoEx'} with an announcement marks every member GroupNotification (4), the operator too, each announced; other group fields mark nothing`, async () => {
    const [a, b] = [await newUser('anA'), await newUser('anB')];
    const tokenA = await userToken(server.apiAddress, admin, a, WEB_PLATFORM_ID);
    const [ca, cb] = [await sdkLogin(a, tokenA), await sdkLogin(b, await userToken(server.apiAddress, admin, b, WEB_PLATFORM_ID))];
    // The client SDK calls set_group_info_ex, which v3.8.0 lacks: there A sets it through set_group_info.
    const setInfo = (fields: Record<string, string>) =>
      profile.groupInfoRoutes === 'v3.8.0'
        ? adminPost(server.apiAddress, tokenA, '/group/set_group_info', { groupInfoForSet: { groupID, ...fields } })
        : ca.sdk.setGroupInfo({ groupID, ...Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, { value: v }])) });
    const groupID = (await ca.sdk.createGroup({ memberUserIDs: [b], groupInfo: { groupName: 'an', groupType: 2 } })).data.groupID;
    const conversationID = `sg_${groupID}`;
    const stored = async (userID: string) =>
      (await adminPost<{ conversations: Array<{ groupAtType?: number }> }>(server.apiAddress, admin, '/conversation/get_conversations', { ownerUserID: userID, conversationIDs: [conversationID] })).conversations[0]?.groupAtType ?? 0;
    expect([await stored(a), await stored(b)]).toEqual([0, 0]);
    const atType = (x: SdkClient, since: number, groupAtType: number) =>
      x.events.waitFor(CbEvents.OnConversationChanged, (e) => (e.data as Array<{ conversationID: string; groupAtType: number }>).some((v) => v.conversationID === conversationID && v.groupAtType === groupAtType), undefined, since);
    const [markA, markB] = [ca.events.mark(), cb.events.mark()];
    await setInfo({ notification: 'read me' });
    await atType(ca, markA, 4);
    await atType(cb, markB, 4);
    expect([await stored(a), await stored(b)]).toEqual([4, 4]);
    // A change of anything but the announcement marks nothing.
    await adminPost(server.apiAddress, admin, '/conversation/set_conversations', { userIDs: [b], conversation: { conversationID, conversationType: 3, groupID, groupAtType: 0 } });
    await setInfo({ introduction: 'no announcement' });
    expect([await stored(a), await stored(b)]).toEqual([4, 0]);
  });
  it(`group/set_group_info_ex is ${profile.groupInfoRoutes === 'v3.8.0' ? "gin's plain-text 404" : 'served'}; group/set_group_info takes groupInfoForSet with bare wrapper values`, async () => {
    const owner = await newUser('gio');
    const tokenOwner = await userToken(server.apiAddress, admin, owner, WEB_PLATFORM_ID);
    const { groupInfo } = await adminPost<{ groupInfo: { groupID: string } }>(server.apiAddress, tokenOwner, '/group/create_group', { ownerUserID: owner, memberUserIDs: [], adminUserIDs: [], groupInfo: { groupName: 'gi', groupType: 2 } });
    const groupID = groupInfo.groupID;
    const res = await fetch(`${server.apiAddress}/group/set_group_info_ex`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', token: tokenOwner, operationID: 'op-gio' },
      body: JSON.stringify({ groupID, introduction: 'via ex' }),
    });
    const text = await res.text();
    if (profile.groupInfoRoutes === 'v3.8.0') {
      expect([res.status, res.headers.get('content-type'), text]).toEqual([404, 'text/plain', '404 page not found']);
    } else {
      expect([res.status, JSON.parse(text).errCode]).toEqual([200, 0]);
    }
    await adminPost(server.apiAddress, tokenOwner, '/group/set_group_info', { groupInfoForSet: { groupID, groupName: '', faceURL: 'f.png', ex: 'e', needVerification: 2, lookMemberInfo: 1 } });
    const { groupInfos } = await adminPost<{ groupInfos: Array<Record<string, unknown>> }>(server.apiAddress, admin, '/group/get_groups_info', { groupIDs: [groupID] });
    expect(groupInfos[0]).toMatchObject({ groupName: 'gi', faceURL: 'f.png', ex: 'e', needVerification: 2, lookMemberInfo: 1 });
    expect(groupInfos[0]?.introduction ?? '').toBe(profile.groupInfoRoutes === 'v3.8.0' ? '' : 'via ex');
    expect(await errCodeOfPost(tokenOwner, '/group/set_group_info', {})).toBe(1001);
    expect(await errCodeOfPost(tokenOwner, '/group/set_group_info', { groupInfoForSet: { groupName: 'x' } })).toBe(1001);
  });

  it(`group/set_group_info with only an announcement sends ${profile.groupInfoRoutes === 'v3.8.0' ? 'GroupInfoSetAnnouncement and GroupInfoSet (num--)' : 'GroupInfoSetAnnouncement alone (num -= 3)'}`, async () => {
    const owner = await newUser('gin');
    const tokenOwner = await userToken(server.apiAddress, admin, owner, WEB_PLATFORM_ID);
    const c = await sdkLogin(owner, tokenOwner);
    const groupID = (await c.sdk.createGroup({ memberUserIDs: [], groupInfo: { groupName: 'gn', groupType: 2 } })).data.groupID;
    const mark = c.events.mark();
    await adminPost(server.apiAddress, tokenOwner, '/group/set_group_info', { groupInfoForSet: { groupID, notification: 'hear ye' } });
    // Both are online-only notifications (no seq to count), each an OnGroupInfoChanged; muting the group marks the end.
    await adminPost(server.apiAddress, tokenOwner, '/group/mute_group', { groupID });
    const sentinel = await c.events.waitFor(CbEvents.OnGroupInfoChanged, (e) => (e.data as { status: number }).status === 3, undefined, mark);
    const changed = c.events.history.slice(mark, c.events.history.indexOf(sentinel)).filter((e) => e.event === CbEvents.OnGroupInfoChanged);
    expect(changed.map((e) => (e.data as { notification: string }).notification)).toEqual(profile.groupInfoRoutes === 'v3.8.0' ? ['hear ye', 'hear ye'] : ['hear ye']);
  });
});
