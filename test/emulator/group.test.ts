/** The group domain through its route table: lifecycle, membership, permissions and notifications. */
import { createGroupDomain } from '../../emulator/group';
import { callRoute, errCodeOf, fakeDeps } from '../support/relationHelpers';

const PAGE = { pageNumber: 1, showNumber: 50 };
const OWNER = 100;
const ADMIN = 60;
const MEMBER = 20;

async function setup(groupInfo: Record<string, unknown> = {}) {
  const deps = fakeDeps(['owner', 'admin', 'm1', 'm2', 'outsider']);
  const domain = createGroupDomain(deps);
  const call = (path: string, op: string, body: unknown, isAdmin = false) => callRoute(domain.routes, path, op, body, isAdmin);
  const created = await call('/group/create_group', 'owner', {
    ownerUserID: 'owner',
    adminUserIDs: ['admin'],
    memberUserIDs: ['m1', 'm2'],
    groupInfo: { groupName: 'G', groupType: 2, creatorUserID: 'owner', ...groupInfo },
  });
  const groupID = (created.groupInfo as { groupID: string }).groupID;
  return { deps, domain, call, created, groupID };
}

describe('create and read groups', () => {
  it('creates a working group with roles and notifies the group', async () => {
    const { deps, domain, created, groupID } = await setup();
    expect(groupID).toMatch(/^\d+$/);
    expect(created.groupInfo).toEqual({
      groupID,
      groupName: 'G',
      ownerUserID: 'owner',
      createTime: 1_700_000_000_000,
      memberCount: 4,
      creatorUserID: 'owner',
      groupType: 2,
      notification: '',
      introduction: '',
      faceURL: '',
      ex: '',
      status: 0,
      needVerification: 0,
      lookMemberInfo: 0,
      applyMemberFriend: 0,
      notificationUpdateTime: 0,
      notificationUserID: '',
    });
    expect(domain.memberIDs(groupID)).toEqual(['owner', 'admin', 'm1', 'm2']);
    expect(domain.member(groupID, 'admin')).toMatchObject({ roleLevel: ADMIN, nickname: 'admin-nick' });
    const [n] = deps.notifier.ofType(1501);
    expect(n).toMatchObject({ kind: 'group', sendID: 'owner', groupID });
    expect(n!.detail).toMatchObject({
      group: { groupID, memberCount: 4 },
      opUser: { userID: 'owner', roleLevel: OWNER, nickname: 'owner-nick', faceURL: 'https://face/owner' },
      memberList: [{ userID: 'owner', nickname: 'owner-nick' }],
      groupOwnerUser: { userID: 'owner', roleLevel: OWNER },
      groupMemberVersion: 1,
      groupMemberVersionID: expect.stringMatching(/^[0-9a-f]{24}$/),
    });
  });

  it('refuses other group types, unknown users and duplicates', async () => {
    const { call } = await setup();
    expect(await errCodeOf(call('/group/create_group', 'owner', { ownerUserID: 'owner', groupInfo: { groupType: 1 } }))).toBe(1001);
    expect(await errCodeOf(call('/group/create_group', 'owner', { ownerUserID: 'owner', memberUserIDs: ['ghost'], groupInfo: { groupType: 2 } }))).toBe(1101);
    expect(await errCodeOf(call('/group/create_group', 'owner', { ownerUserID: 'owner', memberUserIDs: ['m1', 'm1'], groupInfo: { groupType: 2 } }))).toBe(1001);
    expect(await errCodeOf(call('/group/create_group', 'm1', { ownerUserID: 'owner', groupInfo: { groupType: 2 } }))).toBe(1002);
  });

  it('lists joined groups, group info and members', async () => {
    const { call, groupID } = await setup();
    expect(await call('/group/get_joined_group_list', 'm1', { fromUserID: 'm1', pagination: PAGE })).toMatchObject({ total: 1, groups: [{ groupID }] });
    expect(await call('/group/get_groups_info', 'm1', { groupIDs: [groupID, 'missing'] })).toMatchObject({ groupInfos: [{ groupID, memberCount: 4 }] });
    const members = await call('/group/get_group_member_list', 'm1', { groupID, filter: 0, keyword: '', pagination: PAGE });
    expect((members.members as Array<{ userID: string; roleLevel: number }>).map((m) => [m.userID, m.roleLevel])).toEqual([
      ['owner', OWNER],
      ['admin', ADMIN],
      ['m1', MEMBER],
      ['m2', MEMBER],
    ]);
    expect(await errCodeOf(call('/group/get_group_member_list', 'outsider', { groupID, pagination: PAGE }))).toBe(1002);
    expect(await call('/group/get_group_members_info', 'm1', { groupID, userIDs: ['m2'] })).toMatchObject({ members: [{ userID: 'm2', nickname: 'm2-nick' }] });
  });
});

describe('membership', () => {
  it('invites directly and notifies MemberInvited', async () => {
    const { deps, domain, call, groupID } = await setup();
    await call('/group/invite_user_to_group', 'm1', { groupID, invitedUserIDs: ['outsider'], reason: '' });
    expect(domain.member(groupID, 'outsider')).toMatchObject({ roleLevel: MEMBER });
    const [n] = deps.notifier.ofType(1509);
    expect(n!.detail).toMatchObject({ invitedUserList: [{ userID: 'outsider', inviterUserID: 'm1', joinSource: 2 }], opUser: { userID: 'm1' }, inviterUser: { userID: 'm1' }, groupMemberVersion: 2 });
  });

  it('turns a member invitation into requests when all need verification', async () => {
    const { deps, domain, call, groupID } = await setup({ needVerification: 1 });
    await call('/group/invite_user_to_group', 'm1', { groupID, invitedUserIDs: ['outsider'] });
    expect(domain.member(groupID, 'outsider')).toBeUndefined();
    const sent = deps.notifier.ofType(1503);
    // The real server names the inviter as applicant and does not tell the invitee.
    expect(sent.map((n) => n.recvIDs[0]).sort()).toEqual(['admin', 'm1', 'owner']);
    expect(sent[0]!.detail).toMatchObject({ applicant: { userID: 'm1' }, request: { userInfo: { userID: 'outsider' }, inviterUserID: 'm1', joinSource: 2 } });
  });

  it('join with verification: request, list, accept', async () => {
    const { deps, domain, call, groupID } = await setup();
    await call('/group/join_group', 'outsider', { groupID, reqMessage: 'let me in', joinSource: 3, inviterUserID: 'outsider', ex: '' });
    expect(domain.member(groupID, 'outsider')).toBeUndefined();
    const apps = deps.notifier.ofType(1503);
    expect(apps.map((n) => n.recvIDs[0]).sort()).toEqual(['admin', 'outsider', 'owner']);
    expect(apps[0]!.detail).toMatchObject({ group: { groupID }, applicant: { userID: 'outsider' }, reqMsg: 'let me in', request: { userInfo: { userID: 'outsider' }, reqMsg: 'let me in', joinSource: 3 } });
    const recv = await call('/group/get_recv_group_applicationList', 'owner', { fromUserID: 'owner', pagination: PAGE });
    expect(recv).toMatchObject({ total: 1, groupRequests: [{ userInfo: { userID: 'outsider' }, groupInfo: { groupID } }] });
    const mine = await call('/group/get_user_req_group_applicationList', 'outsider', { userID: 'outsider', pagination: PAGE });
    expect(mine).toMatchObject({ total: 1 });
    const specified = await call('/group/get_specified_user_group_request_info', 'outsider', { groupID, userID: 'outsider' });
    expect(specified).toMatchObject({ total: 1, groupRequests: [{ reqMsg: 'let me in' }] });
    expect(await errCodeOf(call('/group/group_application_response', 'm1', { groupID, fromUserID: 'outsider', handleResult: 1 }))).toBe(1002);
    await call('/group/group_application_response', 'admin', { groupID, fromUserID: 'outsider', handleResult: 1, handledMsg: 'welcome' });
    expect(domain.member(groupID, 'outsider')).toMatchObject({ roleLevel: MEMBER });
    const accepted = deps.notifier.ofType(1505);
    expect(accepted.map((n) => [n.recvIDs[0], n.detail.receiverAs])).toEqual([
      ['owner', 1],
      ['admin', 1],
      ['outsider', 0],
    ]);
    expect(deps.notifier.ofType(1510)[0]!.detail).toMatchObject({ entrantUser: { userID: 'outsider' } });
    expect(await errCodeOf(call('/group/group_application_response', 'admin', { groupID, fromUserID: 'outsider', handleResult: 1 }))).toBe(1206);
    expect(await errCodeOf(call('/group/join_group', 'outsider', { groupID, joinSource: 3, inviterUserID: 'outsider' }))).toBe(1001);
  });

  it('joins directly when the group needs no verification', async () => {
    const { deps, domain, call, groupID } = await setup({ needVerification: 2 });
    await call('/group/join_group', 'outsider', { groupID, joinSource: 3, inviterUserID: 'outsider' });
    expect(domain.member(groupID, 'outsider')).toBeDefined();
    expect(deps.notifier.ofType(1510)).toHaveLength(1);
  });

  it('kicks with role rules', async () => {
    const { deps, domain, call, groupID } = await setup();
    expect(await errCodeOf(call('/group/kick_group', 'm1', { groupID, kickedUserIDs: ['m2'] }))).toBe(1002);
    expect(await errCodeOf(call('/group/kick_group', 'admin', { groupID, kickedUserIDs: ['owner'] }))).toBe(1001);
    expect(await errCodeOf(call('/group/kick_group', 'admin', { groupID, kickedUserIDs: ['outsider'] }))).toBe(1101);
    await call('/group/kick_group', 'admin', { groupID, kickedUserIDs: ['m2'], reason: 'bye' });
    expect(domain.member(groupID, 'm2')).toBeUndefined();
    const [n] = deps.notifier.ofType(1508);
    expect(n).toMatchObject({ groupID, detail: { kickedUserList: [{ userID: 'm2' }], group: { memberCount: 3 } } });
  });

  it('quits, except the owner', async () => {
    const { deps, domain, call, groupID } = await setup();
    expect(await errCodeOf(call('/group/quit_group', 'owner', { groupID }))).toBe(1002);
    await call('/group/quit_group', 'm1', { groupID });
    expect(domain.member(groupID, 'm1')).toBeUndefined();
    expect(deps.notifier.ofType(1504)[0]).toMatchObject({ detail: { quitUser: { userID: 'm1' } } });
    expect(await errCodeOf(call('/group/quit_group', 'm1', { groupID }))).toBe(1004);
  });
});

describe('settings, mute, transfer, dismiss', () => {
  it('sets group info as owner or admin only', async () => {
    const { deps, call, groupID } = await setup();
    expect(await errCodeOf(call('/group/set_group_info_ex', 'm1', { groupID, groupName: 'X' }))).toBe(1002);
    expect(await errCodeOf(call('/group/set_group_info_ex', 'admin', { groupID, groupName: '  ' }))).toBe(1001);
    await call('/group/set_group_info_ex', 'admin', { groupID, groupName: 'New', introduction: 'intro', notification: 'hear ye' });
    expect(deps.notifier.ofType(1520)[0]!.detail).toMatchObject({ group: { groupName: 'New', introduction: 'intro', notification: 'hear ye', notificationUserID: 'admin' } });
    expect(deps.notifier.ofType(1502)).toHaveLength(1);
    expect(deps.notifier.ofType(1519)).toHaveLength(1);
  });

  it('mutes members and the group with role rules', async () => {
    const { deps, domain, call, groupID } = await setup();
    expect(await errCodeOf(call('/group/mute_group_member', 'admin', { groupID, userID: 'owner', mutedSeconds: 60 }))).toBe(1002);
    expect(await errCodeOf(call('/group/mute_group_member', 'm1', { groupID, userID: 'm2', mutedSeconds: 60 }))).toBe(1002);
    expect(await errCodeOf(call('/group/mute_group_member', 'admin', { groupID, userID: 'm2', mutedSeconds: 0 }))).toBe(1001);
    await call('/group/mute_group_member', 'admin', { groupID, userID: 'm2', mutedSeconds: 60 });
    expect(domain.member(groupID, 'm2')!.muteEndTime).toBe(1_700_000_060_000);
    expect(deps.notifier.ofType(1512)[0]!.detail).toMatchObject({ mutedUser: { userID: 'm2', muteEndTime: 1_700_000_060_000 }, mutedSeconds: 60 });
    await call('/group/cancel_mute_group_member', 'admin', { groupID, userID: 'm2' });
    expect(domain.member(groupID, 'm2')!.muteEndTime).toBe(0);
    await call('/group/mute_group', 'owner', { groupID });
    expect(domain.group(groupID)!.status).toBe(3);
    await call('/group/cancel_mute_group', 'owner', { groupID });
    expect(domain.group(groupID)!.status).toBe(0);
    expect(deps.notifier.ofType(1514)).toHaveLength(1);
    expect(deps.notifier.ofType(1515)).toHaveLength(1);
  });

  it('sets member info and roles', async () => {
    const { deps, domain, call, groupID } = await setup();
    expect(await errCodeOf(call('/group/set_group_member_info', 'm1', { members: [{ groupID, userID: 'm2', nickname: 'x' }] }))).toBe(1002);
    await call('/group/set_group_member_info', 'm1', { members: [{ groupID, userID: 'm1', nickname: 'Me' }] });
    expect(domain.member(groupID, 'm1')!.nickname).toBe('Me');
    expect(deps.notifier.ofType(1516)[0]!.detail).toMatchObject({ changedUser: { userID: 'm1', nickname: 'Me' } });
    await call('/group/set_group_member_info', 'owner', { members: [{ groupID, userID: 'm2', roleLevel: ADMIN }] });
    expect(domain.member(groupID, 'm2')!.roleLevel).toBe(ADMIN);
    expect(deps.notifier.ofType(1517)[0]!.detail).toMatchObject({ changedUser: { userID: 'm2', roleLevel: ADMIN }, groupSortVersion: expect.any(Number) });
    expect(await errCodeOf(call('/group/set_group_member_info', 'owner', { members: [{ groupID, userID: 'm1', roleLevel: OWNER }] }))).toBe(1002);
  });

  it('transfers ownership', async () => {
    const { deps, domain, call, groupID } = await setup();
    expect(await errCodeOf(call('/group/transfer_group', 'admin', { groupID, oldOwnerUserID: 'owner', newOwnerUserID: 'm1' }))).toBe(1002);
    expect(await errCodeOf(call('/group/transfer_group', 'owner', { groupID, oldOwnerUserID: 'owner', newOwnerUserID: 'outsider' }))).toBe(1001);
    await call('/group/transfer_group', 'owner', { groupID, oldOwnerUserID: 'owner', newOwnerUserID: 'm1' });
    expect(domain.member(groupID, 'm1')!.roleLevel).toBe(OWNER);
    expect(domain.member(groupID, 'owner')!.roleLevel).toBe(MEMBER);
    expect(deps.notifier.ofType(1507)[0]!.detail).toMatchObject({ group: { ownerUserID: 'm1' }, newGroupOwner: { userID: 'm1', roleLevel: OWNER }, oldGroupOwnerInfo: { userID: 'owner', roleLevel: MEMBER } });
  });

  it('dismisses as the owner: GroupDismissedNotification to the members, then every member deleted (push_handler.go)', async () => {
    const { deps, domain, call, groupID } = await setup();
    expect(await errCodeOf(call('/group/dismiss_group', 'admin', { groupID }))).toBe(1002);
    const before = await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: 0, versionID: '' });
    await call('/group/dismiss_group', 'owner', { groupID, deleteMember: false });
    expect(domain.group(groupID)!.status).toBe(2);
    expect(deps.notifier.ofType(1511)[0]!.detail).toMatchObject({ group: { groupID, memberCount: 4 }, opUser: { userID: 'owner' } });
    expect(domain.memberIDs(groupID)).toEqual([]);
    const after = await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: before.version, versionID: before.versionID });
    expect(after).toMatchObject({ delete: [groupID], insert: null });
    expect(await call('/group/get_full_join_group_ids', 'm1', { idHash: 0, userID: 'm1' })).toMatchObject({ equal: true });
    // TakeGroupOwner finds no owner any more: ErrRecordNotFound
    expect(await errCodeOf(call('/group/dismiss_group', 'owner', { groupID }))).toBe(1004);
    expect(await errCodeOf(call('/group/invite_user_to_group', 'owner', { groupID, invitedUserIDs: ['outsider'] }))).toBe(1204);
  });
});

describe('user info updates and conversations', () => {
  it('notifies the groups where the member shows the user nickname or face', async () => {
    const { deps, domain, call, groupID } = await setup();
    await call('/group/set_group_member_info', 'm1', { members: [{ groupID, userID: 'm1', nickname: 'Me', faceURL: 'f' }] });
    deps.notifier.clear();
    domain.onUserInfoUpdated!('m1', 'op-y');
    expect(deps.notifier.ofType(1516)).toHaveLength(0);
    domain.onUserInfoUpdated!('m2', 'op-y');
    expect(deps.notifier.ofType(1516)[0]).toMatchObject({ groupID, operationID: 'op-y', detail: { changedUser: { userID: 'm2', nickname: 'm2-nick' } } });
  });

  it('asks for group conversations for members who enter or are invited', async () => {
    const deps = fakeDeps(['owner', 'a', 'b']);
    const ensured: Array<[string, string[]]> = [];
    const domain = createGroupDomain({ ...deps, conversations: { ensureGroupConversations: (g, ids) => ensured.push([g, ids]) } });
    const created = await callRoute(domain.routes, '/group/create_group', 'owner', { ownerUserID: 'owner', groupInfo: { groupType: 2, needVerification: 2 } });
    const groupID = (created.groupInfo as { groupID: string }).groupID;
    await callRoute(domain.routes, '/group/invite_user_to_group', 'owner', { groupID, invitedUserIDs: ['a'] });
    await callRoute(domain.routes, '/group/join_group', 'b', { groupID, joinSource: 3, inviterUserID: 'b' });
    expect(ensured).toEqual([
      [groupID, ['a']],
      [groupID, ['b']],
    ]);
  });
});

describe('more real-server details', () => {
  it('searches members by their group nickname only', async () => {
    const { call, groupID } = await setup();
    await call('/group/set_group_member_info', 'm1', { members: [{ groupID, userID: 'm1', nickname: 'Captain' }] });
    const found = await call('/group/get_group_member_list', 'owner', { groupID, keyword: 'Capt', pagination: PAGE });
    expect(found).toMatchObject({ total: 1, members: [{ userID: 'm1' }] });
    expect(await call('/group/get_group_member_list', 'owner', { groupID, keyword: 'm2-nick', pagination: PAGE })).toEqual({ total: 0, members: null });
    expect(await errCodeOf(call('/group/get_group_member_list', 'owner', { groupID, keyword: '(', pagination: PAGE }))).toBe(500);
  });

  it('dismiss with deleteMember removes everybody without a notification', async () => {
    const { deps, domain, call, groupID } = await setup();
    const before = await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: 0, versionID: '' });
    await call('/group/dismiss_group', 'owner', { groupID, deleteMember: true });
    expect(domain.memberIDs(groupID)).toEqual([]);
    expect(deps.notifier.ofType(1511)).toHaveLength(0);
    const after = await call('/group/get_incremental_join_groups', 'm1', { userID: 'm1', version: before.version, versionID: before.versionID });
    expect(after).toMatchObject({ delete: [groupID] });
  });
});
