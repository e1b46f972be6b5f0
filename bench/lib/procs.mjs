/**
 * The processes of one benchmark case: emulator, bridge, echo floor and load generators, each
 * its own OS process; CPU read from /proc, the bridge's memory from its /metrics.
 */
import { fork, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The checkout whose dist/ is measured; BENCH_ROOT overrides it. */
export const root = process.env.BENCH_ROOT ? path.resolve(process.env.BENCH_ROOT) : path.resolve(here, '..', '..');
const CLK_TCK = 100; // Linux USER_HZ

const live = new Set();
export function killAll() {
  for (const child of live) {
    try {
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  }
  live.clear();
}
process.on('exit', killAll);

function waitReady(child, what, timeoutMs = 30_000) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} not ready within ${timeoutMs} ms`)), timeoutMs);
    const stderr = [];
    child.stderr?.on('data', (d) => {
      stderr.push(String(d));
      if (stderr.length > 50) stderr.shift();
    });
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      let o;
      try {
        o = JSON.parse(l);
      } catch {
        return;
      }
      if (o.event === 'ready') {
        clearTimeout(timer);
        resolve(o);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited with ${code} before it was ready: ${stderr.join('').slice(-2000)}`));
    });
  });
}

function track(child) {
  live.add(child);
  child.once('exit', () => live.delete(child));
  return child;
}

async function stopChild(child, graceMs = 5_000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

export async function startEmulator() {
  const child = track(spawn(process.execPath, [path.join(here, '..', 'emulatorProcess.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] }));
  raiseFileLimit(child.pid);
  const ready = await waitReady(child, 'emulator');
  return { name: 'emulator', pid: child.pid, ...ready, stop: () => stopChild(child) };
}

/** redis-server on a free port, in a temp directory, without persistence (the state-store case). */
export async function startRedisServer() {
  const bin = ['/usr/bin/redis-server', '/usr/local/bin/redis-server'].find((p) => fs.existsSync(p));
  if (!bin) throw new Error('redis-server is not installed (apt-get install redis-server)');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-redis-'));
  const port = await new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const p = s.address().port;
      s.close(() => resolve(p));
    });
  });
  const child = track(spawn(bin, ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] }));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('redis-server did not start')), 10_000);
    readline.createInterface({ input: child.stdout }).on('line', (l) => {
      if (l.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return {
    name: 'redis',
    pid: child.pid,
    url: `redis://127.0.0.1:${port}/0`,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startEcho() {
  const child = track(spawn(process.execPath, [path.join(here, '..', 'echoServer.mjs')], { stdio: ['pipe', 'pipe', 'pipe'] }));
  const ready = await waitReady(child, 'echo server');
  return { name: 'echo', pid: child.pid, ...ready, stop: () => stopChild(child) };
}

/**
 * The bridge exactly as deployed (dist/cmd/main.js), plus a GC hook for memory readings;
 * `bridgeRoot`: another checkout's build (--baseline-commit), by default this one's.
 */
export async function startBridge(emulator, { cpuProfDir, extraArgs = [], bridgeRoot = root } = {}) {
  const nodeArgs = ['--expose-gc', '--require', path.join(here, 'benchHooks.cjs')];
  if (cpuProfDir) nodeArgs.push('--cpu-prof', '--cpu-prof-dir', cpuProfDir);
  const args = [
    path.join(bridgeRoot, 'dist', 'cmd', 'main.js'),
    '--sdk_ws_port', '0',
    '--host', '127.0.0.1',
    '--openIM_api_address', emulator.apiAddress,
    '--openIM_ws_address', emulator.wsAddress,
    '--openIM_log_level', 'error',
    '--connect_rate_per_ip', '0', // every generator connects from 127.0.0.1
    '--openIMDbDir', fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bridge-db-')), // a local store of its own
    ...extraArgs,
  ];
  const child = track(fork(args[0], args.slice(1), { execArgv: nodeArgs, stdio: ['pipe', 'pipe', 'pipe', 'ipc'] }));
  raiseFileLimit(child.pid);
  const ready = await waitReady(child, 'bridge');
  const httpBase = ready.wsAddress.replace(/^ws/, 'http');
  let seq = 0;
  const pending = new Map();
  child.on('message', (m) => {
    const p = pending.get(m?.id);
    if (p) {
      pending.delete(m.id);
      p(m.result);
    }
  });
  const hook = (cmd, extra = {}) => {
    const id = ++seq;
    return new Promise((resolve) => {
      pending.set(id, resolve);
      child.send({ cmd, id, ...extra });
    });
  };
  return {
    name: 'bridge',
    pid: child.pid,
    tcpAddress: ready.tcpAddress,
    fileLimit: openFileLimit(child.pid),
    /** CPU profile of one phase, written to `file` (a .cpuprofile). */
    profileStart: () => hook('profileStart'),
    profileStop: (file) => hook('profileStop', { file }),
    /** A heap snapshot of the bridge process, written to `file` (a .heapsnapshot). */
    heapSnapshot: (file) => hook('heapSnapshot', { file }),
    wsAddress: ready.wsAddress,
    httpBase,
    /**
     * Full GC in the bridge, then heap and RSS read inside the process right after it (over
     * IPC), and its session counts from /metrics. Memory is never taken from /metrics: at
     * its open-file limit the bridge's process metrics cannot read /proc and go stale.
     */
    async memory() {
      const { memory: own, workers = [] } = await hook('gc');
      const memory = { heapUsed: own.heapUsed, rss: own.rss };
      for (const w of workers) {
        memory.heapUsed += w.heapUsed;
        memory.rss += w.rss;
      }
      let counts = { sessions: NaN, connections: NaN };
      let source = 'ipc';
      try {
        const m = await metrics(httpBase);
        counts = { sessions: sumOf(m, 'openim_bridge_sessions'), connections: m.openim_bridge_connections };
      } catch (err) {
        source = `ipc (/metrics unreachable: ${err?.cause?.code ?? err?.message})`;
      }
      return { source, heapUsed: memory.heapUsed, rss: memory.rss, ...counts };
    },
    metrics: () => metrics(httpBase),
    stop: () => stopChild(child, 15_000),
  };
}

function sumOf(m, prefix) {
  let s = 0;
  for (const [k, v] of Object.entries(m)) if (k === prefix || k.startsWith(`${prefix}{`)) s += v;
  return s;
}

/** Prometheus text → { 'name{labels}': value }. */
export async function metrics(httpBase) {
  const res = await fetch(`${httpBase}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const out = {};
  for (const line of (await res.text()).split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const i = line.lastIndexOf(' ');
    out[line.slice(0, i)] = Number(line.slice(i + 1));
  }
  return out;
}

/** A load-generator process; `call(cmd, args)` runs one of its commands. */
/** A load-generator process (`file`: bench/generator.mjs, or another script speaking its IPC protocol). */
export async function startGenerator(name, file = 'generator.mjs') {
  const child = track(fork(path.join(here, '..', file), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: ['--max-old-space-size=4096', '--expose-gc'] }));
  let seq = 0;
  const pending = new Map();
  await new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`generator exited with ${code}`)));
    child.on('message', (m) => {
      if (m?.ready) return resolve();
      const p = pending.get(m?.id);
      if (!p) return;
      pending.delete(m.id);
      if (m.error) p.reject(new Error(`${name}: ${m.error}`));
      else p.resolve(m.result);
    });
  });
  child.on('exit', () => {
    for (const p of pending.values()) p.reject(new Error(`${name} exited`));
    pending.clear();
  });
  return {
    name,
    pid: child.pid,
    call(cmd, args) {
      const id = ++seq;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        child.send({ id, cmd, args });
      });
    },
    async stop() {
      if (child.connected) child.disconnect();
      await stopChild(child, 3_000);
    },
  };
}

/**
 * The bridge holds two sockets per session (client and upstream), the emulator one per
 * session plus HTTP: 10,000 sessions need more than a common 20,000 descriptor limit. Raise the
 * limit of those two processes when allowed (root or a high hard limit); say so otherwise.
 */
export const FILE_LIMIT = 65_536;
export const fileLimitNotes = [];
function raiseFileLimit(pid) {
  const r = spawnSync('prlimit', [`--pid=${pid}`, `--nofile=${FILE_LIMIT}:${FILE_LIMIT}`], { encoding: 'utf8' });
  if (r.status !== 0) fileLimitNotes.push(`could not raise the open-file limit of pid ${pid} to ${FILE_LIMIT}: ${(r.stderr || r.error?.message || '').trim()}`);
}

/** The soft open-file limit a process runs with, from /proc. */
export function openFileLimit(pid) {
  try {
    const m = /Max open files\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/limits`, 'utf8'));
    return m ? Number(m[1]) : NaN;
  } catch {
    return NaN;
  }
}

/** CPU seconds (user + system) a process and its live child processes (a bridge's workers) have used so far, from /proc. */
export function cpuSeconds(pid) {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    let secs = (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime
    for (const child of childPids(pid)) secs += cpuSeconds(child) || 0;
    return secs;
  } catch {
    return NaN;
  }
}

function childPids(pid) {
  try {
    return fs.readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean).map(Number);
  } catch {
    return [];
  }
}

/** Resident memory of a process from /proc, bytes. */
export function rssBytes(pid) {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Busy and total jiffies of the whole machine (all cores), from /proc/stat. */
function machineJiffies() {
  try {
    const f = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: NaN, total: NaN };
  }
}

/**
 * Starts a CPU window over the processes; `end()` gives each one's share of one core, in %,
 * and `machine`: every process on the machine together (ours and anyone else's), also in % of
 * one core (so at most cores × 100).
 */
export function cpuWindow(procs) {
  const t0 = performance.now();
  const start = procs.map((p) => cpuSeconds(p.pid));
  const m0 = machineJiffies();
  return {
    end() {
      const secs = (performance.now() - t0) / 1000;
      const out = {};
      procs.forEach((p, i) => {
        out[p.name] = (100 * (cpuSeconds(p.pid) - start[i])) / secs;
      });
      const m1 = machineJiffies();
      out.machine = (100 * (m1.busy - m0.busy)) / CLK_TCK / secs;
      return out;
    },
  };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
