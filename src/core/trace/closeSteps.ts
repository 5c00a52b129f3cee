import type { StepStatus, TraceDocument, TraceEvent } from './types';

/**
 * The step-finished events that close every step a run leaves open when it stops (a step
 * that never started is 'skipped'; one still running when the run ended is 'cancelled' or
 * 'failed'), so a finished trace never shows 'pending' or 'running'.
 */
export function closeOpenSteps(doc: TraceDocument, endMs: number, cancelled: boolean, why: string): TraceEvent[] {
  const out: TraceEvent[] = [];
  for (const r of doc.rounds) {
    if (!r) continue;
    for (const s of r.steps) {
      if (s.status !== 'pending' && s.status !== 'running') continue;
      const status: StepStatus = s.status === 'pending' ? 'skipped' : cancelled ? 'cancelled' : 'failed';
      out.push({
        type: 'step-finished', round: r.index, index: s.index, status, output: s.output, usage: s.usage,
        costUsd: s.costUsd, endMs, retries: s.retries, error: why,
      });
    }
  }
  return out;
}
