/**
 * The user's own profile and settings, other users' profiles and online status, end to end:
 * the real open-im-sdk 3.5.2 client → bridge → OpenIM server (emulator).
 */
import type { FullUserItemWithCache, SelfUserInfo, UserOnlineState } from 'open-im-sdk';
import { encodeSetAppBackgroundStatusReq } from '../../../core_func/upstream/rest/user';
import { UsersInfoCache } from '../../../core_func/cache/usersInfoCache';
import { decodeSetAppBackgroundStatusReq } from '../../../emulator/gateway/smallProto';
import { adminPost } from '../../support/admin';
import { bridgeSuite } from '../../support/bridge';
import { rejectionOf } from '../../support/jssdk';
import { connectUrl, openRaw } from '../../support/rawClient';
import { waitUntil } from '../../support/wait';

const suite = bridgeSuite();
const loggedIn = (userID: string) => suite.login(userID);

describe('SetSelfInfo and SetGlobalRecvMessageOpt', () => {
  it('SetSelfInfo changes the profile, raises OnSelfInfoUpdated with a SelfUserInfo and GetSelfUserInfo follows', async () => {
    const [a] = await suite.fx.newUsers('uself', 1);
    const c = await loggedIn(a!);
    const mark = c.events.mark();
    const res = await c.sdk.setSelfInfo({ nickname: 'Alice', faceURL: 'https://face/alice.png', ex: '{"k":1}' });
    expect(res.errCode).toBe(0);
    expect(res.data).toBe('');
    const updated = await c.events.waitFor('OnSelfInfoUpdated', (e) => (e.data as SelfUserInfo).nickname === 'Alice', undefined, mark);
    expect(updated.data).toMatchObject({ userID: a, nickname: 'Alice', faceURL: 'https://face/alice.png', ex: '{"k":1}', globalRecvMsgOpt: 0 });
    expect(typeof (updated.data as SelfUserInfo).createTime).toBe('number');
    const self = (await c.sdk.getSelfUserInfo()).data;
    expect(self).toMatchObject({ userID: a, nickname: 'Alice', faceURL: 'https://face/alice.png', ex: '{"k":1}' });
  });

  it('SetSelfInfo refuses fields of the wrong type with 10001 and changes nothing', async () => {
    const [a] = await suite.fx.newUsers('uselfx', 1);
    const c = await loggedIn(a!);
    const bad = await rejectionOf(c.sdk.setSelfInfo({ nickname: 42 } as unknown as Partial<SelfUserInfo>));
    expect(bad.errCode).toBe(10001);
    expect(bad.errMsg).toContain('nickname');
    expect((await rejectionOf(c.sdk.setSelfInfo({ globalRecvMsgOpt: 9 } as unknown as Partial<SelfUserInfo>))).errCode).toBe(10001);
    expect((await c.sdk.getSelfUserInfo()).data.nickname).toBe(`nick ${a}`);
  });

  it('SetGlobalRecvMessageOpt stores the option, raises OnSelfInfoUpdated and refuses values other than 0, 1, 2', async () => {
    const [a] = await suite.fx.newUsers('uopt', 1);
    const c = await loggedIn(a!);
    const mark = c.events.mark();
    expect((await c.sdk.setGlobalRecvMessageOpt(2)).data).toBe('');
    const updated = await c.events.waitFor('OnSelfInfoUpdated', (e) => (e.data as SelfUserInfo).globalRecvMsgOpt === 2, undefined, mark);
    expect(updated.data).toMatchObject({ userID: a, nickname: `nick ${a}`, globalRecvMsgOpt: 2 });
    expect((await c.sdk.getSelfUserInfo()).data.globalRecvMsgOpt).toBe(2);
    const onServer = await adminPost<{ usersInfo: SelfUserInfo[] }>(suite.fx.server.apiAddress, suite.fx.adminToken, '/user/get_users_info', { userIDs: [a] });
    expect(onServer.usersInfo[0]!.globalRecvMsgOpt).toBe(2);

    expect((await rejectionOf(c.sdk.setGlobalRecvMessageOpt(3 as unknown as 1))).errCode).toBe(10001);
    expect((await rejectionOf(c.sdk.setGlobalRecvMessageOpt('1' as unknown as 1))).errCode).toBe(10001);
  });
});

describe('GetUsersInfoWithCache', () => {
  it('answers publicInfo, friendInfo, blackInfo and groupMemberInfo per user, in the order asked, leaving unknown users out', async () => {
    const [a, friend, stranger, blocked] = await suite.fx.newUsers('uinfo', 4);
    const ca = await loggedIn(a!);
    const cf = await loggedIn(friend!);
    const markF = cf.events.mark();
    await ca.sdk.addFriend({ toUserID: friend!, reqMsg: '' } as unknown as string);
    await cf.events.waitFor('OnFriendApplicationAdded', undefined, undefined, markF);
    await cf.sdk.acceptFriendApplication({ toUserID: a!, handleMsg: '' });
    const markA = ca.events.mark();
    await ca.sdk.addBlack({ toUserID: blocked!, ex: '' });
    await ca.events.waitFor('OnBlackAdded', undefined, undefined, markA);
    const tokenA = await suite.fx.tokenFor(a!, 1); // another platform: a new web token would kick the session
    const created = await adminPost<{ groupInfo: { groupID: string } }>(suite.fx.server.apiAddress, tokenA, '/group/create_group', {
      ownerUserID: a,
      memberUserIDs: [stranger],
      adminUserIDs: [],
      groupInfo: { groupName: 'g', groupType: 2 },
    });
    const groupID = created.groupInfo.groupID;

    const res = await ca.sdk.getUsersInfoWithCache({ userIDList: [stranger!, `${a!}-nobody`, friend!, blocked!], groupID });
    const list = res.data as FullUserItemWithCache[];
    expect(list.map((u) => u.publicInfo?.userID)).toEqual([stranger, friend, blocked]);
    expect(list[0]).toMatchObject({
      publicInfo: { userID: stranger, nickname: `nick ${stranger}`, faceURL: '', ex: '' },
      friendInfo: null,
      blackInfo: null,
      groupMemberInfo: { groupID, userID: stranger, roleLevel: 20, nickname: `nick ${stranger}` },
    });
    expect(list[1]).toMatchObject({ friendInfo: { ownerUserID: a, userID: friend, nickname: `nick ${friend}`, remark: '' }, blackInfo: null, groupMemberInfo: null });
    expect(list[2]).toMatchObject({ friendInfo: null, blackInfo: { ownerUserID: a, userID: blocked }, groupMemberInfo: null });

    const noGroup = (await ca.sdk.getUsersInfoWithCache({ userIDList: [friend!] })).data;
    expect(noGroup).toHaveLength(1);
    expect(noGroup[0]!.groupMemberInfo).toBeNull();
    expect((await ca.sdk.getUsersInfoWithCache({ userIDList: [] })).data).toEqual([]);
  });

  it('serves a cached profile until an OnSelfInfoUpdated relayed for that user drops it', async () => {
    const [a, b] = await suite.fx.newUsers('ucache', 2);
    const ca = await loggedIn(a!);
    const first = (await ca.sdk.getUsersInfoWithCache({ userIDList: [b!] })).data;
    expect(first[0]!.publicInfo).toMatchObject({ userID: b, nickname: `nick ${b}` });

    // Changed behind the bridge's back: the cache still answers.
    await adminPost(suite.fx.server.apiAddress, suite.fx.adminToken, '/user/update_user_info_ex', { userInfo: { userID: b, nickname: 'quiet change' } });
    expect((await ca.sdk.getUsersInfoWithCache({ userIDList: [b!] })).data[0]!.publicInfo!.nickname).toBe(`nick ${b}`);

    // Changed by b through the bridge: b's OnSelfInfoUpdated drops the entry.
    const cb = await loggedIn(b!);
    const markB = cb.events.mark();
    await cb.sdk.setSelfInfo({ nickname: 'Bob' });
    await cb.events.waitFor('OnSelfInfoUpdated', (e) => (e.data as SelfUserInfo).nickname === 'Bob', undefined, markB);
    expect((await ca.sdk.getUsersInfoWithCache({ userIDList: [b!] })).data[0]!.publicInfo).toMatchObject({ userID: b, nickname: 'Bob' });
  });

  it('drops a friend\'s cached profile when OnFriendInfoChanged about them passes through', async () => {
    const [a, b] = await suite.fx.newUsers('ucachef', 2);
    const [ca, cb] = await Promise.all([loggedIn(a!), loggedIn(b!)]);
    const markB = cb.events.mark();
    await ca.sdk.addFriend({ toUserID: b!, reqMsg: '' } as unknown as string);
    await cb.events.waitFor('OnFriendApplicationAdded', undefined, undefined, markB);
    const markA = ca.events.mark();
    await cb.sdk.acceptFriendApplication({ toUserID: a!, handleMsg: '' });
    await ca.events.waitFor('OnFriendApplicationAccepted', undefined, undefined, markA);
    expect((await ca.sdk.getUsersInfoWithCache({ userIDList: [b!] })).data[0]!.publicInfo!.nickname).toBe(`nick ${b}`);

    await adminPost(suite.fx.server.apiAddress, suite.fx.adminToken, '/user/update_user_info_ex', { userInfo: { userID: b, nickname: 'renamed' } });
    const markA2 = ca.events.mark();
    await ca.sdk.setFriendRemark({ toUserID: b!, remark: 'buddy' });
    await ca.events.waitFor('OnFriendInfoChanged', undefined, undefined, markA2);
    const after = (await ca.sdk.getUsersInfoWithCache({ userIDList: [b!] })).data[0]!;
    expect(after.publicInfo).toMatchObject({ userID: b, nickname: 'renamed' });
    expect(after.friendInfo).toMatchObject({ userID: b, remark: 'buddy' });
  });

  it('keeps an expired profile only as the fallback for when the server fails', async () => {
    const cache = new UsersInfoCache(5, 10);
    cache.put({ userID: 'u1', nickname: 'n', faceURL: '', ex: '', createTime: 1 });
    expect(cache.fresh('u1')?.nickname).toBe('n');
    await waitUntil(() => cache.fresh('u1') === undefined, 'the entry to expire', 2_000);
    expect(cache.stale('u1')?.nickname).toBe('n');
    cache.invalidate('u1');
    expect(cache.stale('u1')).toBeUndefined();
  });

  it('refuses a userIDList that is not a list of strings with 10001', async () => {
    const [a] = await suite.fx.newUsers('uinfox', 1);
    const c = await loggedIn(a!);
    const bad = await rejectionOf(c.sdk.getUsersInfoWithCache({ userIDList: 'x' as unknown as string[] }));
    expect(bad.errCode).toBe(10001);
    expect(bad.errMsg).toContain('userIDList');
  });
});

describe('Online status', () => {
  it('SubscribeUsersStatus answers the current state and OnUserStatusChanged follows; Unsubscribe ends it', async () => {
    const [a, b] = await suite.fx.newUsers('ustat', 2);
    const ca = await loggedIn(a!);
    const sub = (await ca.sdk.subscribeUsersStatus([b!])).data as unknown as UserOnlineState[];
    expect(sub).toEqual([{ userID: b, status: 0, platformIDs: [] }]);

    const mark = ca.events.mark();
    const cb = await loggedIn(b!);
    const changed = await ca.events.waitFor('OnUserStatusChanged', (e) => (e.data as UserOnlineState).status === 1, undefined, mark);
    expect(changed.data).toEqual({ userID: b, status: 1, platformIDs: [5] });
    expect((await ca.sdk.getSubscribeUsersStatus()).data).toEqual([{ userID: b, status: 1, platformIDs: [5] }]);

    expect((await ca.sdk.unsubscribeUsersStatus([b!])).data).toBe('');
    expect((await ca.sdk.getSubscribeUsersStatus()).data).toEqual([]);

    // b goes offline unwatched; subscribing again answers b's state now and watches again.
    await cb.dispose();
    await waitUntil(() => suite.fx.server.emulator === undefined || suite.fx.server.emulator.stats.connectionsOf(b!) === 0, 'b offline upstream');
    expect((await ca.sdk.subscribeUsersStatus([b!])).data).toEqual([{ userID: b, status: 0, platformIDs: [] }]);
    const markAgain = ca.events.mark();
    await loggedIn(b!);
    const back = await ca.events.waitFor('OnUserStatusChanged', (e) => (e.data as UserOnlineState).status === 1, undefined, markAgain);
    expect(back.data).toEqual({ userID: b, status: 1, platformIDs: [5] });
  });

  it('refuses an empty or malformed user list with 10001', async () => {
    const [a] = await suite.fx.newUsers('ustatx', 1);
    const c = await loggedIn(a!);
    expect((await rejectionOf(c.sdk.subscribeUsersStatus([]))).errCode).toBe(10001);
    expect((await rejectionOf(c.sdk.unsubscribeUsersStatus([]))).errCode).toBe(10001);
    expect((await rejectionOf(c.sdk.subscribeUsersStatus([3] as unknown as string[]))).errCode).toBe(10001);
  });
});

describe('SetAppBackgroundStatus and NetworkStatusChanged', () => {
  it('encodes SetAppBackgroundStatusReq as the gateway decodes it', () => {
    expect(decodeSetAppBackgroundStatusReq(encodeSetAppBackgroundStatusReq('user-é', true))).toEqual({ userID: 'user-é', isBackground: true });
    expect(decodeSetAppBackgroundStatusReq(encodeSetAppBackgroundStatusReq('u', false))).toEqual({ userID: 'u', isBackground: false });
  });

  it('SetAppBackgroundStatus is accepted by the gateway; a non-boolean is 10001', async () => {
    const [a] = await suite.fx.newUsers('ubg', 1);
    const c = await loggedIn(a!);
    expect((await c.sdk.setAppBackgroundStatus(true)).data).toBe('');
    expect((await c.sdk.setAppBackgroundStatus(false)).data).toBe('');
    expect((await rejectionOf(c.sdk.setAppBackgroundStatus('yes' as unknown as boolean))).errCode).toBe(10001);
  });

  it('NetworkStatusChanged succeeds and leaves the session working; extra arguments are 10001', async () => {
    const [a] = await suite.fx.newUsers('unet', 1);
    const c = await loggedIn(a!);
    const res = await c.sdk.networkStatusChanged();
    expect(res).toMatchObject({ event: 'NetworkStatusChanged', errCode: 0, data: '' });
    expect((await c.sdk.getSelfUserInfo()).data.userID).toBe(a);

    const [b] = await suite.fx.newUsers('unetraw', 1);
    const token = await suite.fx.tokenFor(b!);
    const raw = await openRaw(connectUrl(suite.fx.bridge.wsAddress, { sendID: b!, token, platformID: 5, operationID: 'op-connect' }));
    try {
      raw.request('Login', 'op-login', [b!, token]);
      expect((await raw.next((f) => f.operationID === 'op-login')).errCode).toBe(0);
      raw.request('NetworkStatusChanged', 'op-net', ['extra']);
      const answer = await raw.next((f) => f.operationID === 'op-net');
      expect(answer.errCode).toBe(10001);
    } finally {
      raw.request('Logout', 'op-logout', []);
      await raw.next((f) => f.operationID === 'op-logout').catch(() => undefined);
      raw.close();
    }
  });
});
