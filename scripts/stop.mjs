#!/usr/bin/env zx
// Stops the bridge started by start.mjs with SIGTERM (graceful), SIGKILL after a grace period.
import fs from 'node:fs';
import { stateFile, readState, isAlive } from './lib.mjs';

const GRACE_MS = 15_000;
const state = readState();
if (!state || !isAlive(state.pid)) {
  console.log('openim-bridge: not running');
  fs.rmSync(stateFile, { force: true });
  process.exit(0);
}
process.kill(state.pid, 'SIGTERM');
const deadline = Date.now() + GRACE_MS;
while (isAlive(state.pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
if (isAlive(state.pid)) {
  console.log(`openim-bridge: pid ${state.pid} ignored SIGTERM for ${GRACE_MS} ms; killing`);
  process.kill(state.pid, 'SIGKILL');
}
fs.rmSync(stateFile, { force: true });
console.log(`openim-bridge: stopped (pid ${state.pid})`);
