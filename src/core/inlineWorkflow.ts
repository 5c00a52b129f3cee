// Inline generation: a light, fixed workflow (one planner, then the coder) whose coder answers
// with raw code for one place in one file, instead of edit blocks. Pure: no editor import.

import type { FuguConfig, WorkerConfig } from './config';
import type { Policy, PolicyPlan } from './policies/types';
import type { Workflow } from './workflow/types';

export type InlineMode = 'planThenCode' | 'codeOnly';

export const CURSOR_MARK = '<<<FUGU_CURSOR>>>';
export const SELECTION_START = '<<<FUGU_SELECTION_START>>>';
export const SELECTION_END = '<<<FUGU_SELECTION_END>>>';

export interface InlineRequest {
  instruction: string;
  path: string;
  languageId: string;
  /** Text before the cursor or the selection. */
  before: string;
  /** The selected text ('' at a cursor). */
  selected: string;
  after: string;
  /** How much of the file around the place may be sent, in characters. */
  maxChars: number;
}

/**
 * The workers inline generation uses: the ids asked for, or the first planner and the first coder.
 * Throws with one readable sentence when an id is unknown or no worker can write code.
 */
export function inlineWorkers(config: FuguConfig, ids: string[], mode: InlineMode): WorkerConfig[] {
  const byId = (id: string) => {
    const w = config.workers.find((x) => x.id === id);
    if (!w) throw new Error(`fugu.inline.workers names '${id}', but no worker in fugu.workers has that id.`);
    return w;
  };
  const chosen = ids.length ? ids.map(byId) : [];
  const coder =
    [...chosen].reverse().find((w) => w.role === 'coder' || w.role === 'any') ??
    (chosen.length ? chosen[chosen.length - 1] : config.workers.find((w) => w.role === 'coder') ?? config.workers.find((w) => w.role === 'any'));
  if (!coder) throw new Error("Inline generation needs a worker with the role 'coder' in fugu.workers.");
  if (mode === 'codeOnly') return [coder];
  const planner = chosen.find((w) => w !== coder) ?? (ids.length ? undefined : config.workers.find((w) => w.role === 'planner'));
  return planner ? [planner, coder] : [coder];
}

/** The configuration inline generation runs with: its workers only, no recursion. */
export function inlineConfig(config: FuguConfig, workers: WorkerConfig[]): FuguConfig {
  return { ...config, policy: { ...config.policy, backend: 'builtin' }, workers, maxSteps: workers.length, maxRecursion: 0 };
}

/** The part of the file sent around the place: at most `maxChars` split before and after it. */
function window(req: InlineRequest): { before: string; after: string; cut: boolean } {
  const half = Math.max(200, Math.floor((req.maxChars - req.selected.length) / 2));
  const before = req.before.length > half ? req.before.slice(req.before.length - half) : req.before;
  const after = req.after.length > half ? req.after.slice(0, half) : req.after;
  return { before, after, cut: before.length < req.before.length || after.length < req.after.length };
}

/** The task every inline worker sees: the instruction and the file with the place marked. */
export function inlineTask(req: InlineRequest): string {
  const replacing = req.selected.length > 0;
  const { before, after, cut } = window(req);
  const marked = replacing ? `${before}${SELECTION_START}${req.selected}${SELECTION_END}${after}` : `${before}${CURSOR_MARK}${after}`;
  const place = replacing
    ? `the code between ${SELECTION_START} and ${SELECTION_END}, which it replaces`
    : `the code to insert at ${CURSOR_MARK}`;
  return (
    `Instruction: ${req.instruction}\n\n` +
    `Write ${place}, in the file ${req.path} (${req.languageId})${cut ? ' (cut around the place)' : ''}:\n\n` +
    `${marked}`
  );
}

const newlines = (text: string) => text.split('\n').length - 1;

/**
 * What the trace lists as the context of an inline run: the file and the lines of it that went
 * along, e.g. "src/cart.ts (lines 10–42 around the cursor)" or "(whole file, 42 lines, cursor at line 12)".
 */
export function inlineContextLabel(req: InlineRequest): string {
  const { before, after, cut } = window(req);
  const where = req.selected.length > 0 ? 'the selection' : 'the cursor';
  const placeLine = newlines(req.before) + 1;
  if (!cut) {
    const whole = req.before + req.selected + req.after;
    const lines = Math.max(1, newlines(whole) + (whole.endsWith('\n') ? 0 : 1));
    const at = req.selected.length > 0 ? `selection at lines ${placeLine}–${placeLine + newlines(req.selected)}` : `cursor at line ${placeLine}`;
    return `${req.path} (whole file, ${lines} ${lines === 1 ? 'line' : 'lines'}, ${at})`;
  }
  const first = placeLine - newlines(before);
  // A window that ends just after a line break holds nothing of the next line.
  const last = placeLine + newlines(req.selected + after) - (after.endsWith('\n') ? 1 : 0);
  return `${req.path} (lines ${first}–${Math.max(first, last)} around ${where})`;
}

function planInlineSubtask(): string {
  return (
    'Say briefly (under 120 words) how to write the code the instruction asks for at the marked place: what it ' +
    'must do, which names from the surrounding code to use, and the edge cases to handle. Do not write the code.'
  );
}

function codeInlineSubtask(hasPlan: boolean, replacing: boolean): string {
  const plan = hasPlan ? 'Follow the plan in the earlier message where it is right. ' : '';
  const what = replacing ? 'the complete replacement for the marked selection' : 'exactly the code to insert at the cursor mark';
  return (
    `${plan}Write ${what}. Output raw code only: no markdown fences, no explanation, no markers, and do not ` +
    'repeat the code around the place. Match the surrounding indentation and style.'
  );
}

/** The fixed inline workflow as a policy: the planner (if any), then the coder seeing it. */
export function inlinePolicy(replacing: boolean): Policy {
  const accept: Workflow = { model_id: [], subtasks: [], access_list: [] };
  const record = () => ({ backend: 'inline', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 });
  return {
    name: 'inline',
    async plan(input): Promise<PolicyPlan> {
      const n = input.config.workers.length;
      const workflow: Workflow =
        n >= 2
          ? { model_id: [0, n - 1], subtasks: [planInlineSubtask(), codeInlineSubtask(true, replacing)], access_list: [[], ['all']] }
          : { model_id: [0], subtasks: [codeInlineSubtask(false, replacing)], access_list: [[]] };
      return { workflow, record: record() };
    },
    async recurse(): Promise<PolicyPlan> {
      return { workflow: accept, record: record() };
    },
  };
}

/**
 * The code in a coder's answer: the body of the first fenced block when there is one, else the
 * text itself. Works on a partial stream: an unfinished fence line or closing fence is hidden.
 */
export function extractCode(text: string, complete = true): string {
  const lines = text.split('\n');
  const open = lines.findIndex((l) => /^\s*```/.test(l));
  let body: string;
  if (open === -1) {
    body = text;
    // A stream that has only begun with backticks may still become a fence line.
    if (!complete && /^\s*`{1,2}$/.test(body)) return '';
  } else {
    if (open === lines.length - 1 && !complete) return ''; // the fence line itself is still arriving
    const rest = lines.slice(open + 1);
    const close = rest.findIndex((l) => /^\s*```\s*$/.test(l));
    body = (close === -1 ? rest : rest.slice(0, close)).join('\n');
    if (close === -1 && !complete) body = body.replace(/\n\s*`{1,3}$/, '');
  }
  if (complete) body = body.replace(/\n+$/, '');
  for (const mark of [CURSOR_MARK, SELECTION_START, SELECTION_END]) body = body.split(mark).join('');
  return body;
}

/**
 * Code goes in after `linePrefix` (the text left of the cursor on its line). When that prefix is
 * indentation the code's first line repeats, the repeat is dropped so the first line is not
 * indented twice.
 */
export function fitFirstLineIndent(code: string, linePrefix: string): string {
  if (linePrefix.length === 0 || !/^[ \t]+$/.test(linePrefix)) return code;
  return code.startsWith(linePrefix) ? code.slice(linePrefix.length) : code;
}
