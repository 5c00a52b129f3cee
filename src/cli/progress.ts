import { formatMs, formatTokens, formatUsd } from '../core/format';
import { describeChoice } from '../core/policies/learned/describeChoice';
import type { TraceEvent } from '../core/trace/types';
import { applyEvent, emptyTrace } from '../core/trace/reduce';

/** Prints one line per step start/finish on a stream, with running totals. */
export function progressPrinter(out: NodeJS.WritableStream): (e: TraceEvent) => void {
  const doc = emptyTrace();
  let lastTick = 0;
  return (e) => {
    applyEvent(doc, e);
    const step = 'index' in e && 'round' in e ? doc.rounds[e.round]?.steps[e.index] : undefined;
    const total = doc.rounds[('round' in e ? e.round : 0)]?.steps.length ?? 0;
    switch (e.type) {
      case 'run-started':
        if (e.context.length) out.write(`fugu: context: ${e.context.join(', ')}\n`);
        break;
      case 'round-started':
        if (e.policy.learned) out.write(`fugu: ${describeChoice(e.policy.learned)}\n`);
        out.write(`fugu: round ${e.round} (${e.kind}, ${e.policy.backend}${e.policy.fallback ? ` → ${e.policy.fallback.to}: ${e.policy.fallback.reason}` : ''}): ${e.steps.length} step(s)\n`);
        break;
      case 'step-started':
        if (step) out.write(`fugu: step ${e.index + 1}/${total} ${step.worker} (${step.provider} ${step.model}) started\n`);
        break;
      case 'step-delta': {
        const now = Date.now();
        if (step && now - lastTick > 2000) {
          lastTick = now;
          out.write(`fugu: step ${e.index + 1}/${total} ${step.worker} … ~${formatTokens(Math.ceil(step.output.length / 4))} tokens so far\n`);
        }
        break;
      }
      case 'step-retry':
        out.write(`fugu: step ${e.index + 1} retry ${e.attempt} in ${e.delayMs} ms (${e.reason})\n`);
        break;
      case 'step-finished':
        if (step) {
          const took = formatMs(step.startMs !== null ? e.endMs - step.startMs : 0);
          out.write(`fugu: step ${e.index + 1}/${total} ${step.worker} ${e.status} in ${took}: ${formatTokens(e.usage.inputTokens)} in / ${formatTokens(e.usage.outputTokens)} out, ${formatUsd(e.costUsd)}${e.error ? ` (${e.error})` : ''}\n`);
        }
        break;
      // [verify]
      case 'check-started':
        out.write(`fugu: check ${e.step.model} started\n`);
        break;
      case 'check-finished': {
        const c = e.check;
        const base = c.baseline ? `; before the edits: ${c.baseline.outcome}` : '';
        out.write(`fugu: check ${c.command} ${c.outcome}${c.exitCode !== null ? ` (exit ${c.exitCode})` : ''} in ${(c.durationMs / 1000).toFixed(1)}s${base}${c.reason ? ` — ${c.reason}` : ''}\n`);
        break;
      }
      case 'step-tool-result': {
        // One line per call, once its result is in.
        const use = step?.toolUses?.find((u) => u.id === e.id);
        if (step && use) {
          const outcome = e.ok ? `${e.result.split('\n').length} line(s)${e.truncated ? ', cut' : ''}` : oneLine(e.result, 200);
          out.write(`fugu: step ${e.index + 1}/${total} ${step.worker} ${use.name}(${oneLine(use.arguments, 120)}): ${outcome}\n`);
        }
        break;
      }
      case 'round-note':
        out.write(`fugu: ${e.note}\n`);
        break;
      case 'run-finished':
        out.write(`fugu: run ${e.status} in ${formatMs(e.wallMs)}: ${e.calls} call(s), ${formatTokens(e.usage.inputTokens + e.usage.outputTokens)} tokens, ${formatUsd(e.costUsd)}\n`);
        break;
    }
  };
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}
