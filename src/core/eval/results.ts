// Results: one JSON line per task × arm × repeat, appended as each attempt ends, so a rerun with the
// same file resumes where an interrupted one stopped.
import { appendFile, readFile, truncate, writeFile } from 'node:fs/promises';
import { cellKey, type Cell } from './grid';

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
}

function isResult(v: unknown): v is EvalResult {
  const o = v as Record<string, unknown>;
  return (
    !!o && typeof o === 'object' && typeof o.task === 'string' && typeof o.arm === 'string' && typeof o.repeat === 'number' &&
    typeof o.pass === 'boolean' && typeof o.costUsd === 'number'
  );
}

/**
 * Reads a results file; a missing file is empty. A line that does not parse (the last one, cut by a
 * crash mid-write) is skipped and counted, so the attempt it described runs again.
 */
export async function readResults(path: string): Promise<{ results: EvalResult[]; skipped: number }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { results: [], skipped: 0 };
    throw err;
  }
  const results: EvalResult[] = [];
  let skipped = 0;
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const v = JSON.parse(line);
      if (isResult(v)) results.push(v);
      else skipped++;
    } catch {
      skipped++;
    }
  }
  return { results, skipped };
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

/** Several shards' results as one list: each cell once (the first seen wins). */
export function mergeResults(lists: EvalResult[][]): EvalResult[] {
  const seen = new Set<string>();
  const out: EvalResult[] = [];
  for (const list of lists) {
    for (const r of list) {
      const k = cellKey(r);
      if (seen.has(k)) continue;
      seen.add(k);
      out.push(r);
    }
  }
  return out;
}

export async function writeResults(path: string, results: EvalResult[]): Promise<void> {
  await writeFile(path, results.map((r) => `${JSON.stringify(r)}\n`).join(''));
}
