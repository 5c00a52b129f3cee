// The two statistics an eval reports: a confidence interval for a pass rate, and a paired test
// between two arms run on the same tasks.
import { seededRandom } from '../seededRandom';

export interface Interval {
  low: number;
  high: number;
}

/** Wilson score interval for `passes` successes out of `n` (95% by default). n = 0 gives [0, 1]. */
export function wilsonInterval(passes: number, n: number, z = 1.959963984540054): Interval {
  if (n === 0) return { low: 0, high: 1 };
  const p = passes / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const spread = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  const denom = 1 + z2 / n;
  return { low: Math.max(0, (centre - spread) / denom), high: Math.min(1, (centre + spread) / denom) };
}

/**
 * Exact (binomial) two-sided McNemar p-value for paired outcomes: `b` pairs where only the first arm
 * passed, `c` where only the second did. Ties carry no information. No discordant pairs gives 1.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // P(X <= k) for X ~ Binomial(n, 1/2), summed in log space so large n does not overflow.
  let logC = 0; // log C(n, 0)
  let tail = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    tail += Math.exp(logC - n * Math.LN2);
  }
  return Math.min(1, 2 * tail);
}

/** The median of a list (the mean of the middle two for an even count); NaN when empty. */
export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/**
 * A 95% interval for the mean of per-task scores (each a task's pass fraction), with the task as the
 * unit: the Wilson interval at an effective sample size n = p(1 − p) / v, where v is the
 * cluster-robust variance of the mean (the scores' variance over tasks, divided by their count).
 * With one attempt per task the scores are 0 or 1, v = p(1 − p) / N and this is the Wilson interval
 * over the N tasks; repeats only narrow it as far as they make tasks' scores less extreme, and copies
 * of the same outcomes change nothing. When all scores are equal (v = 0) n is the number of tasks.
 */
export function taskInterval(scores: number[], z = 1.959963984540054): Interval {
  const n = scores.length;
  if (n === 0) return { low: 0, high: 1 };
  const p = scores.reduce((a, b) => a + b, 0) / n;
  const v = scores.reduce((a, s) => a + (s - p) * (s - p), 0) / n / n;
  const eff = v > 0 ? (p * (1 - p)) / v : n;
  return wilsonInterval(p * eff, eff, z);
}

/**
 * Exact two-sided paired permutation (sign-flip) test on per-task differences: under "no difference"
 * each task's difference is as likely negative as positive, so the p-value is the share of the 2^m
 * sign assignments whose total is at least as far from 0 as the one observed. Differences of 0 carry
 * no information. With differences of ±1 only (one attempt per task and arm) this is the exact McNemar
 * test. Computed exactly over the distribution of sums (differences rounded to 1e-9 and scaled to
 * integers); above `maxStates` distinct sums it falls back to `draws` random sign assignments from a
 * fixed seed, so the same results always give the same p.
 */
export function signFlipTest(diffs: number[], maxStates = 2_000_000, draws = 200_000): number {
  const nonzero = diffs.filter((d) => Math.abs(d) > 1e-12);
  if (nonzero.length === 0) return 1;
  // Per-task pass fractions have small denominators: their least common multiple makes every
  // difference whole. Without one (below 10^4) the sums are drawn at random instead.
  let scale = 1;
  for (const d of nonzero) {
    let q = 1;
    while (q <= 10_000 && Math.abs(d * q - Math.round(d * q)) > 1e-9 * q) q++;
    scale = q > 10_000 ? Infinity : lcm(scale, q);
    if (!Number.isFinite(scale) || scale > 1e6) {
      scale = Infinity;
      break;
    }
  }
  const whole = Number.isFinite(scale);
  const ints = nonzero.map((d) => (whole ? Math.round(d * scale) : d));
  const observed = Math.abs(ints.reduce((a, b) => a + b, 0));
  if (whole) {
    let dist = new Map<number, number>([[0, 1]]);
    let exact = true;
    for (const x of ints) {
      const next = new Map<number, number>();
      for (const [s, w] of dist) {
        next.set(s + x, (next.get(s + x) ?? 0) + w / 2);
        next.set(s - x, (next.get(s - x) ?? 0) + w / 2);
      }
      dist = next;
      if (dist.size > maxStates) {
        exact = false;
        break;
      }
    }
    if (exact) {
      let p = 0;
      for (const [s, w] of dist) if (Math.abs(s) >= observed) p += w;
      return Math.min(1, p);
    }
  }
  const rand = seededRandom(0x5eed);
  let hits = 0;
  for (let i = 0; i < draws; i++) {
    let s = 0;
    for (const x of ints) s += rand() < 0.5 ? x : -x;
    if (Math.abs(s) >= observed - 1e-9) hits++;
  }
  return (hits + 1) / (draws + 1);
}

/** Holm's step-down adjustment of several p-values (same order out as in), each at most 1. */
export function holm(ps: number[]): number[] {
  const order = ps.map((p, i) => ({ p, i })).sort((a, b) => a.p - b.p);
  const out = new Array<number>(ps.length);
  let running = 0;
  order.forEach(({ p, i }, k) => {
    running = Math.max(running, Math.min(1, (ps.length - k) * p));
    out[i] = running;
  });
  return out;
}


function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
const lcm = (a: number, b: number) => (a / gcd(a, b)) * b;

export { seededRandom };
