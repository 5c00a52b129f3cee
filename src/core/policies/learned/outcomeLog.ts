// The learned policy's memory: one append-only JSON-lines file per user of (hashed features,
// candidate, reward, cost, ms), bounded to the newest MAX_OUTCOMES. The model is refit from it at
// start. It lives in the user's own storage (the extension's global storage, ~/.config/fugu for
// the CLI and `fugu serve`), never in a workspace, so a repository cannot teach the policy.
import { appendFile, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { FuguConfig } from '../../config';
import { builtinLabels, labelWeights } from './candidates';
import { DIMENSIONS } from './features';
import { BUILTIN_PRIOR_LOGIT, fitModel, type LearnedModel, type Outcome } from './model';

/** Outcomes kept; older ones are dropped when the file grows past COMPACT_AT. */
export const MAX_OUTCOMES = 10_000;
const COMPACT_AT = 12_000;
/** A line longer than this is not an outcome (features are at most a few hundred numbers). */
const MAX_LINE_CHARS = 20_000;

/** Where the CLI and `fugu serve` keep the log: $FUGU_OUTCOME_LOG, else $XDG_CONFIG_HOME/fugu or ~/.config/fugu. */
export function defaultOutcomeLogPath(env: NodeJS.ProcessEnv = process.env): string {
  if (env.FUGU_OUTCOME_LOG) return env.FUGU_OUTCOME_LOG;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'fugu', 'outcomes.jsonl');
}

/** A line of the log that was not an outcome, by its 1-based number, with why. */
export interface SkippedLine {
  line: number;
  reason: string;
}

/** Parses one line; null with a reason when it is not an outcome. */
export function parseOutcome(text: string): { outcome: Outcome } | { reason: string } {
  if (text.length > MAX_LINE_CHARS) return { reason: 'the line is too long' };
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return { reason: 'not JSON' };
  }
  const o = v as Record<string, unknown>;
  if (!o || typeof o !== 'object' || Array.isArray(o)) return { reason: 'not an object' };
  if (typeof o.c !== 'string' || !o.c) return { reason: '"c" (the candidate) is missing' };
  if (typeof o.r !== 'number' || !(o.r >= 0 && o.r <= 1)) return { reason: '"r" (the reward) is not a number from 0 to 1' };
  if (!Array.isArray(o.f) || !o.f.every((i) => Number.isInteger(i) && i >= 0 && i < DIMENSIONS)) return { reason: '"f" (the features) is not a list of feature numbers' };
  if (o.id !== undefined && !isId(o.id)) return { reason: '"id" is not a run id' };
  const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
  const outcome: Outcome = { f: o.f as number[], c: o.c, r: o.r, cost: num(o.cost), ms: num(o.ms) };
  if (isId(o.id)) outcome.id = o.id;
  return { outcome };
}

const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 100;

/** Of outcomes with the same id, only the last counts (a correction), at its place in the log. */
export function latestOfEach<T extends { id?: string }>(outcomes: T[]): T[] {
  if (!outcomes.some((o) => o.id !== undefined)) return outcomes;
  const last = new Map<string, number>();
  outcomes.forEach((o, i) => o.id !== undefined && last.set(o.id, i));
  return outcomes.filter((o, i) => o.id === undefined || last.get(o.id) === i);
}

export async function readOutcomeLog(path: string): Promise<{ outcomes: Outcome[]; skipped: SkippedLine[] }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { outcomes: [], skipped: [] };
    throw err;
  }
  // Fast path: every line an outcome, parsed as one JSON array (about twice as fast as line by line).
  const fast = fastParse(text);
  if (fast) return { outcomes: latestOfEach(fast).slice(-MAX_OUTCOMES), skipped: [] };
  const outcomes: Outcome[] = [];
  const skipped: SkippedLine[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = parseOutcome(line);
    if ('outcome' in parsed) outcomes.push(parsed.outcome);
    else skipped.push({ line: i + 1, reason: parsed.reason });
  });
  return { outcomes: latestOfEach(outcomes).slice(-MAX_OUTCOMES), skipped };
}

function fastParse(text: string): Outcome[] | null {
  const body = text.trim();
  if (!body) return [];
  let values: unknown[];
  try {
    values = JSON.parse(`[${body.replace(/\n+/g, ',')}]`);
  } catch {
    return null;
  }
  const out: Outcome[] = [];
  for (const v of values) {
    const o = v as Record<string, unknown>;
    if (!o || typeof o !== 'object' || typeof o.c !== 'string' || !o.c || typeof o.r !== 'number' || !(o.r >= 0 && o.r <= 1) || !Array.isArray(o.f)) return null;
    if (!o.f.every((i) => Number.isInteger(i) && i >= 0 && i < DIMENSIONS)) return null;
    if (o.id !== undefined && !isId(o.id)) return null;
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
    const outcome: Outcome = { f: o.f as number[], c: o.c, r: o.r, cost: num(o.cost), ms: num(o.ms) };
    if (isId(o.id)) outcome.id = o.id;
    out.push(outcome);
  }
  return out;
}

function lineOf(o: Outcome): string {
  return `${JSON.stringify({ f: o.f, c: o.c, r: Math.round(o.r * 1e4) / 1e4, cost: Math.round(o.cost * 1e6) / 1e6, ms: Math.round(o.ms), ...(o.id !== undefined ? { id: o.id } : {}), t: Date.now() })}\n`;
}

/**
 * Appends outcomes; past COMPACT_AT lines the file is rewritten (atomically, through a rename) with
 * the newest MAX_OUTCOMES valid ones.
 */
export async function appendOutcomes(path: string, outcomes: Outcome[]): Promise<void> {
  if (outcomes.length === 0) return;
  await mkdir(dirname(path), { recursive: true });
  await appendFile(path, outcomes.map(lineOf).join(''), { mode: 0o600 });
  const size = (await stat(path)).size;
  // Cheap first test: a line is at least ~40 bytes, so a small file cannot hold COMPACT_AT lines.
  if (size < COMPACT_AT * 40) return;
  const text = await readFile(path, 'utf8');
  const lines = text.split('\n').filter((l) => l.trim());
  if (lines.length <= COMPACT_AT) return;
  // Valid lines only, a corrected outcome once (its last line).
  const parsed = lines.map((l) => ({ l, p: parseOutcome(l) })).filter((x) => 'outcome' in x.p);
  const keep = latestOfEach(parsed.map((x) => ({ l: x.l, id: (x.p as { outcome: Outcome }).outcome.id }))).map((x) => x.l).slice(-MAX_OUTCOMES);
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, keep.map((l) => `${l}\n`).join(''), { mode: 0o600 });
  await rename(tmp, path);
}

/**
 * One user's log and the model fitted from it, shared by every run of a process: fitted on first
 * use, then updated in memory as outcomes are recorded.
 */
export class OutcomeStore {
  private fitted: Promise<{ model: LearnedModel; skipped: SkippedLine[] }> | null = null;

  constructor(
    readonly path: string,
    /** Told, in one sentence, about lines of the log that were skipped and about a write that failed. */
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  /** The model (fitted from the log on first use; the config prices untried candidates). */
  async model(config: FuguConfig): Promise<LearnedModel> {
    if (!this.fitted) {
      this.fitted = readOutcomeLog(this.path).then(({ outcomes, skipped }) => {
        if (skipped.length) this.onProblem(skippedMessage(skipped, this.path));
        const weights = new Map<string, { price: number; calls: number }>();
        const weightsOf = (label: string) => weights.get(label) ?? weights.set(label, labelWeights(label, config)).get(label)!;
        const builtin = builtinLabels(config);
        return { model: fitModel(outcomes, weightsOf, (label) => (builtin.has(label) ? BUILTIN_PRIOR_LOGIT : 0)), skipped };
      });
      this.fitted.catch(() => (this.fitted = null));
    }
    return (await this.fitted).model;
  }

  /** Appends an outcome and teaches the model in memory (when it has been fitted). Never throws: a failed write is reported. */
  async record(outcome: Outcome, config: Pick<FuguConfig, 'workers' | 'prices'>): Promise<boolean> {
    try {
      await appendOutcomes(this.path, [outcome]);
    } catch (err) {
      this.onProblem(`The learned policy could not record an outcome in ${this.path}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    if (this.fitted) (await this.fitted.catch(() => null))?.model.observe(outcome, labelWeights(outcome.c, config));
    return true;
  }

  /**
   * Appends an outcome that replaces an earlier one with the same id (an accepted edit undone in
   * time); the model is refit on next use, since an outcome cannot be taken back from it in place.
   */
  async correct(outcome: Outcome & { id: string }): Promise<boolean> {
    try {
      await appendOutcomes(this.path, [outcome]);
    } catch (err) {
      this.onProblem(`The learned policy could not record an outcome in ${this.path}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    this.fitted = null;
    return true;
  }

  /** Appends many outcomes (an import); the model is refit on next use. */
  async import(outcomes: Outcome[]): Promise<void> {
    await appendOutcomes(this.path, outcomes);
    this.fitted = null;
  }

  /** Forgets everything learned. */
  async reset(): Promise<void> {
    await rm(this.path, { force: true });
    this.fitted = null;
  }
}

/** One sentence about skipped lines: how many, and the first few with why. */
export function skippedMessage(skipped: SkippedLine[], path: string): string {
  const first = skipped.slice(0, 3).map((s) => `line ${s.line}: ${s.reason}`).join('; ');
  return `The learned policy skipped ${skipped.length} line${skipped.length === 1 ? '' : 's'} of ${path} that ${skipped.length === 1 ? 'is' : 'are'} not an outcome (${first}${skipped.length > 3 ? '; …' : ''}).`;
}
