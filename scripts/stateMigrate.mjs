#!/usr/bin/env zx
// npm run state:migrate -- --from ./db --to redis://host:port/0: copies a LevelDB state store into Redis (cmd/migrateState.ts).
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { buildIfNeeded } from './build.mjs';
import { root } from './lib.mjs';

const built = buildIfNeeded();
if (built !== 0) process.exit(built);
const args = process.argv.slice(process.argv.findIndex((a) => a.endsWith('stateMigrate.mjs')) + 1);
const r = spawnSync(process.execPath, [path.join(root, 'dist', 'cmd', 'migrateState.js'), ...args], { stdio: 'inherit' });
process.exit(r.status ?? 1);
