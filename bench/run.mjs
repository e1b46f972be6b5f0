#!/usr/bin/env node
/**
 * `npm run bench`: every case, full size; writes docs/PERFORMANCE.md, bench/results/*.
 * `node bench/run.mjs --quick`: tiny sizes in a few seconds (what `npm test` runs); writes
 * only to --out (default: a temporary directory).
 * Flags: --quick, --only local,upstream,sessions,fanout,throughput,codecs,statestore, --out DIR, --doc FILE,
 * --no-build, --cpu-prof DIR (profile each bridge process for its whole life), --profile-phases
 * DIR (profile the bridge during each login, idle, fan-out and load phase only), and any size,
 * e.g. --session-steps 1000,5000 --generators 2 --idle-ms 5000 (see SIZES); --bridge-flags
 * "--write_coalescing off" runs every bridge with extra flags (the report says so); --section
 * NAME writes the results under their own markers (bench:NAME) and files (latest-NAME.json).
 * --baseline-commit REV also runs the sessions case against REV's build (a temporary git
 * worktree, bench/lib/baseline.mjs) right after this build's, the report showing both;
 * --keep-baseline keeps that worktree (a rerun then skips its checkout and build).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { catchup, codecs, fanout, localRoundTrip, sessions, sessionsBaseline, setRunID, stateStore, throughput, upstreamRoundTrip } from './cases.mjs';
import { prepareBaseline } from './lib/baseline.mjs';
import { FILE_LIMIT, fileLimitNotes, killAll, root } from './lib/procs.mjs';
import { rawFileName, writeReport } from './report.mjs';

const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const option = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};

const quick = flag('quick');
const SIZES = quick
  ? { settleWindowMs: 200, rttN: 60, sendN: 10, rounds: 2, sessionSteps: [10, 20], generators: 1, loginConcurrency: 10, settleMaxMs: 1_000, idleMs: 300, probeN: 20, fanout: 10, fanoutRounds: 1, tpSessions: 10, rates: [50, 100], stepMs: 500, drainMaxMs: 1_500, batch: 5, p99LimitMs: 1_000, codecMessages: 30, codecConcurrency: 4, stateLogins: 10, catchupSessions: 20, catchupMessages: 2, catchupLiveUsers: 2, catchupLiveRate: 20, catchupLiveMs: 3_000, catchupMaxMs: 60_000, directSessionsMax: 20, timeWaitMaxMs: 0 }
  : { settleWindowMs: 1_000, rttN: 3_000, sendN: 300, rounds: 6, sessionSteps: [1_000, 5_000, 10_000], generators: 4, loginConcurrency: 50, settleMaxMs: 30_000, idleMs: 30_000, probeN: 200, fanout: 1_000, fanoutRounds: 5, tpSessions: 1_000, rates: [250, 500, 1_000, 2_000, 4_000, 6_000, 8_000], stepMs: 5_000, drainMaxMs: 10_000, batch: 20, p99LimitMs: 1_000, codecMessages: 20_000, codecConcurrency: 32, stateLogins: 500 , catchupSessions: 5_000, catchupMessages: 2, catchupLiveUsers: 20, catchupLiveRate: 100, catchupLiveMs: 20_000, catchupMaxMs: 240_000, directSessionsMax: 5_000, timeWaitMaxMs: 65_000 };
for (const k of Object.keys(SIZES)) {
  const v = option(k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`));
  if (v !== undefined) SIZES[k] = Array.isArray(SIZES[k]) ? v.split(',').map(Number) : Number(v);
}
const cfg = { ...SIZES, cpuProfDir: option('cpu-prof'), profileDir: option('profile-phases'), heapSnapshotDir: option('heap-snapshots'), bridgeFlags: (option('bridge-flags') ?? '').split(/\s+/).filter(Boolean) };
for (const dir of [cfg.profileDir, cfg.heapSnapshotDir]) if (dir) fs.mkdirSync(dir, { recursive: true });
// A second set of results in the same document (e.g. the bridge with --workers), under its own markers.
const section = option('section', 'results');
if (!/^[a-z][a-z0-9-]*$/.test(section)) throw new Error(`--section: a lower-case word, got "${section}"`);
const CASES = { local: localRoundTrip, upstream: upstreamRoundTrip, sessions, fanout, throughput, codecs, statestore: stateStore, catchup };
/** catchup (a mass reconnect after a restart) runs only when asked for: --only catchup. */
const only = option('only', Object.keys(CASES).filter((c) => c !== 'catchup').join(',')).split(',');
const outDir = path.resolve(option('out') ?? (quick ? fs.mkdtempSync(path.join(os.tmpdir(), 'bench-')) : path.join(root, 'bench', 'results')));
const docFile = option('doc', quick ? path.join(outDir, 'PERFORMANCE.md') : path.join(root, 'docs', 'PERFORMANCE.md'));

const checkout = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
function sh(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: checkout, encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : '';
}

async function main() {
  const t0 = Date.now();
  if (!flag('no-build')) {
    const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
    if (build.status !== 0) throw new Error('build failed');
  }
  setRunID(Date.now().toString(36), cfg);
  const results = {
    mode: quick ? 'quick' : 'full',
    section,
    bridgeFlags: cfg.bridgeFlags.join(' '),
    sizes: SIZES,
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memoryGiB: +(os.totalmem() / 2 ** 30).toFixed(1),
      loadAverageAtStart: os.loadavg().map((x) => +x.toFixed(2)),
      node: process.version,
      platform: `${os.type()} ${os.release()}`,
    },
    commit: sh('git', ['rev-parse', '--short', 'HEAD']) || 'unknown',
    // The report and the raw figures of an earlier section of the same `npm run bench` do not count.
    dirty: sh('git', ['status', '--porcelain', '--', '.', ':!docs/PERFORMANCE.md', ':!bench/results']).length > 0,
    startedAt: new Date(t0).toISOString(),
    cases: {},
    errors: {},
  };
  const baselineCommit = option('baseline-commit');
  const runs = [...only];
  if (baselineCommit && only.includes('sessions')) runs.splice(runs.indexOf('sessions') + 1, 0, 'baseline');
  let baseline;
  for (const name of runs) {
    const fn =
      name === 'baseline'
        ? (c) => {
            baseline = prepareBaseline(baselineCommit, checkout, { keep: flag('keep-baseline') });
            return sessionsBaseline(c, baseline);
          }
        : CASES[name];
    if (!fn) throw new Error(`unknown case ${name}`);
    const t = Date.now();
    process.stderr.write(`[bench] ${name}…\n`);
    try {
      results.cases[name] = await fn(cfg);
    } catch (err) {
      results.errors[name] = String(err?.stack ?? err);
      process.stderr.write(`[bench] ${name} failed: ${err?.stack ?? err}\n`);
    }
    process.stderr.write(`[bench] ${name} done in ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  baseline?.cleanup();
  results.seconds = (Date.now() - t0) / 1000;
  results.fileLimit = { wanted: FILE_LIMIT, notes: [...new Set(fileLimitNotes)].slice(0, 3) };
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, rawFileName(results)), `${JSON.stringify(results, null, 2)}\n`);
  const table = await writeReport(results, { docFile, outDir });
  process.stdout.write(`${table}\n`);
  process.stderr.write(`[bench] wrote ${docFile} and ${outDir} in ${results.seconds.toFixed(0)} s\n`);
  return Object.keys(results.errors).length ? 1 : 0;
}

main().then(
  (code) => {
    killAll();
    process.exit(code);
  },
  (err) => {
    process.stderr.write(`${err?.stack ?? err}\n`);
    killAll();
    process.exit(1);
  },
);
