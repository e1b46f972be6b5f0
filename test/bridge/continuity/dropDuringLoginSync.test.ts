/**
 * The socket drops while a login is still reading its lists. The OpenIM API is slow to answer
 * the application lists the bridge reads at login (a relay holds them until the test lets them
 * through), so OnSyncServerFinish waits for them; the app's socket drops right after Login was
 * answered, messages are sent while it is away, and the jssdk comes back by itself inside the
 * resume grace. Only then does the API answer. The app must get OnSyncServerFinish once, and
 * every message sent meanwhile once, in seq order: what the app is sent belongs to its app
 * instance (feed/), not to the socket that happened to be there when it was produced.
 */
import { registerUsers, uniqueUserID } from '../../support/admin';
import { startBridgeFixture, type BridgeFixture } from '../../support/bridge';
import { chatWorld, expectExactlyOnceInOrder, sendBurst, waitForAll } from '../../support/continuity';
import { startHoldingRelay, type HoldingRelay } from '../../support/holdingRelay';
import { CLIENT_MODES, createJssdk, jssdkLogin, type JssdkClient } from '../../support/jssdk';
import { waitUntil } from '../../support/wait';

/** The lists the bridge reads at every login that was not resumed (relation catch-up), and the client SDK's sync does not. */
const LOGIN_LISTS = ['/friend/get_friend_apply_list', '/friend/get_self_friend_apply_list', '/group/get_recv_group_applicationList', '/group/get_user_req_group_applicationList'];
/** The jssdk retries every 5 s; room for a loaded machine. */
const RECONNECT_MS = 40_000;

describe.each(CLIENT_MODES)('with a %s client', (mode) => {
  describe('A socket that drops while the login still reads its lists, and resumes within the grace', () => {
    let relay: HoldingRelay;
    let fx: BridgeFixture;
    const resumes: Record<string, number> = {};
    const clients: JssdkClient[] = [];
    beforeAll(async () => {
      relay = await startHoldingRelay(LOGIN_LISTS);
      fx = await startBridgeFixture((server) => {
        relay.setTarget(server.apiAddress);
        return { upstream: { apiAddress: relay.address(), wsAddress: server.wsAddress }, observer: { resume: (o) => void (resumes[o] = (resumes[o] ?? 0) + 1) } };
      });
    });
    afterAll(async () => {
      relay.release();
      await Promise.all(clients.map((c) => c.dispose()));
      await fx.close();
      await relay.close();
    });

    it('gets OnSyncServerFinish once and every message sent meanwhile once, in order, after the API answers', async () => {
      const userID = uniqueUserID('slowlists');
      await registerUsers(fx.server.apiAddress, fx.adminToken, [{ userID }]);
      const world = await chatWorld(fx.server.apiAddress, fx.adminToken, userID, 2, 1);
      const app = createJssdk(userID, mode);
      clients.push(app);
      const start = app.events.mark();
      await jssdkLogin(app, { token: await fx.tokenFor(userID), wsAddr: fx.bridge.wsAddress, apiAddr: fx.server.apiAddress });
      // Login is answered; the lists it reads are still held.
      await waitUntil(() => relay.held() > 0, 'the login to read its lists');
      expect(app.events.history.slice(start).filter((e) => e.event === 'OnSyncServerFinish')).toHaveLength(0);

      expect(fx.bridge.dropConnections(userID)).toBe(1);
      await waitUntil(() => fx.bridge.parkedCount() === 1, 'the session to be parked');
      const expected = await sendBurst(world, 3, 'during the drop');
      await waitUntil(() => resumes.hit === 1, 'the jssdk to come back and resume', RECONNECT_MS);

      relay.release();
      const got = await waitForAll(app, start, expected, 20_000);
      expectExactlyOnceInOrder(got, expected);
      await app.events.waitFor('OnSyncServerFinish', undefined, 20_000, start);
      // Anything still under way has had its turn once a request made after it is answered.
      expect((await app.sdk.getLoginStatus()).data).toBe(3);
      expect(app.events.history.slice(start).filter((e) => e.event === 'OnSyncServerFinish')).toHaveLength(1);
    }, 120_000);
  });
});
