// Results: one JSON line per task × arm × repeat, appended as each attempt ends, so a rerun with the
// same file resumes where an interrupted one stopped. The line format is documented in docs/EVAL.md
// and read by other tools (the learned policy): fields are added, never renamed.
import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { cellKey, type Cell } from './grid';

/** What decides an attempt's outcome; two lines for the same cell are comparable only when these agree. */
export interface Fingerprint {
  /** Hash of the task's line and its workspace's files. */
  task: string;
  arm: string;
  /** The models the arm calls: `id=provider/model`, comma-separated. */
  workers: string;
  /** The policy backend (and its model for conductor and fugu). */
  policy: string;
  /** Hash of the prompts fugu sends (the conductor's, the workers', the edit format). */
  prompts: string;
}
export const FINGERPRINT_FIELDS: readonly (keyof Fingerprint)[] = ['task', 'arm', 'workers', 'policy', 'prompts'];

/** The task's check as it ran on the attempt's copy (coding tasks). */
export interface CheckRecord {
  outcome: 'passed' | 'failed' | 'timeout' | 'could-not-run' | 'cancelled';
  exitCode: number | null;
  durationMs: number;
  /** The last bytes of its output. */
  outputTail: string;
}

export type NotRunReason = 'budget' | 'network' | 'cancelled';

export interface EvalResult extends Cell {
  pass: boolean;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  wallMs: number;
  /** Counters beyond input and output a provider reported (hosted Fugu's orchestration tokens), summed over the run's steps; absent when none. */
  extraUsage?: Record<string, number>;
  /** Null when the attempt ran to the end (whether or not it passed). */
  errorKind: string | null;
  traceId: string | null;
  /** `single:<id>+fix`: the repair call's trace, when it was made. */
  repairTraceId?: string;
  /** 'not-run': cut by the budget, the network or a cancel; no verdict, and a resumed eval runs it again. Absent (older files): scored. */
  status?: 'scored' | 'not-run';
  notRunReason?: NotRunReason;
  fingerprint?: Fingerprint;
  /** Coding tasks: the check's diagnostics; null when it did not run (the run failed before it). */
  check?: CheckRecord | null;
  /** Protected files the answer edited (errorKind "tampered"). */
  tampered?: string[];
  /** "i/n" when the line was written by `--shard i/n`. */
  shard?: string;
}

export const isScored = (r: EvalResult) => r.status !== 'not-run';

type Check = (v: unknown) => boolean;
const num: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const nonNeg: Check = (v) => num(v) && (v as number) >= 0;
const str: Check = (v) => typeof v === 'string';
const orNull = (c: Check): Check => (v) => v === null || c(v);
const FIELDS: [string, Check, string, boolean][] = [
  ['task', str, 'a string', true],
  ['arm', str, 'a string', true],
  ['repeat', (v) => Number.isInteger(v) && (v as number) >= 0, 'a whole number from 0', true],
  ['pass', (v) => typeof v === 'boolean', 'true or false', true],
  ['calls', nonNeg, 'a number, 0 or more', true],
  ['inputTokens', nonNeg, 'a number, 0 or more', true],
  ['outputTokens', nonNeg, 'a number, 0 or more', true],
  ['costUsd', nonNeg, 'a number of dollars, 0 or more', true],
  ['wallMs', nonNeg, 'a number, 0 or more', true],
  ['errorKind', orNull(str), 'a string or null', true],
  ['traceId', orNull(str), 'a string or null', true],
  ['status', (v) => v === 'scored' || v === 'not-run', '"scored" or "not-run"', false],
  ['notRunReason', (v) => v === 'budget' || v === 'network' || v === 'cancelled', '"budget", "network" or "cancelled"', false],
  ['fingerprint', (v) => !!v && typeof v === 'object' && FINGERPRINT_FIELDS.every((k) => str((v as Record<string, unknown>)[k])), `an object of strings ${FINGERPRINT_FIELDS.join(', ')}`, false],
  [
    'check',
    orNull((v) => !!v && typeof v === 'object' && str((v as CheckRecord).outcome) && orNull(num)((v as CheckRecord).exitCode) && nonNeg((v as CheckRecord).durationMs) && str((v as CheckRecord).outputTail)),
    'null or an object with outcome, exitCode, durationMs, outputTail',
    false,
  ],
  ['tampered', (v) => Array.isArray(v) && v.every(str), 'a list of paths', false],
  ['repairTraceId', str, 'a string', false],
  ['shard', (v) => str(v) && /^\d+\/\d+$/.test(v as string), '"i/n"', false],
  ['extraUsage', (v) => !!v && typeof v === 'object' && Object.values(v).every(num), 'an object of numbers', false],
];

/**
 * One results line checked field by field: the result, or one sentence naming the first field that is
 * wrong. Unknown fields are kept (a newer fugu may have added them).
 */
export function parseResultLine(line: string): { ok: true; result: EvalResult } | { ok: false; error: string } {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch (err) {
    return { ok: false, error: `not JSON (${(err as Error).message})` };
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { ok: false, error: 'not a JSON object' };
  const o = v as Record<string, unknown>;
  for (const [key, check, want, required] of FIELDS) {
    if (o[key] === undefined) {
      if (required) return { ok: false, error: `"${key}" is missing` };
      continue;
    }
    if (!check(o[key])) return { ok: false, error: `"${key}" must be ${want}` };
  }
  return { ok: true, result: o as unknown as EvalResult };
}

export interface ReadResults {
  results: EvalResult[];
  /** Each result's 1-based line number. */
  lines: number[];
  /** Lines that are not results, with their 1-based numbers and why. */
  bad: { line: number; error: string }[];
  /** Whether the text ended in a partial line (a crash mid-write). */
  partialLast: boolean;
}

/** Results text, every line checked. */
export function parseResults(text: string): ReadResults {
  const results: EvalResult[] = [];
  const numbers: number[] = [];
  const bad: { line: number; error: string }[] = [];
  text.split('\n').forEach((line, i) => {
    if (!line.trim()) return;
    const parsed = parseResultLine(line);
    if (parsed.ok) {
      results.push(parsed.result);
      numbers.push(i + 1);
    } else bad.push({ line: i + 1, error: parsed.error });
  });
  const partialLast = text.length > 0 && !text.endsWith('\n');
  return { results, lines: numbers, bad, partialLast };
}

/** Reads a results file; a missing file is empty. */
export async function readResults(path: string): Promise<ReadResults> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { results: [], lines: [], bad: [], partialLast: false };
    throw err;
  }
  return parseResults(text);
}

/** One line, appended. */
export async function appendResult(path: string, r: EvalResult): Promise<void> {
  await appendFile(path, `${JSON.stringify(r)}\n`);
}

/** Cuts a partial last line (a crash mid-write) so results appended after it stay one per line. */
export async function dropPartialLine(path: string): Promise<void> {
  const buf = await readFile(path).catch(() => null);
  if (!buf || buf.length === 0 || buf[buf.length - 1] === 0x0a) return;
  await truncate(path, buf.lastIndexOf(0x0a) + 1);
}

/** The first fingerprint field where two lines differ, or null when they agree ('missing' when one has none). */
export function fingerprintDifference(a: Fingerprint | undefined, b: Fingerprint | undefined): { field: keyof Fingerprint | 'fingerprint'; was: string; now: string } | null {
  if (!a || !b) return a === b ? null : { field: 'fingerprint', was: a ? 'one' : 'none (written by an older fugu)', now: b ? 'one' : 'none' };
  for (const k of FINGERPRINT_FIELDS) if (a[k] !== b[k]) return { field: k, was: a[k], now: b[k] };
  return null;
}

/** The outcome-deciding content of a line (what two copies of one attempt must share). */
function verdict(r: EvalResult): string {
  return JSON.stringify([r.status ?? 'scored', r.pass, r.errorKind, r.costUsd, r.calls, r.traceId, r.fingerprint ?? null]);
}

export class MergeError extends Error {}

/**
 * Several shards' results as one list. Per cell: scored lines win over not-run ones; two scored lines
 * that differ are a conflict (MergeError naming the cell and both files); identical copies count once.
 * Lines for one task × arm must share their fingerprint.
 */
export function mergeResults(lists: { file: string; results: EvalResult[] }[]): EvalResult[] {
  const byCell = new Map<string, { r: EvalResult; file: string }>();
  const prints = new Map<string, { fp: Fingerprint | undefined; file: string }>();
  for (const { file, results } of lists) {
    for (const r of results) {
      const taskArm = `${r.task}\u0000${r.arm}`;
      const known = prints.get(taskArm);
      if (!known) prints.set(taskArm, { fp: r.fingerprint, file });
      else {
        const d = fingerprintDifference(known.fp, r.fingerprint);
        if (d) throw new MergeError(`${r.task} × ${r.arm}: ${known.file} and ${file} were made with different ${d.field} (${d.was} / ${d.now}); merge only results of the same setup.`);
      }
      const k = cellKey(r);
      const seen = byCell.get(k);
      if (!seen || (!isScored(seen.r) && isScored(r))) {
        byCell.set(k, { r, file });
        continue;
      }
      if (isScored(seen.r) && isScored(r) && verdict(seen.r) !== verdict(r)) {
        throw new MergeError(`${r.task} × ${r.arm} (repeat ${r.repeat + 1}) is in ${seen.file} and ${file} with different outcomes (${seen.r.pass ? 'pass' : 'fail'} / ${r.pass ? 'pass' : 'fail'}, trace ${seen.r.traceId} / ${r.traceId}).`);
      }
    }
  }
  return [...byCell.values()].map((x) => x.r);
}

/** The shards named by the lines ("i/n") that none of them came from, or null when no line names a shard. */
export function missingShards(results: EvalResult[]): { count: number; missing: number[] } | null {
  const counts = new Set<number>();
  const have = new Set<number>();
  for (const r of results) {
    if (!r.shard) continue;
    const [i, n] = r.shard.split('/').map(Number);
    counts.add(n);
    have.add(i);
  }
  if (counts.size === 0) return null;
  const count = Math.max(...counts);
  const missing: number[] = [];
  for (let i = 1; i <= count; i++) if (!have.has(i)) missing.push(i);
  return { count, missing };
}

export async function writeResults(path: string, results: EvalResult[]): Promise<void> {
  await writeFile(path, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
}
