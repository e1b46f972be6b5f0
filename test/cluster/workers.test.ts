/**
 * `--workers 2` as a real process: the primary hands each connection to the worker that owns
 * its sendID. Real jssdk clients chat across workers, keep one session per user, resume on the
 * same worker, reach it over TCP too; /status and /metrics sum the workers; a killed worker is
 * restarted and its users come back; the admin API asks the user's worker; SIGTERM closes
 * everyone with 1001 and exits 0.
 */
import WebSocket from 'ws';
import { connectUrl, openRaw, type RawClient } from '../support/rawClient';
import { adminPost, adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { startBridgeProcess, type BridgeProcess } from '../support/bridgeProcess';
import { pickIndex } from '../../network/connectionHandoff';
import { BridgeClient } from '../../client';
import { POLL_INTERVAL_MS } from '../support/wait';

const WORKERS = 2;
/** The jssdk waits this long before it reconnects; waits below allow for it. */
const RECONNECT_WAIT_MS = 20_000;

interface WorkerStatus {
  index: number;
  pid: number;
  alive: boolean;
  restarts: number;
  sessions: number;
}
interface Status {
  sessions: number;
  connections: number;
  parkedSessions: number;
  onlineUsers: number;
  workers: WorkerStatus[];
  user?: { userID: string; sessions: number };
}

/** `count` fresh user IDs that the primary routes to `worker`. */
function usersOn(worker: number, count: number, prefix: string): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const id = uniqueUserID(prefix);
    if (pickIndex(id, WORKERS) === worker) out.push(id);
  }
  return out;
}

describe('a bridge with two workers', () => {
  let bridge: BridgeProcess;
  let apiAddress: string;
  let admin: string;
  let httpBase: string;
  const clients: JssdkClient[] = [];

  const status = async (query = ''): Promise<Status> => (await fetch(`${httpBase}/status${query}`)).json() as Promise<Status>;
  const login = async (userID: string): Promise<JssdkClient> => {
    const c = createJssdk(userID);
    clients.push(c);
    await jssdkLogin(c, { token: await userToken(apiAddress, admin, userID, 5), wsAddr: bridge.ready.wsAddress, apiAddr: apiAddress });
    await c.events.waitFor('OnSyncServerFinish');
    return c;
  };
  const sendText = (from: string, to: string, text: string) =>
    adminPost(apiAddress, admin, '/msg/send_msg', { sendID: from, recvID: to, senderPlatformID: 5, content: { content: text }, contentType: 101, sessionType: 1 });
  const received = (c: JssdkClient, text: string) =>
    c.events.waitFor('OnRecvNewMessages', (e) => JSON.stringify(e.data).includes(text), RECONNECT_WAIT_MS);

  beforeAll(async () => {
    // --drain_ms 0: SIGTERM closes everyone at once here (the spread over a window: test/cluster/drain.test.ts),
    // before the earlier tests' clients, which still reconnect, come back to a port that is gone.
    bridge = await startBridgeProcess(['--workers', String(WORKERS), '--tcp_port', '0', '--connect_rate_per_ip', '0', '--openIM_log_level', 'warn', '--drain_ms', '0']);
    apiAddress = bridge.ready.upstream.apiAddress;
    httpBase = bridge.ready.wsAddress.replace(/^ws/, 'http');
    admin = await adminToken(apiAddress, 'openIM123');
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    if (bridge.child.exitCode === null) {
      bridge.child.kill('SIGTERM');
      await bridge.exited();
    }
  });

  it('puts each user on the worker of its sendID, and users on different workers chat', async () => {
    const [a0, b0] = usersOn(0, 2, 'w0');
    const [a1, b1] = usersOn(1, 2, 'w1');
    await registerUsers(apiAddress, admin, [a0!, b0!, a1!, b1!].map((userID) => ({ userID })));
    const [ca0, , , cb1] = await Promise.all([a0!, b0!, a1!, b1!].map(login));

    const s = await status();
    expect(s.sessions).toBe(4);
    expect(s.workers.map((w) => [w.index, w.alive, w.sessions])).toEqual([
      [0, true, 2],
      [1, true, 2],
    ]);

    // Through the jssdk's own sendMessage: worker 0's session sends, worker 1's receives.
    const msg = (await ca0!.sdk.createTextMessage('across workers')).data;
    await ca0!.sdk.sendMessage({ recvID: b1!, groupID: '', message: msg });
    const got = await received(cb1!, 'across workers');
    expect((got.data as { sendID: string }[])[0]!.sendID).toBe(a0);

    const metrics = await (await fetch(`${httpBase}/metrics`)).text();
    expect(metrics).toMatch(/^openim_bridge_sessions\{platform="5"\} 4$/m);
    expect(metrics).toMatch(/^openim_bridge_workers_alive 2$/m);
  });

  it('keeps one session per user and platform: a second login replaces the first', async () => {
    const [u] = usersOn(1, 1, 'dup');
    await registerUsers(apiAddress, admin, [{ userID: u! }]);
    const first = await login(u!);
    first.stopReconnecting();
    await login(u!);
    await first.events.waitFor('OnKickedOffline');
    expect((await status(`?userID=${u}`)).user).toEqual({ userID: u, sessions: 1 });
  });

  it('resumes a dropped session on its worker and replays what it missed', async () => {
    const [a] = usersOn(0, 1, 'ra');
    const [b] = usersOn(1, 1, 'rb');
    await registerUsers(apiAddress, admin, [{ userID: a! }, { userID: b! }]);
    const cb = await login(b!);
    const resumesBefore = resumeHits(await (await fetch(`${httpBase}/metrics`)).text());
    cb.dropSocket();
    await eventually(() => status(), (st) => st.parkedSessions === 1, 'the session to park');
    for (let i = 0; i < 3; i++) await sendText(a!, b!, `while away ${i}`);
    for (let i = 0; i < 3; i++) await received(cb, `while away ${i}`);
    expect(resumeHits(await (await fetch(`${httpBase}/metrics`)).text())).toBe(resumesBefore + 1);
  });

  it('serves TCP clients through the same primary, on the worker of their sendID', async () => {
    const [u] = usersOn(0, 1, 'tcp');
    await registerUsers(apiAddress, admin, [{ userID: u! }]);
    const token = await userToken(apiAddress, admin, u!, 5);
    const client = await BridgeClient.connect({ address: bridge.ready.tcpAddress!, userID: u!, token, reconnect: false });
    try {
      expect(await client.call('GetLoginStatus')).toBe(3);
      expect((await status()).workers[0]!.sessions).toBeGreaterThanOrEqual(1);
      expect((await status(`?userID=${u}`)).user!.sessions).toBe(1);
    } finally {
      await client.logout();
    }
  });

  it('restarts a killed worker; its users reconnect to it and chat again', async () => {
    const [a] = usersOn(0, 1, 'ka');
    const [b] = usersOn(1, 1, 'kb');
    await registerUsers(apiAddress, admin, [{ userID: a! }, { userID: b! }]);
    const cb = await login(b!);
    const victim = (await status()).workers[1]!;
    process.kill(victim.pid, 'SIGKILL');
    await eventually(() => status(`?userID=${b}`), (st) => st.user?.sessions === 1 && st.workers[1]!.pid !== victim.pid, 'worker 1 to be back with its user');
    const now = (await status()).workers[1]!;
    expect(now.alive).toBe(true);
    expect(now.restarts).toBe(victim.restarts + 1);
    await sendText(a!, b!, 'after the restart');
    await received(cb, 'after the restart');
  });

  it('serves the admin API from the primary: a user\'s sessions and a kick go to the user\'s worker', async () => {
    const [u] = usersOn(1, 1, 'adm');
    await registerUsers(apiAddress, admin, [{ userID: u! }]);
    const c = await login(u!);
    const listed = (await (await fetch(`${httpBase}/admin/sessions?userID=${u}`)).json()) as { sessions: { platformID: number; state: string; instance: string }[] };
    expect(listed.sessions.map((s) => [s.platformID, s.state])).toEqual([[5, 'active']]);
    const workerPid = (await status()).workers.find((w) => w.index === 1)!.pid;
    expect(listed.sessions[0]!.instance.endsWith(`#${workerPid}`)).toBe(true);
    const mark = c.events.mark();
    const kicked = await fetch(`${httpBase}/admin/kick`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userID: u }) });
    expect(await kicked.json()).toEqual({ userID: u, platformID: 0, kicked: 1 });
    await c.events.waitFor('OnKickedOffline', () => true, 10_000, mark);
  });

  it('on SIGTERM closes every client with 1001 and exits 0', async () => {
    const [a, b] = [usersOn(0, 1, 'ta')[0]!, usersOn(1, 1, 'tb')[0]!];
    await registerUsers(apiAddress, admin, [{ userID: a }, { userID: b }]);
    // Wrapped: an async function returning the close promise itself would wait for the close.
    const sockets = await Promise.all(
      [a, b].map(async (u) => {
        const c = await login(u);
        c.stopReconnecting();
        const ws = (c.sdk as unknown as { wsManager: { ws: WebSocket } }).wsManager.ws;
        return { closed: new Promise<number>((resolve) => ws.once('close', (code: number) => resolve(code))) };
      }),
    );
    const closes = sockets.map((s) => s.closed);
    bridge.child.kill('SIGTERM');
    expect(await Promise.all(closes)).toEqual([1001, 1001]);
    expect((await bridge.exited()).code).toBe(0);
  });
});

describe('connect_rate_per_ip with two workers', () => {
  it('counts one address\'s new connections in the primary, across workers', async () => {
    const bridge = await startBridgeProcess(['--workers', String(WORKERS), '--connect_rate_per_ip', '2', '--openIM_log_level', 'warn']);
    const httpBase = bridge.ready.wsAddress.replace(/^ws/, 'http');
    try {
      // Six users on each worker: a limit per worker would let through twice what one for the address does.
      const ids = [...usersOn(0, 6, 'r0'), ...usersOn(1, 6, 'r1')];
      const attempts = await Promise.allSettled(ids.map((id) => openRaw(connectUrl(bridge.ready.wsAddress, { sendID: id, token: 't', platformID: 5 }))));
      const refused = attempts.filter((a) => a.status === 'rejected' && (a.reason as { status?: number }).status === 429);
      const opened = attempts.filter((a): a is PromiseFulfilledResult<RawClient> => a.status === 'fulfilled');
      expect(refused.length).toBeGreaterThan(0);
      expect(opened.length).toBeGreaterThanOrEqual(2);
      for (const o of opened) o.value.close();
      const metrics = await (await fetch(`${httpBase}/metrics`)).text();
      expect(metrics).toContain(`openim_bridge_primary_refused_total{reason="too many new connections from this address"} ${refused.length}`);
      expect(metrics).not.toMatch(/openim_bridge_refused_upgrades_total\{reason="too many new connections/); // no worker refused any
    } finally {
      bridge.child.kill('SIGTERM');
      await bridge.exited();
    }
  });
});

/** Polls an asynchronous condition (the bridge's /status, in another process). */
async function eventually<T>(read: () => Promise<T>, ok: (v: T) => boolean, what: string, timeoutMs = RECONNECT_WAIT_MS): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, POLL_INTERVAL_MS));
  }
}

function resumeHits(metrics: string): number {
  const m = /^openim_bridge_resume_total\{outcome="hit"\} (\d+)$/m.exec(metrics);
  return m ? Number(m[1]) : 0;
}
