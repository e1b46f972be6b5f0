/**
 * Generated documentation stays in step with its sources. Run with UPDATE_DOCS=1 to rewrite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { configMarkdownTable } from '../../common/config';

const root = path.resolve(__dirname, '../..');

function between(text: string, start: string, end: string): string {
  const i = text.indexOf(start);
  const j = text.indexOf(end);
  if (i < 0 || j < i) throw new Error(`markers ${start} … ${end} not found`);
  return text.slice(i + start.length, j).trim();
}

function checkSection(file: string, start: string, end: string, generated: string): void {
  const p = path.join(root, file);
  const text = fs.readFileSync(p, 'utf8');
  if (process.env.UPDATE_DOCS === '1') {
    const i = text.indexOf(start) + start.length;
    fs.writeFileSync(p, `${text.slice(0, i)}\n${generated}\n${text.slice(text.indexOf(end))}`);
    return;
  }
  expect(between(text, start, end)).toBe(generated.trim());
}

describe('Generated documentation', () => {
  it('--help lists every option of the README table with its default', () => {
    const { helpText } = require('../../common/config') as typeof import('../../common/config');
    const help = helpText();
    const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
    const rows = [...between(readme, '<!-- config-table:start -->', '<!-- config-table:end -->').matchAll(/^\| `(--\w+)` \| `(\w+)` \| `([^`]*)` \|/gm)];
    expect(rows.length).toBeGreaterThan(20);
    for (const [, flag, env, def] of rows) {
      expect(help).toContain(`${flag} / ${env}  (default: ${def})`);
    }
  });

  it('README configuration table matches the option definitions', () => {
    checkSection('README.md', '<!-- config-table:start -->', '<!-- config-table:end -->', configMarkdownTable());
  });
});

describe('Adapter table against the jssdk', () => {
  // Loaded lazily: the jssdk is the contract, not a runtime dependency of the bridge.
  const jssdk = require('open-im-sdk') as { RequestApi: Record<string, string>; CbEvents: Record<string, string> };
  const methods = Object.values(jssdk.RequestApi);
  const events = Object.values(jssdk.CbEvents);

  it('declares only methods open-im-sdk 3.5.2 has', () => {
    const { ADAPTERS } = require('../../core_func/table') as typeof import('../../core_func/table');
    expect([...ADAPTERS.keys()].filter((m) => !methods.includes(m))).toEqual([]);
  });

  it('relays only events open-im-sdk 3.5.2 knows (others would settle pending requests)', () => {
    const { EVENT_RELAY_LIST } = require('../../core_func/events') as typeof import('../../core_func/events');
    expect(EVENT_RELAY_LIST.map((r) => r.event).filter((e) => !events.includes(e))).toEqual([]);
  });

  it('docs/API.md matches the table', () => {
    const { apiMarkdown } = require('../../core_func/apiDoc') as typeof import('../../core_func/apiDoc');
    const file = path.join(root, 'docs/API.md');
    const generated = apiMarkdown(methods, events);
    if (process.env.UPDATE_DOCS === '1') fs.writeFileSync(file, generated);
    expect(fs.readFileSync(file, 'utf8')).toBe(generated);
  });
});
