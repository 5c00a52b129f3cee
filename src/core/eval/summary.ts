// What an eval's results say, with the task as the unit: per arm its pass rate over tasks (a task's
// score is the fraction of its attempts that passed), the two reference rows (oracle, best fixed),
// and each other arm paired against every single model over the tasks both ran.
import { isScored, type EvalResult } from './results';
import { holm, median, signFlipTest, taskInterval, type Interval } from './stats';

export interface ArmSummary {
  arm: string;
  /** Tasks with at least one scored attempt. */
  tasks: number;
  /** Scored attempts. */
  attempts: number;
  passes: number;
  /** The mean over tasks of each task's pass fraction. */
  passRate: number;
  /** 95%, over tasks (see taskInterval). */
  interval: Interval;
  /** Means per scored attempt. */
  callsPerTask: number;
  tokensPerTask: number;
  costPerTask: number;
  /** Total cost over passing attempts; null with no pass. */
  costPerSolved: number | null;
  p50WallMs: number;
  errors: number;
  /** Attempts cut by the budget, the network or a cancel (no verdict). */
  notRun: number;
}

export interface Pairing {
  arm: string;
  against: string;
  /** Tasks both arms ran where `arm` scored higher, lower, or the same. */
  wins: number;
  losses: number;
  ties: number;
  /** Mean per-task difference of pass fractions (arm − against). */
  meanDiff: number;
  /** 'mcnemar' when every shared task has one attempt per arm; else the sign-flip permutation test. */
  test: 'mcnemar' | 'sign-flip';
  pValue: number;
  /** Holm-adjusted over this arm's comparisons with every single model. */
  pHolm: number;
}

export interface ReferenceRow {
  name: 'oracle' | 'best fixed';
  passRate: number;
  interval: Interval;
  costPerTask: number;
  costPerSolved: number | null;
  /** best fixed: the single arms tied at the top; oracle: the single arms it picks from. */
  arms: string[];
}

export interface EvalSummary {
  arms: ArmSummary[];
  /** Distinct tasks with a scored attempt. */
  tasks: number;
  /** Fewest and most scored attempts of one task by one arm. */
  repeats: { min: number; max: number };
  /** The best single arm (highest pass rate, then cheapest); null without single arms. */
  bestSingle: string | null;
  /** Every single arm with the best pass rate (more than one: a tie, named). */
  bestSingleTied: string[];
  oracle: ReferenceRow | null;
  bestFixed: ReferenceRow | null;
  pairings: Pairing[];
}

/** `single:<id>`: one worker, one call. `single:<id>+fix` is a baseline with a repair call, not a single model. */
export const isSingleArm = (arm: string) => arm.startsWith('single:') && !arm.endsWith('+fix');

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0);
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** Per task: the attempts of one arm. */
function byTask(rs: EvalResult[]): Map<string, EvalResult[]> {
  const m = new Map<string, EvalResult[]>();
  for (const r of rs) m.set(r.task, [...(m.get(r.task) ?? []), r]);
  return m;
}

const fraction = (rs: EvalResult[]) => rs.filter((r) => r.pass).length / rs.length;

export function summarise(all: EvalResult[], armOrder?: string[]): EvalSummary {
  const scored = all.filter(isScored);
  const byArm = new Map<string, EvalResult[]>();
  for (const r of all) if (!byArm.has(r.arm)) byArm.set(r.arm, []);
  for (const r of scored) byArm.get(r.arm)!.push(r);
  const notRunOf = (arm: string) => all.filter((r) => r.arm === arm && !isScored(r)).length;
  // Without a given order (merged shards): policies first, then single models by name.
  const canonical = [...byArm.keys()].sort((a, b) => Number(isSingleArm(a)) - Number(isSingleArm(b)) || (isSingleArm(a) ? a.localeCompare(b) : 0));
  const names = [...(armOrder ?? []).filter((a) => byArm.has(a)), ...canonical.filter((a) => !armOrder?.includes(a))];
  const scores = new Map<string, Map<string, number>>();
  const grouped = new Map(names.map((arm) => [arm, byTask(byArm.get(arm)!)]));
  const attemptsOf = (arm: string, task: string) => grouped.get(arm)!.get(task) ?? [];
  const arms = names.map((arm): ArmSummary => {
    const rs = byArm.get(arm)!;
    const tasks = grouped.get(arm)!;
    const perTask = new Map([...tasks].map(([t, xs]) => [t, fraction(xs)]));
    scores.set(arm, perTask);
    const passes = rs.filter((r) => r.pass).length;
    const cost = sum(rs.map((r) => r.costUsd));
    return {
      arm,
      tasks: tasks.size,
      attempts: rs.length,
      passes,
      passRate: mean([...perTask.values()]),
      interval: taskInterval([...perTask.values()]),
      callsPerTask: mean(rs.map((r) => r.calls)),
      tokensPerTask: mean(rs.map((r) => r.inputTokens + r.outputTokens)),
      costPerTask: mean(rs.map((r) => r.costUsd)),
      costPerSolved: passes ? cost / passes : null,
      p50WallMs: median(rs.map((r) => r.wallMs)),
      errors: rs.filter((r) => r.errorKind !== null).length,
      notRun: notRunOf(arm),
    };
  });
  const counts = [...grouped.values()].flatMap((m) => [...m.values()].map((xs) => xs.length));
  const taskIds = new Set(scored.map((r) => r.task));

  // Best fixed: the highest pass rate; a tie is named, and the cheaper arm is listed first.
  const singles = arms.filter((a) => isSingleArm(a.arm) && a.attempts > 0).sort((a, b) => b.passRate - a.passRate || a.costPerTask - b.costPerTask);
  const top = singles[0];
  const tied = top ? singles.filter((a) => Math.abs(a.passRate - top.passRate) < 1e-12).map((a) => a.arm) : [];
  const bestFixed: ReferenceRow | null = top
    ? { name: 'best fixed', passRate: top.passRate, interval: top.interval, costPerTask: top.costPerTask, costPerSolved: top.costPerSolved, arms: tied }
    : null;

  // Oracle: per task, the best any single arm did (a router that always picked right), at that arm's cost (the cheapest among the best).
  let oracle: ReferenceRow | null = null;
  if (singles.length) {
    const oracleScores: number[] = [];
    const oracleCosts: number[] = [];
    let solved = 0;
    for (const task of taskIds) {
      const options = singles
        .map((a) => ({ score: scores.get(a.arm)!.get(task), rs: attemptsOf(a.arm, task) }))
        .filter((o): o is { score: number; rs: EvalResult[] } => o.score !== undefined);
      if (!options.length) continue;
      const best = Math.max(...options.map((o) => o.score));
      const pick = options.filter((o) => o.score === best).sort((a, b) => mean(a.rs.map((r) => r.costUsd)) - mean(b.rs.map((r) => r.costUsd)))[0];
      oracleScores.push(best);
      oracleCosts.push(mean(pick.rs.map((r) => r.costUsd)));
      solved += best;
    }
    oracle = {
      name: 'oracle',
      passRate: mean(oracleScores),
      interval: taskInterval(oracleScores),
      costPerTask: mean(oracleCosts),
      costPerSolved: solved > 0 ? sum(oracleCosts) / solved : null,
      arms: singles.map((a) => a.arm),
    };
  }

  // Every other arm against every single arm, over the tasks both ran; Holm over each arm's family.
  const pairings: Pairing[] = [];
  for (const a of arms) {
    if (isSingleArm(a.arm) || a.attempts === 0) continue;
    const mine = scores.get(a.arm)!;
    const family: Omit<Pairing, 'pHolm'>[] = [];
    for (const s of singles) {
      const theirs = scores.get(s.arm)!;
      const diffs: number[] = [];
      let oneEach = true;
      for (const [task, score] of mine) {
        const other = theirs.get(task);
        if (other === undefined) continue;
        diffs.push(score - other);
        if (attemptsOf(a.arm, task).length !== 1 || attemptsOf(s.arm, task).length !== 1) oneEach = false;
      }
      family.push({
        arm: a.arm,
        against: s.arm,
        wins: diffs.filter((d) => d > 1e-12).length,
        losses: diffs.filter((d) => d < -1e-12).length,
        ties: diffs.filter((d) => Math.abs(d) <= 1e-12).length,
        meanDiff: mean(diffs),
        test: oneEach ? 'mcnemar' : 'sign-flip',
        pValue: signFlipTest(diffs),
      });
    }
    const adjusted = holm(family.map((p) => p.pValue));
    family.forEach((p, i) => pairings.push({ ...p, pHolm: adjusted[i] }));
  }
  return {
    arms,
    tasks: taskIds.size,
    repeats: { min: counts.length ? Math.min(...counts) : 0, max: counts.length ? Math.max(...counts) : 0 },
    bestSingle: top?.arm ?? null,
    bestSingleTied: tied,
    oracle,
    bestFixed,
    pairings,
  };
}

export const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
export const usd = (x: number) => `$${x < 0.01 && x > 0 ? x.toFixed(5) : x.toFixed(4)}`;
const secs = (ms: number) => (Number.isNaN(ms) ? '-' : `${(ms / 1000).toFixed(1)}s`);
export const pFmt = (p: number) => (p < 0.001 ? '<0.001' : p.toFixed(3));
export const solvedFmt = (x: number | null) => (x === null ? '-' : usd(x));

/** "20 tasks × 3 repeats" (or "× 1–3 attempts" when arms ran tasks unevenly). */
export function sizeLine(s: EvalSummary): string {
  const r = s.repeats.min === s.repeats.max ? `${s.repeats.max} repeat${s.repeats.max === 1 ? '' : 's'}` : `${s.repeats.min}–${s.repeats.max} attempts`;
  return `${s.tasks} task${s.tasks === 1 ? '' : 's'} × ${r}`;
}

/** Who the best single model is, with any tie named. */
export function bestLine(s: EvalSummary): string {
  if (!s.bestSingle) return '';
  return s.bestSingleTied.length > 1 ? `${s.bestSingleTied.join(', ')} tie for the best single model at ${pct(s.bestFixed!.passRate)}` : `best single model: ${s.bestSingle}`;
}

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')).join('\n');
}

/** The summary as plain text for a terminal. */
export function formatSummary(s: EvalSummary): string {
  const rows = [['arm', 'tasks', 'attempts', 'pass', '95% CI', 'calls/try', 'tokens/try', 'cost/try', 'cost/solved', 'p50 wall', 'errors', 'not run']];
  for (const a of s.arms) {
    rows.push([
      a.arm,
      String(a.tasks),
      String(a.attempts),
      pct(a.passRate),
      `${pct(a.interval.low)}–${pct(a.interval.high)}`,
      a.callsPerTask.toFixed(1),
      Math.round(a.tokensPerTask).toString(),
      usd(a.costPerTask),
      solvedFmt(a.costPerSolved),
      secs(a.p50WallMs),
      String(a.errors),
      String(a.notRun),
    ]);
  }
  for (const ref of [s.oracle, s.bestFixed]) {
    if (!ref) continue;
    const label = ref.name === 'oracle' ? '(oracle)' : `(best fixed: ${ref.arms.join(' = ')})`;
    rows.push([label, String(s.tasks), '-', pct(ref.passRate), `${pct(ref.interval.low)}–${pct(ref.interval.high)}`, '-', '-', usd(ref.costPerTask), solvedFmt(ref.costPerSolved), '-', '-', '-']);
  }
  const lines = [`${sizeLine(s)}; pass rates are means over tasks of each task's pass fraction, intervals over tasks.`, table(rows)];
  if (s.oracle) lines.push(`(oracle): a task counts as far as any single model passed it, the most per-task routing among them could reach; no extra calls.`);
  if (s.bestSingle) lines.push(bestLine(s));
  if (s.pairings.length) {
    lines.push('', 'Paired over tasks against each single model (wins: tasks where the arm scored higher):');
    const prow = [['arm', 'against', 'wins', 'losses', 'ties', 'mean diff', 'test', 'p', 'Holm p']];
    for (const p of s.pairings) {
      prow.push([p.arm, p.against, String(p.wins), String(p.losses), String(p.ties), `${p.meanDiff >= 0 ? '+' : ''}${(p.meanDiff * 100).toFixed(1)} pt`, p.test, pFmt(p.pValue), pFmt(p.pHolm)]);
    }
    lines.push(table(prow));
  }
  return lines.join('\n');
}
