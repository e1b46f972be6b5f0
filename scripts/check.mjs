#!/usr/bin/env zx
// Exits 0 and prints one status line when the bridge started by start.mjs is up; non-zero otherwise.
import { readState, isAlive, getJson } from './lib.mjs';

const state = readState();
if (!state) {
  console.log('openim-bridge: not running (no run/bridge.json)');
  process.exit(1);
}
if (!isAlive(state.pid)) {
  console.log(`openim-bridge: not running (pid ${state.pid} is gone)`);
  process.exit(1);
}
const health = await getJson(`${state.httpAddress}/healthz`);
if (!health || health.status !== 200) {
  console.log(`openim-bridge: pid ${state.pid} does not answer at ${state.httpAddress}/healthz`);
  process.exit(1);
}
console.log(`openim-bridge: healthy, pid ${state.pid}, wsAddr ${state.wsAddress}, upstream ${state.upstream.apiAddress}`);
