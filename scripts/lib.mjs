// Shared by start/check/stop: where the running bridge leaves its pid, address and log.
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import fs from 'node:fs';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const runDir = process.env.BRIDGE_RUN_DIR || path.join(root, 'run');
export const stateFile = path.join(runDir, 'bridge.json');
export const logFile = path.join(runDir, 'bridge.log');

export function readState() {
  try {
    return JSON.parse(fs.readFileSync(stateFile, 'utf8'));
  } catch {
    return undefined;
  }
}

export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Answers with the parsed JSON of GET url, or undefined when nothing answers. */
export async function getJson(url, timeoutMs = 2000) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    return { status: res.status, body: await res.json().catch(() => undefined) };
  } catch {
    return undefined;
  }
}
