// `fugu eval` results as outcomes for the learned policy. Eval results are the best data it gets:
// every arm ran on every task. Kept in one small reader so a change of the results format touches
// one function: unknown fields are ignored, attempts that did not run (`not-run`, an error) skipped.
import { readFile } from 'node:fs/promises';
import type { FuguConfig } from '../../config';
import type { EvalTask } from '../../eval/suite';
import { classifyTask, type TaskKind } from '../classifyTask';
import { candidatesFor } from './candidates';
import { taskFeatures } from './features';
import type { Outcome } from './model';

/** What the learned policy reads of one results line. */
export interface ResultLine {
  task: string;
  arm: string;
  pass: boolean;
  costUsd: number;
  wallMs: number;
}

/**
 * The one reader of the results format: a line counts when it names a task and an arm, says pass
 * or fail, and ran to the end (no errorKind; an outcome of `not-run` or `error` is skipped).
 */
export async function readResultLines(path: string): Promise<{ lines: ResultLine[]; skipped: number }> {
  const text = await readFile(path, 'utf8');
  const lines: ResultLine[] = [];
  let skipped = 0;
  for (const raw of text.split('\n')) {
    if (!raw.trim()) continue;
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(raw);
    } catch {
      skipped++;
      continue;
    }
    const ran = (o.errorKind === null || o.errorKind === undefined) && o.outcome !== 'not-run' && o.outcome !== 'error';
    if (!o || typeof o.task !== 'string' || typeof o.arm !== 'string' || typeof o.pass !== 'boolean' || !ran) {
      skipped++;
      continue;
    }
    const num = (x: unknown) => (typeof x === 'number' && Number.isFinite(x) && x >= 0 ? x : 0);
    lines.push({ task: o.task, arm: o.arm, pass: o.pass, costUsd: num(o.costUsd), wallMs: num(o.wallMs) });
  }
  return { lines, skipped };
}

/** The candidate an eval arm ran, for a task of this kind; null for an arm that is not one (a conductor, hosted Fugu). */
export function armCandidate(arm: string, kind: TaskKind, config: FuguConfig): string | null {
  if (arm.startsWith('workflow:')) return arm.slice('workflow:'.length) || null;
  if (arm.startsWith('single:')) return `${kind === 'coding' ? 'single' : 'answer'}(${arm.slice('single:'.length)})`;
  if (arm === 'builtin') {
    const set = candidatesFor(config, kind, config.maxRecursion > 0);
    return set.candidates[set.builtin].label;
  }
  return null;
}

/** The context a task's features read (the files `fugu eval` sends with it). */
export type ContextOf = (task: EvalTask) => Promise<{ paths: string[]; chars: number }>;

/** Outcomes from results lines, with features computed from the suite's tasks as a run computes them. */
export async function outcomesFromResults(lines: ResultLine[], tasks: EvalTask[], config: FuguConfig, contextOf: ContextOf): Promise<{ outcomes: Outcome[]; taskIds: string[]; unknownTasks: string[]; otherArms: string[] }> {
  const byId = new Map(tasks.map((t) => [t.id, t]));
  const features = new Map<string, { f: number[]; kind: TaskKind }>();
  const outcomes: Outcome[] = [];
  const taskIds: string[] = [];
  const unknownTasks = new Set<string>();
  const otherArms = new Set<string>();
  for (const l of lines) {
    const task = byId.get(l.task);
    if (!task) {
      unknownTasks.add(l.task);
      continue;
    }
    let fk = features.get(task.id);
    if (!fk) {
      const kind: TaskKind = task.kind === 'coding' ? 'coding' : classifyTask(task.prompt);
      const ctx = await contextOf(task);
      fk = { kind, f: taskFeatures({ request: task.prompt, kind, contextPaths: ctx.paths, contextChars: ctx.chars, check: task.kind === 'coding' ? 'exists' : 'none' }) };
      features.set(task.id, fk);
    }
    const c = armCandidate(l.arm, fk.kind, config);
    if (!c) {
      otherArms.add(l.arm);
      continue;
    }
    outcomes.push({ f: fk.f, c, r: l.pass ? 1 : 0, cost: l.costUsd, ms: l.wallMs });
    taskIds.push(task.id);
  }
  return { outcomes, taskIds, unknownTasks: [...unknownTasks], otherArms: [...otherArms] };
}
