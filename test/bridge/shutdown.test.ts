/**
 * Graceful shutdown of the real process: on SIGTERM every client sees a 1001 close (so the
 * jssdk reconnects, e.g. to another instance; spread over --drain_ms, test/cluster/drain.test.ts)
 * and the process exits 0 within its bound.
 */
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { startBridgeProcess } from '../support/bridgeProcess';

const SESSIONS = 100;
const BATCH = 20;
/** Closes spread over this window (--drain_ms). */
const DRAIN_MS = 2_000;
/** The bound the bridge promises: the drain window plus SHUTDOWN_GRACE_MS. */
const EXIT_BOUND_MS = DRAIN_MS + 10_000;

describe('SIGTERM', () => {
  it(`closes ${SESSIONS} sessions with 1001 and exits 0 within ${EXIT_BOUND_MS} ms`, async () => {
    // All clients share one address here: no per-IP rate limit.
    const bridge = await startBridgeProcess(['--openIM_log_level', 'warn', '--connect_rate_per_ip', '0', '--drain_ms', String(DRAIN_MS)]);
    const { apiAddress } = bridge.ready.upstream;
    const admin = await adminToken(apiAddress, 'openIM123');
    const users = Array.from({ length: SESSIONS }, (_, i) => uniqueUserID(`sd${i}`));
    await registerUsers(apiAddress, admin, users.map((userID) => ({ userID })));

    const clients: JssdkClient[] = [];
    const closes: Promise<number>[] = [];
    for (let i = 0; i < users.length; i += BATCH) {
      await Promise.all(
        users.slice(i, i + BATCH).map(async (u) => {
          const c = createJssdk(u);
          clients.push(c);
          await jssdkLogin(c, { token: await userToken(apiAddress, admin, u, 5), wsAddr: bridge.ready.wsAddress, apiAddr: apiAddress });
          const ws = (c.sdk as unknown as { wsManager: { ws: import('ws').WebSocket } }).wsManager.ws;
          closes.push(new Promise((resolve) => ws.once('close', (code: number) => resolve(code))));
        }),
      );
    }
    expect(closes).toHaveLength(SESSIONS);

    // A jssdk client reconnects 5 s after a 1001 close; this process has nowhere else to send it.
    for (const c of clients) c.stopReconnecting();
    const sent = Date.now();
    bridge.child.kill('SIGTERM');
    const codes = await Promise.all(closes);
    expect(new Set(codes)).toEqual(new Set([1001]));
    const exit = await bridge.exited();
    expect(exit).toEqual({ code: 0, signal: null });
    expect(Date.now() - sent).toBeLessThan(EXIT_BOUND_MS);
  }, 120_000);
});
