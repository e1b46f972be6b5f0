/**
 * Group applications end to end (open-im-sdk 3.5.2 → bridge → emulator): applying, the two
 * application lists, accepting and refusing, with the application events each side sees.
 */
import type { GroupApplicationItem, GroupItem, GroupMemberItem } from 'open-im-sdk';
import type { JssdkClient } from '../../support/jssdk';
import { openRaw } from '../../support/rawClient';
import { createGroup, failure, startGroupSuite, type GroupSuite } from './groupSupport';

let suite: GroupSuite;

beforeAll(async () => {
  suite = await startGroupSuite();
});
afterAll(async () => {
  await suite.close();
});

/** Every key open-im-sdk 3.5.2 declares on GroupApplicationItem. */
const APPLICATION_KEYS = [
  'createTime', 'creatorUserID', 'ex', 'groupFaceURL', 'groupID', 'groupName', 'groupType', 'handleResult', 'handleUserID', 'handledMsg',
  'handledTime', 'introduction', 'memberCount', 'nickname', 'notification', 'ownerUserID', 'reqMsg', 'reqTime', 'joinSource', 'status',
  'userFaceURL', 'userID',
];
const SEARCH = 3;
const NEEDS_APPROVAL = 1;
const OPEN = 2;

const ofGroup = (groupID: string) => (e: { data: unknown }) => (e.data as { groupID?: string }).groupID === groupID;

/** A group that needs approval, owned by `owner` with `admin`, and an applicant who has applied. */
async function applied(prefix: string): Promise<{ group: GroupItem; owner: JssdkClient; admin: JssdkClient; applicant: JssdkClient }> {
  const [owner, admin, applicant] = await suite.loggedInUsers(prefix, 3);
  const group = await createGroup(owner!, [], { groupName: 'members only', needVerification: NEEDS_APPROVAL }, [admin!.userID]);
  await admin!.events.waitFor('OnJoinedGroupAdded', ofGroup(group.groupID));
  const res = await applicant!.sdk.joinGroup({ groupID: group.groupID, reqMsg: 'let me in', joinSource: SEARCH, ex: 'from search' });
  expect(res.errCode).toBe(0);
  return { group, owner: owner!, admin: admin!, applicant: applicant! };
}

describe('JoinGroup', () => {
  it('files an application to a group that needs approval: owner, admin and applicant get OnGroupApplicationAdded', async () => {
    const { group, owner, admin, applicant } = await applied('aj');
    for (const c of [owner, admin, applicant]) {
      const added = await c.events.waitFor('OnGroupApplicationAdded', ofGroup(group.groupID));
      expect(Object.keys(added.data as object)).toEqual(expect.arrayContaining(APPLICATION_KEYS));
      expect(added.data).toMatchObject({
        userID: applicant.userID,
        nickname: `nick ${applicant.userID}`,
        groupName: 'members only',
        ownerUserID: owner.userID,
        reqMsg: 'let me in',
        joinSource: SEARCH,
        handleResult: 0,
        handledMsg: '',
        ex: 'from search',
      });
    }
    expect((await applicant.sdk.getJoinedGroupList()).data).toEqual([]);
  });

  it('admits at once to a group without verification: the applicant gets OnJoinedGroupAdded, members OnGroupMemberAdded', async () => {
    const [owner, joiner] = await suite.loggedInUsers('ajo', 2);
    const group = await createGroup(owner!, [], { groupName: 'open house', needVerification: OPEN });
    const markOwner = owner!.events.mark();
    await joiner!.sdk.joinGroup({ groupID: group.groupID, reqMsg: '', joinSource: SEARCH });
    const joined = await joiner!.events.waitFor('OnJoinedGroupAdded', ofGroup(group.groupID));
    expect(joined.data).toMatchObject({ groupName: 'open house', memberCount: 2 });
    const added = await owner!.events.waitFor('OnGroupMemberAdded', (e) => (e.data as GroupMemberItem).userID === joiner!.userID, undefined, markOwner);
    expect(added.data).toMatchObject({ groupID: group.groupID, roleLevel: 20 });
  });

  it('refuses an unknown group (1004), a user already in the group (1001) and a mistyped join source (10001)', async () => {
    const [owner, u] = await suite.loggedInUsers('aje', 2);
    const group = await createGroup(owner!, [u!]);
    expect((await failure(u!.sdk.joinGroup({ groupID: 'no-such-group', reqMsg: '', joinSource: SEARCH }))).errCode).toBe(1004);
    expect((await failure(u!.sdk.joinGroup({ groupID: group.groupID, reqMsg: '', joinSource: SEARCH }))).errCode).toBe(1001);
    const bad = await failure(u!.sdk.joinGroup({ groupID: group.groupID, reqMsg: '', joinSource: 'search' as never }));
    expect(bad).toMatchObject({ errCode: 10001 });
    expect(bad.errMsg).toContain('joinSource');
  });
});

describe('GetGroupApplicationListAsRecipient and GetGroupApplicationListAsApplicant', () => {
  it('list the application for the group managers and for the applicant', async () => {
    const { group, owner, admin, applicant } = await applied('al');
    for (const manager of [owner, admin]) {
      const list = (await manager.sdk.getGroupApplicationListAsRecipient()).data;
      expect(list).toHaveLength(1);
      expect(Object.keys(list[0]!)).toEqual(expect.arrayContaining(APPLICATION_KEYS));
      expect(list[0]).toMatchObject({ groupID: group.groupID, userID: applicant.userID, reqMsg: 'let me in', handleResult: 0, groupName: 'members only', memberCount: 2 });
      expect(list[0]!.reqTime).toBeGreaterThan(0);
    }
    const mine = (await applicant.sdk.getGroupApplicationListAsApplicant()).data;
    expect(mine).toHaveLength(1);
    expect(mine[0]).toMatchObject({ groupID: group.groupID, userID: applicant.userID, nickname: `nick ${applicant.userID}`, ownerUserID: owner.userID });
    expect((await applicant.sdk.getGroupApplicationListAsRecipient()).data).toEqual([]);
    expect((await owner.sdk.getGroupApplicationListAsApplicant()).data).toEqual([]);
  });

  it('refuse an argument they do not take (10001)', async () => {
    const [u] = await suite.fx.newUsers('ale', 1);
    const token = await suite.fx.tokenFor(u!);
    const raw = await openRaw(`${suite.fx.bridge.wsAddress}/?sendID=${u}&token=${token}&platformID=5&operationID=raw-login`);
    try {
      raw.request('Login', 'login-1', [u, token]);
      expect((await raw.next((f) => f.operationID === 'login-1')).errCode).toBe(0);
      for (const method of ['GetGroupApplicationListAsRecipient', 'GetGroupApplicationListAsApplicant']) {
        raw.request(method, `${method}-extra`, ['unexpected']);
        const answer = await raw.next((f) => f.operationID === `${method}-extra`);
        expect(answer).toMatchObject({ event: method, errCode: 10001 });
      }
    } finally {
      raw.close();
    }
  });
});

describe('AcceptGroupApplication', () => {
  it('admits the applicant: it gets OnGroupApplicationAccepted and OnJoinedGroupAdded, members OnGroupMemberAdded', async () => {
    const { group, owner, admin, applicant } = await applied('aa');
    await owner.events.waitFor('OnGroupApplicationAdded', ofGroup(group.groupID));
    const markApplicant = applicant.events.mark();
    const markAdmin = admin.events.mark();
    const res = await owner.sdk.acceptGroupApplication({ groupID: group.groupID, fromUserID: applicant.userID, handleMsg: 'welcome' });
    expect(res.errCode).toBe(0);

    const accepted = await applicant.events.waitFor('OnGroupApplicationAccepted', ofGroup(group.groupID), undefined, markApplicant);
    expect(Object.keys(accepted.data as object)).toEqual(expect.arrayContaining(APPLICATION_KEYS));
    expect(accepted.data).toMatchObject({ userID: applicant.userID, handleResult: 1, handledMsg: 'welcome', reqMsg: 'let me in' });
    await applicant.events.waitFor('OnJoinedGroupAdded', ofGroup(group.groupID), undefined, markApplicant);
    const added = await admin.events.waitFor('OnGroupMemberAdded', (e) => (e.data as GroupMemberItem).userID === applicant.userID, undefined, markAdmin);
    expect(added.data).toMatchObject({ groupID: group.groupID, roleLevel: 20, joinSource: SEARCH });
    const [mine] = (await applicant.sdk.getGroupApplicationListAsApplicant()).data as GroupApplicationItem[];
    expect(mine).toMatchObject({ handleResult: 1, handledMsg: 'welcome' });
  });

  it('refuses a plain member (1002), an application that does not exist (1004) and a missing applicant (10001)', async () => {
    const { group, owner, applicant } = await applied('aae');
    const [bystander] = await suite.loggedInUsers('aab', 1);
    await owner.sdk.inviteUserToGroup({ groupID: group.groupID, reason: '', userIDList: [bystander!.userID] });
    expect((await failure(bystander!.sdk.acceptGroupApplication({ groupID: group.groupID, fromUserID: applicant.userID, handleMsg: '' }))).errCode).toBe(1002);
    expect((await failure(owner.sdk.acceptGroupApplication({ groupID: group.groupID, fromUserID: 'nobody-applied', handleMsg: '' }))).errCode).toBe(1004);
    const missing = await failure(owner.sdk.acceptGroupApplication({ groupID: group.groupID, fromUserID: undefined as never, handleMsg: '' }));
    expect(missing).toMatchObject({ errCode: 10001 });
    expect(missing.errMsg).toContain('fromUserID');
  });
});

describe('RefuseGroupApplication', () => {
  it('turns the applicant down: it gets OnGroupApplicationRejected and stays outside', async () => {
    const { group, owner, applicant } = await applied('ar');
    await owner.events.waitFor('OnGroupApplicationAdded', ofGroup(group.groupID));
    const mark = applicant.events.mark();
    expect((await owner.sdk.refuseGroupApplication({ groupID: group.groupID, fromUserID: applicant.userID, handleMsg: 'sorry' })).errCode).toBe(0);
    const rejected = await applicant.events.waitFor('OnGroupApplicationRejected', ofGroup(group.groupID), undefined, mark);
    expect(Object.keys(rejected.data as object)).toEqual(expect.arrayContaining(APPLICATION_KEYS));
    expect(rejected.data).toMatchObject({ userID: applicant.userID, handleResult: -1, handledMsg: 'sorry', groupName: 'members only' });
    const list = (await owner.sdk.getGroupApplicationListAsRecipient()).data;
    expect(list[0]).toMatchObject({ userID: applicant.userID, handleResult: -1 });
    expect((await applicant.sdk.getJoinedGroupList()).data).toEqual([]);
  });

  it('refuses an application handled already (the server\'s code) and a mistyped group ID (10001)', async () => {
    const { group, owner, applicant } = await applied('are');
    await owner.sdk.refuseGroupApplication({ groupID: group.groupID, fromUserID: applicant.userID, handleMsg: '' });
    const again = await failure(owner.sdk.refuseGroupApplication({ groupID: group.groupID, fromUserID: applicant.userID, handleMsg: '' }));
    expect(again.errCode).toBe(1206);
    expect((await failure(owner.sdk.refuseGroupApplication({ groupID: 7 as never, fromUserID: applicant.userID, handleMsg: '' }))).errCode).toBe(10001);
  });
});
