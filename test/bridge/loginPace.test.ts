/**
 * --logins_per_second end to end, past its bound: at 1 a second with a 2 s login timeout (a login waits at most half of it), four
 * jssdk logins at once. One starts at once, one waits its turn (about a second) and succeeds;
 * the two whose turn would come after the timeout are answered at once (before the waiting one
 * is) with errCode 10002 naming the pace, not left hanging, through the failed-login path
 * (gate/loginRefusal.ts); tried again later with the same SDK instances, they get in.
 */
import type { WsResponse } from 'open-im-sdk';
import { bridgeSuite, TEST_LIMITS } from '../support/bridge';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { metricValue, scrapeMetrics } from '../support/metrics';

describe('Login pace (logins_per_second)', () => {
  const suite = bridgeSuite({ loginsPerSecond: 1, limits: { ...TEST_LIMITS, loginTimeoutMs: 2_000 } });

  it('makes a burst wait its turn, and answers the logins that cannot get one in time with 10002 at once', async () => {
    const users = await suite.fx.newUsers('lp', 4);
    const tokens = await Promise.all(users.map((u) => suite.fx.tokenFor(u)));
    const clients: JssdkClient[] = users.map((u) => suite.track(createJssdk(u)));
    const login = (i: number) => jssdkLogin(clients[i]!, { token: tokens[i]!, wsAddr: suite.fx.bridge.wsAddress, apiAddr: suite.fx.server.apiAddress });
    const settled: Array<{ i: number; ok: boolean; answer: WsResponse }> = [];
    const socketsClosed: Array<Promise<void>> = [];
    await Promise.all(
      users.map((_, i) => {
        const attempt = login(i);
        socketsClosed.push(clients[i]!.socketClosed());
        return attempt.then(
          (answer) => void settled.push({ i, ok: true, answer }),
          (answer: WsResponse) => void settled.push({ i, ok: false, answer }),
        );
      }),
    );
    expect(settled.filter((s) => s.ok)).toHaveLength(2);
    const refused = settled.filter((s) => !s.ok);
    expect(refused).toHaveLength(2);
    for (const r of refused) {
      expect(r.answer.errCode).toBe(10002);
      expect(clients[r.i]!.events.all('OnConnectFailed').map((e) => e.errCode)).toEqual([10002]);
      expect(r.answer.errMsg).toMatch(/^too many logins at once: they start at 1 per second here and this one would wait \d+ ms, longer than a login may wait for its turn \(half the login timeout\); try again$/);
    }
    // Refused at once: both answered before the login that waited its turn.
    expect(settled.at(-1)!.ok).toBe(true);
    const m = await scrapeMetrics(suite.fx.bridge.httpAddress);
    expect(metricValue(m, 'openim_bridge_logins_paced_total', { outcome: 'refused' })).toBe(2);
    expect(metricValue(m, 'openim_bridge_logins_paced_total', { outcome: 'waited' })).toBe(1);
    expect(metricValue(m, 'openim_bridge_login_starts_total')).toBe(2);
    expect(metricValue(m, 'openim_bridge_logins_waiting')).toBe(0);

    // Tried again one after another on the same SDK instances (the refused socket handled to its
    // end), each gets its turn within the timeout: not the jssdk's resolved 10102 "login repeat".
    for (const r of refused) {
      await socketsClosed[r.i];
      expect(await login(r.i)).toMatchObject({ event: 'Login', errCode: 0 });
      expect((await clients[r.i]!.sdk.getSelfUserInfo()).data).toMatchObject({ userID: users[r.i] });
    }
    const after = await scrapeMetrics(suite.fx.bridge.httpAddress);
    expect(metricValue(after, 'openim_bridge_login_starts_total')).toBe(4);
  }, 30_000);
});
