/**
 * Group members end to end (open-im-sdk 3.5.2 → bridge → emulator): inviting, listing, searching,
 * member settings, muting and kicking, with the member events the others see.
 */
import type { GroupItem, GroupMemberItem } from 'open-im-sdk';
import type { JssdkClient } from '../../support/jssdk';
import { createGroup, failure, getGroupMemberList, startGroupSuite, type GroupSuite } from './groupSupport';

let suite: GroupSuite;

beforeAll(async () => {
  suite = await startGroupSuite();
});
afterAll(async () => {
  await suite.close();
});

/** Every key open-im-sdk 3.5.2 declares on GroupMemberItem. */
const MEMBER_ITEM_KEYS = ['groupID', 'userID', 'nickname', 'faceURL', 'roleLevel', 'muteEndTime', 'joinTime', 'joinSource', 'inviterUserID', 'operatorUserID', 'ex'];

const ids = (members: GroupMemberItem[]) => members.map((m) => m.userID);
const isGroup = (groupID: string) => (e: { data: unknown }) => (e.data as { groupID?: string }).groupID === groupID;

/** A group of an owner, an admin and two members, each logged in, once every member has synced it. */
async function groupOfFour(prefix: string): Promise<{ group: GroupItem; owner: JssdkClient; admin: JssdkClient; m1: JssdkClient; m2: JssdkClient }> {
  const [owner, admin, m1, m2] = await suite.loggedInUsers(prefix, 4);
  const group = await createGroup(owner!, [m1!, m2!], { groupName: 'four' }, [admin!.userID]);
  await Promise.all([admin, m1, m2].map((c) => c!.events.waitFor('OnJoinedGroupAdded', isGroup(group.groupID))));
  return { group, owner: owner!, admin: admin!, m1: m1!, m2: m2! };
}

describe('InviteUserToGroup', () => {
  it('adds users: members get OnGroupMemberAdded, the invitee OnJoinedGroupAdded', async () => {
    const [owner, member, invitee] = await suite.loggedInUsers('mi', 3);
    const group = await createGroup(owner!, [member!]);
    await member!.events.waitFor('OnJoinedGroupAdded', isGroup(group.groupID));
    const markMember = member!.events.mark();
    const markInvitee = invitee!.events.mark();
    const res = await owner!.sdk.inviteUserToGroup({ groupID: group.groupID, reason: 'join us', userIDList: [invitee!.userID] });
    expect(res.errCode).toBe(0);

    const added = await member!.events.waitFor('OnGroupMemberAdded', (e) => (e.data as GroupMemberItem).userID === invitee!.userID, undefined, markMember);
    expect(Object.keys(added.data as object)).toEqual(expect.arrayContaining(MEMBER_ITEM_KEYS));
    expect(added.data).toMatchObject({ groupID: group.groupID, roleLevel: 20, joinSource: 2, inviterUserID: owner!.userID, nickname: `nick ${invitee!.userID}`, muteEndTime: 0 });
    const joined = await invitee!.events.waitFor('OnJoinedGroupAdded', isGroup(group.groupID), undefined, markInvitee);
    expect(joined.data).toMatchObject({ memberCount: 3, ownerUserID: owner!.userID });
  });

  it('refuses an unknown group (1004), an unknown user (1004) and a non-list of users (10001)', async () => {
    const [owner, other] = await suite.loggedInUsers('mie', 2);
    const group = await createGroup(owner!, []);
    expect((await failure(owner!.sdk.inviteUserToGroup({ groupID: 'no-such-group', reason: '', userIDList: [other!.userID] }))).errCode).toBe(1004);
    expect((await failure(owner!.sdk.inviteUserToGroup({ groupID: group.groupID, reason: '', userIDList: ['no-such-user-xyz'] }))).errCode).toBe(1004);
    const notAList = await failure(owner!.sdk.inviteUserToGroup({ groupID: group.groupID, reason: '', userIDList: 'x' as never }));
    expect(notAList).toMatchObject({ errCode: 10001 });
    expect(notAList.errMsg).toContain('userIDList');
  });
});

describe('GetGroupMemberList', () => {
  it('pages members owner first, then admins, then members, and filters by role', async () => {
    const { group, owner, admin, m1, m2 } = await groupOfFour('ml');
    const all = (await getGroupMemberList(m1, { groupID: group.groupID, filter: 0, offset: 0, count: 10 })).data;
    expect(ids(all).slice(0, 2)).toEqual([owner.userID, admin.userID]);
    expect(ids(all).slice(2).sort()).toEqual([m1.userID, m2.userID].sort());
    expect(Object.keys(all[0]!)).toEqual(expect.arrayContaining(MEMBER_ITEM_KEYS));
    expect(all[0]).toMatchObject({ groupID: group.groupID, roleLevel: 100, nickname: `nick ${owner.userID}`, muteEndTime: 0, ex: '' });

    const page2 = (await getGroupMemberList(m1, { groupID: group.groupID, filter: 0, offset: 1, count: 2 })).data;
    expect(ids(page2)).toEqual(ids(all).slice(1, 3));
    const byFilter = async (filter: number) => ids((await getGroupMemberList(m1, { groupID: group.groupID, filter, offset: 0, count: 10 })).data).sort();
    expect(await byFilter(1)).toEqual([owner.userID]);
    expect(await byFilter(2)).toEqual([admin.userID]);
    expect(await byFilter(3)).toEqual([m1.userID, m2.userID].sort());
    expect(await byFilter(4)).toEqual([admin.userID, m1.userID, m2.userID].sort());
    expect(await byFilter(5)).toEqual([owner.userID, admin.userID].sort());
  });

  it('is empty for a group the user is not in, and refuses an unknown filter (10001)', async () => {
    const { group } = await groupOfFour('mle');
    const [outsider] = await suite.loggedInUsers('mlo', 1);
    expect((await getGroupMemberList(outsider!, { groupID: group.groupID, filter: 0, offset: 0, count: 10 })).data).toEqual([]);
    const bad = await failure(getGroupMemberList(outsider!, { groupID: group.groupID, filter: 9, offset: 0, count: 10 }));
    expect(bad).toMatchObject({ errCode: 10001 });
    expect(bad.errMsg).toContain('filter');
  });
});

describe('GetSpecifiedGroupMembersInfo', () => {
  it('returns the listed members only', async () => {
    const { group, owner, m1 } = await groupOfFour('ms');
    const members = (await owner.sdk.getSpecifiedGroupMembersInfo({ groupID: group.groupID, userIDList: [m1.userID, 'no-such-user'] })).data;
    expect(members).toHaveLength(1);
    expect(Object.keys(members[0]!)).toEqual(expect.arrayContaining(MEMBER_ITEM_KEYS));
    expect(members[0]).toMatchObject({ userID: m1.userID, groupID: group.groupID, roleLevel: 20, inviterUserID: owner.userID });
  });

  it('refuses a non-list of users (10001)', async () => {
    const [u] = await suite.loggedInUsers('mse', 1);
    expect((await failure(u!.sdk.getSpecifiedGroupMembersInfo({ groupID: 'g', userIDList: 5 as never }))).errCode).toBe(10001);
  });
});

describe('SearchGroupMembers', () => {
  it('finds members by user ID and by nickname, case-insensitively', async () => {
    const { group, owner, m1, m2 } = await groupOfFour('msr');
    await owner.sdk.setGroupMemberInfo({ groupID: group.groupID, userID: m2.userID, nickname: 'Zebra Keeper' });
    const search = async (keyword: string, isSearchUserID: boolean, isSearchMemberNickname: boolean) =>
      ids((await owner.sdk.searchGroupMembers({ groupID: group.groupID, keywordList: [keyword], isSearchUserID, isSearchMemberNickname, offset: 0, count: 10 })).data);
    expect(await search(m1.userID, true, false)).toEqual([m1.userID]);
    expect(await search('zebra', false, true)).toEqual([m2.userID]);
    expect(await search('zebra', true, false)).toEqual([]);
    expect((await search('msr', true, false)).length).toBe(4);
  });

  it('refuses an empty keyword list (10001) and a missing field (10001)', async () => {
    const [u] = await suite.loggedInUsers('msre', 1);
    const base = { groupID: 'g', isSearchUserID: true, isSearchMemberNickname: true, offset: 0, count: 10 };
    expect((await failure(u!.sdk.searchGroupMembers({ ...base, keywordList: [] }))).errCode).toBe(10001);
    const missing = await failure(u!.sdk.searchGroupMembers({ ...base, count: undefined as never, keywordList: ['a'] }));
    expect(missing).toMatchObject({ errCode: 10001 });
    expect(missing.errMsg).toContain('count');
  });
});

describe('SetGroupMemberInfo', () => {
  it('sets a nickname and a role; members get OnGroupMemberInfoChanged', async () => {
    const { group, owner, m1, m2 } = await groupOfFour('mset');
    let mark = m2.events.mark();
    await m1.sdk.setGroupMemberInfo({ groupID: group.groupID, userID: m1.userID, nickname: 'Captain', ex: 'e1' });
    const changed = await m2.events.waitFor('OnGroupMemberInfoChanged', (e) => (e.data as GroupMemberItem).nickname === 'Captain', undefined, mark);
    expect(Object.keys(changed.data as object)).toEqual(expect.arrayContaining(MEMBER_ITEM_KEYS));
    expect(changed.data).toMatchObject({ groupID: group.groupID, userID: m1.userID, ex: 'e1', roleLevel: 20 });

    mark = m2.events.mark();
    await owner.sdk.setGroupMemberInfo({ groupID: group.groupID, userID: m1.userID, roleLevel: 60 });
    await m2.events.waitFor('OnGroupMemberInfoChanged', (e) => (e.data as GroupMemberItem).userID === m1.userID && (e.data as GroupMemberItem).roleLevel === 60, undefined, mark);
    const [info] = (await m2.sdk.getSpecifiedGroupMembersInfo({ groupID: group.groupID, userIDList: [m1.userID] })).data;
    expect(info).toMatchObject({ nickname: 'Captain', roleLevel: 60, ex: 'e1' });
  });

  it('refuses a member changing another member (1002) and a mistyped role (10001)', async () => {
    const { group, owner, m1, m2 } = await groupOfFour('msete');
    expect((await failure(m1.sdk.setGroupMemberInfo({ groupID: group.groupID, userID: m2.userID, nickname: 'x' }))).errCode).toBe(1002);
    const bad = await failure(owner.sdk.setGroupMemberInfo({ groupID: group.groupID, userID: m1.userID, roleLevel: 'admin' as never }));
    expect(bad).toMatchObject({ errCode: 10001 });
    expect(bad.errMsg).toContain('roleLevel');
  });
});

describe('GetGroupMemberOwnerAndAdmin and GetGroupMemberListByJoinTimeFilter', () => {
  it('lists the owner and admins, and members by join time with exclusions', async () => {
    const { group, owner, admin, m1, m2 } = await groupOfFour('mo');
    const managers = (await m1.sdk.getGroupMemberOwnerAndAdmin(group.groupID)).data;
    expect(ids(managers).sort()).toEqual([owner.userID, admin.userID].sort());
    expect(Object.keys(managers[0]!)).toEqual(expect.arrayContaining(MEMBER_ITEM_KEYS));

    const [late] = await suite.loggedInUsers('mol', 1);
    const joinedBefore = Date.now();
    await owner.sdk.inviteUserToGroup({ groupID: group.groupID, reason: '', userIDList: [late!.userID] });
    const byTime = (params: { offset: number; count: number; joinTimeBegin: number; joinTimeEnd: number; filterUserIDList: string[] }) =>
      m1.sdk.getGroupMemberListByJoinTimeFilter({ groupID: group.groupID, ...params }).then((r) => ids(r.data));
    expect(await byTime({ offset: 0, count: 10, joinTimeBegin: joinedBefore, joinTimeEnd: 0, filterUserIDList: [] })).toEqual([late!.userID]);
    const everyone = await byTime({ offset: 0, count: 10, joinTimeBegin: 0, joinTimeEnd: 0, filterUserIDList: [m2.userID] });
    expect(everyone[0]).toBe(late!.userID); // newest first
    expect([...everyone].sort()).toEqual([owner.userID, admin.userID, m1.userID, late!.userID].sort());
    expect(await byTime({ offset: 0, count: 10, joinTimeBegin: 0, joinTimeEnd: joinedBefore - 1, filterUserIDList: [] })).not.toContain(late!.userID);
  });

  it('refuses a missing group ID (10001) and mistyped join times (10001)', async () => {
    const [u] = await suite.loggedInUsers('moe', 1);
    expect((await failure(u!.sdk.getGroupMemberOwnerAndAdmin(undefined as never))).errCode).toBe(10001);
    const bad = await failure(u!.sdk.getGroupMemberListByJoinTimeFilter({ groupID: 'g', offset: 0, count: 1, joinTimeBegin: 'x' as never, joinTimeEnd: 0, filterUserIDList: [] }));
    expect(bad).toMatchObject({ errCode: 10001 });
    expect(bad.errMsg).toContain('joinTimeBegin');
  });
});

describe('ChangeGroupMemberMute', () => {
  it('mutes a member for a while and lifts it; members get OnGroupMemberInfoChanged with muteEndTime', async () => {
    const { group, owner, m1, m2 } = await groupOfFour('mm');
    let mark = m2.events.mark();
    const before = Date.now();
    await owner.sdk.changeGroupMemberMute({ groupID: group.groupID, userID: m1.userID, mutedSeconds: 600 });
    const muted = await m2.events.waitFor('OnGroupMemberInfoChanged', (e) => (e.data as GroupMemberItem).userID === m1.userID && (e.data as GroupMemberItem).muteEndTime > 0, undefined, mark);
    expect((muted.data as GroupMemberItem).muteEndTime).toBeGreaterThanOrEqual(before + 600_000);

    mark = m2.events.mark();
    await owner.sdk.changeGroupMemberMute({ groupID: group.groupID, userID: m1.userID, mutedSeconds: 0 });
    await m2.events.waitFor('OnGroupMemberInfoChanged', (e) => (e.data as GroupMemberItem).userID === m1.userID && (e.data as GroupMemberItem).muteEndTime === 0, undefined, mark);
    const [info] = (await owner.sdk.getSpecifiedGroupMembersInfo({ groupID: group.groupID, userIDList: [m1.userID] })).data;
    expect(info!.muteEndTime).toBe(0);
  });

  it('refuses a member muting another (1002), muting the owner (1002) and a mistyped duration (10001)', async () => {
    const { group, owner, admin, m1, m2 } = await groupOfFour('mme');
    expect((await failure(m1.sdk.changeGroupMemberMute({ groupID: group.groupID, userID: m2.userID, mutedSeconds: 60 }))).errCode).toBe(1002);
    expect((await failure(admin.sdk.changeGroupMemberMute({ groupID: group.groupID, userID: owner.userID, mutedSeconds: 60 }))).errCode).toBe(1002);
    expect((await failure(owner.sdk.changeGroupMemberMute({ groupID: group.groupID, userID: m1.userID, mutedSeconds: '60' as never }))).errCode).toBe(10001);
  });
});

describe('KickGroupMember', () => {
  it('removes a member: the others get OnGroupMemberDeleted, the kicked user OnJoinedGroupDeleted', async () => {
    const { group, owner, m1, m2 } = await groupOfFour('mk');
    const markM1 = m1.events.mark();
    const markM2 = m2.events.mark();
    expect((await owner.sdk.kickGroupMember({ groupID: group.groupID, reason: 'bye', userIDList: [m2.userID] })).errCode).toBe(0);
    const deleted = await m1.events.waitFor('OnGroupMemberDeleted', (e) => (e.data as GroupMemberItem).userID === m2.userID, undefined, markM1);
    expect(Object.keys(deleted.data as object)).toEqual(expect.arrayContaining(MEMBER_ITEM_KEYS));
    expect(deleted.data).toMatchObject({ groupID: group.groupID, roleLevel: 20, nickname: `nick ${m2.userID}` });
    await m2.events.waitFor('OnJoinedGroupDeleted', isGroup(group.groupID), undefined, markM2);
    expect(ids((await getGroupMemberList(owner, { groupID: group.groupID, filter: 0, offset: 0, count: 10 })).data)).not.toContain(m2.userID);
  });

  it('refuses a plain member kicking (1002), kicking the owner (1001) and a non-list of users (10001)', async () => {
    const { group, owner, admin, m1, m2 } = await groupOfFour('mke');
    expect((await failure(m1.sdk.kickGroupMember({ groupID: group.groupID, reason: '', userIDList: [m2.userID] }))).errCode).toBe(1002);
    expect((await failure(admin.sdk.kickGroupMember({ groupID: group.groupID, reason: '', userIDList: [owner.userID] }))).errCode).toBe(1001);
    expect((await failure(owner.sdk.kickGroupMember({ groupID: group.groupID, reason: '', userIDList: m1.userID as never }))).errCode).toBe(10001);
  });
});
