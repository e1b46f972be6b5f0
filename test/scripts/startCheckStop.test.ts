/**
 * The two commands a newcomer runs: `npm start` (here: the zx script it runs, on free ports)
 * brings up bridge + embedded emulator, check.mjs reports healthy, stop.mjs stops it.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import WebSocket from 'ws';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');
const zx = path.join(root, 'node_modules/zx/build/cli.js');

describe('start / check / stop scripts', () => {
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bridge-run-'));
  const env = { ...process.env, BRIDGE_RUN_DIR: runDir, OPENIM_DB_DIR: path.join(runDir, 'db'), SDK_WS_PORT: '0', EMULATOR_API_PORT: '0', EMULATOR_WS_PORT: '0', BRIDGE_HOST: '127.0.0.1' };
  const script = (name: string) => run(process.execPath, [zx, path.join(root, 'scripts', name)], { cwd: root, env, timeout: 120_000 });

  afterAll(async () => {
    await script('stop.mjs').catch(() => undefined);
    fs.rmSync(runDir, { recursive: true, force: true });
  });

  it('starts in the background, reports healthy, serves jssdk upgrades, and stops', async () => {
    const started = await script('start.mjs');
    expect(started.stdout).toMatch(/openim-bridge started \(pid \d+/);
    const state = JSON.parse(fs.readFileSync(path.join(runDir, 'bridge.json'), 'utf8')) as { pid: number; wsAddress: string };
    expect(state.wsAddress).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);

    const check = await script('check.mjs');
    expect(check.stdout).toContain(`openim-bridge: healthy, pid ${state.pid}, v0.1.0, up `);
    expect(check.stdout).toMatch(/0 sessions \(0 waiting for resume\), 0 connections, 0 users online, upstream api up, gateway up/);

    // The bridge answers a jssdk upgrade with InitSDK.
    const first = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(`${state.wsAddress}/?sendID=u&token=t&platformID=5&operationID=script-op`);
      // The greeting answers the client's first frame, in its kind.
      ws.once('open', () => ws.send(JSON.stringify({ reqFuncName: 'GetLoginStatus', operationID: 'first', userID: '', data: '[]' })));
      ws.once('message', (d) => {
        resolve(d.toString());
        ws.close();
      });
      ws.once('error', reject);
    });
    expect(JSON.parse(first)).toMatchObject({ event: 'InitSDK', operationID: 'script-op' });

    const log = fs.readFileSync(path.join(runDir, 'bridge.log'), 'utf8');
    expect(log).toContain('embedded OpenIM emulator');

    const stopped = await script('stop.mjs');
    expect(stopped.stdout).toContain(`openim-bridge: stopped (pid ${state.pid})`);
    expect(() => process.kill(state.pid, 0)).toThrow();
    await expect(script('check.mjs')).rejects.toMatchObject({ code: 1 });
  });
});
