import type { TraceDocument } from '../core/trace/types';

// Pure: the one-line progress shown in the status bar and the progress notification.

export function formatTokens(n: number): string {
  return n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : n >= 1000 ? `${(n / 1000).toFixed(1)}k` : String(n);
}

export function formatCost(usd: number): string {
  return usd === 0 ? '$0' : usd < 0.01 ? `$${usd.toFixed(4)}` : `$${usd.toFixed(2)}`;
}

/** Tokens and cost so far: finished steps count fully; a run-finished document has the totals. */
export function totals(doc: TraceDocument): { tokens: number; costUsd: number } {
  if (doc.status !== 'running') return { tokens: doc.usage.inputTokens + doc.usage.outputTokens, costUsd: doc.costUsd };
  let tokens = 0;
  let costUsd = 0;
  for (const r of doc.rounds) {
    if (!r) continue;
    tokens += r.policy.usage.inputTokens + r.policy.usage.outputTokens;
    costUsd += r.policy.costUsd;
    for (const s of r.steps) {
      tokens += s.usage.inputTokens + s.usage.outputTokens;
      costUsd += s.costUsd;
    }
  }
  return { tokens, costUsd };
}

/** "step 2/3 · claude, gemini · 1.2k tok · $0.0042" (planning before the first round). */
export function progressLine(doc: TraceDocument): string {
  const round = doc.rounds.filter(Boolean).at(-1);
  const { tokens, costUsd } = totals(doc);
  const money = `${formatTokens(tokens)} tok · ${formatCost(costUsd)}`;
  if (!round) return `planning · ${money}`;
  const steps = round.steps;
  const running = steps.filter((s) => s.status === 'running');
  const started = steps.filter((s) => s.status !== 'pending').length;
  const who = running.length ? running.map((s) => s.worker).join(', ') : (steps.at(-1)?.worker ?? '');
  const roundTag = round.index > 0 ? ` (round ${round.index + 1})` : '';
  return `step ${Math.max(started, 1)}/${steps.length}${roundTag} · ${who} · ${money}`;
}
