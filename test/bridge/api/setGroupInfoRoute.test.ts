/**
 * SetGroupInfo's route choice (core_func/adapters/setGroupInfoRoute.ts) seen on the wire: the
 * bridge's REST calls go through a recording HTTP relay in front of the emulator, so the test
 * sees which set-group-info routes each call tried on this profile.
 */
import type { GroupItem } from 'open-im-sdk';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { testProfile } from '../../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { recordingRelay } from '../../support/recordingRelay';
import { createGroup } from './groupSupport';

const relay = recordingRelay();
let fx: BridgeFixture;
const clients: JssdkClient[] = [];

beforeAll(async () => {
  await relay.listen();
  fx = await startBridgeFixture((server) => {
    relay.setTarget(server.apiAddress);
    return { upstream: { apiAddress: relay.address(), wsAddress: server.wsAddress } };
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await fx.close();
  await relay.close();
});

const login = async (userID: string): Promise<JssdkClient> => {
  const c = createJssdk(userID);
  clients.push(c);
  await jssdkLogin(c, { token: await fx.tokenFor(userID), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
  await c.events.waitFor('OnSyncServerFinish');
  return c;
};

const olderOnly = testProfile().groupInfoRoutes === 'v3.8.0';

it(`SetGroupInfo uses ${olderOnly ? 'set_group_info after _ex answers 404, and goes straight there afterwards' : 'set_group_info_ex each time'}`, async () => {
  const [ownerID, memberID] = await fx.newUsers('sgr', 2);
  const [owner, member] = [await login(ownerID!), await login(memberID!)];
  const group = await createGroup(owner, [member]);
  const routes = () => relay.paths().filter((p) => p.startsWith('/group/set_group_info'));

  expect((await owner.sdk.setGroupInfo({ groupID: group.groupID, groupName: 'first', ex: 'x1' })).errCode).toBe(0);
  expect(routes()).toEqual(olderOnly ? ['/group/set_group_info_ex', '/group/set_group_info'] : ['/group/set_group_info_ex']);
  const mark = member.events.mark();
  expect((await owner.sdk.setGroupInfo({ groupID: group.groupID, introduction: 'second', lookMemberInfo: 1 })).errCode).toBe(0);
  expect(routes()).toEqual(olderOnly ? ['/group/set_group_info_ex', '/group/set_group_info', '/group/set_group_info'] : ['/group/set_group_info_ex', '/group/set_group_info_ex']);

  await member.events.waitFor('OnGroupInfoChanged', (e) => (e.data as GroupItem).introduction === 'second', undefined, mark);
  const [info] = (await member.sdk.getSpecifiedGroupsInfo([group.groupID])).data;
  expect(info).toMatchObject({ groupName: 'first', ex: 'x1', introduction: 'second', lookMemberInfo: 1 });
  // A server error still reaches the caller through whichever route is in use.
  expect((await member.sdk.setGroupInfo({ groupID: group.groupID, groupName: 'mine' }).catch((e: { errCode: number }) => e)).errCode).toBe(1002);
});
