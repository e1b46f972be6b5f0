#!/usr/bin/env node
/**
 * Summarises a V8 .heapsnapshot (from `--heap-snapshots DIR`): self size and count by
 * constructor / node type, largest first; with a second file, the growth from the first.
 * Usage: node bench/heapSummary.mjs [BEFORE.heapsnapshot] AFTER.heapsnapshot [top=30] [per=N]
 * (`per=N` also prints bytes per N, e.g. per session).
 */
import fs from 'node:fs';

const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.heapsnapshot'));
const top = Number(args.find((a) => /^\d+$/.test(a)) ?? 30);
const per = Number((args.find((a) => a.startsWith('per=')) ?? 'per=0').slice(4));

function byConstructor(file) {
  const snap = JSON.parse(fs.readFileSync(file, 'utf8'));
  const meta = snap.snapshot.meta;
  const fields = meta.node_fields;
  const types = meta.node_types[0];
  const [iType, iName, iSize] = ['type', 'name', 'self_size'].map((f) => fields.indexOf(f));
  const out = new Map();
  const n = snap.nodes;
  for (let i = 0; i < n.length; i += fields.length) {
    const type = types[n[i + iType]];
    const key = type === 'object' || type === 'closure' ? `${type}: ${snap.strings[n[i + iName]]}` : type;
    const e = out.get(key) ?? { size: 0, count: 0 };
    e.size += n[i + iSize];
    e.count += 1;
    out.set(key, e);
  }
  return out;
}

const after = byConstructor(files[files.length - 1]);
const before = files.length > 1 ? byConstructor(files[0]) : new Map();
const rows = [...after].map(([k, v]) => ({ k, size: v.size - (before.get(k)?.size ?? 0), count: v.count - (before.get(k)?.count ?? 0) }));
rows.sort((a, b) => b.size - a.size);
const total = rows.reduce((s, r) => s + r.size, 0);
process.stdout.write(`${files.length > 1 ? 'growth' : 'total'}: ${(total / 2 ** 20).toFixed(1)} MiB${per ? `, ${(total / per / 1024).toFixed(2)} KiB per ${per}` : ''}\n`);
for (const r of rows.slice(0, top)) {
  process.stdout.write(`${(r.size / 1024).toFixed(0).padStart(9)} KiB ${String(r.count).padStart(8)}  ${per ? `${(r.size / per).toFixed(0).padStart(6)} B/1 ` : ''}${r.k}\n`);
}
