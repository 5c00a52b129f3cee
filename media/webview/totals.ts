// Run totals and budget use. While a run is live the document's totals are not set yet
// (the executor reports them at the end), so they are summed from the steps and policy records.
import type { TraceDocument } from '../../src/core/trace/types';
import { isConductorTraceStep } from '../../src/core/workflow/conductorStep';

export interface Totals {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  wallMs: number;
}

/** `now` (ms since the run began, while it is live) makes the wall time grow between events. */
export function totalsOf(doc: TraceDocument, now?: number): Totals {
  if (doc.status !== 'running') {
    return { calls: doc.calls, inputTokens: doc.usage.inputTokens, outputTokens: doc.usage.outputTokens, costUsd: doc.costUsd, wallMs: doc.wallMs };
  }
  const t: Totals = { calls: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, wallMs: now ?? 0 };
  for (const round of doc.rounds) {
    if (!round) continue;
    t.calls += round.policy.rawAnswers.length;
    t.inputTokens += round.policy.usage.inputTokens;
    t.outputTokens += round.policy.usage.outputTokens;
    t.costUsd += round.policy.costUsd;
    // The conductor's own step reports the policy call that wrote the next round; when that round is a
    // correction, its policy record holds the same usage, so counting both would double it.
    const echoed = doc.rounds[round.index + 1]?.kind === 'corrective';
    for (const s of round.steps) {
      if (isConductorTraceStep(s)) {
        t.wallMs = Math.max(t.wallMs, s.endMs ?? s.startMs ?? 0);
        if (echoed) continue;
        // The builtin policy decides without a model call.
        if (s.usage.inputTokens + s.usage.outputTokens > 0) t.calls += 1;
      } else if (s.status !== 'pending' && s.status !== 'skipped') t.calls += 1;
      t.inputTokens += s.usage.inputTokens;
      t.outputTokens += s.usage.outputTokens;
      t.costUsd += s.costUsd;
      t.wallMs = Math.max(t.wallMs, s.endMs ?? s.startMs ?? 0);
      // A client's tool loop: the step's earlier turns were calls of their own.
      for (const turn of s.turns ?? []) {
        t.calls += 1;
        t.inputTokens += turn.usage.inputTokens;
        t.outputTokens += turn.usage.outputTokens;
        t.costUsd += turn.costUsd;
      }
    }
  }
  return t;
}

export interface BudgetUse {
  /** Fractions of each limit used (0 when the limit is unset). */
  calls: number;
  tokens: number;
  cost: number;
  /** The largest of the three: how close the run is to being stopped. */
  worst: number;
}

export function budgetUse(doc: TraceDocument, t: Totals): BudgetUse {
  const frac = (used: number, max: number) => (max > 0 ? used / max : 0);
  const calls = frac(t.calls, doc.budget.maxCalls);
  const tokens = frac(t.inputTokens + t.outputTokens, doc.budget.maxTokens);
  const cost = frac(t.costUsd, doc.budget.maxCostUsd);
  return { calls, tokens, cost, worst: Math.max(calls, tokens, cost) };
}
