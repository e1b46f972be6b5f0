/** Incremental friend sync: version logs, full/equal/changes answers and the idHash check. */
import { createHash } from 'node:crypto';
import { createRelationDomain } from '../../emulator/relation';
import { idHash } from '../../emulator/relation/idHash';
import { callRoute, errCodeOf, fakeDeps } from '../support/relationHelpers';

function setup() {
  const deps = fakeDeps(['alice', 'bob', 'carol']);
  const domain = createRelationDomain(deps);
  const call = (path: string, op: string, body: unknown, isAdmin = false) => callRoute(domain.routes, path, op, body, isAdmin);
  return { deps, domain, call };
}

describe('friend sync', () => {
  it('answers an empty state: version 1, a fresh versionID, full', async () => {
    const { call } = setup();
    const inc = await call('/friend/get_incremental_friends', 'alice', { userID: 'alice', version: 0, versionID: '' });
    expect(inc).toEqual({ version: 1, versionID: expect.stringMatching(/^[0-9a-f]{24}$/), full: true, delete: null, insert: null, update: null, sortVersion: 0 });
    const ids = await call('/friend/get_full_friend_user_ids', 'alice', { idHash: 0, userID: 'alice' });
    // v3.8.x: `version` is the id hash (0 for none), only versionID is the log's.
    expect(ids).toEqual({ version: 0, versionID: inc.versionID, equal: true, userIDs: null });
  });

  it('lists inserts, updates and deletes since the client version', async () => {
    const { call } = setup();
    const first = await call('/friend/get_incremental_friends', 'alice', { userID: 'alice', version: 0, versionID: '' });
    const same = await call('/friend/get_incremental_friends', 'alice', { userID: 'alice', version: first.version, versionID: first.versionID });
    expect(same).toEqual({ version: 1, versionID: first.versionID, full: false, delete: null, insert: null, update: null, sortVersion: 0 });

    await call('/friend/import_friend', 'imAdmin', { ownerUserID: 'alice', friendUserIDs: ['bob', 'carol'] }, true);
    const added = await call('/friend/get_incremental_friends', 'alice', { userID: 'alice', version: 1, versionID: first.versionID });
    expect(added).toMatchObject({ version: 2, versionID: first.versionID });
    expect(added.full).toBe(false);
    expect((added.insert as Array<{ friendUser: { userID: string } }>).map((f) => f.friendUser.userID)).toEqual(['bob', 'carol']);

    await call('/friend/update_friends', 'alice', { ownerUserID: 'alice', friendUserIDs: ['bob'], isPinned: true });
    await call('/friend/delete_friend', 'alice', { ownerUserID: 'alice', friendUserID: 'carol' });
    const changed = await call('/friend/get_incremental_friends', 'alice', { userID: 'alice', version: 2, versionID: first.versionID });
    expect(changed).toMatchObject({ version: 4, delete: ['carol'], update: [{ friendUser: { userID: 'bob' }, isPinned: true }], sortVersion: 3 });
    expect(changed.insert).toBeNull();
  });

  it('answers full for an unknown versionID', async () => {
    const { call } = setup();
    await call('/friend/import_friend', 'imAdmin', { ownerUserID: 'alice', friendUserIDs: ['bob'] }, true);
    const inc = await call('/friend/get_incremental_friends', 'alice', { userID: 'alice', version: 1, versionID: 'aaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(inc).toMatchObject({ version: 1, full: true });
    expect(inc.insert).toBeNull();
  });

  it('compares the id hash', async () => {
    const { call } = setup();
    await call('/friend/import_friend', 'imAdmin', { ownerUserID: 'alice', friendUserIDs: ['bob', 'carol'] }, true);
    const all = await call('/friend/get_full_friend_user_ids', 'alice', { idHash: 0, userID: 'alice' });
    expect(all).toMatchObject({ userIDs: ['bob', 'carol'], version: Number(idHash(['bob', 'carol'])) });
    expect(all.equal).toBe(false);
    const hash = Number(idHash(['bob', 'carol']));
    expect(await call('/friend/get_full_friend_user_ids', 'alice', { idHash: hash, userID: 'alice' })).toMatchObject({ equal: true });
  });

  it('checks access', async () => {
    const { call } = setup();
    expect(await errCodeOf(call('/friend/get_incremental_friends', 'bob', { userID: 'alice', version: 0, versionID: '' }))).toBe(1002);
    expect(await errCodeOf(call('/friend/get_full_friend_user_ids', 'bob', { userID: 'alice' }))).toBe(1002);
  });
});

describe('idHash', () => {
  it('is 0 for no ids and the big-endian head of the MD5 of the JSON list otherwise', () => {
    expect(idHash([])).toBe(0n);
    const head = createHash('md5').update('["a"]').digest('hex').slice(0, 16);
    expect(idHash(['a'])).toBe(BigInt(`0x${head}`));
  });

  it("hashes the IDs as Go's json.Marshal writes them (<, >, & and U+2028 escaped)", () => {
    const goText = '["a\\u003cb\\u003e","\\u0026\\u2028"]';
    const head = createHash('md5').update(goText).digest('hex').slice(0, 16);
    expect(idHash(['a<b>', '&\u2028'])).toBe(BigInt(`0x${head}`));
  });
});
