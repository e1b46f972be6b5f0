/**
 * Generated documentation stays in step with its sources. Run with UPDATE_DOCS=1 to rewrite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { configMarkdownTable, OPTIONS, type OptionName } from '../../common/config';
import { configMarkdownTableZh, OPTION_DOCS_ZH } from '../../common/configDocsZh';
import { BridgeMetrics } from '../../module/http/metrics';

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

  it('README.zh-CN.md configuration table matches the option definitions and their Chinese descriptions', () => {
    checkSection('README.zh-CN.md', '<!-- config-table:start -->', '<!-- config-table:end -->', configMarkdownTableZh());
  });

  it('every option has a Chinese description, written from its current English one', () => {
    const problems: string[] = [];
    for (const name of Object.keys(OPTIONS) as OptionName[]) {
      const spec = OPTIONS[name];
      const zh: { en: string; zh: string } | undefined = OPTION_DOCS_ZH[name];
      const hash = createHash('sha256').update(spec.doc).digest('hex').slice(0, 8);
      if (!zh || !/[\u4e00-\u9fff]/.test(zh.zh)) problems.push(`--${spec.flag}: no Chinese description in common/configDocsZh.ts (en: '${hash}')`);
      else if (zh.en !== hash) problems.push(`--${spec.flag}: its English description changed since the Chinese was written; review the Chinese in common/configDocsZh.ts, then set en: '${hash}'`);
    }
    expect(problems).toEqual([]);
  });

  it('the Chinese docs name only options and metrics the bridge has', async () => {
    // Besides the bridge's own: npm start's, and the container engine's the docs show.
    const flags = new Set(['config', 'help', 'foreground', 'build-arg', 'network', ...Object.values(OPTIONS).map((s) => s.flag)]);
    const metrics = new BridgeMetrics({ connections: () => 0, connectionCapacity: () => 0, sessionsByPlatform: () => new Map(), parked: () => 0 });
    const names = new Set(
      (await metrics.registry.getMetricsAsJSON()).flatMap((f) => (String(f.type) === 'histogram' ? [f.name, `${f.name}_bucket`, `${f.name}_sum`, `${f.name}_count`] : [f.name])),
    );
    const files = ['README.zh-CN.md', ...fs.readdirSync(path.join(root, 'docs/zh-CN')).map((f) => `docs/zh-CN/${f}`)];
    const unknown: string[] = [];
    for (const file of files) {
      const text = fs.readFileSync(path.join(root, file), 'utf8');
      for (const [, flag] of text.matchAll(/`--([\w-]+)/g)) if (!flags.has(flag!)) unknown.push(`${file}: --${flag}`);
      for (const [metric] of text.matchAll(/\bopenim_bridge_\w+/g)) if (!names.has(metric)) unknown.push(`${file}: ${metric}`);
    }
    expect(files.length).toBeGreaterThan(1);
    expect(unknown).toEqual([]);
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
    const { EVENT_RELAY_LIST, DERIVED_EVENT_LIST } = require('../../core_func/events') as typeof import('../../core_func/events');
    expect([...EVENT_RELAY_LIST, ...DERIVED_EVENT_LIST].map((r) => r.event).filter((e) => !events.includes(e))).toEqual([]);
  });

  /** End-to-end suites that mention a method (as the jssdk's camelCase call or its name) or an event. */
  function coverage(names: readonly string[]): Map<string, string[]> {
    const dirs = ['test/bridge', 'test/browser', 'test/transport'];
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of fs.readdirSync(path.join(root, d), { withFileTypes: true })) {
        const rel = `${d}/${e.name}`;
        if (e.isDirectory()) walk(rel);
        else if (e.name.endsWith('.test.ts')) files.push(rel);
      }
    };
    dirs.forEach(walk);
    const sources = files.map((f) => [f, fs.readFileSync(path.join(root, f), 'utf8')] as const);
    const out = new Map<string, string[]>();
    for (const name of names) {
      const camel = name[0]!.toLowerCase() + name.slice(1);
      const patterns = [new RegExp(`\\.${camel}\\(`), new RegExp(`['"\`]${name}['"\`]`)];
      out.set(name, sources.filter(([, text]) => patterns.some((p) => p.test(text))).map(([f]) => f));
    }
    return out;
  }

  it('docs/API.md matches the table, with the tests that cover each entry', () => {
    const { apiMarkdown } = require('../../core_func/apiDoc') as typeof import('../../core_func/apiDoc');
    const file = path.join(root, 'docs/API.md');
    const generated = apiMarkdown(methods, events, coverage([...methods, ...events]));
    if (process.env.UPDATE_DOCS === '1') fs.writeFileSync(file, generated);
    expect(fs.readFileSync(file, 'utf8')).toBe(generated);
  });

  it('covers every jssdk method that reaches the socket and every applicable event, each with an end-to-end test', () => {
    const { ADAPTERS } = require('../../core_func/table') as typeof import('../../core_func/table');
    const { CLIENT_SIDE_METHODS, NOT_APPLICABLE_EVENTS, NOT_EMITTED_UPSTREAM } = require('../../core_func/apiDoc') as typeof import('../../core_func/apiDoc');
    const { EVENT_RELAY_LIST, DERIVED_EVENT_LIST } = require('../../core_func/events') as typeof import('../../core_func/events');
    const relayed = new Set([...EVENT_RELAY_LIST, ...DERIVED_EVENT_LIST].map((r) => r.event));
    expect(methods.filter((m) => !CLIENT_SIDE_METHODS.has(m) && !ADAPTERS.has(m))).toEqual([]);
    expect(events.filter((e) => !NOT_APPLICABLE_EVENTS.has(e) && !relayed.has(e))).toEqual([]);
    const cov = coverage([...methods, ...events]);
    const producible = events.filter((e) => relayed.has(e) && !NOT_EMITTED_UPSTREAM.has(e));
    const untested = [...methods.filter((m) => ADAPTERS.has(m)), ...producible].filter((n) => (cov.get(n) ?? []).length === 0);
    expect(untested).toEqual([]);
  });
});

describe('Parity table', () => {
  it('every row names an existing end-to-end test by its exact name, or says why the bridge differs', () => {
    const { PARITY_ROWS } = require('../../core_func/coreRules/parity') as typeof import('../../core_func/coreRules/parity');
    const problems: string[] = [];
    for (const row of PARITY_ROWS) {
      if (!row.test && !row.difference) problems.push(`${row.topic}: neither a test nor a reason`);
      if (!row.test) continue;
      const file = path.join(root, row.test.file);
      if (!fs.existsSync(file)) {
        problems.push(`${row.topic}: no file ${row.test.file}`);
        continue;
      }
      // Test names are single-quoted in our suites; compare with their escapes undone.
      const source = fs.readFileSync(file, 'utf8').replace(/\\'/g, "'");
      if (!source.includes(`it('${row.test.name}'`)) problems.push(`${row.topic}: no test named "${row.test.name}" in ${row.test.file}`);
    }
    expect(problems).toEqual([]);
  });
});
