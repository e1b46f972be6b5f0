/**
 * The friend and blacklist flows with the unmodified client SDK against the emulator: the
 * callbacks it fires and the data they carry.
 */
import { CbEvents } from '@openim/client-sdk';
import { adminPost } from '../support/admin';
import type { RecordedEvent } from '../support/clientSdk';
import { emulatorSuite } from '../support/emulatorSuite';

type Data = Record<string, unknown>;
const dataOf = (e: RecordedEvent): Data => e.data as Data;

describe('friends with the client SDK', () => {
  const suite = emulatorSuite();
  const newUser = (prefix: string) => suite.newUser(prefix, { nickname: `nick-${prefix}`, faceURL: `https://face/${prefix}` });
  const login = (userID: string) => suite.loginAs(userID);

  it('application: B is told, accepts and gets OnFriendAdded; A learns at its next friend sync', async () => {
    const a = await login(await newUser('fa'));
    const b = await login(await newUser('fb'));
    const sinceA = a.events.mark();
    const sinceB = b.events.mark();

    await a.sdk.addFriend({ toUserID: b.userID, reqMsg: 'hello there' });
    const added = dataOf(await b.events.waitFor(CbEvents.OnFriendApplicationAdded, undefined, undefined, sinceB));
    expect(added).toMatchObject({
      fromUserID: a.userID,
      fromNickname: 'nick-fa',
      fromFaceURL: 'https://face/fa',
      toUserID: b.userID,
      toNickname: 'nick-fb',
      reqMsg: 'hello there',
    });
    expect(typeof added.createTime).toBe('number');
    const mine = dataOf(await a.events.waitFor(CbEvents.OnFriendApplicationAdded, undefined, undefined, sinceA));
    expect(mine).toMatchObject({ fromUserID: a.userID, toUserID: b.userID });

    const inbox = await b.sdk.getFriendApplicationListAsRecipient({ offset: 0, count: 20 });
    expect(inbox.data.map((r) => r.fromUserID)).toEqual([a.userID]);

    await b.sdk.acceptFriendApplication({ toUserID: a.userID, handleMsg: 'sure' });
    const accepted = dataOf(await a.events.waitFor(CbEvents.OnFriendApplicationAccepted, undefined, undefined, sinceA));
    expect(accepted).toMatchObject({ fromUserID: a.userID, toUserID: b.userID, handleResult: 1, handleMsg: 'sure', handlerUserID: b.userID });
    const friendOfB = dataOf(await b.events.waitFor(CbEvents.OnFriendAdded, undefined, undefined, sinceB));
    expect(friendOfB).toMatchObject({ ownerUserID: b.userID, userID: a.userID, nickname: 'nick-fa', faceURL: 'https://face/fa', addSource: 2 });

    // The real server sends the applicant no FriendAdded notification, and this SDK's handler of
    // FriendApplicationApproved never runs its friend sync (it hands Promise.all an uncalled
    // function), so the applicant hears of the new friend at its next friend sync: here, when A
    // itself accepts C.
    const list = await a.sdk.getFriendListPage({ offset: 0, count: 20 });
    expect(list.data.map((f) => f.userID)).toEqual([b.userID]);
    const c = await login(await newUser('fc'));
    await c.sdk.addFriend({ toUserID: a.userID, reqMsg: 'me too' });
    await a.events.waitFor(CbEvents.OnFriendApplicationAdded, (e) => dataOf(e).fromUserID === c.userID);
    await a.sdk.acceptFriendApplication({ toUserID: c.userID, handleMsg: '' });
    const friendOfA = dataOf(await a.events.waitFor(CbEvents.OnFriendAdded, (e) => dataOf(e).userID === b.userID, undefined, sinceA));
    expect(friendOfA).toMatchObject({ ownerUserID: a.userID, userID: b.userID, nickname: 'nick-fb', faceURL: 'https://face/fb', addSource: 2 });
    await a.events.waitFor(CbEvents.OnFriendAdded, (e) => dataOf(e).userID === c.userID, undefined, sinceA);
    const check = await a.sdk.checkFriend([b.userID]);
    expect(check.data[0]).toMatchObject({ userID: b.userID, result: 1 });
  });

  it('refusal: the applicant gets OnFriendApplicationRejected', async () => {
    const a = await login(await newUser('ra'));
    const b = await login(await newUser('rb'));
    const since = a.events.mark();
    await a.sdk.addFriend({ toUserID: b.userID, reqMsg: 'hi' });
    await b.events.waitFor(CbEvents.OnFriendApplicationAdded);
    await b.sdk.refuseFriendApplication({ toUserID: a.userID, handleMsg: 'no thanks' });
    const rejected = dataOf(await a.events.waitFor(CbEvents.OnFriendApplicationRejected, undefined, undefined, since));
    expect(rejected).toMatchObject({ fromUserID: a.userID, toUserID: b.userID, handleResult: -1, handleMsg: 'no thanks' });
  });

  it('delete: the deleter gets OnFriendDeleted; the other side keeps the friendship', async () => {
    const aID = await newUser('da');
    const bID = await newUser('db');
    await adminPost(suite.server.apiAddress, suite.admin, '/friend/import_friend', { ownerUserID: aID, friendUserIDs: [bID] });
    const a = await login(aID);
    const since = a.events.mark();
    await a.sdk.deleteFriend(bID);
    expect(dataOf(await a.events.waitFor(CbEvents.OnFriendDeleted, undefined, undefined, since))).toEqual({ userID: bID });
    const b = await login(bID);
    const list = await b.sdk.getFriendListPage({ offset: 0, count: 20 });
    expect(list.data.map((f) => f.userID)).toEqual([aID]);
  });

  it('update: remark and pin fire OnFriendInfoChanged', async () => {
    const aID = await newUser('ua');
    const bID = await newUser('ub');
    await adminPost(suite.server.apiAddress, suite.admin, '/friend/import_friend', { ownerUserID: aID, friendUserIDs: [bID] });
    const a = await login(aID);
    const since = a.events.mark();
    await a.sdk.updateFriends({ friendUserIDs: [bID], remark: 'Bestie', isPinned: true });
    const changed = dataOf(await a.events.waitFor(CbEvents.OnFriendInfoChanged, undefined, undefined, since));
    expect(changed).toMatchObject({ userID: bID, remark: 'Bestie', isPinned: true });
  });

  it('blacklist: OnBlackAdded with the user, then OnBlackDeleted', async () => {
    const a = await login(await newUser('ba'));
    const bID = await newUser('bb');
    const since = a.events.mark();
    await a.sdk.addBlack({ toUserID: bID, ex: 'spam' });
    const black = dataOf(await a.events.waitFor(CbEvents.OnBlackAdded, undefined, undefined, since));
    expect(black).toMatchObject({ ownerUserID: a.userID, userID: bID, nickname: 'nick-bb', ex: 'spam', operatorUserID: a.userID });
    const list = await a.sdk.getBlackList({ offset: 0, count: 20 });
    expect(list.data.map((x) => x.userID)).toEqual([bID]);
    await a.sdk.removeBlack(bID);
    expect(dataOf(await a.events.waitFor(CbEvents.OnBlackDeleted, undefined, undefined, since))).toMatchObject({ userID: bID });
  });

  it('a friend renaming itself fires OnFriendInfoChanged with the new nickname', async () => {
    const aID = await newUser('na');
    const bID = await newUser('nb');
    await adminPost(suite.server.apiAddress, suite.admin, '/friend/import_friend', { ownerUserID: aID, friendUserIDs: [bID] });
    const a = await login(aID);
    const b = await login(bID);
    const since = b.events.mark();
    await a.sdk.setSelfInfo({ nickname: 'renamed' });
    const changed = dataOf(await b.events.waitFor(CbEvents.OnFriendInfoChanged, (e) => dataOf(e).userID === aID, undefined, since));
    expect(changed).toMatchObject({ ownerUserID: bID, userID: aID, nickname: 'renamed' });
  });

  it('logs in with existing friends and completes sync', async () => {
    const aID = await newUser('la');
    const friends = [await newUser('lb'), await newUser('lc')];
    await adminPost(suite.server.apiAddress, suite.admin, '/friend/import_friend', { ownerUserID: aID, friendUserIDs: friends });
    const a = await login(aID);
    expect(a.events.all(CbEvents.OnSyncServerFailed)).toHaveLength(0);
    const list = await a.sdk.getFriendListPage({ offset: 0, count: 20 });
    expect(list.data.map((f) => f.userID).sort()).toEqual([...friends].sort());
  });
});
