/**
 * Group flows with the unmodified client SDK against the emulator: create, invite, join request
 * and acceptance, kick, mute, transfer, dismiss, and login with existing groups.
 */
import { CbEvents } from '@openim/client-sdk';
import { adminPost, userToken } from '../support/admin';
import { WEB_PLATFORM_ID, type RecordedEvent } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

type Data = Record<string, unknown>;
const dataOf = (e: RecordedEvent): Data => e.data as Data;
const OWNER = 100;
const MEMBER = 20;
const JOIN_BY_SEARCH = 3;

describe('groups with the client SDK', () => {
  const suite = emulatorSuite();
  const newUser = (prefix: string) => suite.newUser(prefix, { nickname: `nick-${prefix}`, faceURL: `https://face/${prefix}` });
  const login = (userID: string) => suite.loginAs(userID);

  it('create, invite, join request, accept, kick, mute, transfer, dismiss', async () => {
    const owner = await login(await newUser('own'));
    const m1 = await login(await newUser('m1'));
    const m2 = await login(await newUser('m2'));
    const joiner = await login(await newUser('join'));

    // create: everyone in it gets OnJoinedGroupAdded
    const created = await owner.sdk.createGroup({ memberUserIDs: [m1.userID], groupInfo: { groupName: 'Team', introduction: 'hi' } });
    const groupID = created.data.groupID;
    expect(created.data).toMatchObject({ groupName: 'Team', ownerUserID: owner.userID, memberCount: 2, groupType: 2, creatorUserID: owner.userID });
    const joinedM1 = dataOf(await m1.events.waitFor(CbEvents.OnJoinedGroupAdded, (e) => dataOf(e).groupID === groupID));
    expect(joinedM1).toMatchObject({ groupName: 'Team', ownerUserID: owner.userID, memberCount: 2 });
    await owner.events.waitFor(CbEvents.OnJoinedGroupAdded, (e) => dataOf(e).groupID === groupID);

    // invite: the invitee joins, the members see a new member
    await owner.sdk.inviteUserToGroup({ groupID, reason: '', userIDList: [m2.userID] });
    await m2.events.waitFor(CbEvents.OnJoinedGroupAdded, (e) => dataOf(e).groupID === groupID);
    const invited = dataOf(await m1.events.waitFor(CbEvents.OnGroupMemberAdded, (e) => dataOf(e).userID === m2.userID));
    expect(invited).toMatchObject({ groupID, roleLevel: MEMBER, nickname: 'nick-m2', inviterUserID: owner.userID, joinSource: 2 });

    // join request: the owner is told and accepts; the applicant is told and joins
    await joiner.sdk.joinGroup({ groupID, reqMsg: 'please', joinSource: JOIN_BY_SEARCH });
    const application = dataOf(await owner.events.waitFor(CbEvents.OnGroupApplicationAdded, (e) => dataOf(e).userID === joiner.userID));
    expect(application).toMatchObject({ groupID, groupName: 'Team', userID: joiner.userID, nickname: 'nick-join', reqMsg: 'please', joinSource: JOIN_BY_SEARCH });
    const inbox = await owner.sdk.getGroupApplicationListAsRecipient({ offset: 0, count: 20 });
    expect(inbox.data.map((r) => r.userID)).toEqual([joiner.userID]);
    await owner.sdk.acceptGroupApplication({ groupID, fromUserID: joiner.userID, handleMsg: 'welcome' });
    const accepted = dataOf(await joiner.events.waitFor(CbEvents.OnGroupApplicationAccepted));
    expect(accepted).toMatchObject({ groupID, userID: joiner.userID, handleResult: 1, handledMsg: 'welcome' });
    await joiner.events.waitFor(CbEvents.OnJoinedGroupAdded, (e) => dataOf(e).groupID === groupID);
    await m1.events.waitFor(CbEvents.OnGroupMemberAdded, (e) => dataOf(e).userID === joiner.userID);
    const members = await owner.sdk.getGroupMemberList({ groupID, offset: 0, count: 20, filter: 0 });
    expect(members.data.map((m) => m.userID).sort()).toEqual([owner.userID, m1.userID, m2.userID, joiner.userID].sort());

    // kick: the kicked user leaves, the others see a member go
    await owner.sdk.kickGroupMember({ groupID, reason: 'bye', userIDList: [m2.userID] });
    expect(dataOf(await m2.events.waitFor(CbEvents.OnJoinedGroupDeleted))).toMatchObject({ groupID });
    expect(dataOf(await m1.events.waitFor(CbEvents.OnGroupMemberDeleted, (e) => dataOf(e).userID === m2.userID))).toMatchObject({ groupID });

    // mute a member, then the group
    const before = Date.now();
    await owner.sdk.changeGroupMemberMute({ groupID, userID: m1.userID, mutedSeconds: 60 });
    const muted = dataOf(await m1.events.waitFor(CbEvents.OnGroupMemberInfoChanged, (e) => dataOf(e).userID === m1.userID && Number(dataOf(e).muteEndTime) > 0));
    expect(Number(muted.muteEndTime)).toBeGreaterThanOrEqual(before + 59_000);
    await owner.sdk.changeGroupMute({ groupID, isMute: true });
    expect(dataOf(await m1.events.waitFor(CbEvents.OnGroupInfoChanged, (e) => dataOf(e).status === 3))).toMatchObject({ groupID });
    await owner.sdk.changeGroupMute({ groupID, isMute: false });
    await m1.events.waitFor(CbEvents.OnGroupInfoChanged, (e) => dataOf(e).groupID === groupID && dataOf(e).status === 0);

    // transfer: new owner seen in group info and member info
    await owner.sdk.transferGroupOwner({ groupID, newOwnerUserID: m1.userID });
    await joiner.events.waitFor(CbEvents.OnGroupInfoChanged, (e) => dataOf(e).ownerUserID === m1.userID);
    await joiner.events.waitFor(CbEvents.OnGroupMemberInfoChanged, (e) => dataOf(e).userID === m1.userID && dataOf(e).roleLevel === OWNER);

    // dismiss by the new owner
    await m1.sdk.dismissGroup(groupID);
    const dismissed = dataOf(await joiner.events.waitFor(CbEvents.OnGroupDismissed));
    expect(dismissed).toMatchObject({ groupID, status: 2 });
    await owner.events.waitFor(CbEvents.OnGroupDismissed);
  });

  it('quit: the leaver gets OnJoinedGroupDeleted, the owner OnGroupMemberDeleted', async () => {
    const owner = await login(await newUser('qo'));
    const leaver = await login(await newUser('ql'));
    const created = await owner.sdk.createGroup({ memberUserIDs: [leaver.userID], groupInfo: { groupName: 'Q' } });
    const groupID = created.data.groupID;
    await leaver.events.waitFor(CbEvents.OnJoinedGroupAdded, (e) => dataOf(e).groupID === groupID);
    await leaver.sdk.quitGroup(groupID);
    await leaver.events.waitFor(CbEvents.OnJoinedGroupDeleted, (e) => dataOf(e).groupID === groupID);
    expect(dataOf(await owner.events.waitFor(CbEvents.OnGroupMemberDeleted))).toMatchObject({ groupID, userID: leaver.userID });
  });

  it('a member renaming itself fires OnGroupMemberInfoChanged for the others', async () => {
    const owner = await login(await newUser('ro'));
    const renamer = await login(await newUser('rr'));
    const created = await owner.sdk.createGroup({ memberUserIDs: [renamer.userID], groupInfo: { groupName: 'R' } });
    const groupID = created.data.groupID;
    await renamer.events.waitFor(CbEvents.OnJoinedGroupAdded, (e) => dataOf(e).groupID === groupID);
    await renamer.sdk.setSelfInfo({ nickname: 'new-name' });
    const changed = dataOf(await owner.events.waitFor(CbEvents.OnGroupMemberInfoChanged, (e) => dataOf(e).userID === renamer.userID));
    expect(changed).toMatchObject({ groupID, nickname: 'new-name', roleLevel: MEMBER });
  });

  it('logs in with existing groups, syncing their members, without OnSyncServerFailed', async () => {
    const ownerID = await newUser('so');
    const memberID = await newUser('sm');
    const ownerToken = await userToken(suite.server.apiAddress, suite.admin, ownerID, WEB_PLATFORM_ID);
    const groupIDs: string[] = [];
    for (const name of ['one', 'two']) {
      const reply = await adminPost<{ groupInfo: { groupID: string } }>(suite.server.apiAddress, ownerToken, '/group/create_group', {
        ownerUserID: ownerID,
        memberUserIDs: [memberID],
        groupInfo: { groupName: name, groupType: 2 },
      });
      groupIDs.push(reply.groupInfo.groupID);
    }
    await adminPost(suite.server.apiAddress, suite.admin, '/group/dismiss_group', { groupID: groupIDs[1], deleteMember: false });
    const member = await login(memberID);
    expect(member.events.all(CbEvents.OnSyncServerFailed)).toHaveLength(0);
    const joined = await member.sdk.getJoinedGroupListPage({ offset: 0, count: 20 });
    // the dismissed group lost its members when its GroupDismissedNotification was pushed
    expect(joined.data.map((g) => g.groupID)).toEqual([groupIDs[0]]);
    const inGroup = await member.sdk.isJoinGroup(groupIDs[0]!);
    expect(inGroup.data).toBe(true);
  });
});
