/**
 * deploy/grafana-dashboard.json queries only metrics the bridge exports (its registry, as a live
 * instance holds it), and charts every metric of the bridge's own (module/metrics.ts; the
 * process and Node.js defaults aside), so a metric added later shows up here as a failure.
 */
import fs from 'node:fs';
import path from 'node:path';
import { startBridgeSurface, type BridgeSurface } from '../support/bridgeSurface';

const FILE = path.resolve(__dirname, '../../deploy/grafana-dashboard.json');
const PREFIX = 'openim_bridge_';
/** prom-client's default metrics, registered with the bridge's prefix. */
const DEFAULT_METRICS = /^openim_bridge_(process|nodejs)_/;

interface Target {
  expr?: string;
}
interface Panel {
  title?: string;
  type?: string;
  targets?: Target[];
  panels?: Panel[];
}
interface Dashboard {
  uid?: string;
  panels?: Panel[];
  templating?: { list?: { name: string; query?: unknown }[] };
}

function allPanels(panels: Panel[] = []): Panel[] {
  return panels.flatMap((p) => [p, ...allPanels(p.panels)]);
}

const dashboard = JSON.parse(fs.readFileSync(FILE, 'utf8')) as Dashboard;
const queries: { where: string; expr: string }[] = [
  ...allPanels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => ({ where: `panel "${p.title}"`, expr: t.expr ?? '' }))),
  ...(dashboard.templating?.list ?? []).flatMap((v) => {
    const q = typeof v.query === 'string' ? v.query : (v.query as { query?: string } | undefined)?.query;
    return q && /label_values|query_result/.test(q) ? [{ where: `variable $${v.name}`, expr: q }] : [];
  }),
];

/** Series selectors (`name{` or `name[` or a bare `name` inside a function call) that look like our metrics. */
function metricsOf(expr: string): string[] {
  return [...expr.matchAll(new RegExp(`\\b${PREFIX}[A-Za-z0-9_]+`, 'g'))].map((m) => m[0]);
}

let surface: BridgeSurface;
beforeAll(async () => {
  surface = await startBridgeSurface();
});
afterAll(async () => {
  await surface?.close();
});

describe('deploy/grafana-dashboard.json', () => {
  it('has queries, each naming at least one openim_bridge_ metric', () => {
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.filter((q) => metricsOf(q.expr).length === 0).map((q) => `${q.where}: ${q.expr}`)).toEqual([]);
  });

  it('queries only metrics the bridge exports', () => {
    const unknown = queries.flatMap((q) => metricsOf(q.expr).filter((m) => !surface.metricNames.has(m)).map((m) => `${q.where}: ${m}`));
    expect(unknown).toEqual([]);
  });

  it('selects series only by names the bridge exports (no other job\'s metrics)', () => {
    // Any identifier directly followed by a selector or a range is a series name.
    const foreign = queries.flatMap((q) => [...q.expr.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)\s*[{[]/g)].map((m) => m[1]!).filter((n) => !n.startsWith(PREFIX)).map((n) => `${q.where}: ${n}`));
    expect(foreign).toEqual([]);
  });

  it('charts every metric of the bridge\'s own', () => {
    const charted = new Set(queries.flatMap((q) => metricsOf(q.expr)).map((m) => m.replace(/_(bucket|sum|count)$/, '')));
    const own = [...surface.metricNames].filter((m) => !DEFAULT_METRICS.test(m) && !/_(bucket|sum|count)$/.test(m));
    expect(own.filter((m) => !charted.has(m))).toEqual([]);
  });

  it('has a section for each concern the operators watch', () => {
    const rows = allPanels(dashboard.panels).filter((p) => p.type === 'row').map((p) => p.title);
    expect(rows).toEqual(expect.arrayContaining(['Sessions', 'Logins', 'Relayed messages', 'Latency', 'Catch-up', 'State store', 'Drain']));
  });
});
