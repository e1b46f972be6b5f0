import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openFileLimit } from '../../common/openFileLimit';

function limitsFile(line: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'limits-'));
  const file = path.join(dir, 'limits');
  fs.writeFileSync(file, `Limit                     Soft Limit           Hard Limit           Units\nMax processes             95348                95348                processes\n${line}\nMax locked memory         8388608              8388608              bytes\n`);
  return file;
}

describe('openFileLimit', () => {
  it('reads the soft limit', () => {
    expect(openFileLimit(limitsFile('Max open files            20000                40000                files'))).toBe(20000);
  });
  it('is undefined when unlimited or unreadable', () => {
    expect(openFileLimit(limitsFile('Max open files            unlimited            unlimited            files'))).toBeUndefined();
    expect(openFileLimit('/nonexistent/limits')).toBeUndefined();
  });
  it('reads this process\'s limit on Linux', () => {
    if (process.platform !== 'linux') return;
    expect(openFileLimit()).toBeGreaterThan(0);
  });
});
