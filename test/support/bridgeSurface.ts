/**
 * What a running bridge exposes, for tests of files that name it (deploy/, the dashboard, docs):
 * its metric names as its registry lists them, its options (common/config.ts) and its HTTP paths
 * as a live instance answers them.
 */
import { OPTIONS, CONFIG_FILE_ENV, CONFIG_FILE_FLAG } from '../../common/config';
import { startBridgeFixture, type BridgeFixture } from './bridge';

/** Sample names a metric family of this type appears under in the text format. */
function sampleNames(name: string, type: string): string[] {
  if (type === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

export interface BridgeSurface {
  readonly fixture: BridgeFixture;
  /** Every name a query may use: families and their histogram/summary series. */
  readonly metricNames: ReadonlySet<string>;
  readonly httpAddress: string;
  /** The HTTP status a GET of `path` gets from the live bridge. */
  status(path: string): Promise<number>;
  close(): Promise<void>;
}

export async function startBridgeSurface(): Promise<BridgeSurface> {
  const fixture = await startBridgeFixture();
  const families = await fixture.bridge.metrics.registry.getMetricsAsJSON();
  const metricNames = new Set(families.flatMap((f) => sampleNames(f.name, String(f.type))));
  const httpAddress = fixture.bridge.wsAddress.replace(/^ws/, 'http');
  return {
    fixture,
    metricNames,
    httpAddress,
    async status(path) {
      const res = await fetch(httpAddress + path);
      await res.arrayBuffer();
      return res.status;
    },
    close: () => fixture.close(),
  };
}

/** Environment variable → flag (without dashes), for every option and the config file. */
export function optionEnvs(): Map<string, string> {
  const out = new Map<string, string>([[CONFIG_FILE_ENV, CONFIG_FILE_FLAG]]);
  for (const spec of Object.values(OPTIONS)) out.set(spec.env, spec.flag);
  return out;
}

/** Flag (without dashes) → environment variable. */
export function optionFlags(): Map<string, string> {
  return new Map([...optionEnvs()].map(([env, flag]) => [flag, env]));
}
