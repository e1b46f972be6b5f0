/**
 * Both jssdk releases on one bridge: open-im-sdk 3.4.1 (binary frames both ways, AddBlack with a
 * bare userID, JoinGroup with three arguments, SendMessage without isOnlineOnly) and 3.5.2 (text
 * frames). The same scenario — friends, a message, the blacklist, a group joined by request, a
 * local search — run by users on each release gives the same events and answers, in the
 * browser and in a mini-program; and users of both releases talk to each other on one bridge.
 */
import type { BlackUserItem, FriendApplicationItem, FriendUserItem, GroupItem, MessageItem, SearchMessageResult } from 'open-im-sdk';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { addBlack, createJssdk, frameKindOf, jssdkLogin, type ClientMode, type JssdkClient, type Platform } from '../support/jssdk';
import { sendText } from './api/messageSupport';

let fx: BridgeFixture;
const clients: JssdkClient[] = [];

beforeAll(async () => {
  fx = await startBridgeFixture();
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await fx.close();
});

async function loggedIn(userID: string, mode: ClientMode): Promise<JssdkClient> {
  const c = createJssdk(userID, mode);
  clients.push(c);
  const res = await jssdkLogin(c, { token: await fx.tokenFor(userID), wsAddr: fx.bridge.wsAddress, apiAddr: fx.bridge.httpAddress });
  expect(res.errCode).toBe(0);
  await c.events.waitFor('OnSyncServerFinish');
  return c;
}

/** What one run of the scenario showed, with user and group IDs replaced by their roles. */
interface Outcome {
  /** Distinct events each user got, as `role event detail`, sorted. */
  events: string[];
  search: unknown;
  friendsOfA: string[];
}

/** Events the scenario produces and the detail that identifies each, by role. */
const WATCHED: Record<string, (data: unknown, role: (id: string) => string) => string> = {
  OnFriendApplicationAdded: (d, r) => `${r((d as FriendApplicationItem).fromUserID)}->${r((d as FriendApplicationItem).toUserID)}`,
  OnFriendApplicationAccepted: (d, r) => `${r((d as FriendApplicationItem).fromUserID)}->${r((d as FriendApplicationItem).toUserID)}`,
  OnFriendAdded: (d, r) => r((d as FriendUserItem).userID),
  OnBlackAdded: (d, r) => r((d as BlackUserItem).userID),
  OnBlackDeleted: (d, r) => r((d as BlackUserItem).userID),
  // Text messages only: when a notification reaches a user who is not waited on is a matter of timing.
  OnRecvNewMessages: (d, r) => (d as MessageItem[]).filter((m) => m.textElem).map((m) => `${r(m.sendID)}:${m.textElem!.content}`).join(','),
  OnJoinedGroupAdded: (d) => (d as GroupItem).groupName,
  OnGroupMemberAdded: (d, r) => r((d as { userID: string }).userID),
};

async function scenario(mode: ClientMode, tag: string): Promise<Outcome> {
  const [ua, ub, uc] = (await fx.newUsers(`rel${tag}`, 3)) as [string, string, string];
  const roles = new Map([
    [ua, 'a'],
    [ub, 'b'],
    [uc, 'c'],
  ]);
  const role = (id: string) => roles.get(id) ?? id;
  const [a, b, c] = await Promise.all([loggedIn(ua, mode), loggedIn(ub, mode), loggedIn(uc, mode)]);

  // Friends: a asks, b accepts.
  await a.sdk.addFriend({ toUserID: ub, reqMsg: 'hi' } as unknown as string);
  await b.events.waitFor('OnFriendApplicationAdded');
  await b.sdk.acceptFriendApplication({ toUserID: ua, handleMsg: 'ok' });
  await a.events.waitFor('OnFriendAdded', (e) => (e.data as FriendUserItem).userID === ub);
  await b.events.waitFor('OnFriendAdded', (e) => (e.data as FriendUserItem).userID === ua);

  // A message (3.4.1 sends no isOnlineOnly).
  await sendText(a, b, 'hello over the bridge');

  // The blacklist (3.4.1's AddBlack takes the bare userID).
  expect((await addBlack(a, uc)).errCode).toBe(0);
  await a.events.waitFor('OnBlackAdded');
  await a.sdk.removeBlack(uc);
  await a.events.waitFor('OnBlackDeleted');

  // A group b is put in, and c joins by request (3.4.1's JoinGroup sends three arguments).
  const group = (await a.sdk.createGroup({ memberUserIDs: [ub], adminUserIDs: [], groupInfo: { groupName: `club ${tag}`, groupType: 2, needVerification: 2 } })).data;
  roles.set(group.groupID, 'g');
  await b.events.waitFor('OnJoinedGroupAdded');
  expect((await c.sdk.joinGroup({ groupID: group.groupID, reqMsg: 'let me in', joinSource: 3 })).errCode).toBe(0);
  await c.events.waitFor('OnJoinedGroupAdded');
  await a.events.waitFor('OnGroupMemberAdded', (e) => (e.data as { userID: string }).userID === uc);

  // A local search: the SDK core answered {totalCount, searchResultItems} whatever 3.4.1's types say.
  const search = (await b.sdk.searchLocalMessages({ conversationID: '', keywordList: ['bridge'], messageTypeList: [], senderUserIDList: [], searchTimePosition: 0, searchTimePeriod: 0, pageIndex: 1, count: 10, keywordListMatchType: 0 })).data as SearchMessageResult;
  const searchShape = {
    totalCount: search.totalCount,
    items: search.searchResultItems?.map((i) => ({ conversationType: i.conversationType, count: i.messageCount, texts: i.messageList.map((m) => m.textElem?.content) })),
  };

  const events = new Set<string>();
  for (const [who, client] of [['a', a], ['b', b], ['c', c]] as const) {
    for (const [name, detail] of Object.entries(WATCHED)) {
      for (const e of client.events.all(name)) {
        const d = detail(e.data, role);
        if (d) events.add(`${who} ${name} ${d}`);
      }
    }
    const { kind, other } = frameKindOf(mode);
    expect(client.frames[kind]).toBeGreaterThan(0);
    expect(client.frames[other]).toBe(0);
  }
  const friendsOfA = ((await a.sdk.getFriendList()).data as unknown as { friendInfo: FriendUserItem }[]).map((f) => role(f.friendInfo.userID));
  return { events: [...events].sort(), search: searchShape, friendsOfA };
}

describe.each<Platform>(['web', 'uni'])('in %s mode', (platform) => {
  it('open-im-sdk 3.4.1 gets the same events and answers as 3.5.2: friends, a message, the blacklist, a group, a search', async () => {
    const current = await scenario(platform, `n${platform}`);
    const older = await scenario(`${platform}@3.4.1`, `o${platform}`);
    expect(current.events).toContain('b OnRecvNewMessages a:hello over the bridge');
    expect(current.events).toContain('a OnBlackAdded c');
    expect(current.events).toContain('c OnJoinedGroupAdded club n' + platform);
    expect(current.search).toEqual({ totalCount: 1, items: [{ conversationType: 1, count: 1, texts: ['hello over the bridge'] }] });
    expect(current.friendsOfA).toEqual(['b']);
    const sameGroupName = (o: Outcome, tag: string) => ({ ...o, events: o.events.map((e) => e.replace(`club ${tag}`, 'club')) });
    expect(sameGroupName(older, `o${platform}`)).toEqual(sameGroupName(current, `n${platform}`));
  });

  it('a 3.4.1 user and a 3.5.2 user talk to each other, each getting frames of its own kind', async () => {
    const [u1, u2] = (await fx.newUsers(`mix${platform}`, 2)) as [string, string];
    const older = await loggedIn(u1, `${platform}@3.4.1`);
    const current = await loggedIn(u2, platform);
    await sendText(older, current, 'from 3.4.1');
    await sendText(current, older, 'from 3.5.2');
    expect(older.frames.text).toBe(0);
    expect(older.frames.binary).toBeGreaterThan(0);
    expect(current.frames.binary).toBe(0);
    expect(current.frames.text).toBeGreaterThan(0);
  });
});
