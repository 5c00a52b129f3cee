// What an eval's results say: per arm, and each policy arm paired against the best single model.
import type { EvalResult } from './results';
import { mcnemarExact, median, wilsonInterval, type Interval } from './stats';

export interface ArmSummary {
  arm: string;
  attempts: number;
  passes: number;
  passRate: number;
  interval: Interval;
  callsPerTask: number;
  tokensPerTask: number;
  costPerTask: number;
  p50WallMs: number;
  errors: number;
}

export interface Pairing {
  arm: string;
  against: string;
  /** Pairs (same task and repeat) where only `arm` passed, only `against` passed, or both agreed. */
  wins: number;
  losses: number;
  ties: number;
  pValue: number;
}

export interface EvalSummary {
  arms: ArmSummary[];
  bestSingle: string | null;
  pairings: Pairing[];
}

export const isSingleArm = (arm: string) => arm.startsWith('single:');

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);

export function summarise(results: EvalResult[], armOrder?: string[]): EvalSummary {
  const byArm = new Map<string, EvalResult[]>();
  for (const r of results) {
    const list = byArm.get(r.arm) ?? [];
    list.push(r);
    byArm.set(r.arm, list);
  }
  // Without a given order (merged shards): policies first, then single models by name.
  const canonical = [...byArm.keys()].sort((a, b) => Number(isSingleArm(a)) - Number(isSingleArm(b)) || (isSingleArm(a) ? a.localeCompare(b) : 0));
  const names = [...(armOrder ?? []).filter((a) => byArm.has(a)), ...canonical.filter((a) => !armOrder?.includes(a))];
  const arms = names.map((arm): ArmSummary => {
    const rs = byArm.get(arm)!;
    const passes = rs.filter((r) => r.pass).length;
    return {
      arm,
      attempts: rs.length,
      passes,
      passRate: passes / rs.length,
      interval: wilsonInterval(passes, rs.length),
      callsPerTask: mean(rs.map((r) => r.calls)),
      tokensPerTask: mean(rs.map((r) => r.inputTokens + r.outputTokens)),
      costPerTask: mean(rs.map((r) => r.costUsd)),
      p50WallMs: median(rs.map((r) => r.wallMs)),
      errors: rs.filter((r) => r.errorKind !== null).length,
    };
  });
  // The best single model: highest pass rate, then the cheaper one.
  const singles = arms.filter((a) => isSingleArm(a.arm)).sort((a, b) => b.passRate - a.passRate || a.costPerTask - b.costPerTask);
  const bestSingle = singles[0]?.arm ?? null;
  const pairings: Pairing[] = [];
  if (bestSingle) {
    const base = new Map(byArm.get(bestSingle)!.map((r) => [`${r.task}\u0000${r.repeat}`, r.pass]));
    for (const a of arms) {
      if (isSingleArm(a.arm)) continue;
      let wins = 0;
      let losses = 0;
      let ties = 0;
      for (const r of byArm.get(a.arm)!) {
        const other = base.get(`${r.task}\u0000${r.repeat}`);
        if (other === undefined) continue;
        if (r.pass && !other) wins++;
        else if (!r.pass && other) losses++;
        else ties++;
      }
      pairings.push({ arm: a.arm, against: bestSingle, wins, losses, ties, pValue: mcnemarExact(wins, losses) });
    }
  }
  return { arms, bestSingle, pairings };
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const usd = (x: number) => `$${x < 0.01 && x > 0 ? x.toFixed(5) : x.toFixed(4)}`;
const secs = (ms: number) => (Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(1)}s`);
const pFmt = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

/** The summary as plain text for a terminal. */
export function formatSummary(s: EvalSummary): string {
  const rows = [['arm', 'tasks', 'pass', '95% CI', 'calls/task', 'tokens/task', 'cost/task', 'p50 wall', 'errors']];
  for (const a of s.arms) {
    rows.push([
      a.arm,
      String(a.attempts),
      pct(a.passRate),
      `${pct(a.interval.low)}–${pct(a.interval.high)}`,
      a.callsPerTask.toFixed(1),
      Math.round(a.tokensPerTask).toString(),
      usd(a.costPerTask),
      secs(a.p50WallMs),
      String(a.errors),
    ]);
  }
  const lines = [table(rows)];
  if (s.pairings.length) {
    lines.push('', `Paired against the best single model (${s.bestSingle}), same tasks:`);
    const prow = [['arm', 'wins', 'losses', 'ties', 'McNemar p']];
    for (const p of s.pairings) prow.push([p.arm, String(p.wins), String(p.losses), String(p.ties), pFmt(p.pValue)]);
    lines.push(table(prow));
  }
  return lines.join('\n');
}
