/**
 * The container image, run: scripts/image-test.sh builds the Dockerfile and runs this suite with
 * BRIDGE_IMAGE naming the image (and CONTAINER_ENGINE, default podman, configured by that script).
 * Without BRIDGE_IMAGE the suite is skipped: `npm test` has no engine; .ci/run runs the script.
 *
 * Containers use --network host and bind port 0 (the ready line names the port). Two shapes:
 * in front of an OpenIM server outside the container (here the emulator, started by this suite;
 * the bridge configured only by OPENIM_API_ADDRESS / OPENIM_WS_ADDRESS, as the compose file and the
 * Kubernetes manifests configure it), and the quick start's embedded emulator, tokens from the
 * demo page's endpoint.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { MessageItem } from 'open-im-sdk';
import { adminToken, registerUsers, uniqueUserID, userToken } from '../support/admin';
import { startEmulator, type EmulatorHandle } from '../../emulator';
import { OPTIONS } from '../../common/config';
import { SHUTDOWN_GRACE_MS } from '../../cmd/main';
import { createJssdk, jssdkLogin, WEB, type JssdkClient } from '../support/jssdk';

const IMAGE = process.env.BRIDGE_IMAGE ?? '';
const ENGINE = process.env.CONTAINER_ENGINE ?? 'podman';
const CONTAINER_TIMEOUT_MS = 60_000;
const root = path.resolve(__dirname, '../..');

interface ReadyLine {
  port: number;
  wsAddress: string;
  upstream: { apiAddress: string; wsAddress: string };
}

interface Running {
  readonly name: string;
  readonly ready: ReadyLine;
  readonly lines: Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

let containerCount = 0;
const started: string[] = [];

function engine(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(ENGINE, args, { encoding: 'utf8', timeout: CONTAINER_TIMEOUT_MS });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** `run --rm` attached, so its stdout is the bridge's log; resolves at the bridge's ready line. */
function runImage(env: Record<string, string>): Promise<Running> {
  const name = `openim-bridge-image-test-${process.pid}-${++containerCount}`;
  started.push(name);
  const envArgs = Object.entries({ SDK_WS_PORT: '0', BRIDGE_HOST: '127.0.0.1', ...env }).flatMap(([k, v]) => ['-e', `${k}=${v}`]);
  const child: ChildProcess = spawn(ENGINE, ['run', '--rm', '--network', 'host', '--name', name, ...envArgs, IMAGE], { stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`container ${name} not ready within ${CONTAINER_TIMEOUT_MS} ms; stderr: ${stderr}`)), CONTAINER_TIMEOUT_MS);
    readline.createInterface({ input: child.stdout! }).on('line', (l) => {
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(l) as Record<string, unknown>;
      } catch {
        return;
      }
      lines.push(parsed);
      if (parsed.event === 'ready') {
        clearTimeout(timer);
        resolve({ name, ready: parsed as unknown as ReadyLine, lines, exited });
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`container ${name} exited with ${code} before it was ready; stderr: ${stderr}`));
    });
  });
}

const clients: JssdkClient[] = [];

async function loggedIn(userID: string, token: string, wsAddr: string, apiAddr: string): Promise<JssdkClient> {
  const c = createJssdk(userID);
  clients.push(c);
  await jssdkLogin(c, { token, wsAddr, apiAddr, platformID: WEB });
  await c.events.waitFor('OnSyncServerFinish');
  return c;
}

/** A text each way between two logged-in jssdk clients, checked field by field. */
async function chat(a: JssdkClient, b: JssdkClient): Promise<void> {
  for (const [from, to, text] of [
    [a, b, `hello ${b.userID}, from ${a.userID} through the image`],
    [b, a, `hello ${a.userID}, ${b.userID} answers`],
  ] as const) {
    const mark = to.events.mark();
    const created = (await from.sdk.createTextMessage(text)).data as MessageItem;
    const sent = (await from.sdk.sendMessage({ recvID: to.userID, groupID: '', message: created })).data as MessageItem;
    expect(sent).toMatchObject({ clientMsgID: created.clientMsgID, sendID: from.userID, recvID: to.userID, status: 2 });
    const recv = (await to.events.waitFor('OnRecvNewMessages', undefined, undefined, mark)).data as MessageItem[];
    expect(recv.map((m) => [m.clientMsgID, m.sendID, m.recvID, m.contentType, m.textElem?.content])).toEqual([[created.clientMsgID, from.userID, to.userID, 101, text]]);
  }
  const conversationID = `si_${[a.userID, b.userID].sort().join('_')}`;
  const history = (await a.sdk.getAdvancedHistoryMessageList({ conversationID, count: 10, startClientMsgID: '', lastMinSeq: 0 })).data;
  expect(history.messageList.map((m) => [m.sendID, m.textElem?.content])).toEqual([
    [a.userID, `hello ${b.userID}, from ${a.userID} through the image`],
    [b.userID, `hello ${a.userID}, ${b.userID} answers`],
  ]);
}

/** The logins the container's bridge counted, from its /metrics. */
async function okLogins(httpAddress: string): Promise<string[]> {
  const text = await (await fetch(`${httpAddress}/metrics`)).text();
  return text.split('\n').filter((l) => l.startsWith('openim_bridge_logins_total{'));
}

/** The longest a SIGTERM shutdown may take by the bridge's own bounds (its drain, when it has one, and its grace). */
function shutdownBoundSeconds(): number {
  const specs: Record<string, { env: string; default: unknown }> = OPTIONS;
  const drainMs = Number(Object.values(specs).find((s) => s.env === 'DRAIN_MS')?.default ?? 0);
  return Math.ceil((drainMs + SHUTDOWN_GRACE_MS) / 1000);
}

/** SIGTERM through the engine (SIGKILL only past the bridge's own bound): it logs its shutdown and exits 0. */
async function stopGracefully(c: Running): Promise<void> {
  // The clients stay connected through the shutdown, but do not try to come back afterwards.
  for (const client of clients) client.stopReconnecting();
  const stop = engine(['stop', '--time', String(shutdownBoundSeconds() + 5), c.name]);
  expect(stop.status).toBe(0);
  expect(await c.exited).toBe(0);
  expect(c.lines.map((l) => l.msg).filter((m) => m === 'shutting down' || m === 'stopped')).toEqual(['shutting down', 'stopped']);
}

(IMAGE ? describe : describe.skip)(`the container image ${IMAGE || '(BRIDGE_IMAGE unset: run scripts/image-test.sh)'}`, () => {
  jest.setTimeout(180_000);

  afterEach(async () => {
    for (const c of clients.splice(0)) await c.dispose();
    for (const name of started.splice(0)) engine(['rm', '--force', '--ignore', name]);
  });

  it('runs as the unprivileged user node and holds what package.json main points at', () => {
    const main = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { main: string }).main;
    const probe = engine(['run', '--rm', '--network', 'host', IMAGE, 'node', '-e', `const c = require('/app/${main}'); console.log(JSON.stringify({ uid: process.getuid(), cwd: process.cwd(), client: typeof c.BridgeClient, node: process.versions.node.split('.')[0] }))`]);
    expect(probe.stderr).toBe('');
    expect(JSON.parse(probe.stdout)).toEqual({ uid: 1000, cwd: '/app', client: 'function', node: expect.stringMatching(/^(2\d|[3-9]\d)$/) });
  });

  describe('in front of an OpenIM server outside the container (the deploy files\' shape)', () => {
    let server: EmulatorHandle;
    beforeAll(async () => {
      server = await startEmulator({ apiPort: 0, wsPort: 0, host: '127.0.0.1' });
    });
    afterAll(async () => {
      await server?.close();
    });

    it('two jssdk users log in through the container and chat; SIGTERM stops it cleanly', async () => {
      const c = await runImage({ OPENIM_API_ADDRESS: server.apiAddress, OPENIM_WS_ADDRESS: server.wsAddress });
      expect(c.ready.upstream).toEqual({ apiAddress: server.apiAddress, wsAddress: server.wsAddress });
      const http = c.ready.wsAddress.replace(/^ws/, 'http');
      const ready = await fetch(`${http}/readyz`);
      expect([ready.status, ((await ready.json()) as { status: string }).status]).toEqual([200, 'ready']);

      const admin = await adminToken(server.apiAddress, server.secret);
      const [alice, bob] = [uniqueUserID('img_a'), uniqueUserID('img_b')];
      await registerUsers(server.apiAddress, admin, [{ userID: alice }, { userID: bob }]);
      const a = await loggedIn(alice, await userToken(server.apiAddress, admin, alice, WEB), c.ready.wsAddress, server.apiAddress);
      const b = await loggedIn(bob, await userToken(server.apiAddress, admin, bob, WEB), c.ready.wsAddress, server.apiAddress);
      await chat(a, b);
      expect(await okLogins(http)).toEqual(['openim_bridge_logins_total{outcome="ok",platform="5"} 2']);

      await stopGracefully(c);
    });
  });

  it('with no OpenIM address (the quick start): the embedded emulator, demo tokens and a chat', async () => {
    const c = await runImage({ EMULATOR_API_PORT: '0', EMULATOR_WS_PORT: '0' });
    const http = c.ready.wsAddress.replace(/^ws/, 'http');
    expect(c.ready.upstream.apiAddress).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const page = await fetch(`${http}/`);
    expect([page.status, (await page.text()).includes('open-im-sdk')]).toEqual([200, true]);

    const tokens = new Map<string, string>();
    for (const userID of [uniqueUserID('img_q'), uniqueUserID('img_r')]) {
      const res = await fetch(`${http}/demo/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ userID }) });
      expect(res.status).toBe(200);
      tokens.set(userID, ((await res.json()) as { token: string }).token);
    }
    const [[q, qt], [r, rt]] = [...tokens];
    const a = await loggedIn(q!, qt!, c.ready.wsAddress, c.ready.upstream.apiAddress);
    const b = await loggedIn(r!, rt!, c.ready.wsAddress, c.ready.upstream.apiAddress);
    await chat(a, b);
    await stopGracefully(c);
  });
});
