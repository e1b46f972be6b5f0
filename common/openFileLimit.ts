/**
 * The process's open-file limit (soft RLIMIT_NOFILE). Node has no getrlimit; Linux shows it
 * in /proc/self/limits. Undefined where that file does not exist or says "unlimited".
 */
import { readFileSync } from 'node:fs';

export function openFileLimit(limitsFile = '/proc/self/limits'): number | undefined {
  let text: string;
  try {
    text = readFileSync(limitsFile, 'utf8');
  } catch {
    return undefined;
  }
  const m = /^Max open files\s+(\d+|unlimited)\s/m.exec(text);
  if (!m || m[1] === 'unlimited') return undefined;
  return Number(m[1]);
}
