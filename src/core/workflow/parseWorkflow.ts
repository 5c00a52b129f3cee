// Turns a conductor's free-form answer into the three lists, as data. Never evaluates, never throws.

import { readLiteral, type Literal } from './pythonLiteral';
import type { AccessEntry, Workflow, WorkflowParse } from './types';

export const LIST_NAMES = ['model_id', 'subtasks', 'access_list'] as const;
type ListName = (typeof LIST_NAMES)[number];

/** Longer answers are cut: no conductor needs this much, and scanning stays cheap. */
const MAX_ANSWER_CHARS = 200_000;

// What a conductor wraps around a name or a value: **model_id**, `model_id`, __model_id__, 'model_id'.
const DECORATION = '(?:\\*\\*|__|\\*|`)?';
const NAME_DECORATION = "(?:\\*\\*|__|\\*|`|')?";
// `model_id = [`, `model_id: [`, `**model_id** = [`, `` `model_id`: [ ``: a name not preceded by an
// identifier character or a double quote (a "key" is JSON, read below), then `=` (not `==`) or `:`.
const ASSIGNMENT = new RegExp(
  `(?<![\\w.$"])${NAME_DECORATION}(model_id|subtasks|access_list)${NAME_DECORATION}[ \\t]*(=(?!=)|:(?!:))[ \\t]*${DECORATION}`,
  'g',
);

type Read = { name: ListName; ok: true; value: Literal } | { name: ListName; ok: false; error: string };

/**
 * Parses the conductor's answer: Python-literal assignments anywhere in the text (the last
 * complete set of three wins; `name: [...]` and markdown around the names count too), else a JSON
 * object with the same three keys.
 */
export function parseWorkflow(answer: string): WorkflowParse {
  try {
    if (typeof answer !== 'string') return { ok: false, error: 'The answer is not text.' };
    const text = answer.length > MAX_ANSWER_CHARS ? answer.slice(0, MAX_ANSWER_CHARS) : answer;
    const fromPython = parseAssignments(text);
    if (fromPython.kind === 'set') return fromPython.result;
    const fromJson = parseJsonObject(text);
    if (fromJson) return fromJson;
    if (fromPython.kind === 'partial') return { ok: false, error: fromPython.error };
    return {
      ok: false,
      error:
        'The answer has no "model_id = [...]", "subtasks = [...]" and "access_list = [...]" lists, ' +
        'and no JSON object with those keys.',
    };
  } catch (e) {
    // Defensive: a parser bug must not crash a run; it becomes a rejection like any other.
    return { ok: false, error: `The answer could not be parsed (${e instanceof Error ? e.message : String(e)}).` };
  }
}

type AssignmentsOutcome =
  | { kind: 'set'; result: WorkflowParse }
  | { kind: 'partial'; error: string }
  | { kind: 'none' };

function parseAssignments(text: string): AssignmentsOutcome {
  const reads: Read[] = [];
  const pattern = new RegExp(ASSIGNMENT.source, 'g');
  for (let m = pattern.exec(text); m; m = pattern.exec(text)) {
    const name = m[1] as ListName;
    const after = m.index + m[0].length;
    const next = /\S/.exec(text.slice(after, after + 200));
    // "model_id = the ids of ..." in prose is not an attempt at the list; ignore it. With a colon
    // ("model_id: 2 is the planner") only a list counts: prose uses colons far more than `=`.
    const startsValue = m[2] === ':' ? /\[/ : /["'[\d\-+{(]/;
    if (!next || !startsValue.test(next[0])) continue;
    const r = readLiteral(text, after);
    if (r.ok) {
      reads.push({ name, ok: true, value: r.value });
      // Resume after the literal, so "model_id = [9]" quoted inside a subtask is not read as a list.
      pattern.lastIndex = r.end;
    } else {
      reads.push({ name, ok: false, error: `${name} could not be read: ${r.error} (at character ${r.at}).` });
    }
  }
  if (reads.length === 0) return { kind: 'none' };

  // Group consecutive assignments into sets; a repeated name starts a new set.
  let current = new Map<ListName, Read>();
  let lastSet: Map<ListName, Read> | null = null;
  for (const r of reads) {
    if (current.has(r.name)) current = new Map();
    current.set(r.name, r);
    if (current.size === 3) {
      lastSet = current;
      current = new Map();
    }
  }
  if (lastSet) {
    const broken = LIST_NAMES.map((n) => lastSet!.get(n)!).find((r) => !r.ok);
    if (broken && !broken.ok) return { kind: 'set', result: { ok: false, error: broken.error } };
    const values = Object.fromEntries(LIST_NAMES.map((n) => [n, (lastSet!.get(n) as { value: Literal }).value]));
    return { kind: 'set', result: shapeWorkflow(values, 'python') };
  }
  // No complete set: explain what the last attempt lacked.
  const failed = reads.filter((r) => !r.ok).pop();
  if (failed && !failed.ok) return { kind: 'partial', error: failed.error };
  const found = new Set(reads.map((r) => r.name));
  const missing = LIST_NAMES.filter((n) => !found.has(n));
  return {
    kind: 'partial',
    error: `The answer has ${[...found].join(' and ')} but no ${missing.map((n) => `${n} = [...]`).join(' or ')}.`,
  };
}

/** Brace positions tried for JSON, from the end; bounds the work on brace-heavy garbage. */
const MAX_JSON_STARTS = 256;

/** The last JSON object in the text that has all three keys (fenced or bare). */
function parseJsonObject(text: string): WorkflowParse | null {
  const starts: number[] = [];
  for (let i = text.indexOf('{'); i !== -1; i = text.indexOf('{', i + 1)) starts.push(i);
  // From the end: the object that starts last is the conductor's final word.
  for (const i of starts.reverse().slice(0, MAX_JSON_STARTS)) {
    const end = matchingBrace(text, i);
    if (end === -1) continue;
    try {
      const v: unknown = JSON.parse(text.slice(i, end + 1));
      if (v && typeof v === 'object' && !Array.isArray(v) && LIST_NAMES.every((n) => n in v)) {
        return shapeWorkflow(v as Record<string, unknown>, 'json');
      }
    } catch {
      // not JSON; try an earlier brace
    }
  }
  return null;
}

/** Index of the "}" closing the "{" at `start`, skipping JSON strings; -1 if unclosed. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}') {
      depth--;
      if (depth === 0) return i;
    }
  }
  return -1;
}

function describe(v: unknown): string {
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '…' : v)}`;
  if (typeof v === 'number') return `the number ${v}`;
  if (Array.isArray(v)) return 'a list';
  if (v === null) return 'null';
  return `a ${typeof v}`;
}

/** Checks the types of the three lists (the validator checks their meaning). */
function shapeWorkflow(values: Record<string, unknown>, format: 'python' | 'json'): WorkflowParse {
  const { model_id, subtasks, access_list } = values;
  for (const n of LIST_NAMES) {
    if (!Array.isArray(values[n])) return { ok: false, error: `${n} must be a list, but it is ${describe(values[n])}.` };
  }
  const ids = model_id as unknown[];
  const tasks = subtasks as unknown[];
  const access = access_list as unknown[];
  for (let i = 0; i < ids.length; i++) {
    const v = ids[i];
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      return { ok: false, error: `model_id[${i}] is ${describe(v)}, but it must be an integer model number.` };
    }
  }
  for (let i = 0; i < tasks.length; i++) {
    if (typeof tasks[i] !== 'string') return { ok: false, error: `subtasks[${i}] is ${describe(tasks[i])}, but it must be a string.` };
  }
  const accessOut: AccessEntry[][] = [];
  for (let i = 0; i < access.length; i++) {
    const entry = access[i];
    if (!Array.isArray(entry)) {
      const hint = entry === 'all' ? ' (write ["all"])' : '';
      return { ok: false, error: `access_list[${i}] is ${describe(entry)}, but it must be a list such as [], ["all"] or [0, 1]${hint}.` };
    }
    const items: AccessEntry[] = [];
    for (let j = 0; j < entry.length; j++) {
      const a = entry[j];
      if (typeof a === 'string' && a.trim().toLowerCase() === 'all') items.push('all');
      else if (typeof a === 'number' && Number.isInteger(a)) items.push(a);
      else return { ok: false, error: `access_list[${i}][${j}] is ${describe(a)}, but it must be "all" or a step number.` };
    }
    accessOut.push(items);
  }
  const workflow: Workflow = { model_id: ids as number[], subtasks: tasks as string[], access_list: accessOut };
  return { ok: true, workflow, format };
}
