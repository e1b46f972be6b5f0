#!/usr/bin/env zx
// Builds if needed, starts the bridge in the background (pid + log in run/), waits until it
// answers and prints its endpoints. `--foreground` keeps it attached (containers, systemd).
// Any other argument is passed to the bridge (see `--help`).
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { root, runDir, stateFile, logFile, readState, isAlive, getJson } from './lib.mjs';
import { buildIfNeeded, entry } from './build.mjs';

const START_TIMEOUT_MS = 60_000;
const args = process.argv.slice(2).filter((a) => !/\/start\.mjs$/.test(a));
const foreground = args.includes('--foreground');
const bridgeArgs = args.filter((a) => a !== '--foreground');
const code = buildIfNeeded();
if (code !== 0) process.exit(code);

if (foreground) {
  const child = spawn(process.execPath, [entry, ...bridgeArgs], { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  const existing = readState();
  if (existing && isAlive(existing.pid)) {
    console.log(`already running (pid ${existing.pid}) at ${existing.wsAddress}`);
    process.exit(0);
  }
  fs.mkdirSync(runDir, { recursive: true });
  fs.writeFileSync(logFile, '');
  const out = fs.openSync(logFile, 'a');
  const child = spawn(process.execPath, [entry, ...bridgeArgs], { cwd: root, detached: true, stdio: ['ignore', out, out] });
  child.unref();
  const deadline = Date.now() + START_TIMEOUT_MS;
  let ready;
  while (!ready && Date.now() < deadline) {
    if (child.exitCode !== null || !isAlive(child.pid)) break;
    ready = fs
      .readFileSync(logFile, 'utf8')
      .split('\n')
      .map((l) => { try { return JSON.parse(l); } catch { return undefined; } })
      .find((l) => l && l.event === 'ready');
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  if (!ready) {
    console.error(`the bridge did not start; see ${logFile}:`);
    console.error(fs.readFileSync(logFile, 'utf8').split('\n').slice(-20).join('\n'));
    try { process.kill(child.pid); } catch { /* already gone */ }
    process.exit(1);
  }
  const httpAddress = ready.wsAddress.replace(/^ws/, 'http');
  const health = await getJson(`${httpAddress}/healthz`);
  const demoPage = await fetch(`${httpAddress}/`, { method: 'HEAD' }).then((r) => r.ok, () => false);
  fs.writeFileSync(stateFile, JSON.stringify({ pid: child.pid, port: ready.port, wsAddress: ready.wsAddress, httpAddress, upstream: ready.upstream }, null, 2));
  console.log(`openim-bridge started (pid ${child.pid}, health ${health?.status ?? 'unknown'})`);
  console.log(`  jssdk wsAddr:   ${ready.wsAddress}`);
  console.log(`  HTTP:           ${httpAddress}  (/healthz)`);
  console.log(`  OpenIM API:     ${ready.upstream.apiAddress}`);
  console.log(`  OpenIM gateway: ${ready.upstream.wsAddress}`);
  console.log(`  log:            ${logFile}`);
  if (demoPage) console.log(`  demo page:      ${httpAddress}/  (open it in two tabs, log in as two users)`);
  console.log('stop it with: npm stop');
}
