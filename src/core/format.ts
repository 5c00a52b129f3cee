// Numbers as every surface shows them: the trace panel, the status bar, the progress notification and
// the CLI's progress lines. Pure (no `node:` import), so the webview bundles it too.

/**
 * Token counts: exact below 1,000, then one decimal of k below 100k (12.3k, 1.8k, and 8k rather
 * than 8.0k), whole k below a million (400k), then M the same way (1.2M).
 */
export function formatTokens(n: number): string {
  const v = Math.max(0, Math.round(n));
  if (v < 1000) return String(v);
  if (v < 99_950) return `${oneDecimal(v / 1000)}k`;
  if (v < 999_500) return `${Math.round(v / 1000)}k`;
  if (v < 99_950_000) return `${oneDecimal(v / 1e6)}M`;
  return `${Math.round(v / 1e6)}M`;
}

function oneDecimal(x: number): string {
  return x.toFixed(1).replace(/\.0$/, '');
}

/** Dollars, with enough digits that a run just over a small budget does not read as exactly at it ($0.054 / $0.05). */
export function formatUsd(usd: number): string {
  if (usd === 0) return '$0';
  if (usd < 0.01) return `$${usd.toFixed(4)}`;
  if (usd < 1) return `$${usd.toFixed(3).replace(/(\.\d\d)0$/, '$1')}`;
  return `$${usd.toFixed(2)}`;
}

export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** How long ago `iso` was, from `now`: "just now", "3 min ago", "2 h ago", "yesterday", "5 days ago", then the date. */
export function formatAge(iso: string, now: number): string {
  const t = Date.parse(iso);
  if (!Number.isFinite(t)) return '';
  const min = Math.floor((now - t) / 60_000);
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min ago`;
  const hours = Math.floor(min / 60);
  if (hours < 24) return `${hours} h ago`;
  const days = Math.floor(hours / 24);
  if (days === 1) return 'yesterday';
  if (days < 30) return `${days} days ago`;
  return new Date(t).toISOString().slice(0, 10);
}
