/**
 * The relation catch-up scenario both breaks (socket away past the grace, bridge restarted)
 * run: the app user A, with a pending application to B, in two groups of O's; while A is away
 * B accepts, C applies to A, O invites A into a third group, renames one and kicks A from the
 * other. Actions go to the OpenIM REST API as the acting users, as their own apps would.
 */
import type { GroupItem } from 'open-im-sdk';
import { adminPost, registerUsers, uniqueUserID, userToken } from '../../support/admin';
import type { RecordedEvent } from '../../support/clientSdk';
import type { JssdkClient } from '../../support/jssdk';

/** Other users act from the app platform's neighbour (iOS), never from A's own platform. */
const ACTOR_PLATFORM = 1;

export interface Cast {
  readonly a: string;
  readonly b: string;
  readonly c: string;
  readonly d: string;
  readonly owner: string;
  readonly kickGroup: string;
  readonly renameGroup: string;
  readonly inviteGroup: string;
}

export class World {
  private readonly tokens = new Map<string, string>();

  constructor(
    readonly apiAddress: string,
    private readonly admin: string,
  ) {}

  private async tokenOf(userID: string): Promise<string> {
    let t = this.tokens.get(userID);
    if (!t) {
      t = await userToken(this.apiAddress, this.admin, userID, ACTOR_PLATFORM);
      this.tokens.set(userID, t);
    }
    return t;
  }

  async as<T = unknown>(userID: string, path: string, body: unknown): Promise<T> {
    return adminPost<T>(this.apiAddress, await this.tokenOf(userID), path, body);
  }

  /** Users and groups as they are before A's app logs in: A applied to B, A is in two of O's groups. */
  async cast(): Promise<Cast> {
    const [a, b, c, d, owner] = ['rca', 'rcb', 'rcc', 'rcd', 'rco'].map((p) => uniqueUserID(p)) as [string, string, string, string, string];
    await registerUsers(this.apiAddress, this.admin, [a, b, c, d, owner].map((userID) => ({ userID, nickname: `nick ${userID}` })));
    await this.as(a, '/friend/add_friend', { fromUserID: a, toUserID: b, reqMsg: 'A to B' });
    const group = async (name: string, members: string[]) => {
      const reply = await this.as<{ groupInfo: { groupID: string } }>(owner, '/group/create_group', {
        ownerUserID: owner,
        memberUserIDs: members,
        adminUserIDs: [],
        groupInfo: { groupName: name, groupType: 2 },
      });
      return reply.groupInfo.groupID;
    };
    return {
      a,
      b,
      c,
      d,
      owner,
      kickGroup: await group('kick me', [a, d]),
      renameGroup: await group('old name', [a, d]),
      inviteGroup: await group('invite me', [d]),
    };
  }

  /** A friend application that reaches A while its app is connected. */
  liveApplication(k: Cast): Promise<unknown> {
    return this.as(k.d, '/friend/add_friend', { fromUserID: k.d, toUserID: k.a, reqMsg: 'D to A, live' });
  }

  /** Everything that happens while A's app is away. */
  async whileAway(k: Cast): Promise<void> {
    await this.as(k.b, '/friend/add_friend_response', { fromUserID: k.a, toUserID: k.b, handleResult: 1, handleMsg: 'B accepts' });
    await this.as(k.c, '/friend/add_friend', { fromUserID: k.c, toUserID: k.a, reqMsg: 'C to A' });
    await this.as(k.owner, '/group/invite_user_to_group', { groupID: k.inviteGroup, invitedUserIDs: [k.a], reason: 'join us' });
    // set_group_info, not _ex: every release profile serves it (v3.8.0 has no _ex).
    await this.as(k.owner, '/group/set_group_info', { groupInfoForSet: { groupID: k.renameGroup, groupName: 'new name' } });
    await this.as(k.owner, '/group/kick_group', { groupID: k.kickGroup, kickedUserIDs: [k.a], reason: 'bye' });
  }

  /** A live change after the catch-up, whose event marks the end of what came before it. */
  sentinel(k: Cast): Promise<unknown> {
    return this.as(k.owner, '/group/set_group_info', { groupInfoForSet: { groupID: k.renameGroup, notification: 'sentinel' } });
  }
}

type Json = Record<string, unknown>;

export function eventsSince(app: JssdkClient, since: number, name: string, match: (d: Json) => boolean = () => true): RecordedEvent[] {
  return app.events.history.slice(since).filter((e) => e.event === name && match((e.data ?? {}) as Json));
}

export const isGroup = (groupID: string) => (d: Json) => d.groupID === groupID;
export const isApplication = (fromUserID: string, toUserID: string) => (d: Json) => d.fromUserID === fromUserID && d.toUserID === toUserID;

/** The events A's app must have had once each after its reconnect, with their payloads checked. */
export async function expectCaughtUp(app: JssdkClient, k: Cast, since: number, waitMs: number): Promise<void> {
  const accepted = await app.events.waitFor('OnFriendApplicationAccepted', (e) => isApplication(k.a, k.b)(e.data as Json), waitMs, since);
  expect(accepted.data).toMatchObject({ fromUserID: k.a, toUserID: k.b, handleResult: 1, handleMsg: 'B accepts', reqMsg: 'A to B' });
  const friend = await app.events.waitFor('OnFriendAdded', (e) => (e.data as Json).userID === k.b, waitMs, since);
  expect(friend.data).toMatchObject({ ownerUserID: k.a, userID: k.b, nickname: `nick ${k.b}` });
  const applied = await app.events.waitFor('OnFriendApplicationAdded', (e) => isApplication(k.c, k.a)(e.data as Json), waitMs, since);
  expect(applied.data).toMatchObject({ fromUserID: k.c, toUserID: k.a, handleResult: 0, reqMsg: 'C to A', fromNickname: `nick ${k.c}` });
  const joined = await app.events.waitFor('OnJoinedGroupAdded', (e) => isGroup(k.inviteGroup)(e.data as Json), waitMs, since);
  expect(joined.data).toMatchObject({ groupID: k.inviteGroup, groupName: 'invite me', ownerUserID: k.owner, memberCount: 3 });
  const renamed = await app.events.waitFor('OnGroupInfoChanged', (e) => (e.data as Json).groupName === 'new name', waitMs, since);
  expect(renamed.data).toMatchObject({ groupID: k.renameGroup, groupName: 'new name' });
  const left = await app.events.waitFor('OnJoinedGroupDeleted', (e) => isGroup(k.kickGroup)(e.data as Json), waitMs, since);
  expect((left.data as GroupItem).groupID).toBe(k.kickGroup);
}

/** After the sentinel's event: each change came once, the one A had live not again, and nothing else. */
export function expectEachOnce(app: JssdkClient, k: Cast, since: number, liveSince: number): void {
  expect(eventsSince(app, since, 'OnFriendApplicationAccepted')).toHaveLength(1);
  expect(eventsSince(app, since, 'OnFriendAdded').map((e) => (e.data as Json).userID)).toEqual([k.b]);
  expect(eventsSince(app, since, 'OnFriendApplicationAdded').map((e) => (e.data as Json).fromUserID)).toEqual([k.c]);
  expect(eventsSince(app, since, 'OnJoinedGroupAdded').map((e) => (e.data as Json).groupID)).toEqual([k.inviteGroup]);
  expect(eventsSince(app, since, 'OnJoinedGroupDeleted').map((e) => (e.data as Json).groupID)).toEqual([k.kickGroup]);
  const infoChanges = eventsSince(app, since, 'OnGroupInfoChanged').map((e) => [(e.data as Json).groupID, (e.data as Json).groupName, (e.data as Json).notification]);
  expect(infoChanges).toEqual([
    [k.renameGroup, 'new name', ''],
    [k.renameGroup, 'new name', 'sentinel'],
  ]);
  // As the SDK core v3.8 did, before the sync's end, where apps refresh their lists.
  const history = app.events.history.slice(since);
  const finish = history.findIndex((e) => e.event === 'OnSyncServerFinish');
  const caughtUp = ['OnFriendApplicationAccepted', 'OnFriendAdded', 'OnFriendApplicationAdded', 'OnJoinedGroupAdded', 'OnJoinedGroupDeleted'].map((name) => history.findIndex((e) => e.event === name));
  expect(finish).toBeGreaterThan(Math.max(...caughtUp));
  // D's application reached A live before the break: once in all.
  expect(eventsSince(app, liveSince, 'OnFriendApplicationAdded', isApplication(k.d, k.a))).toHaveLength(1);
}

/** A's lists, read through the bridge, as the server has them. */
export async function expectListsAgree(app: JssdkClient, k: Cast): Promise<void> {
  const friends = (await app.sdk.getFriendList()).data as Array<{ friendInfo: { userID: string } }>;
  expect(friends.map((f) => f.friendInfo.userID)).toEqual([k.b]);
  const groups = (await app.sdk.getJoinedGroupList()).data as GroupItem[];
  expect(groups.map((g) => [g.groupID, g.groupName]).sort()).toEqual(
    [
      [k.renameGroup, 'new name'],
      [k.inviteGroup, 'invite me'],
    ].sort(),
  );
  const received = (await app.sdk.getFriendApplicationListAsRecipient()).data as Json[];
  expect(received.map((r) => [r.fromUserID, r.handleResult]).sort()).toEqual(
    [
      [k.c, 0],
      [k.d, 0],
    ].sort(),
  );
  const sent = (await app.sdk.getFriendApplicationListAsApplicant()).data as Json[];
  expect(sent.map((r) => [r.toUserID, r.handleResult])).toEqual([[k.b, 1]]);
}
