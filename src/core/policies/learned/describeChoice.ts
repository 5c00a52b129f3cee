// How a learned choice reads in one line (CLI, `fugu learn --explain`) and in the panel's top three.
import type { LearnedCandidateRecord, LearnedRecord } from '../../trace/types';

/**
 * The one line the CLI prints: `policy learned: planned(gemini,claude→gpt) p=0.82±0.07 $0.031
 * (41 outcomes; builtin would pick the same)`.
 */
export function describeChoice(r: LearnedRecord): string {
  const c = r.candidates.find((x) => x.label === r.pick);
  if (!c) return `policy learned: ${r.pick}`;
  const half = (c.hi - c.lo) / 2;
  const usd = c.costUsd >= 0.1 ? c.costUsd.toFixed(2) : c.costUsd.toFixed(3);
  const why = r.outcomes === 0 ? 'no outcomes yet: builtin’s pick' : r.pick === r.builtin ? 'builtin would pick the same' : `builtin would pick ${r.builtin}`;
  const explored = r.explored ? '; exploring' : '';
  return `policy learned: ${r.pick} p=${c.p.toFixed(2)}±${half.toFixed(2)} $${usd} (${c.outcomes} outcomes; ${why}${explored})`;
}

/** One candidate in a few words: `single(gpt) p=0.74±0.09 $0.004 · 12 outcomes`. */
export function describeCandidate(c: LearnedCandidateRecord): string {
  const usd = c.costUsd >= 0.1 ? c.costUsd.toFixed(2) : c.costUsd.toFixed(3);
  return `${c.label} p=${c.p.toFixed(2)}±${((c.hi - c.lo) / 2).toFixed(2)} $${usd} · ${c.outcomes} outcome${c.outcomes === 1 ? '' : 's'}`;
}
