/**
 * The benchmark suite in quick mode (tiny sizes, a few seconds): it must run end to end and
 * produce numbers. No timing is asserted here; the figures belong to `npm run bench`.
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

function runQuick(outDir: string, extra: string[] = []): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [path.join(root, 'bench', 'run.mjs'), '--quick', '--no-build', '--out', outDir, ...extra], { cwd: root, timeout: 110_000 }, (err, _stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stderr }),
    );
    child.stdin?.end();
  });
}

const isNumber = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x);

describe('benchmark suite, quick mode', () => {
  it('runs every case end to end and reports numbers for each, with a table and a plot', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-quick-'));
    try {
      const { code, stderr } = await runQuick(outDir);
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const r = JSON.parse(fs.readFileSync(path.join(outDir, 'quick.json'), 'utf8'));
      expect(r.errors).toEqual({});
      const c = r.cases;
      for (const x of [c.local.bridge, c.local.rawEcho, c.local.jssdkEcho, c.upstream.getSelfUserInfo.bridge, c.upstream.getSelfUserInfo.direct, c.upstream.sendMessage.bridge, c.upstream.sendMessage.direct]) {
        expect(isNumber(x.p50) && isNumber(x.p99)).toBe(true);
      }
      expect(c.sessions.steps.length).toBeGreaterThan(0);
      for (const s of c.sessions.steps) expect([s.loginsPerSecond, s.heapPerSession, s.rssPerSession, s.idleCpu.bridge, s.probe.p99].every(isNumber)).toBe(true);
      expect([c.fanout.bridge.last, c.fanout.direct.last].every(isNumber)).toBe(true);
      expect(c.throughput.steps.length).toBeGreaterThan(0);
      for (const s of c.throughput.steps) expect([s.deliveredPerSecond, s.latency.p99, s.cpu.bridge, s.cpu.emulator].every(isNumber)).toBe(true);
      expect(c.codecs.rows.map((r: { codec: string; transport: string }) => `${r.codec}/${r.transport}`)).toEqual(['json/ws', 'msgpack/ws', 'msgpack/tcp']);
      for (const r of c.codecs.rows) expect([r.bytesPerMessage, r.messageFrameBytes, r.bridgeCpuSecondsPer100k].every(isNumber) && r.messages === c.codecs.messages).toBe(true);
      expect(fs.readFileSync(path.join(outDir, 'PERFORMANCE.md'), 'utf8')).toContain('| jssdk → bridge');
      expect(fs.statSync(path.join(outDir, 'cost-growth.png')).size).toBeGreaterThan(1000);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);

  it('measures an earlier commit\'s build beside this one (--baseline-commit), and removes its worktree', async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-baseline-'));
    try {
      const { code, stderr } = await runQuick(outDir, ['--only', 'sessions', '--baseline-commit', 'e89bb98']);
      expect({ code, stderr: code === 0 ? '' : stderr }).toEqual({ code: 0, stderr: '' });
      const r = JSON.parse(fs.readFileSync(path.join(outDir, 'quick.json'), 'utf8'));
      expect(r.errors).toEqual({});
      const base = r.cases.baseline;
      expect(base.commit).toBe('e89bb98');
      expect(base.steps.map((s: { target: number }) => s.target)).toEqual(r.cases.sessions.steps.map((s: { target: number }) => s.target));
      for (const s of base.steps) expect([s.loginsPerSecond, s.bridgeCpuMsPerLogin, s.heapPerSession, s.rssPerSession].every(isNumber) && s.direct === undefined).toBe(true);
      expect(fs.readFileSync(path.join(outDir, 'PERFORMANCE.md'), 'utf8')).toContain("commit `e89bb98`'s build");
      const hash = execFileSync('git', ['rev-parse', 'e89bb98^{commit}'], { cwd: root, encoding: 'utf8' }).trim();
      expect(fs.existsSync(path.join(os.tmpdir(), `bench-baseline-${hash}`))).toBe(false);
    } finally {
      fs.rmSync(outDir, { recursive: true, force: true });
    }
  }, 120_000);
});
