/** The client SDK's login-sync replies reach the session that registered for them, and only it. */
import { LoginSyncTap, loginSyncExpectations, observeSdkPost } from '../../core_func/upstream/loginSyncTap';

const ok = (data: unknown) => Promise.resolve({ status: 200, body: Buffer.from(JSON.stringify({ errCode: 0, errMsg: '', data })) });
const json = (b: unknown) => Buffer.from(JSON.stringify(b));
const headers = (token: string, operationID: string) => ({ 'Content-Type': 'application/json', token, operationID });

afterEach(() => expect(loginSyncExpectations()).toBe(0));

it('hands a session the mark and IDs its SDK read, and keeps nothing once taken', async () => {
  const tap = LoginSyncTap.expect('u1', 'tok1', 'op1');
  observeSdkPost('/api/friend/get_incremental_friends', headers('tok1', 'op1'), json({ userID: 'u1', version: 0, versionID: '' }), ok({ version: 7, versionID: 'v1', full: true }));
  observeSdkPost('/api/friend/get_full_friend_user_ids', headers('tok1', 'op1'), json({ idHash: 0, userID: 'u1' }), ok({ version: 0, versionID: 'v1', equal: false, userIDs: ['f1', 'f2'] }));
  observeSdkPost('/api/group/get_full_join_group_ids', headers('tok1', 'op1'), json({ idHash: 0, userID: 'u1' }), ok({ version: 0, versionID: 'g1', equal: true, groupIDs: null }));
  expect(loginSyncExpectations()).toBe(0); // all three seen: nothing registered any more
  const reads = tap.take();
  expect(await reads.friendMark).toEqual({ versionID: 'v1', version: 7 });
  expect(await reads.friendIDs).toEqual(['f1', 'f2']);
  expect(await reads.joinedGroupIDs).toEqual([]);
});

it('never takes a reply of another token, operationID or user, nor a later reading', async () => {
  const tap = LoginSyncTap.expect('u1', 'tok1', 'op1');
  observeSdkPost('/friend/get_full_friend_user_ids', headers('tok2', 'op1'), json({ idHash: 0, userID: 'u1' }), ok({ equal: true }));
  observeSdkPost('/friend/get_full_friend_user_ids', headers('tok1', 'op2'), json({ idHash: 0, userID: 'u1' }), ok({ equal: true }));
  observeSdkPost('/friend/get_full_friend_user_ids', headers('tok1', 'op1'), json({ idHash: 0, userID: 'u2' }), ok({ equal: true }));
  observeSdkPost('/friend/get_full_friend_user_ids', headers('tok1', 'op1'), json({ idHash: 12345, userID: 'u1' }), ok({ equal: true }));
  observeSdkPost('/friend/get_incremental_friends', headers('tok1', 'op1'), json({ userID: 'u1', version: 3, versionID: 'v1' }), ok({ version: 4, versionID: 'v1' }));
  const reads = tap.take();
  expect(await reads.friendIDs).toBeUndefined();
  expect(await reads.friendMark).toBeUndefined();
  expect(await reads.joinedGroupIDs).toBeUndefined();
});

it('reports a failed or refused reply as not available', async () => {
  const tap = LoginSyncTap.expect('u1', 'tok1', 'op1');
  observeSdkPost('/friend/get_full_friend_user_ids', headers('tok1', 'op1'), json({ idHash: 0, userID: 'u1' }), Promise.reject(new TypeError('fetch failed')));
  observeSdkPost('/group/get_full_join_group_ids', headers('tok1', 'op1'), json({ idHash: 0, userID: 'u1' }), Promise.resolve({ status: 200, body: json({ errCode: 500, errMsg: 'x' }) }));
  observeSdkPost('/friend/get_incremental_friends', headers('tok1', 'op1'), json({ userID: 'u1', version: 0, versionID: '' }), Promise.resolve({ status: 404, body: Buffer.from('404 page not found') }));
  const reads = tap.take();
  expect(await reads.friendIDs).toBeUndefined();
  expect(await reads.joinedGroupIDs).toBeUndefined();
  expect(await reads.friendMark).toBeUndefined();
});

it('feeds neither of two sessions registered with one token and operationID, and forgets a closed one', async () => {
  const first = LoginSyncTap.expect('u1', 'tok1', 'op1');
  const second = LoginSyncTap.expect('u1', 'tok1', 'op1');
  observeSdkPost('/friend/get_full_friend_user_ids', headers('tok1', 'op1'), json({ idHash: 0, userID: 'u1' }), ok({ equal: true }));
  expect(await first.take().friendIDs).toBeUndefined();
  expect(await second.take().friendIDs).toBeUndefined();
  const closed = LoginSyncTap.expect('u3', 'tok3', 'op3');
  closed.close();
  observeSdkPost('/friend/get_full_friend_user_ids', headers('tok3', 'op3'), json({ idHash: 0, userID: 'u3' }), ok({ equal: true }));
  expect(await closed.take().friendIDs).toBeUndefined();
});
