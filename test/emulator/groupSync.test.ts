/** Incremental group sync: joined groups per user and members per group. */
import { createGroupDomain } from '../../emulator/group';
import { callRoute, errCodeOf, fakeDeps } from '../support/relationHelpers';

async function setup() {
  const deps = fakeDeps(['owner', 'm1', 'm2', 'outsider']);
  const domain = createGroupDomain(deps);
  const call = (path: string, op: string, body: unknown, isAdmin = false) => callRoute(domain.routes, path, op, body, isAdmin);
  return { deps, domain, call };
}

async function createGroup(call: Awaited<ReturnType<typeof setup>>['call']): Promise<string> {
  const created = await call('/group/create_group', 'owner', { ownerUserID: 'owner', memberUserIDs: ['m1'], groupInfo: { groupName: 'G', groupType: 2 } });
  return (created.groupInfo as { groupID: string }).groupID;
}

describe('group sync', () => {
  it('answers an empty state as full with no groups', async () => {
    const { call } = await setup();
    expect(await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: 0, versionID: '' })).toEqual({
      version: 1,
      versionID: expect.stringMatching(/^[0-9a-f]{24}$/),
      full: true,
      delete: null,
      insert: null,
      update: null,
    });
    expect(await call('/group/get_full_join_group_ids', 'm1', { idHash: 0, userID: 'm1' })).toMatchObject({ version: 0, equal: true });
    expect(await call('/group/get_incremental_group_members_batch', 'm1', { userID: 'm1', reqList: [] })).toEqual({ respList: {} });
  });

  it('lists joined groups and member changes since a version', async () => {
    const { call } = await setup();
    const start = await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: 0, versionID: '' });
    const groupID = await createGroup(call);
    const joined = await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: start.version, versionID: start.versionID });
    expect(joined).toMatchObject({ version: 2, insert: [{ groupID, memberCount: 2 }] });
    expect(await call('/group/get_full_join_group_ids', 'm1', { idHash: 0, userID: 'm1' })).toMatchObject({ groupIDs: [groupID] });

    const batch = await call('/group/get_incremental_group_members_batch', 'm1', { userID: 'm1', reqList: [{ groupID, version: 0, versionID: '' }] });
    const first = (batch.respList as Record<string, Record<string, unknown>>)[groupID]!;
    expect(first).toMatchObject({ version: 1, full: true, group: { groupID } });
    expect(first.insert).toBeNull();

    await call('/group/invite_user_to_group', 'owner', { groupID, invitedUserIDs: ['m2'] });
    await call('/group/kick_group', 'owner', { groupID, kickedUserIDs: ['m1'] });
    const owners = await call('/group/get_incremental_group_members', 'owner', { groupID, version: first.version, versionID: first.versionID });
    expect(owners).toMatchObject({ version: 3, insert: [{ userID: 'm2' }], delete: ['m1'], group: { memberCount: 2 } });

    const left = await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: joined.version, versionID: joined.versionID });
    expect(left).toMatchObject({ version: 3, delete: [groupID] });
    expect(await errCodeOf(call('/group/get_incremental_group_members_batch', 'm1', { userID: 'm1', reqList: [{ groupID, version: 0, versionID: '' }] }))).toBe(1002);
    expect(await errCodeOf(call('/group/get_full_group_member_user_ids', 'm1', { groupID, idHash: 0 }))).toBe(1002);
    expect(await call('/group/get_full_group_member_user_ids', 'owner', { groupID, idHash: 0 })).toMatchObject({ userIDs: ['owner', 'm2'] });
  });

  it('reports a group change without member changes with the group only', async () => {
    const { call } = await setup();
    const groupID = await createGroup(call);
    const v = await call('/group/get_incremental_group_members', 'm1', { groupID, version: 0, versionID: '' });
    await call('/group/set_group_info_ex', 'owner', { groupID, introduction: 'hello' });
    const changed = await call('/group/get_incremental_group_members', 'm1', { groupID, version: v.version, versionID: v.versionID });
    expect(changed).toEqual({ version: 2, versionID: v.versionID, full: false, delete: null, insert: null, update: null, sortVersion: 0, group: expect.objectContaining({ introduction: 'hello' }) });
  });

  it('skips dismissed groups in the batch', async () => {
    const { call } = await setup();
    const groupID = await createGroup(call);
    await call('/group/dismiss_group', 'owner', { groupID });
    // the members are gone with the dismissal (push_handler.go), so only an app admin still asks
    expect(await call('/group/get_incremental_group_members_batch', 'imAdmin', { userID: 'm1', reqList: [{ groupID, version: 0, versionID: '' }] }, true)).toEqual({ respList: {} });
  });
});
