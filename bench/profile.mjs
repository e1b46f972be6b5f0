#!/usr/bin/env node
/**
 * Summarises a V8 .cpuprofile (from `--cpu-prof`): self time by function and by package/file.
 * Usage: node bench/profile.mjs FILE.cpuprofile [top=25]
 */
import fs from 'node:fs';

const [file, topArg] = process.argv.slice(2);
const top = Number(topArg ?? 25);
const prof = JSON.parse(fs.readFileSync(file, 'utf8'));
const byId = new Map(prof.nodes.map((n) => [n.id, n]));
const self = new Map();
const dt = prof.timeDeltas;
for (let i = 0; i < prof.samples.length; i++) {
  const id = prof.samples[i];
  self.set(id, (self.get(id) ?? 0) + (dt[i] ?? 0));
}
const total = [...self.values()].reduce((a, b) => a + b, 0);
const fns = new Map();
const files = new Map();
const where = (url) => {
  if (!url) return '(native / V8)';
  const nm = url.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = url.slice(nm + 13).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const d = url.indexOf('/dist/');
  if (d >= 0) return url.slice(d + 6);
  if (url.startsWith('node:')) return url;
  return url;
};
for (const [id] of [...self]) {
  if (byId.get(id).callFrame.functionName === '(idle)') self.delete(id);
}
const busy = [...self.values()].reduce((a, b) => a + b, 0);
for (const [id, us] of self) {
  const n = byId.get(id);
  const cf = n.callFrame;
  const key = `${cf.functionName || '(anonymous)'}  ${where(cf.url)}:${cf.lineNumber + 1}`;
  fns.set(key, (fns.get(key) ?? 0) + us);
  const w = where(cf.url);
  files.set(w, (files.get(w) ?? 0) + us);
}
const show = (m, title) => {
  console.log(`\n${title} (${(busy / 1e6).toFixed(2)} s busy of ${(total / 1e6).toFixed(2)} s sampled; % of busy)`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(`${((100 * us) / busy).toFixed(1).padStart(5)} %  ${(us / 1000).toFixed(0).padStart(7)} ms  ${k}`);
};
show(files, 'self time by package / file');
show(fns, 'self time by function');
