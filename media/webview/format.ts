// Numbers as the panel shows them. Pure functions, so they are tested in plain Node.

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Enough digits that a run just over a small budget does not read as exactly at it ($0.054 / $0.05). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1) return `$${usd.toFixed(3).replace(/(\.\d\d)0$/, '$1')}`;
  return `$${usd.toFixed(2)}`;
}

/** 620, 1.8k, 48.2k, 400k: one style for step figures, totals and budget limits alike. */
export function formatTokens(n: number): string {
  if (n < 1000) return String(n);
  const k = n / 1000;
  return `${k < 100 ? k.toFixed(1).replace(/\.0$/, '') : Math.round(k)}k`;
}

/**
 * Extra usage counters a provider reported (hosted Fugu's orchestration work), readable:
 * `completion_tokens_details.reasoning_tokens` becomes "reasoning tokens".
 */
export function extraUsageItems(extra: Record<string, number> | undefined): { label: string; value: string }[] {
  if (!extra) return [];
  return Object.entries(extra)
    .filter(([, v]) => Number.isFinite(v))
    .map(([k, v]) => ({ label: (k.split('.').pop() ?? k).replace(/_/g, ' '), value: v.toLocaleString('en-US') }));
}
