/**
 * Groups end to end (open-im-sdk 3.5.2 → bridge → emulator): creating, reading, searching,
 * changing, muting, transferring, dismissing and leaving, with the events other members see.
 */
import type { GroupItem } from 'open-im-sdk';
import { createGroup, failure, getGroupMemberList, startGroupSuite, type GroupSuite } from './groupSupport';

let suite: GroupSuite;

beforeAll(async () => {
  suite = await startGroupSuite();
});
afterAll(async () => {
  await suite.close();
});

/** Every key open-im-sdk 3.5.2 declares on GroupItem. */
const GROUP_ITEM_KEYS = [
  'groupID', 'groupName', 'notification', 'notificationUserID', 'notificationUpdateTime', 'introduction', 'faceURL', 'ownerUserID',
  'createTime', 'memberCount', 'status', 'creatorUserID', 'groupType', 'needVerification', 'ex', 'applyMemberFriend', 'lookMemberInfo',
].sort();

describe('CreateGroup', () => {
  it('creates a working group owned by the caller and resolves with a complete GroupItem; members get OnJoinedGroupAdded', async () => {
    const [owner, member] = await suite.loggedInUsers('gc', 2);
    const mark = member!.events.mark();
    const group = await createGroup(owner!, [member!], { groupName: 'book club', introduction: 'we read' });
    expect(Object.keys(group).sort()).toEqual(expect.arrayContaining(GROUP_ITEM_KEYS));
    expect(group).toMatchObject({
      groupName: 'book club',
      introduction: 'we read',
      ownerUserID: owner!.userID,
      creatorUserID: owner!.userID,
      memberCount: 2,
      groupType: 2,
      status: 0,
      notification: '',
      ex: '',
    });
    expect(group.groupID).toMatch(/^\d+$/);
    expect(group.createTime).toBeGreaterThan(0);

    const added = await member!.events.waitFor('OnJoinedGroupAdded', (e) => (e.data as GroupItem).groupID === group.groupID, undefined, mark);
    expect(Object.keys(added.data as object).sort()).toEqual(expect.arrayContaining(GROUP_ITEM_KEYS));
    expect(added.data).toMatchObject({ groupName: 'book club', ownerUserID: owner!.userID, memberCount: 2, notification: '' });
  });

  it('takes the caller as explicit owner with admins, and defaults the group type to a working group', async () => {
    const [owner, admin] = await suite.loggedInUsers('gco', 2);
    const res = await owner!.sdk.createGroup({ memberUserIDs: [], adminUserIDs: [admin!.userID], ownerUserID: owner!.userID, groupInfo: { groupName: 'no type' } });
    expect(res.data).toMatchObject({ ownerUserID: owner!.userID, creatorUserID: owner!.userID, groupType: 2, memberCount: 2 });
    const roles = (await getGroupMemberList(owner!, { groupID: res.data.groupID, filter: 0, offset: 0, count: 10 })).data.map((m) => [m.userID, m.roleLevel]);
    expect(roles).toEqual([[owner!.userID, 100], [admin!.userID, 60]]);
  });

  it('refuses another user as owner (1002): only an app admin creates groups for others', async () => {
    const [creator, other] = await suite.loggedInUsers('gcx', 2);
    const err = await failure(creator!.sdk.createGroup({ memberUserIDs: [], ownerUserID: other!.userID, groupInfo: { groupName: 'for you' } }));
    expect(err.errCode).toBe(1002);
  });

  it('refuses a group type other than a working group (10001), a malformed argument (10001) and an unknown member (1101)', async () => {
    const [owner] = await suite.loggedInUsers('gce', 1);
    const badType = await failure(owner!.sdk.createGroup({ memberUserIDs: [], groupInfo: { groupName: 'x', groupType: 0 as never } }));
    expect(badType).toMatchObject({ errCode: 10001 });
    expect(badType.errMsg).toContain('groupType');
    const badArg = await failure(owner!.sdk.createGroup({ memberUserIDs: 'nobody' as never, groupInfo: {} }));
    expect(badArg).toMatchObject({ errCode: 10001 });
    expect(badArg.errMsg).toContain('memberUserIDs');
    const unknown = await failure(owner!.sdk.createGroup({ memberUserIDs: ['no-such-user-xyz'], groupInfo: { groupName: 'x' } }));
    expect(unknown.errCode).toBe(1101);
  });
});

describe('GetJoinedGroupList, SearchGroups and GetSpecifiedGroupsInfo', () => {
  it('lists the joined groups, searches them by ID and name, and reads any group by ID', async () => {
    const [owner, outsider] = await suite.loggedInUsers('gl', 2);
    const alpha = await createGroup(owner!, [], { groupName: 'Alpha Team' });
    const beta = await createGroup(owner!, [], { groupName: 'beta crew' });
    const other = await createGroup(outsider!, [], { groupName: 'Alpha elsewhere' });

    const joined = (await owner!.sdk.getJoinedGroupList()).data;
    expect(joined.map((g) => g.groupID).sort()).toEqual([alpha.groupID, beta.groupID].sort());
    expect(Object.keys(joined[0]!).sort()).toEqual(expect.arrayContaining(GROUP_ITEM_KEYS));

    const byName = (await owner!.sdk.searchGroups({ keywordList: ['alpha'], isSearchGroupID: false, isSearchGroupName: true })).data;
    expect(byName.map((g) => g.groupID)).toEqual([alpha.groupID]); // case-insensitive, joined groups only
    const byID = (await owner!.sdk.searchGroups({ keywordList: [beta.groupID], isSearchGroupID: true, isSearchGroupName: false })).data;
    expect(byID.map((g) => g.groupName)).toEqual(['beta crew']);
    const nameOnly = (await owner!.sdk.searchGroups({ keywordList: [beta.groupID], isSearchGroupID: false, isSearchGroupName: true })).data;
    expect(nameOnly).toEqual([]);

    const info = (await owner!.sdk.getSpecifiedGroupsInfo([alpha.groupID, other.groupID, 'no-such-group'])).data;
    expect(info.map((g) => g.groupName)).toEqual(['Alpha Team', 'Alpha elsewhere']);
    expect(info[1]).toMatchObject({ ownerUserID: outsider!.userID, memberCount: 1 });
    expect((await owner!.sdk.getSpecifiedGroupsInfo([])).data).toEqual([]);
  });

  it('refuses a search without keyword or field (10001) and a non-list of group IDs (10001)', async () => {
    const [u] = await suite.loggedInUsers('gle', 1);
    const noKeyword = await failure(u!.sdk.searchGroups({ keywordList: [], isSearchGroupID: true, isSearchGroupName: true }));
    expect(noKeyword).toMatchObject({ errCode: 10001 });
    const noField = await failure(u!.sdk.searchGroups({ keywordList: ['x'], isSearchGroupID: false, isSearchGroupName: false }));
    expect(noField).toMatchObject({ errCode: 10001 });
    const notAList = await failure(u!.sdk.getSpecifiedGroupsInfo('abc' as never));
    expect(notAList).toMatchObject({ errCode: 10001 });
    expect(notAList.errMsg).toContain('groupIDs');
  });
});

describe('SetGroupInfo', () => {
  it('changes only the given fields; members get OnGroupInfoChanged with the new GroupItem', async () => {
    const [owner, member] = await suite.loggedInUsers('gs', 2);
    const group = await createGroup(owner!, [member!], { groupName: 'before', introduction: 'keep me' });
    await member!.events.waitFor('OnJoinedGroupAdded', (e) => (e.data as GroupItem).groupID === group.groupID);
    const mark = member!.events.mark();
    const res = await owner!.sdk.setGroupInfo({ groupID: group.groupID, groupName: 'after', notification: 'read the rules', needVerification: 1 });
    expect(res.errCode).toBe(0);

    const changed = await member!.events.waitFor(
      'OnGroupInfoChanged',
      (e) => (e.data as GroupItem).groupID === group.groupID && (e.data as GroupItem).groupName === 'after' && (e.data as GroupItem).needVerification === 1,
      undefined,
      mark,
    );
    expect(Object.keys(changed.data as object).sort()).toEqual(expect.arrayContaining(GROUP_ITEM_KEYS));
    const [info] = (await member!.sdk.getSpecifiedGroupsInfo([group.groupID])).data;
    expect(info).toMatchObject({
      groupName: 'after',
      introduction: 'keep me',
      notification: 'read the rules',
      notificationUserID: owner!.userID,
      needVerification: 1,
    });
    expect(info!.notificationUpdateTime).toBeGreaterThan(0);
  });

  it('refuses a plain member (1002), an unknown group (1004) and a mistyped field (10001)', async () => {
    const [owner, member] = await suite.loggedInUsers('gse', 2);
    const group = await createGroup(owner!, [member!]);
    expect((await failure(member!.sdk.setGroupInfo({ groupID: group.groupID, groupName: 'mine now' }))).errCode).toBe(1002);
    expect((await failure(owner!.sdk.setGroupInfo({ groupID: 'no-such-group', groupName: 'x' }))).errCode).toBe(1004);
    const mistyped = await failure(owner!.sdk.setGroupInfo({ groupID: group.groupID, needVerification: 'yes' as never }));
    expect(mistyped).toMatchObject({ errCode: 10001 });
    expect(mistyped.errMsg).toContain('needVerification');
  });
});

describe('ChangeGroupMute', () => {
  it('mutes and unmutes the whole group (status 3, then 0), which members see as OnGroupInfoChanged', async () => {
    const [owner, member] = await suite.loggedInUsers('gm', 2);
    const group = await createGroup(owner!, [member!]);
    await member!.events.waitFor('OnJoinedGroupAdded', (e) => (e.data as GroupItem).groupID === group.groupID);
    let mark = member!.events.mark();
    await owner!.sdk.changeGroupMute({ groupID: group.groupID, isMute: true });
    await member!.events.waitFor('OnGroupInfoChanged', (e) => (e.data as GroupItem).status === 3, undefined, mark);
    expect((await owner!.sdk.getSpecifiedGroupsInfo([group.groupID])).data[0]!.status).toBe(3);
    mark = member!.events.mark();
    await owner!.sdk.changeGroupMute({ groupID: group.groupID, isMute: false });
    await member!.events.waitFor('OnGroupInfoChanged', (e) => (e.data as GroupItem).status === 0, undefined, mark);
    expect((await owner!.sdk.getSpecifiedGroupsInfo([group.groupID])).data[0]!.status).toBe(0);
  });

  it('refuses a plain member (1002) and a non-boolean isMute (10001)', async () => {
    const [owner, member] = await suite.loggedInUsers('gme', 2);
    const group = await createGroup(owner!, [member!]);
    expect((await failure(member!.sdk.changeGroupMute({ groupID: group.groupID, isMute: true }))).errCode).toBe(1002);
    expect((await failure(owner!.sdk.changeGroupMute({ groupID: group.groupID, isMute: 'yes' as never }))).errCode).toBe(10001);
  });
});

describe('TransferGroupOwner', () => {
  it('hands the group to another member, who becomes owner while the old owner becomes a plain member', async () => {
    const [owner, heir] = await suite.loggedInUsers('gt', 2);
    const group = await createGroup(owner!, [heir!]);
    await heir!.events.waitFor('OnJoinedGroupAdded', (e) => (e.data as GroupItem).groupID === group.groupID);
    const mark = heir!.events.mark();
    expect((await owner!.sdk.transferGroupOwner({ groupID: group.groupID, newOwnerUserID: heir!.userID })).errCode).toBe(0);
    await heir!.events.waitFor('OnGroupInfoChanged', (e) => (e.data as GroupItem).ownerUserID === heir!.userID, undefined, mark);
    const members = (await heir!.sdk.getSpecifiedGroupMembersInfo({ groupID: group.groupID, userIDList: [owner!.userID, heir!.userID] })).data;
    const roles = Object.fromEntries(members.map((m) => [m.userID, m.roleLevel]));
    expect(roles).toEqual({ [heir!.userID]: 100, [owner!.userID]: 20 });
  });

  it('refuses a caller who is not the owner (1002) and a new owner outside the group (1001)', async () => {
    const [owner, member, outsider] = await suite.loggedInUsers('gte', 3);
    const group = await createGroup(owner!, [member!]);
    expect((await failure(member!.sdk.transferGroupOwner({ groupID: group.groupID, newOwnerUserID: owner!.userID }))).errCode).toBe(1002);
    expect((await failure(owner!.sdk.transferGroupOwner({ groupID: group.groupID, newOwnerUserID: outsider!.userID }))).errCode).toBe(1001);
  });
});

describe('DismissGroup', () => {
  it('dismisses the group: members get OnGroupDismissed with the group', async () => {
    const [owner, member] = await suite.loggedInUsers('gd', 2);
    const group = await createGroup(owner!, [member!], { groupName: 'short-lived' });
    await member!.events.waitFor('OnJoinedGroupAdded', (e) => (e.data as GroupItem).groupID === group.groupID);
    const mark = member!.events.mark();
    expect((await owner!.sdk.dismissGroup(group.groupID)).errCode).toBe(0);
    const dismissed = await member!.events.waitFor('OnGroupDismissed', (e) => (e.data as GroupItem).groupID === group.groupID, undefined, mark);
    expect(Object.keys(dismissed.data as object).sort()).toEqual(expect.arrayContaining(GROUP_ITEM_KEYS));
    expect(dismissed.data).toMatchObject({ groupName: 'short-lived', ownerUserID: owner!.userID });
    expect((await owner!.sdk.getSpecifiedGroupsInfo([group.groupID])).data[0]!.status).toBe(2);
  });

  it('refuses a member who is not the owner (1002), a group dismissed already (1204) and a missing group ID (10001)', async () => {
    const [owner, member] = await suite.loggedInUsers('gde', 2);
    const group = await createGroup(owner!, [member!]);
    expect((await failure(member!.sdk.dismissGroup(group.groupID))).errCode).toBe(1002);
    await owner!.sdk.dismissGroup(group.groupID);
    // the push service deleted every member once GroupDismissedNotification went out
    // (push_handler.go groupMessagesHandler), so TakeGroupOwner finds none: RecordNotFound
    expect((await failure(owner!.sdk.dismissGroup(group.groupID))).errCode).toBe(1004);
    expect((await failure(owner!.sdk.dismissGroup(undefined as never))).errCode).toBe(10001);
  });
});

describe('QuitGroup', () => {
  it('leaves the group: the leaver gets OnJoinedGroupDeleted, the others OnGroupMemberDeleted', async () => {
    const [owner, leaver] = await suite.loggedInUsers('gq', 2);
    const group = await createGroup(owner!, [leaver!]);
    await leaver!.events.waitFor('OnJoinedGroupAdded', (e) => (e.data as GroupItem).groupID === group.groupID);
    const markLeaver = leaver!.events.mark();
    const markOwner = owner!.events.mark();
    expect((await leaver!.sdk.quitGroup(group.groupID)).errCode).toBe(0);

    const deleted = await leaver!.events.waitFor('OnJoinedGroupDeleted', (e) => (e.data as GroupItem).groupID === group.groupID, undefined, markLeaver);
    expect(Object.keys(deleted.data as object).sort()).toEqual(expect.arrayContaining(GROUP_ITEM_KEYS));
    const gone = await owner!.events.waitFor('OnGroupMemberDeleted', (e) => (e.data as { userID: string }).userID === leaver!.userID, undefined, markOwner);
    expect(gone.data).toMatchObject({ groupID: group.groupID, userID: leaver!.userID, roleLevel: 20, nickname: `nick ${leaver!.userID}` });
    expect((await leaver!.sdk.getJoinedGroupList()).data).toEqual([]);
  });

  it('refuses the owner (1002) and a group the user is not in (1004)', async () => {
    const [owner, outsider] = await suite.loggedInUsers('gqe', 2);
    const group = await createGroup(owner!, []);
    expect((await failure(owner!.sdk.quitGroup(group.groupID))).errCode).toBe(1002);
    expect((await failure(outsider!.sdk.quitGroup(group.groupID))).errCode).toBe(1004);
  });
});
