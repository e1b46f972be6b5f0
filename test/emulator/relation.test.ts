/** The friend and blacklist domain through its route table: behaviour, error codes and notifications. */
import { createRelationDomain } from '../../emulator/relation';
import { callRoute, errCodeOf, fakeDeps } from '../support/relationHelpers';

const PAGE = { pageNumber: 1, showNumber: 20 };

function setup() {
  const deps = fakeDeps(['alice', 'bob', 'carol']);
  const domain = createRelationDomain(deps);
  const call = (path: string, op: string, body: unknown, isAdmin = false) => callRoute(domain.routes, path, op, body, isAdmin);
  return { deps, domain, call };
}

describe('friend applications', () => {
  it('stores an application and notifies the recipient with the request', async () => {
    const { deps, call } = setup();
    expect(await call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 'bob', reqMsg: 'hi', ex: '' })).toEqual({});
    const [n] = deps.notifier.ofType(1203);
    expect(n).toMatchObject({ kind: 'users', sendID: 'alice', recvIDs: ['bob'] });
    expect(n!.operationID).toMatch(/^op-/);
    expect(n!.detail).toEqual({
      fromToUserID: { fromUserID: 'alice', toUserID: 'bob' },
      request: {
        fromUserID: 'alice',
        fromNickname: 'alice-nick',
        fromFaceURL: 'https://face/alice',
        toUserID: 'bob',
        toNickname: 'bob-nick',
        toFaceURL: 'https://face/bob',
        handleResult: 0,
        reqMsg: 'hi',
        createTime: 1_700_000_000_000,
        handlerUserID: '',
        handleMsg: '',
        handleTime: 0,
        ex: '',
      },
    });
    const recv = await call('/friend/get_friend_apply_list', 'bob', { userID: 'bob', pagination: PAGE });
    expect(recv).toMatchObject({ total: 1, FriendRequests: [{ fromUserID: 'alice', reqMsg: 'hi' }] });
    const sent = await call('/friend/get_self_friend_apply_list', 'alice', { userID: 'alice', pagination: PAGE });
    expect(sent).toMatchObject({ total: 1, friendRequests: [{ toUserID: 'bob' }] });
    const designated = await call('/friend/get_designated_friend_apply', 'alice', { fromUserID: 'alice', toUserID: 'bob' });
    expect(designated.friendRequests).toHaveLength(1);
  });

  it('answers with the real error codes', async () => {
    const { call } = setup();
    expect(await errCodeOf(call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 'alice' }))).toBe(1301);
    expect(await errCodeOf(call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 'nobody' }))).toBe(1101);
    expect(await errCodeOf(call('/friend/add_friend', 'bob', { fromUserID: 'alice', toUserID: 'carol' }))).toBe(1002);
    expect(await errCodeOf(call('/friend/add_friend', 'alice', { fromUserID: 'alice' }))).toBe(1001);
    expect(await errCodeOf(call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 7 }))).toBe(1001);
    expect(await errCodeOf(call('/friend/add_friend_response', 'bob', { fromUserID: 'alice', toUserID: 'bob', handleResult: 1 }))).toBe(1004);
    await call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 'bob' });
    expect(await errCodeOf(call('/friend/add_friend_response', 'bob', { fromUserID: 'alice', toUserID: 'bob', handleResult: 2 }))).toBe(1001);
    await call('/friend/add_friend_response', 'bob', { fromUserID: 'alice', toUserID: 'bob', handleResult: -1 });
    expect(await errCodeOf(call('/friend/add_friend_response', 'bob', { fromUserID: 'alice', toUserID: 'bob', handleResult: -1 }))).toBe(1305);
    // The real server reports an already-handled request differently when agreeing.
    expect(await errCodeOf(call('/friend/add_friend_response', 'bob', { fromUserID: 'alice', toUserID: 'bob', handleResult: 1 }))).toBe(1001);
  });

  it('accepting makes both users friends and notifies the applicant', async () => {
    const { deps, domain, call } = setup();
    await call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 'bob', reqMsg: 'hi' });
    deps.tick(1000);
    await call('/friend/add_friend_response', 'bob', { fromUserID: 'alice', toUserID: 'bob', handleResult: 1, handleMsg: 'ok' });
    expect(domain.isFriend('alice', 'bob')).toBe(true);
    expect(domain.isFriend('bob', 'alice')).toBe(true);
    const [n] = deps.notifier.ofType(1201);
    expect(n).toMatchObject({ sendID: 'bob', recvIDs: ['alice'] });
    expect(n!.detail).toMatchObject({ fromToUserID: { fromUserID: 'alice', toUserID: 'bob' }, handleMsg: 'ok', request: { handleResult: 1, handlerUserID: 'bob', handleMsg: 'ok' } });
    expect(await call('/friend/is_friend', 'alice', { userID1: 'alice', userID2: 'bob' })).toEqual({ inUser1Friends: true, inUser2Friends: true });
    expect(await errCodeOf(call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 'bob' }))).toBe(1304);
    const list = await call('/friend/get_friend_list', 'alice', { userID: 'alice', pagination: PAGE });
    expect(list).toEqual({
      total: 1,
      friendsInfo: [
        {
          ownerUserID: 'alice',
          remark: '',
          createTime: 1_700_000_001,
          friendUser: { userID: 'bob', nickname: 'bob-nick', faceURL: 'https://face/bob', ex: '' },
          addSource: 2,
          operatorUserID: 'alice',
          ex: '',
          isPinned: false,
        },
      ],
    });
  });

  it('refusing notifies the applicant', async () => {
    const { deps, call } = setup();
    await call('/friend/add_friend', 'alice', { fromUserID: 'alice', toUserID: 'bob' });
    await call('/friend/add_friend_response', 'bob', { fromUserID: 'alice', toUserID: 'bob', handleResult: -1, handleMsg: 'no' });
    const [n] = deps.notifier.ofType(1202);
    expect(n).toMatchObject({ sendID: 'bob', recvIDs: ['alice'], detail: { handleMsg: 'no', request: { handleResult: -1 } } });
  });
});

describe('friendships', () => {
  async function friends() {
    const s = setup();
    await s.call('/friend/import_friend', 'imAdmin', { ownerUserID: 'alice', friendUserIDs: ['bob', 'carol'] }, true);
    s.deps.notifier.clear();
    return s;
  }

  it('import needs an app admin and makes friends both ways', async () => {
    const { domain } = await friends();
    expect(domain.isFriend('carol', 'alice')).toBe(true);
    const { call } = setup();
    expect(await errCodeOf(call('/friend/import_friend', 'alice', { ownerUserID: 'alice', friendUserIDs: ['bob'] }))).toBe(1002);
  });

  it('delete removes only the owner side and notifies the friend', async () => {
    const { deps, domain, call } = await friends();
    await call('/friend/delete_friend', 'alice', { ownerUserID: 'alice', friendUserID: 'bob' });
    expect(domain.isFriend('alice', 'bob')).toBe(false);
    expect(domain.isFriend('bob', 'alice')).toBe(true);
    expect(deps.notifier.ofType(1205)[0]).toMatchObject({ sendID: 'alice', recvIDs: ['bob'], detail: { fromToUserID: { fromUserID: 'alice', toUserID: 'bob' } } });
  });

  it('update_friends sets remark, pin and ex, pinned first', async () => {
    const { deps, call } = await friends();
    await call('/friend/update_friends', 'alice', { ownerUserID: 'alice', friendUserIDs: ['carol'], isPinned: true, remark: 'Caz' });
    const list = await call('/friend/get_friend_list', 'alice', { userID: 'alice', pagination: PAGE });
    expect((list.friendsInfo as Array<Record<string, unknown>>).map((f) => [f.remark, f.isPinned])).toEqual([
      ['Caz', true],
      ['', false],
    ]);
    expect(deps.notifier.ofType(1210)[0]).toMatchObject({ sendID: 'alice', recvIDs: ['alice'], detail: { fromToUserID: { toUserID: 'alice' }, friendIDs: ['carol'] } });
    expect(await errCodeOf(call('/friend/update_friends', 'alice', { ownerUserID: 'alice', friendUserIDs: [] }))).toBe(1001);
    const designated = await call('/friend/get_designated_friends', 'alice', { ownerUserID: 'alice', friendUserIDs: ['carol', 'nobody'] });
    expect(designated.friendsInfo).toHaveLength(1);
  });

  it('paginates as the real server (a page past the end is empty)', async () => {
    const { call } = await friends();
    const second = await call('/friend/get_friend_list', 'alice', { userID: 'alice', pagination: { pageNumber: 2, showNumber: 1 } });
    expect(second).toMatchObject({ total: 2, friendsInfo: [{ friendUser: { userID: 'carol' } }] });
    expect(await call('/friend/get_friend_list', 'alice', { userID: 'alice', pagination: { pageNumber: 3, showNumber: 1 } })).toEqual({ total: 2, friendsInfo: null });
    expect(await errCodeOf(call('/friend/get_friend_list', 'alice', { userID: 'alice', pagination: { pageNumber: 0, showNumber: 1 } }))).toBe(1001);
  });
});

describe('blacklist', () => {
  it('adds, lists, finds and removes blacks with notifications', async () => {
    const { deps, domain, call } = setup();
    await call('/friend/add_black', 'alice', { ownerUserID: 'alice', blackUserID: 'bob', ex: 'x' });
    expect(domain.isBlocked('alice', 'bob')).toBe(true);
    expect(domain.isBlocked('bob', 'alice')).toBe(false);
    expect(deps.notifier.ofType(1207)[0]).toMatchObject({ sendID: 'alice', recvIDs: ['bob'], detail: { fromToUserID: { fromUserID: 'alice', toUserID: 'bob' } } });
    expect(await errCodeOf(call('/friend/add_black', 'alice', { ownerUserID: 'alice', blackUserID: 'bob' }))).toBe(1003);
    const list = await call('/friend/get_black_list', 'alice', { userID: 'alice', pagination: PAGE });
    expect(list).toEqual({
      total: 1,
      blacks: [{ ownerUserID: 'alice', createTime: 1_700_000_000, blackUserInfo: { userID: 'bob', nickname: 'bob-nick', faceURL: 'https://face/bob', ex: '' }, addSource: 0, operatorUserID: 'alice', ex: 'x' }],
    });
    const specified = await call('/friend/get_specified_blacks', 'alice', { ownerUserID: 'alice', userIDList: ['bob', 'carol'] });
    expect(specified).toMatchObject({ total: 1, blacks: [{ createTime: 1_700_000_000_000 }] });
    expect(await call('/friend/get_specified_blacks', 'alice', { ownerUserID: 'alice', userIDList: ['carol'] })).toEqual({ total: 0, blacks: null });
    await call('/friend/remove_black', 'alice', { ownerUserID: 'alice', blackUserID: 'bob' });
    expect(domain.isBlocked('alice', 'bob')).toBe(false);
    expect(deps.notifier.ofType(1208)).toHaveLength(1);
  });
});

describe('user info updates', () => {
  it('logs an update for every friend and sends them FriendInfoUpdated', async () => {
    const { deps, domain, call } = setup();
    await call('/friend/import_friend', 'imAdmin', { ownerUserID: 'alice', friendUserIDs: ['bob', 'carol'] }, true);
    const v = await call('/friend/get_incremental_friends', 'bob', { userID: 'bob', version: 0, versionID: '' });
    deps.notifier.clear();
    domain.onUserInfoUpdated!('alice', 'op-x');
    expect(deps.notifier.ofType(1209).map((n) => [n.sendID, n.recvIDs[0], n.detail, n.operationID])).toEqual([
      ['alice', 'bob', { userID: 'alice' }, 'op-x'],
      ['alice', 'carol', { userID: 'alice' }, 'op-x'],
    ]);
    const inc = await call('/friend/get_incremental_friends', 'bob', { userID: 'bob', version: v.version, versionID: v.versionID });
    expect(inc).toMatchObject({ update: [{ friendUser: { userID: 'alice' } }] });
  });
});

describe('friendInfoOnly (for the jssdk conversation routes)', () => {
  it('gives the owner-side records of the friends asked for, times in milliseconds', async () => {
    const { domain, call } = setup();
    await call('/friend/import_friend', 'imAdmin', { ownerUserID: 'alice', friendUserIDs: ['bob'] }, true);
    expect(domain.friendInfoOnly!('alice', ['bob', 'carol'])).toEqual([
      { ownerUserID: 'alice', friendUserID: 'bob', remark: '', createTime: 1_700_000_000_000, addSource: 1, operatorUserID: 'imAdmin', ex: '', isPinned: false },
    ]);
  });
});
