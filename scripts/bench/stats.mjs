// Small statistics for the benchmark: medians and nearest-rank percentiles.

export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const median = (values) => percentile(values, 50);

/** Rounded for printing: 3 significant decimals for small figures, 1 for larger ones. */
export function round(x, digits = x !== null && Math.abs(x) < 10 ? 3 : 1) {
  return x === null || x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(digits));
}

/** Runs `fn` `n` times in sequence and returns the results. */
export async function repeat(n, fn) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await fn(i));
  return out;
}
