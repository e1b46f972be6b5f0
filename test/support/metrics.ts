/** A bridge's /metrics read with a real Prometheus text parser. */
import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Family {
  name: string;
  metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string }[];
}

export async function scrapeMetrics(httpAddress: string): Promise<Map<string, Family>> {
  const text = await (await fetch(`${httpAddress}/metrics`)).text();
  return new Map((parsePrometheusTextFormat(text) as Family[]).map((f) => [f.name, f]));
}

/** The sample of `name` whose labels include `labels` (a histogram's count), 0 when absent. */
export function metricValue(families: Map<string, Family>, name: string, labels: Record<string, string> = {}): number {
  const f = families.get(name);
  const m = f?.metrics.find((x) => Object.entries(labels).every(([k, v]) => x.labels?.[k] === v));
  return m ? Number(m.value ?? m.count) : 0;
}
