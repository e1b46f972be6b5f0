/**
 * SetGroupInfo's route choice (core_func/adapters/setGroupInfoRoute.ts) seen on the wire: the
 * bridge's REST calls go through a recording HTTP relay in front of the emulator, so the test
 * sees which set-group-info routes each call tried on this profile.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GroupItem } from 'open-im-sdk';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { testProfile } from '../../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { createGroup } from './groupSupport';

/** Forwards every request to `target` unchanged and records its path. */
function recordingRelay(): { server: http.Server; paths: string[]; setTarget(t: string): void; address(): string } {
  const paths: string[] = [];
  let target = '';
  const server = http.createServer((req, res) => {
    paths.push((req.url ?? '').split('?')[0]!);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.host;
      fetch(target + (req.url ?? ''), { method: req.method, headers: headers as Record<string, string>, body: req.method === 'POST' ? Buffer.concat(chunks) : undefined }).then(
        async (up) => {
          const body = Buffer.from(await up.arrayBuffer());
          res.writeHead(up.status, { 'content-type': up.headers.get('content-type') ?? 'text/plain' });
          res.end(body);
        },
        () => {
          res.writeHead(502);
          res.end();
        },
      );
    });
  });
  return { server, paths, setTarget: (t) => (target = t), address: () => `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const relay = recordingRelay();
let fx: BridgeFixture;
const clients: JssdkClient[] = [];

beforeAll(async () => {
  await new Promise<void>((resolve) => relay.server.listen(0, '127.0.0.1', resolve));
  fx = await startBridgeFixture((server) => {
    relay.setTarget(server.apiAddress);
    return { upstream: { apiAddress: relay.address(), wsAddress: server.wsAddress } };
  });
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await fx.close();
  await new Promise((resolve) => relay.server.close(resolve));
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
  const routes = () => relay.paths.filter((p) => p.startsWith('/group/set_group_info'));

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
