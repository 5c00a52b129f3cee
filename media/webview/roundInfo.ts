// What the panel says about how a round came to be: which policy wrote it, what the conductor
// answered word for word, which answers were rejected and why, and whether it fell back.
import type { TraceRound } from '../../src/core/trace/types';
import { formatMs, formatTokens, formatUsd } from '../../src/core/format';
import { describeCandidate, describeChoice } from '../../src/core/policies/learned/describeChoice';

export interface RoundInfo {
  title: string;
  /** One line: backend, calls, tokens, cost (null when the policy made no call). */
  summary: string;
  /** "Fell back to builtin: …" when the conductor gave no usable workflow. */
  fallback: string | null;
  rejectionsLabel: string;
  rejections: string[];
  /** The conductor's raw answers, in order (empty for builtin, fugu and repair rounds). */
  answers: string[];
  /** The learned policy's card: its pick in one line, and the three best candidates with their evidence. */
  learned: { headline: string; top: { text: string; picked: boolean }[] } | null;
}

const KIND: Record<TraceRound['kind'], string> = {
  initial: 'initial',
  corrective: 'corrective, ordered by the conductor',
  repair: 'repair of failed edits',
};

export function roundInfo(round: TraceRound): RoundInfo {
  const p = round.policy;
  const parts = [p.backend === 'repair' ? 'no policy call' : `policy ${p.backend}`];
  if (p.rawAnswers.length) parts.push(`${p.rawAnswers.length} ${p.rawAnswers.length === 1 ? 'answer' : 'answers'}`);
  const tokens = p.usage.inputTokens + p.usage.outputTokens;
  if (tokens) parts.push(`${formatTokens(p.usage.inputTokens)} in / ${formatTokens(p.usage.outputTokens)} out`);
  if (p.costUsd) parts.push(formatUsd(p.costUsd));
  // How long the conductor took to write the workflow (a builtin decision takes no time worth showing).
  if (p.startMs !== undefined && p.endMs !== undefined && p.rawAnswers.length) parts.push(formatMs(p.endMs - p.startMs));
  return {
    title: `Round ${round.index} · ${KIND[round.kind]}`,
    summary: parts.join(' · '),
    fallback: p.fallback ? `Fell back to ${p.fallback.to}: ${p.fallback.reason}` : null,
    rejectionsLabel: p.backend === 'repair' ? 'Sent back to the coder' : 'Rejected answers',
    rejections: [...p.rejections],
    answers: [...p.rawAnswers],
    learned: p.learned
      ? {
          headline: describeChoice(p.learned).replace(/^policy learned: /, ''),
          top: p.learned.candidates.slice(0, 3).map((c) => ({ text: describeCandidate(c), picked: c.label === p.learned!.pick })),
        }
      : null,
  };
}
