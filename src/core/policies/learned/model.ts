// The learned policy's model: per candidate, a Bayesian logistic regression of P(pass | features)
// with a diagonal Gaussian posterior updated online by a Laplace step (the first outcomes revisited
// by expectation propagation), and running estimates of cost and wall time. Choice: Thompson
// sampling of P(pass) − costWeight × cost.
import type { Candidate, CandidateSet } from './candidates';
import { BIAS, DIMENSIONS, LANGUAGE_SIGNALS, WORD_BUCKETS, featureValues, type Features } from './features';
import { seededRandom } from '../../seededRandom';
import type { LearnedCandidateRecord } from '../../trace/types';

/** One outcome of a candidate on a task: its hashed features, the reward in [0, 1], what it cost. */
export interface Outcome {
  f: Features;
  /** The candidate's label. */
  c: string;
  r: number;
  cost: number;
  ms: number;
  /**
   * The run it came from, when a later line may correct it (the editor's review, then an Undo): of
   * the lines with the same id, the last one counts.
   */
  id?: string;
}

/**
 * Prior variances of the weights. A candidate's logit is the sum of blocks: its own, and blocks it
 * shares with the candidates that use the same final worker, planners, shape or reviewer, so an
 * outcome of `single(gpt)` also teaches something about `planned(gemini→gpt)`.
 */
export interface Prior {
  /** Per block kind, the variance of the bias weight; signal and word weights get `signals` and `words` times it. */
  own: number;
  final: number;
  plan: number;
  shape: number;
  review: number;
  signals: number;
  /**
   * The language signals' multiplier instead of `signals`: a worker's strength often differs by
   * language by more than its overall level does, and a small variance there pushes a coder's
   * failures in one language onto its level in every language.
   */
  languages: number;
  words: number;
  /**
   * The bias weight of a shared block (final, plan, shape, review) gets this times its kind's
   * variance: a shared block carries what differs by task (a coder's languages, a planner's help on
   * long tasks) and a candidate's overall level is mostly its own, so one candidate's failures do not
   * drag down every candidate that shares its coder.
   */
  sharedBias: number;
}

// Tuned in the `learned` bench section (scripts/bench/learned.mjs); the figures are in the README.
export const DEFAULT_PRIOR: Prior = { own: 0.5, final: 0.3, plan: 0.01, shape: 0.01, review: 0.01, signals: 0.15, languages: 0.5, words: 0.05, sharedBias: 0.1 };

type BlockKind = 'own' | 'final' | 'plan' | 'shape' | 'review';

/** The blocks of a candidate's logit, from its label (see labelOf). */
export function blocksOf(label: string): { key: string; kind: BlockKind }[] {
  const out: { key: string; kind: BlockKind }[] = [{ key: `=${label}`, kind: 'own' }];
  const m = /^(\w+)\(([^)]*)\)(?:\+review\(([^)]*)\))?$/.exec(label);
  if (!m) return out;
  const [, shape, inner, reviewer] = m;
  const arrow = inner.lastIndexOf('→');
  const final = arrow === -1 ? inner : inner.slice(arrow + 1);
  const planners = arrow === -1 ? [] : inner.slice(0, arrow).split(',');
  out.push({ key: `final:${final}`, kind: 'final' });
  for (const p of planners) out.push({ key: `plan:${p}`, kind: 'plan' });
  out.push({ key: `shape:${shape}${planners.length}${reviewer ? '+review' : ''}`, kind: 'shape' });
  if (reviewer) out.push({ key: `review:${reviewer}`, kind: 'review' });
  return out;
}

/** The prior variance of weight `i` in a block of this kind. */
function priorVariance(prior: Prior, kind: BlockKind, i: number): number {
  const scale = i === BIAS ? (kind === 'own' ? 1 : prior.sharedBias) : i < WORD_BUCKETS ? prior.words : LANGUAGE_SIGNALS.has(i) ? prior.languages : prior.signals;
  return prior[kind] * scale;
}

class Block {
  readonly mean = new Float64Array(DIMENSIONS);
  readonly precision = new Float64Array(DIMENSIONS);

  constructor(prior: Prior, kind: BlockKind) {
    this.precision.fill(1 / priorVariance(prior, kind, 0), 0, WORD_BUCKETS);
    for (let i = WORD_BUCKETS; i <= BIAS; i++) this.precision[i] = 1 / priorVariance(prior, kind, i);
  }
}

/** An outcome kept for revisiting (see LearnedModel.sweep), with what its update added to each weight. */
interface Kept {
  blocks: Block[];
  f: Features;
  r: number;
  offset: number;
  /** Per (block, feature): the precision added, then the precision-weighted mean added. */
  site: Float64Array;
}

interface Stats {
  n: number;
  costSum: number;
  msSum: number;
  /** The candidate's blocks (see blocksOf), looked up once. */
  blocks: Block[];
}

export class LearnedModel {
  private readonly blocks = new Map<string, Block>();
  private readonly stats = new Map<string, Stats>();
  /** Outcomes seen, and their cost over the price weights of the candidates that produced them. */
  count = 0;
  private costSum = 0;
  private msSum = 0;
  private priceSum = 0;
  private callSum = 0;
  private readonly kept: Kept[] = [];

  constructor(
    private readonly prior: Prior = DEFAULT_PRIOR,
    /**
     * The prior mean of a candidate's logit: BUILTIN_PRIOR_LOGIT for the builtin policy's picks (the
     * hand-written choice is presumed sound until outcomes say otherwise), 0 for the others.
     */
    private readonly priorMean: (label: string) => number = () => 0,
  ) {}

  private block(key: string, kind: BlockKind, create: boolean): Block | null {
    let b = this.blocks.get(key) ?? null;
    if (!b && create) this.blocks.set(key, (b = new Block(this.prior, kind)));
    return b;
  }

  /** The logit's posterior mean and variance at these features (an untried block counts with its prior). */
  logit(label: string, f: Features): { mu: number; v: number } {
    const x = featureValues(f);
    let mu = this.priorMean(label);
    let v = 0;
    for (const { key, kind } of blocksOf(label)) {
      const b = this.block(key, kind, false);
      for (let k = 0; k < f.length; k++) {
        const i = f[k];
        if (b) {
          mu += b.mean[i] * x[k];
          v += (x[k] * x[k]) / b.precision[i];
        } else {
          v += x[k] * x[k] * priorVariance(this.prior, kind, i);
        }
      }
    }
    return { mu, v };
  }

  /**
   * `price` and `calls` describe the candidate that produced it (see candidateWeights). `revisit`:
   * sweep the kept outcomes after this one (fitModel, replaying a log, sweeps once at the end instead).
   */
  observe(o: Outcome, weights: { price: number; calls: number } = { price: 0, calls: 1 }, revisit = true): void {
    if (!(o.r >= 0 && o.r <= 1) || !Array.isArray(o.f) || typeof o.c !== 'string') return;
    // A log line is already sorted and distinct; anything else is made so.
    const raw: unknown[] = o.f;
    const f: Features = isFeatureList(raw) ? raw : [...new Set(raw.filter((i): i is number => Number.isInteger(i) && (i as number) >= 0 && (i as number) < DIMENSIONS))].sort((a, b) => a - b);
    let st = this.stats.get(o.c);
    if (!st) this.stats.set(o.c, (st = { n: 0, costSum: 0, msSum: 0, blocks: blocksOf(o.c).map(({ key, kind }) => this.block(key, kind, true)!) }));
    const keep = this.kept.length < KEEP_FOR_REVISIT;
    const offset = this.priorMean(o.c);
    const site = keep ? new Float64Array(2 * st.blocks.length * f.length) : undefined;
    update(st.blocks, f, o.r, offset, site);
    if (site) this.kept.push({ blocks: st.blocks, f, r: o.r, offset, site });
    st.n++;
    st.costSum += finite(o.cost);
    st.msSum += finite(o.ms);
    this.count++;
    this.costSum += finite(o.cost);
    this.msSum += finite(o.ms);
    this.priceSum += weights.price;
    this.callSum += weights.calls;
    if (keep && revisit) this.sweep();
  }

  /**
   * Revisits the kept outcomes (expectation propagation): each one's update is taken back and
   * redone against what all the others say, so blame an early outcome put on a shared block moves
   * to the candidate's own block once later outcomes show where it belongs.
   */
  sweep(): void {
    for (const k of this.kept) {
      remove(k.blocks, k.f, k.site);
      update(k.blocks, k.f, k.r, k.offset, k.site);
    }
  }

  outcomesOf(label: string): number {
    return this.stats.get(label)?.n ?? 0;
  }

  /**
   * Cost and time of a candidate: its own mean, shrunk towards a prior from its workers' prices
   * (calibrated on every outcome seen), so an untried candidate of expensive workers looks expensive.
   */
  costOf(label: string, weights: { price: number; calls: number }): { cost: number; ms: number } {
    if (this.count === 0) return { cost: 0, ms: 0 };
    const st = this.stats.get(label) ?? { n: 0, costSum: 0, msSum: 0, blocks: [] };
    const priorCost = this.priceSum > 0 ? (this.costSum / this.priceSum) * weights.price : this.costSum / this.count;
    const priorMs = (this.msSum / Math.max(1, this.callSum)) * weights.calls;
    return { cost: (st.costSum + PRIOR_OUTCOMES * priorCost) / (st.n + PRIOR_OUTCOMES), ms: (st.msSum + PRIOR_OUTCOMES * priorMs) / (st.n + PRIOR_OUTCOMES) };
  }
}

/**
 * The Laplace step for one observation: with a Gaussian prior the posterior mode lies on the line
 * m − a·Σx, so a 1-D Newton solve for the logit s there finds it; the curvature σ(s)(1−σ(s)) then
 * adds to the precision. A fractional reward r is the cross-entropy target (a partly accepted edit).
 */
function update(blocks: Block[], f: Features, r: number, offset: number, site?: Float64Array): void {
  // Refitting 10,000 outcomes must take milliseconds: no allocation per outcome.
  let words = 0;
  while (words < f.length && f[words] < WORD_BUCKETS) words++;
  const w = words ? 1 / Math.sqrt(words) : 0;
  let mu = offset;
  let v = 0;
  for (const b of blocks) {
    for (let k = 0; k < f.length; k++) {
      const x = k < words ? w : 1;
      mu += b.mean[f[k]] * x;
      v += (x * x) / b.precision[f[k]];
    }
  }
  let s = mu;
  for (let i = 0; i < 30; i++) {
    const p = sigmoid(s);
    const step = (s - mu + (p - r) * v) / (1 + p * (1 - p) * v);
    s -= step;
    if (Math.abs(step) < 1e-10) break;
  }
  const p = sigmoid(s);
  const a = p - r;
  const curvature = p * (1 - p);
  let j = 0;
  for (const b of blocks) {
    for (let k = 0; k < f.length; k++) {
      const i = f[k];
      const x = k < words ? w : 1;
      const before = b.precision[i] * b.mean[i];
      b.mean[i] -= (a * x) / b.precision[i];
      b.precision[i] += curvature * x * x;
      if (site) {
        site[j++] = curvature * x * x;
        site[j++] = b.precision[i] * b.mean[i] - before;
      }
    }
  }
}

/** Takes an outcome's update back out of the weights (the cavity of expectation propagation). */
function remove(blocks: Block[], f: Features, site: Float64Array): void {
  let j = 0;
  for (const b of blocks) {
    for (let k = 0; k < f.length; k++) {
      const i = f[k];
      const pm = b.precision[i] * b.mean[i] - site[j + 1];
      b.precision[i] -= site[j];
      b.mean[i] = pm / b.precision[i];
      j += 2;
    }
  }
}

/**
 * How many outcomes are kept for revisiting: the first ones, when blame is least settled. Later
 * outcomes are plain online updates, so memory and refit time stay bounded. Each new kept outcome
 * triggers one pass over them; a refit from the log makes one pass at the end.
 */
const KEEP_FOR_REVISIT = 300;

/** Sorted, distinct, in range: a list taskFeatures wrote. */
function isFeatureList(f: unknown[]): f is Features {
  for (let k = 0; k < f.length; k++) {
    const i = f[k];
    if (typeof i !== 'number' || !Number.isInteger(i) || i < 0 || i >= DIMENSIONS || (k > 0 && i <= (f[k - 1] as number))) return false;
  }
  return true;
}

function finite(x: number): number {
  return Number.isFinite(x) && x >= 0 ? x : 0;
}

/** How many outcomes the price-based prior of cost and time counts for. */
const PRIOR_OUTCOMES = 2;

export function sigmoid(s: number): number {
  return 1 / (1 + Math.exp(-s));
}

/** The prior logit of a builtin pick: P(pass) ≈ 0.73 before any outcome, against 0.5 for the others. */
export const BUILTIN_PRIOR_LOGIT = 1;

/** Fits a model from outcomes in order (the log's order). */
export function fitModel(
  outcomes: Iterable<Outcome>,
  weightsOf: (label: string) => { price: number; calls: number } = () => ({ price: 0, calls: 1 }),
  priorMean?: (label: string) => number,
  prior?: Prior,
): LearnedModel {
  const model = new LearnedModel(prior, priorMean);
  for (const o of outcomes) model.observe(o, weightsOf(o.c), false);
  model.sweep();
  return model;
}

/** One candidate as the trace shows it (the trace's record is the one owner of its shape). */
export type CandidateEstimate = LearnedCandidateRecord;

export interface Choice {
  /** Index into the candidate set. */
  index: number;
  estimates: CandidateEstimate[];
  /** The pick differs from the best at the posterior mean: Thompson sampling explored. */
  explored: boolean;
  /** No outcome yet for any candidate: the pick is the builtin policy's. */
  noData: boolean;
}

export interface ChooseOptions {
  /** Scale of the posterior spread sampled (0: greedy). */
  explore: number;
  /** Pass probability worth one dollar. */
  costWeight: number;
  /** Uniform [0, 1): seeded in tests and the simulator. */
  random: () => number;
  /** The candidate's worker prices and calls (see candidateWeights). */
  weights: (c: Candidate) => { price: number; calls: number };
}

const Z90 = 1.6449;

/**
 * Optimism for candidates with few outcomes: their sampled logit is raised by this many posterior
 * spreads over (1 + outcomes), so one unlucky early failure does not bury a candidate for good.
 */
const OPTIMISM = 0.5;

/**
 * The pick for a task. With no outcome for any candidate it is the builtin's, exactly. Otherwise
 * each candidate's logit is drawn from its posterior with its spread scaled by `explore`, plus
 * OPTIMISM for the little-tried, and the highest P(pass) − costWeight × cost wins; ties go to the
 * builtin pick, then the earlier candidate.
 */
export function choose(model: LearnedModel, set: CandidateSet, f: Features, opts: ChooseOptions): Choice {
  const estimates = set.candidates.map((c): CandidateEstimate & { mu: number; v: number } => {
    const { mu, v } = model.logit(c.label, f);
    const { cost, ms } = model.costOf(c.label, opts.weights(c));
    const sd = Math.sqrt(v);
    // The posterior mean of σ(logit), by the probit approximation.
    const p = sigmoid(mu / Math.sqrt(1 + (Math.PI * v) / 8));
    return { label: c.label, p, lo: sigmoid(mu - Z90 * sd), hi: sigmoid(mu + Z90 * sd), costUsd: cost, ms, outcomes: model.outcomesOf(c.label), score: p - opts.costWeight * cost, mu, v };
  });
  const noData = estimates.every((e) => e.outcomes === 0);
  const strip = estimates.map(({ mu: _mu, v: _v, ...e }) => e);
  if (noData) return { index: set.builtin, estimates: strip, explored: false, noData };
  const best = argmax(estimates.map((e) => e.score), set.builtin);
  if (opts.explore <= 0) return { index: best, estimates: strip, explored: false, noData };
  const sampled = estimates.map((e) => {
    const sd = Math.sqrt(e.v);
    return sigmoid(e.mu + opts.explore * sd * gaussian(opts.random) + (OPTIMISM * sd) / (1 + e.outcomes)) - opts.costWeight * e.costUsd;
  });
  const index = argmax(sampled, set.builtin);
  return { index, estimates: strip, explored: index !== best, noData };
}

function argmax(xs: number[], preferred: number): number {
  let best = preferred;
  for (let i = 0; i < xs.length; i++) if (xs[i] > xs[best] + 1e-12) best = i;
  return best;
}

function gaussian(random: () => number): number {
  const u = 1 - random();
  const v = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export { seededRandom };
