/**
 * The demo page's HTTP side: its files, and the token endpoint that exists only in front of the
 * embedded emulator.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { demoOptionsFor, DEMO_TOKEN_PATH } from '../../module/http/demo';
import { startBridgeFixture, type BridgeFixture } from '../support/bridge';
import { startBridgeProcess, type BridgeProcess } from '../support/bridgeProcess';
import { startTestServer, type TestServer } from '../support/emulator';
import { createJssdk, jssdkLogin, type JssdkClient } from '../support/jssdk';
import { uniqueUserID } from '../support/admin';

function postToken(base: string, body: unknown): Promise<Response> {
  return fetch(base + DEMO_TOKEN_PATH, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });
}

describe('demoOptionsFor', () => {
  const embedded = { secret: 's3cret' };
  it('auto: page and token endpoint with the embedded emulator, nothing in front of a real server', () => {
    expect(demoOptionsFor('auto', embedded)).toEqual({ page: true, emulatorSecret: 's3cret' });
    expect(demoOptionsFor('auto', undefined)).toBeUndefined();
  });
  it('on: the page even in front of a real server, but never its token endpoint', () => {
    expect(demoOptionsFor('on', undefined)).toEqual({ page: true, emulatorSecret: undefined });
  });
  it('off: nothing', () => {
    expect(demoOptionsFor('off', embedded)).toBeUndefined();
  });
});

describe('Demo endpoints in front of the emulator', () => {
  let fx: BridgeFixture;
  const clients: JssdkClient[] = [];
  beforeAll(async () => {
    fx = await startBridgeFixture((server) => ({ demo: { page: true, emulatorSecret: server.secret } }));
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await fx.close();
  });

  it('serves the page, its script and style, and open-im-sdk 3.5.2\'s browser bundle', async () => {
    const page = await fetch(`${fx.bridge.httpAddress}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'"); // its own files only
    const html = await page.text();
    for (const src of ['/demo/open-im-sdk.js', '/demo/app.js', '/demo/app.css']) {
      expect(html).toContain(src);
      expect((await fetch(fx.bridge.httpAddress + src)).status).toBe(200);
    }
    expect(await (await fetch(`${fx.bridge.httpAddress}/demo/open-im-sdk.js`)).text()).toContain('openImSdk');
  });

  it('gives a token, the bridge\'s own wsAddr and apiAddr, and the token logs the jssdk in through the bridge', async () => {
    const userID = uniqueUserID('demo');
    const res = await postToken(fx.bridge.httpAddress, { userID });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { userID: string; token: string; wsAddr: string; apiAddr: string };
    expect(body).toEqual({ userID, token: expect.any(String), wsAddr: fx.bridge.wsAddress, apiAddr: fx.bridge.httpAddress });
    const client = createJssdk(userID);
    clients.push(client);
    const login = await jssdkLogin(client, { token: body.token, wsAddr: body.wsAddr, apiAddr: body.apiAddr });
    expect(login.errCode).toBe(0);
  });

  it('keeps a user who asks again (already registered) and gives a fresh token', async () => {
    const userID = uniqueUserID('again');
    expect((await postToken(fx.bridge.httpAddress, { userID })).status).toBe(200);
    expect((await postToken(fx.bridge.httpAddress, { userID })).status).toBe(200);
  });

  it.each([
    ['no JSON', 'not json'],
    ['no userID', {}],
    ['an empty userID', { userID: '' }],
    ['a userID with a colon', { userID: 'a:b' }],
    ['a userID that is not a string', { userID: 42 }],
    ['a body over 1 KiB', { userID: 'x'.repeat(2000) }],
  ])('refuses %s with 400', async (_what, body) => {
    const res = await postToken(fx.bridge.httpAddress, body);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: expect.any(String) });
  });

  it('answers other methods with 405', async () => {
    expect((await fetch(fx.bridge.httpAddress + DEMO_TOKEN_PATH)).status).toBe(405);
  });
});

describe('Demo endpoints and the configured upstream (the bridge process)', () => {
  let real: TestServer;
  const procs: BridgeProcess[] = [];
  const dirs: string[] = [];
  beforeAll(async () => {
    real = await startTestServer(); // stands in for a real OpenIM deployment
  });
  afterAll(async () => {
    for (const p of procs) p.child.kill('SIGTERM');
    await Promise.all(procs.map((p) => p.exited()));
    await real.close();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  });

  async function start(args: string[]): Promise<string> {
    // Each process its own data directory: the local store is locked by the process that opened it.
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-demo-db-'));
    dirs.push(dataDir);
    const p = await startBridgeProcess(args, { LOG_LEVEL: 'warn', OPENIM_DB_DIR: dataDir });
    procs.push(p);
    return `http://127.0.0.1:${p.ready.port}`;
  }
  const upstream = () => ['--openIM_api_address', real.apiAddress, '--openIM_ws_address', real.wsAddress];

  it('with the embedded emulator: page and token endpoint by default', async () => {
    const base = await start([]);
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await postToken(base, { userID: 'newcomer' })).status).toBe(200);
  });

  it('with a real OpenIM address: no token endpoint (404) and, by default, no page', async () => {
    const base = await start(upstream());
    expect((await postToken(base, { userID: 'intruder' })).status).toBe(404);
    expect((await fetch(`${base}/`)).status).toBe(404);
  });

  it('with a real OpenIM address and --demo_page on: the page, still no token endpoint', async () => {
    const base = await start([...upstream(), '--demo_page', 'on']);
    expect((await fetch(`${base}/`)).status).toBe(200);
    expect((await postToken(base, { userID: 'intruder' })).status).toBe(404);
  });

  it('--demo_page off: neither, even with the embedded emulator', async () => {
    const base = await start(['--demo_page', 'off']);
    expect((await fetch(`${base}/`)).status).toBe(404);
    expect((await postToken(base, { userID: 'newcomer' })).status).toBe(404);
  });
});
