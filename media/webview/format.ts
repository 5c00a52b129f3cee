// Panel-only number formats. Tokens, dollars and durations come from src/core/format.ts, shared with
// the status bar, the progress notification and the CLI.

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
