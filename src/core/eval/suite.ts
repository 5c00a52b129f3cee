// A suite: one task a line of JSONL. A coding task brings a workspace and a check command; a text
// task brings an expected answer and how to match it.
import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { MATCH_KINDS, type MatchKind } from './match';

export type EvalTask =
  | { id: string; prompt: string; kind: 'coding'; workspace: string; check: string; protect?: string[] }
  | { id: string; prompt: string; kind: 'text'; answer: string; match: MatchKind };

/** A suite that cannot be run as written; `message` names the line and the field. */
export class SuiteError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SuiteError';
  }
}

const FIELDS = new Set(['id', 'prompt', 'workspace', 'check', 'answer', 'match', 'protect']);

/** Parses suite text. `dir` is the folder workspaces are relative to; `name` is shown in errors. */
export function parseSuite(text: string, dir: string, name: string): EvalTask[] {
  const tasks: EvalTask[] = [];
  const ids = new Set<string>();
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('//')) return;
    const where = `${name} line ${i + 1}`;
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch (err) {
      throw new SuiteError(`${where} is not valid JSON (${(err as Error).message}).`);
    }
    if (!v || typeof v !== 'object' || Array.isArray(v)) throw new SuiteError(`${where} is not a JSON object.`);
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!FIELDS.has(k)) throw new SuiteError(`${where}: "${k}" is not a task field (expected ${[...FIELDS].join(', ')}).`);
    const str = (k: string, required: boolean): string | undefined => {
      const x = o[k];
      if (x === undefined && !required) return undefined;
      if (typeof x !== 'string' || !x.trim()) throw new SuiteError(`${where}: "${k}" must be a non-empty string.`);
      return x;
    };
    const id = str('id', true)!;
    if (ids.has(id)) throw new SuiteError(`${where}: the id "${id}" is used twice.`);
    ids.add(id);
    const prompt = str('prompt', true)!;
    const workspace = str('workspace', false);
    const answer = str('answer', false);
    if (workspace !== undefined && answer !== undefined) throw new SuiteError(`${where}: a task has either "workspace" with "check", or "answer", not both.`);
    if (workspace !== undefined) {
      const check = str('check', true)!;
      if (o.match !== undefined) throw new SuiteError(`${where}: "match" only applies to a task with an "answer".`);
      const protect = o.protect;
      if (protect !== undefined && (!Array.isArray(protect) || !protect.every((g) => typeof g === 'string' && g.trim()))) {
        throw new SuiteError(`${where}: "protect" must be a list of glob patterns (workspace-relative), e.g. ["tests/**"]; [] protects nothing.`);
      }
      tasks.push({ id, prompt, kind: 'coding', workspace: resolve(dir, workspace), check, ...(protect !== undefined ? { protect: protect as string[] } : {}) });
    } else if (answer !== undefined) {
      if (o.check !== undefined) throw new SuiteError(`${where}: "check" needs a "workspace" to run in.`);
      if (o.protect !== undefined) throw new SuiteError(`${where}: "protect" only applies to a task with a "workspace".`);
      const match = (o.match ?? 'exact') as MatchKind;
      if (!MATCH_KINDS.includes(match)) throw new SuiteError(`${where}: "match" is ${JSON.stringify(o.match)}; expected one of ${MATCH_KINDS.join(', ')}.`);
      if (match === 'regex') {
        try {
          new RegExp(answer);
        } catch (err) {
          throw new SuiteError(`${where}: "answer" is not a valid regular expression (${(err as Error).message}).`);
        }
      }
      tasks.push({ id, prompt, kind: 'text', answer, match });
    } else {
      throw new SuiteError(`${where}: a task needs "workspace" and "check", or "answer".`);
    }
  });
  if (tasks.length === 0) throw new SuiteError(`${name} holds no tasks.`);
  return tasks;
}

/** Reads a suite from a JSONL file or a folder holding suite.jsonl, and checks every workspace exists. */
export async function loadSuite(path: string): Promise<{ tasks: EvalTask[]; dir: string; file: string }> {
  const abs = resolve(path);
  const info = await stat(abs).catch(() => null);
  if (!info) throw new SuiteError(`The suite ${path} does not exist.`);
  const file = info.isDirectory() ? join(abs, 'suite.jsonl') : abs;
  const dir = info.isDirectory() ? abs : resolve(abs, '..');
  const text = await readFile(file, 'utf8').catch(() => {
    throw new SuiteError(info.isDirectory() ? `The folder ${path} holds no suite.jsonl.` : `The suite ${path} cannot be read.`);
  });
  const tasks = parseSuite(text, dir, file);
  for (const t of tasks) {
    if (t.kind !== 'coding') continue;
    const ws = await stat(t.workspace).catch(() => null);
    if (!ws?.isDirectory()) throw new SuiteError(`Task "${t.id}": its workspace ${t.workspace} is not a folder.`);
  }
  return { tasks, dir, file };
}
