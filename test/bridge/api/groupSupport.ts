/** What the group suites share: a fixture, logged-in jssdk clients, and a group made through the bridge. */
import type { GroupItem, GroupMemberItem, WsResponse } from 'open-im-sdk';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';

export interface GroupSuite {
  readonly fx: BridgeFixture;
  /** Logs a user in through the bridge and waits until its first sync finished. */
  login(userID: string): Promise<JssdkClient>;
  /** Registers `count` users and logs each in. */
  loggedInUsers(prefix: string, count: number): Promise<JssdkClient[]>;
  close(): Promise<void>;
}

export async function startGroupSuite(): Promise<GroupSuite> {
  const fx = await startBridgeFixture();
  const clients: JssdkClient[] = [];
  const login = async (userID: string) => {
    const c = createJssdk(userID);
    clients.push(c);
    await jssdkLogin(c, { token: await fx.tokenFor(userID), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
    await c.events.waitFor('OnSyncServerFinish');
    return c;
  };
  return {
    fx,
    login,
    async loggedInUsers(prefix, count) {
      return Promise.all((await fx.newUsers(prefix, count)).map(login));
    },
    async close() {
      await Promise.all(clients.map((c) => c.dispose()));
      await fx.close();
    },
  };
}

/** Creates a working group owned by `owner` with `members` through the bridge. */
export async function createGroup(owner: JssdkClient, members: JssdkClient[], groupInfo: Partial<GroupItem> = {}, adminUserIDs: string[] = []): Promise<GroupItem> {
  const res = await owner.sdk.createGroup({
    memberUserIDs: members.map((m) => m.userID),
    adminUserIDs,
    groupInfo: { groupName: 'a group', groupType: 2, ...groupInfo },
  });
  return res.data;
}

/** The rejection of a jssdk call that must fail. */
export async function failure(call: Promise<WsResponse<unknown>>): Promise<WsResponse<unknown>> {
  return call.then(
    (res) => {
      throw new Error(`expected a failure, got ${JSON.stringify(res)}`);
    },
    (err: WsResponse<unknown>) => err,
  );
}

export interface MemberListParams {
  groupID: string;
  filter: number;
  offset: number;
  count: number;
}

/** getGroupMemberList: open-im-sdk 3.5.2 declares it without its params argument, though it sends them. */
export function getGroupMemberList(client: JssdkClient, params: MemberListParams): Promise<WsResponse<GroupMemberItem[]>> {
  const call = client.sdk.getGroupMemberList as unknown as (p: MemberListParams) => Promise<WsResponse<GroupMemberItem[]>>;
  return call(params);
}
