/** The package version, read from the nearest package.json (works from sources and from dist/). */
import fs from 'node:fs';
import path from 'node:path';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached) return cached;
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const p = path.join(dir, 'package.json');
    if (fs.existsSync(p)) {
      const v = (JSON.parse(fs.readFileSync(p, 'utf8')) as { version?: string }).version;
      return (cached = v ?? '0.0.0');
    }
    if (path.dirname(dir) === dir) return (cached = '0.0.0');
  }
}
