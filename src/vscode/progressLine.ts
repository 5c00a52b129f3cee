import { formatTokens, formatUsd } from '../core/format';
import type { TraceDocument } from '../core/trace/types';

// Pure: the one-line progress shown in the status bar and the progress notification, and the
// status bar's line once a run ended. Numbers in the shared format (src/core/format.ts).

/**
 * Tokens and cost so far: finished steps count fully, streaming steps by an estimate of their
 * output (~4 characters a token; `estimated` says so); a finished document has the totals.
 */
export function totals(doc: TraceDocument): { tokens: number; costUsd: number; estimated: boolean } {
  if (doc.status !== 'running') return { tokens: doc.usage.inputTokens + doc.usage.outputTokens, costUsd: doc.costUsd, estimated: false };
  let tokens = 0;
  let costUsd = 0;
  let estimated = false;
  for (const r of doc.rounds) {
    if (!r) continue;
    tokens += r.policy.usage.inputTokens + r.policy.usage.outputTokens;
    costUsd += r.policy.costUsd;
    for (const s of r.steps) {
      if (s.status === 'running') {
        if (s.output.length > 0) estimated = true;
        tokens += Math.ceil(s.output.length / 4);
        continue;
      }
      tokens += s.usage.inputTokens + s.usage.outputTokens;
      costUsd += s.costUsd;
    }
  }
  return { tokens, costUsd, estimated };
}

/** "step 3/3 · gpt · ~1.2k tok · $0.0042"; parallel steps read "steps 1–2/3 · gemini, claude". */
export function progressLine(doc: TraceDocument): string {
  const round = doc.rounds.filter(Boolean).at(-1);
  const { tokens, costUsd, estimated } = totals(doc);
  const money = `${estimated ? '~' : ''}${formatTokens(tokens)} tok · ${formatUsd(costUsd)}`;
  if (!round) return `planning · ${money}`;
  const steps = round.steps;
  const running = steps.filter((s) => s.status === 'running');
  const roundTag = round.index > 0 ? ` (round ${round.index + 1})` : '';
  if (running.length === 0) {
    const started = steps.filter((s) => s.status !== 'pending').length;
    return `step ${Math.max(started, 1)}/${steps.length}${roundTag} · ${steps.at(-1)?.worker ?? ''} · ${money}`;
  }
  const first = running[0].index + 1;
  const last = running[running.length - 1].index + 1;
  const which = first === last ? `step ${first}` : `steps ${first}–${last}`;
  const who = running.map((s) => (s.retries > 0 ? `${s.worker} (retry ${s.retries})` : s.worker)).join(', ');
  return `${which}/${steps.length}${roundTag} · ${who} · ${money}`;
}

/** "succeeded · 12.3k tok · $0.054": the status bar's line once a run ended. */
export function outcomeLine(doc: TraceDocument): string {
  return `${doc.status.replace('_', ' ')} · ${formatTokens(doc.usage.inputTokens + doc.usage.outputTokens)} tok · ${formatUsd(doc.costUsd)}`;
}
