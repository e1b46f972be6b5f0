/** Percentiles (nearest rank) and small formatting helpers. */
export function percentile(values, p) {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

export function summary(values) {
  return { n: values.length, p50: percentile(values, 50), p99: percentile(values, 99), max: values.length ? Math.max(...values) : NaN };
}

export const median = (values) => percentile(values, 50);

export function fmt(x, digits = 2) {
  if (x === undefined || x === null || Number.isNaN(x)) return 'n/a';
  if (Math.abs(x) >= 1000) return Math.round(x).toLocaleString('en-US');
  return x.toFixed(digits);
}

export const ratio = (a, b) => (b > 0 ? a / b : NaN);
export const KiB = (bytes) => bytes / 1024;
export const MiB = (bytes) => bytes / 1024 / 1024;
