/**
 * Friends, friend applications and the blacklist, end to end: the real open-im-sdk 3.5.2
 * client → bridge → OpenIM server (emulator).
 */
import type { BlackUserItem, FriendApplicationItem, FriendshipInfo, FriendUserItem, FullUserItem, SearchedFriendsInfo } from 'open-im-sdk';
import { bridgeSuite } from '../../support/bridge';
import { rejectionOf, type JssdkClient } from '../../support/jssdk';

const suite = bridgeSuite();
const loggedIn = (userID: string) => suite.login(userID);

async function pair(prefix: string): Promise<[JssdkClient, JssdkClient]> {
  const [a, b] = await suite.fx.newUsers(prefix, 2);
  return Promise.all([loggedIn(a!), loggedIn(b!)]);
}

/** A applies, B accepts; resolves when B has seen OnFriendAdded and A OnFriendApplicationAccepted. */
async function befriend(a: JssdkClient, b: JssdkClient): Promise<void> {
  const markA = a.events.mark();
  const markB = b.events.mark();
  await a.sdk.addFriend({ toUserID: b.userID, reqMsg: 'hi' } as unknown as string);
  await b.events.waitFor('OnFriendApplicationAdded', undefined, undefined, markB);
  await b.sdk.acceptFriendApplication({ toUserID: a.userID, handleMsg: 'ok' });
  await a.events.waitFor('OnFriendApplicationAccepted', undefined, undefined, markA);
  await b.events.waitFor('OnFriendAdded', (e) => (e.data as FriendUserItem).userID === a.userID, undefined, markB);
}

describe('Friend applications', () => {
  it('AddFriend reaches both users as OnFriendApplicationAdded and shows in both application lists', async () => {
    const [a, b] = await pair('fapp');
    const markA = a.events.mark();
    const markB = b.events.mark();
    // open-im-sdk 3.5.2 types addFriend's parameter as a string; applications pass the object.
    const res = await a.sdk.addFriend({ toUserID: b.userID, reqMsg: 'let us be friends', ex: 'x1' } as unknown as string);
    expect(res.errCode).toBe(0);
    expect(res.data).toBe('');

    const expected = {
      fromUserID: a.userID,
      fromNickname: `nick ${a.userID}`,
      toUserID: b.userID,
      toNickname: `nick ${b.userID}`,
      reqMsg: 'let us be friends',
      handleResult: 0,
      handleMsg: '',
      handlerUserID: '',
      ex: 'x1',
    };
    const atB = await b.events.waitFor('OnFriendApplicationAdded', undefined, undefined, markB);
    expect(atB.data).toMatchObject(expected);
    expect(typeof (atB.data as FriendApplicationItem).createTime).toBe('number');
    expect((atB.data as FriendApplicationItem).fromFaceURL).toBe('');
    const atA = await a.events.waitFor('OnFriendApplicationAdded', undefined, undefined, markA);
    expect(atA.data).toMatchObject(expected);

    const sent = (await a.sdk.getFriendApplicationListAsApplicant()).data;
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject(expected);
    const received = (await b.sdk.getFriendApplicationListAsRecipient()).data;
    expect(received).toHaveLength(1);
    expect(received[0]).toMatchObject(expected);
    expect((await a.sdk.getFriendApplicationListAsRecipient()).data).toEqual([]);
  });

  it('AddFriend refuses yourself with the server\'s 1301 and a malformed parameter with 10001', async () => {
    const [a] = await suite.fx.newUsers('fself', 1);
    const c = await loggedIn(a!);
    expect((await rejectionOf(c.sdk.addFriend({ toUserID: a!, reqMsg: '' } as unknown as string))).errCode).toBe(1301);
    const bad = await rejectionOf(c.sdk.addFriend({ toUserID: 42 } as unknown as string));
    expect(bad.errCode).toBe(10001);
    expect(bad.errMsg).toContain('toUserID');
    expect((await rejectionOf(c.sdk.addFriend('not json'))).errCode).toBe(10001);
  });

  it('AcceptFriendApplication makes both friends: OnFriendApplicationAccepted, OnFriendAdded, GetFriendList', async () => {
    const [a, b] = await pair('facc');
    const markA = a.events.mark();
    const markB = b.events.mark();
    await a.sdk.addFriend({ toUserID: b.userID, reqMsg: 'hello' } as unknown as string);
    await b.events.waitFor('OnFriendApplicationAdded', undefined, undefined, markB);
    const res = await b.sdk.acceptFriendApplication({ toUserID: a.userID, handleMsg: 'welcome' });
    expect(res.data).toBe('');

    const accepted = await a.events.waitFor('OnFriendApplicationAccepted', undefined, undefined, markA);
    expect(accepted.data).toMatchObject({ fromUserID: a.userID, toUserID: b.userID, handleResult: 1, handleMsg: 'welcome', handlerUserID: b.userID });
    const acceptedAtB = await b.events.waitFor('OnFriendApplicationAccepted', undefined, undefined, markB);
    expect(acceptedAtB.data).toMatchObject({ fromUserID: a.userID, toUserID: b.userID, handleResult: 1 });
    const addedAtB = await b.events.waitFor('OnFriendAdded', undefined, undefined, markB);
    expect(addedAtB.data).toMatchObject({ ownerUserID: b.userID, userID: a.userID, nickname: `nick ${a.userID}`, remark: '', attachedInfo: '', ex: '', isPinned: false });
    // The applicant hears of its new friend too, right after the acceptance (as with the OpenIM SDK core).
    const addedAtA = await a.events.waitFor('OnFriendAdded', undefined, undefined, markA);
    expect(addedAtA.data).toMatchObject({ ownerUserID: a.userID, userID: b.userID, nickname: `nick ${b.userID}`, remark: '' });
    const order = a.events.history.slice(markA).map((e) => e.event).filter((n) => n === 'OnFriendApplicationAccepted' || n === 'OnFriendAdded');
    expect(order).toEqual(['OnFriendApplicationAccepted', 'OnFriendAdded']);

    const list = (await a.sdk.getFriendList()).data as FullUserItem[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ publicInfo: null, blackInfo: null, friendInfo: { ownerUserID: a.userID, userID: b.userID, nickname: `nick ${b.userID}`, remark: '' } });

    const [stranger] = await suite.fx.newUsers('facc-x', 1);
    const check = (await a.sdk.checkFriend([b.userID, stranger!])).data as FriendshipInfo[];
    expect(check).toEqual([{ userID: b.userID, result: 1 }, { userID: stranger!, result: 0 }]);

    const specified = (await a.sdk.getSpecifiedFriendsInfo([stranger!, b.userID])).data as FullUserItem[];
    expect(specified).toHaveLength(1);
    expect(specified[0]!.friendInfo).toMatchObject({ userID: b.userID, ownerUserID: a.userID });

    const asRecipient = (await b.sdk.getFriendApplicationListAsRecipient()).data;
    expect(asRecipient[0]).toMatchObject({ fromUserID: a.userID, handleResult: 1, handleMsg: 'welcome' });

    // Accepting an application already answered is the server's ArgsError.
    expect((await rejectionOf(b.sdk.acceptFriendApplication({ toUserID: a.userID, handleMsg: '' }))).errCode).toBe(1001);
  });

  it('AcceptFriendApplication without an application answers the server\'s 1004', async () => {
    const [a, b] = await pair('faccx');
    expect((await rejectionOf(b.sdk.acceptFriendApplication({ toUserID: a.userID, handleMsg: '' }))).errCode).toBe(1004);
    expect((await rejectionOf(b.sdk.acceptFriendApplication({ handleMsg: '' } as unknown as { toUserID: string; handleMsg: string }))).errCode).toBe(10001);
  });

  it('RefuseFriendApplication tells the applicant with OnFriendApplicationRejected; refusing twice is 1305', async () => {
    const [a, b] = await pair('fref');
    const markA = a.events.mark();
    const markB = b.events.mark();
    await a.sdk.addFriend({ toUserID: b.userID, reqMsg: 'please' } as unknown as string);
    await b.events.waitFor('OnFriendApplicationAdded', undefined, undefined, markB);
    const res = await b.sdk.refuseFriendApplication({ toUserID: a.userID, handleMsg: 'no thanks' });
    expect(res.data).toBe('');
    const rejected = await a.events.waitFor('OnFriendApplicationRejected', undefined, undefined, markA);
    expect(rejected.data).toMatchObject({ fromUserID: a.userID, toUserID: b.userID, handleResult: -1, handleMsg: 'no thanks', reqMsg: 'please' });
    const sent = (await a.sdk.getFriendApplicationListAsApplicant()).data;
    expect(sent[0]).toMatchObject({ toUserID: b.userID, handleResult: -1 });
    expect((await a.sdk.getFriendList()).data).toEqual([]);

    expect((await rejectionOf(b.sdk.refuseFriendApplication({ toUserID: a.userID, handleMsg: '' }))).errCode).toBe(1305);
  });
});

describe('Friends', () => {
  it('SetFriendRemark raises OnFriendInfoChanged and SearchFriends finds the friend by remark, nickname or ID', async () => {
    const [a, b] = await pair('frem');
    await befriend(a, b);
    const markA = a.events.mark();
    const res = await a.sdk.setFriendRemark({ toUserID: b.userID, remark: 'Best Buddy' });
    expect(res.data).toBe('');
    const changed = await a.events.waitFor('OnFriendInfoChanged', undefined, undefined, markA);
    expect(changed.data).toMatchObject({ ownerUserID: a.userID, userID: b.userID, remark: 'Best Buddy', nickname: `nick ${b.userID}` });

    const byRemark = (await a.sdk.searchFriends({ keywordList: ['best buddy'], isSearchUserID: false, isSearchNickname: false, isSearchRemark: true })).data as SearchedFriendsInfo[];
    expect(byRemark).toHaveLength(1);
    expect(byRemark[0]).toMatchObject({ userID: b.userID, remark: 'Best Buddy', relationship: 1 });
    const byID = (await a.sdk.searchFriends({ keywordList: [b.userID.slice(2, 8)], isSearchUserID: true, isSearchNickname: false, isSearchRemark: false })).data;
    expect(byID.map((f) => f.userID)).toEqual([b.userID]);
    const noMatch = (await a.sdk.searchFriends({ keywordList: ['best buddy'], isSearchUserID: true, isSearchNickname: true, isSearchRemark: false })).data;
    expect(noMatch).toEqual([]);
  });

  it('SetFriendRemark on a non-friend is the server\'s 1004; SearchFriends with nothing to search is 10001', async () => {
    const [a, b] = await pair('fremx');
    expect((await rejectionOf(a.sdk.setFriendRemark({ toUserID: b.userID, remark: 'x' }))).errCode).toBe(1004);
    const none = await rejectionOf(a.sdk.searchFriends({ keywordList: ['x'], isSearchUserID: false, isSearchNickname: false, isSearchRemark: false }));
    expect(none.errCode).toBe(10001);
    expect((await rejectionOf(a.sdk.searchFriends({ keywordList: 'x' } as unknown as { keywordList: string[]; isSearchUserID: boolean; isSearchNickname: boolean; isSearchRemark: boolean }))).errCode).toBe(10001);
    expect((await rejectionOf(a.sdk.checkFriend('nope' as unknown as string[]))).errCode).toBe(10001);
    expect((await rejectionOf(a.sdk.getSpecifiedFriendsInfo([1] as unknown as string[]))).errCode).toBe(10001);
  });

  it('DeleteFriend raises OnFriendDeleted with a FriendUserItem and empties the friend list', async () => {
    const [a, b] = await pair('fdel');
    await befriend(a, b);
    const markA = a.events.mark();
    const res = await a.sdk.deleteFriend(b.userID);
    expect(res.data).toBe('');
    const deleted = await a.events.waitFor('OnFriendDeleted', undefined, undefined, markA);
    expect(deleted.data).toEqual({
      ownerUserID: '',
      userID: b.userID,
      remark: '',
      createTime: 0,
      addSource: 0,
      operatorUserID: '',
      nickname: '',
      faceURL: '',
      ex: '',
      attachedInfo: '',
      isPinned: false,
    });
    expect((await a.sdk.getFriendList()).data).toEqual([]);
    expect((await a.sdk.checkFriend([b.userID])).data).toEqual([{ userID: b.userID, result: 0 }]);
    expect((await rejectionOf(a.sdk.deleteFriend(7 as unknown as string))).errCode).toBe(10001);
  });

  // The real server's DeleteFriend looks the friend up first (FindFriendsWithError).
  it('DeleteFriend of someone who is not a friend is the server\'s 1004', async () => {
    const [a, b] = await pair('fdelx');
    expect((await rejectionOf(a.sdk.deleteFriend(b.userID))).errCode).toBe(1004);
  });
});

describe('Blacklist', () => {
  it('AddBlack raises OnBlackAdded, shows in GetBlackList, GetFriendList and CheckFriend; RemoveBlack raises OnBlackDeleted', async () => {
    const [a, b] = await pair('fblk');
    await befriend(a, b);
    const markA = a.events.mark();
    const res = await a.sdk.addBlack({ toUserID: b.userID, ex: 'noisy' });
    expect(res.data).toBe('');
    const added = await a.events.waitFor('OnBlackAdded', undefined, undefined, markA);
    expect(added.data).toMatchObject({ ownerUserID: a.userID, userID: b.userID, nickname: `nick ${b.userID}`, faceURL: '', ex: 'noisy', operatorUserID: a.userID, addSource: 0 });
    expect(typeof (added.data as BlackUserItem).createTime).toBe('number');

    const blacks = (await a.sdk.getBlackList()).data as BlackUserItem[];
    expect(blacks).toHaveLength(1);
    expect(blacks[0]).toMatchObject({ ownerUserID: a.userID, userID: b.userID, nickname: `nick ${b.userID}`, ex: 'noisy' });
    const friends = (await a.sdk.getFriendList()).data as FullUserItem[];
    expect(friends[0]).toMatchObject({ friendInfo: { userID: b.userID }, blackInfo: { userID: b.userID, ex: 'noisy' } });
    expect((await a.sdk.checkFriend([b.userID])).data).toEqual([{ userID: b.userID, result: 0 }]);
    const found = (await a.sdk.searchFriends({ keywordList: [b.userID], isSearchUserID: true, isSearchNickname: false, isSearchRemark: false })).data;
    expect(found[0]).toMatchObject({ userID: b.userID, relationship: 0 });

    const markA2 = a.events.mark();
    expect((await a.sdk.removeBlack(b.userID)).data).toBe('');
    const removed = await a.events.waitFor('OnBlackDeleted', undefined, undefined, markA2);
    expect(removed.data).toEqual({ ownerUserID: '', userID: b.userID, nickname: '', faceURL: '', createTime: 0, addSource: 0, operatorUserID: '', ex: '' });
    expect((await a.sdk.getBlackList()).data).toEqual([]);
    expect((await a.sdk.checkFriend([b.userID])).data).toEqual([{ userID: b.userID, result: 1 }]);
  });

  it('AddBlack of an unknown user is the server\'s error; malformed arguments are 10001', async () => {
    const [a] = await suite.fx.newUsers('fblkx', 1);
    const c = await loggedIn(a!);
    const unknown = await rejectionOf(c.sdk.addBlack({ toUserID: `${a!}-nobody` }));
    expect([1004, 1101]).toContain(unknown.errCode);
    expect((await rejectionOf(c.sdk.addBlack({ toUserID: 5 } as unknown as { toUserID: string }))).errCode).toBe(10001);
    expect((await rejectionOf(c.sdk.removeBlack(5 as unknown as string))).errCode).toBe(10001);
  });
});
