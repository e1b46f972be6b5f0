#!/usr/bin/env zx
// Prints one status line for the bridge started by start.mjs: sessions, upstream state, uptime.
// Exits 0 when it is alive and ready (upstream reachable), 1 otherwise.
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
const [health, ready, status] = await Promise.all([
  getJson(`${state.httpAddress}/healthz`),
  getJson(`${state.httpAddress}/readyz`),
  getJson(`${state.httpAddress}/status`),
]);
if (!health || health.status !== 200) {
  console.log(`openim-bridge: pid ${state.pid} does not answer at ${state.httpAddress}/healthz`);
  process.exit(1);
}
const s = status?.body ?? {};
const up = ready?.body?.upstream ?? {};
const upstream = `upstream api ${up.api ? 'up' : 'DOWN'}, gateway ${up.gateway ? 'up' : 'DOWN'} (${state.upstream.apiAddress})`;
const counts = `${s.sessions ?? '?'} sessions (${s.parkedSessions ?? '?'} waiting for resume), ${s.connections ?? '?'} connections, ${s.onlineUsers ?? '?'} users online`;
const healthy = ready?.status === 200;
console.log(`openim-bridge: ${healthy ? 'healthy' : 'NOT READY'}, pid ${state.pid}, v${s.version ?? '?'}, up ${s.uptimeSeconds ?? '?'} s, wsAddr ${state.wsAddress}, ${counts}, ${upstream}`);
process.exit(healthy ? 0 : 1);
