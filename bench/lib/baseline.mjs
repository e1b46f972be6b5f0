/**
 * An earlier commit's build, measured in the same run as this checkout (--baseline-commit):
 * checked out into a temporary git worktree, given this checkout's node_modules when its lock
 * file asks for nothing this one lacks (else `npm ci --offline` there), and built with tsc.
 * The emulator, load generators and hooks stay this checkout's: only the bridge differs.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 2 ** 20 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} (in ${cwd}) failed: ${(r.stderr || r.stdout || String(r.error)).trim().slice(0, 800)}`);
  return r.stdout.trim();
}

/** Packages of the baseline's lock that this checkout's lock lacks or has at another version. */
export function lockDifferences(baselineLock, currentLock) {
  const want = baselineLock.packages ?? {};
  const have = currentLock.packages ?? {};
  return Object.keys(want).filter((k) => k.startsWith('node_modules/') && have[k]?.version !== want[k].version);
}

/**
 * The baseline's checkout with dist/ built; `cleanup()` removes the worktree (kept with
 * keep=true, and reused by the next run while it exists).
 */
export function prepareBaseline(commit, checkout, { keep = false, log = (m) => process.stderr.write(`[bench] ${m}\n`) } = {}) {
  const hash = run('git', ['rev-parse', '--verify', `${commit}^{commit}`], checkout);
  const short = run('git', ['rev-parse', '--short', hash], checkout);
  const dir = path.join(os.tmpdir(), `bench-baseline-${hash}`);
  const t0 = Date.now();
  if (!fs.existsSync(path.join(dir, 'package.json'))) {
    fs.rmSync(dir, { recursive: true, force: true });
    run('git', ['worktree', 'prune'], checkout);
    run('git', ['worktree', 'add', '--detach', dir, hash], checkout);
  }
  const modules = path.join(dir, 'node_modules');
  if (!fs.existsSync(modules)) {
    const lockOf = (root) => JSON.parse(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    const differ = lockDifferences(lockOf(dir), lockOf(checkout));
    if (differ.length === 0) fs.symlinkSync(path.join(checkout, 'node_modules'), modules, 'dir');
    else {
      log(`baseline ${short}: its lock differs from this checkout's (${differ.slice(0, 3).join(', ')}${differ.length > 3 ? ', …' : ''}): npm ci --offline`);
      run('npm', ['ci', '--offline', '--no-audit', '--no-fund'], dir);
    }
  }
  const entry = path.join(dir, 'dist', 'cmd', 'main.js');
  if (!fs.existsSync(entry)) run(process.execPath, [path.join(modules, 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], dir);
  log(`baseline ${short} ready in ${dir} (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
  return {
    commit: short,
    root: dir,
    cleanup() {
      if (keep) return;
      // the link to this checkout's node_modules goes first: nothing below may follow it
      if (fs.lstatSync(modules, { throwIfNoEntry: false })?.isSymbolicLink()) fs.unlinkSync(modules);
      spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: checkout });
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
