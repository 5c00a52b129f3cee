import assert from 'node:assert/strict';
import type { EvalResult } from '../../../../src/core/eval/results';
import { formatSummary, summarise } from '../../../../src/core/eval/summary';

const result = (task: string, arm: string, pass: boolean, repeat = 0, costUsd = 0.01): EvalResult => ({
  task,
  arm,
  repeat,
  pass,
  calls: 1,
  inputTokens: 10,
  outputTokens: 5,
  costUsd,
  wallMs: 100,
  errorKind: null,
  traceId: `${task}-${arm}-${repeat}`,
});

/** 20 tasks; `passes[arm]` lists the task numbers the arm passes. */
function run(passes: Record<string, number[]>, costs: Record<string, number> = {}): EvalResult[] {
  const out: EvalResult[] = [];
  for (const [arm, ok] of Object.entries(passes)) for (let t = 0; t < 20; t++) out.push(result(`t${t}`, arm, ok.includes(t), 0, costs[arm] ?? 0.01));
  return out;
}
const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);

describe('eval summary: the task is the unit', () => {
  const base = run({ builtin: range(0, 17), 'single:gpt': range(0, 11), 'single:claude': [...range(0, 9), 17, 18] });

  it('five copies of every result, as lines or as repeats, change no rate, interval or p-value', () => {
    const once = summarise(base);
    const asLines = summarise([...base, ...base, ...base, ...base, ...base]);
    const asRepeats = summarise([0, 1, 2, 3, 4].flatMap((repeat) => base.map((r) => ({ ...r, repeat }))));
    for (const s of [asLines, asRepeats]) {
      assert.deepEqual(s.arms.map((a) => [a.arm, a.passRate, a.interval]), once.arms.map((a) => [a.arm, a.passRate, a.interval]));
      assert.deepEqual(s.pairings.map((p) => [p.against, p.wins, p.losses, p.ties, p.pValue, p.pHolm]), once.pairings.map((p) => [p.against, p.wins, p.losses, p.ties, p.pValue, p.pHolm]));
      assert.equal(s.tasks, 20);
    }
    assert.equal(asRepeats.repeats.max, 5);
    assert.match(formatSummary(asRepeats), /^20 tasks × 5 repeats/);
    assert.match(formatSummary(once), /^20 tasks × 1 repeat;/);
    // One attempt each: McNemar on task-level wins and losses (builtin vs gpt: 6 wins, 0 losses).
    const gpt = once.pairings.find((p) => p.against === 'single:gpt')!;
    assert.deepEqual([gpt.wins, gpt.losses, gpt.test], [6, 0, 'mcnemar']);
    assert.ok(Math.abs(gpt.pValue - 2 / 64) < 1e-12);
    assert.equal(asRepeats.pairings[0].test, 'sign-flip');
  });

  it('a task`s score is its pass fraction: a task passed 1 of 2 times counts half', () => {
    const rs = [result('a', 'single:x', true, 0), result('a', 'single:x', false, 1), result('b', 'single:x', true, 0), result('b', 'single:x', true, 1)];
    const s = summarise(rs);
    assert.equal(s.arms[0].passRate, 0.75);
    assert.equal(s.arms[0].tasks, 2);
    assert.equal(s.arms[0].attempts, 4);
    assert.equal(s.arms[0].costPerSolved, (4 * 0.01) / 3);
  });

  it('oracle: a task counts when any single model passed it; best fixed: the top single arm', () => {
    const s = summarise(base);
    // gpt passes 0–10, claude 0–8 and 17–18: together 13 of 20.
    assert.equal(s.oracle!.passRate, 13 / 20);
    assert.equal(s.bestFixed!.passRate, 11 / 20);
    assert.deepEqual(s.bestFixed!.arms, ['single:claude', 'single:gpt'], 'a tie (same cost: by name), both named');
    assert.match(formatSummary(s), /single:claude, single:gpt tie for the best single model at 55\.0%/);
    assert.match(formatSummary(s), /\(best fixed: single:claude = single:gpt\)/);
    assert.match(formatSummary(s), /\(oracle\)\s+20\s+-\s+65\.0%/);
  });

  it('a tie is compared against every tied arm, and Holm corrects the family', () => {
    const s = summarise(base);
    const ps = s.pairings.filter((p) => p.arm === 'builtin');
    assert.deepEqual(ps.map((p) => p.against).sort(), ['single:claude', 'single:gpt']);
    const sorted = [...ps].sort((a, b) => a.pValue - b.pValue);
    assert.ok(Math.abs(sorted[0].pHolm - Math.min(1, 2 * sorted[0].pValue)) < 1e-12);
    assert.ok(sorted[1].pHolm >= sorted[0].pHolm);
  });

  it('the best single arm breaks a tie in pass rate by cost, and still names the tie', () => {
    const s = summarise(run({ 'single:a': range(0, 10), 'single:b': range(5, 15) }, { 'single:a': 0.02, 'single:b': 0.01 }));
    assert.equal(s.bestSingle, 'single:b');
    assert.deepEqual(s.bestSingleTied, ['single:b', 'single:a']);
    assert.equal(s.oracle!.passRate, 15 / 20);
  });

  it('not-run attempts are counted apart and never scored', () => {
    const rs = [result('a', 'single:x', true), { ...result('b', 'single:x', false), status: 'not-run' as const, notRunReason: 'budget' as const }];
    const s = summarise(rs);
    assert.equal(s.arms[0].passRate, 1);
    assert.equal(s.arms[0].tasks, 1);
    assert.equal(s.arms[0].notRun, 1);
  });

  it('a +fix arm is a baseline, not a single model: it is paired, never the best fixed', () => {
    const s = summarise(run({ 'single:gpt+fix': range(0, 18), 'single:gpt': range(0, 11) }));
    assert.equal(s.bestSingle, 'single:gpt');
    assert.deepEqual(s.pairings.map((p) => [p.arm, p.against]), [['single:gpt+fix', 'single:gpt']]);
  });
});
