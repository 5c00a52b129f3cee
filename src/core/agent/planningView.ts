// What planners (and the policy) see of a long conversation: the task, the newest turns in full and a
// digest of the rest, cut to a number of tokens. The answering step still gets the whole conversation.
import type { ChatMessage } from '../workers/types';
import { CHARS_PER_TOKEN, tokensByChars } from '../tokens/estimateTokens';
import { turnLine, type Conversation, type ConversationTask } from './conversation';

export interface PlanningView {
  /** The task as planners see it. */
  task: string;
  /** Estimated tokens of the whole task, and of the view. */
  fullTokens: number;
  viewTokens: number;
  /** Earlier turns shown in full, and those only in the digest. */
  newest: number;
  digested: number;
}

/** Shares of the view, in characters of `limit` tokens: the user's request, instructions, the newest turns; the digest takes the rest. */
const SHARE = { question: 0.25, instructions: 0.2, newest: 0.35 };
/** Longest newest turn shown, and longest last result in the digest (characters). */
const TURN_CHARS = 6000;
const RESULT_CHARS = 400;
/** At most this many files and earlier user messages are named in the digest. */
const MAX_FILES = 60;
const MAX_ASKS = 8;
/** Only this much of a call's arguments is searched for paths (model text, so bounded). */
const ARGS_SCAN_CHARS = 4000;

/**
 * The task planners see: the task itself when it fits in `limitTokens` (measured by `count`, default
 * the characters bound), else a bounded view. Null when the task fits.
 */
export function planningView(c: Conversation, turn: ConversationTask, limitTokens: number, count: (text: string) => number = tokensByChars): PlanningView | null {
  const fullTokens = count(turn.task);
  if (fullTokens <= limitTokens) return null;
  // Built by characters, then measured; a text denser than the bound assumes is built again, smaller.
  let chars = limitTokens * CHARS_PER_TOKEN;
  let view = buildView(c, turn, chars, fullTokens);
  let viewTokens = count(view.task);
  for (let attempt = 0; viewTokens > limitTokens && attempt < 3; attempt++) {
    chars = Math.floor(((chars * limitTokens) / viewTokens) * 0.9);
    view = buildView(c, turn, chars, fullTokens);
    viewTokens = count(view.task);
  }
  // Still over (text far denser than assumed): the view itself is cut until it fits.
  while (viewTokens > limitTokens && view.task.length > 0) {
    view = { ...view, task: cut(view.task, Math.floor(((view.task.length * limitTokens) / viewTokens) * 0.9)) };
    viewTokens = count(view.task);
  }
  return { ...view, fullTokens, viewTokens };
}

function buildView(c: Conversation, turn: ConversationTask, chars: number, fullTokens: number): Omit<PlanningView, 'fullTokens' | 'viewTokens'> {
  const question = cut(turn.question, Math.floor(chars * SHARE.question));
  const instructions = c.instructions.map((s) => s.trim()).filter(Boolean).join('\n\n');
  let task = question;
  if (instructions) task += `\n\n---\nInstructions given with this request:\n${cut(instructions, Math.floor(chars * SHARE.instructions))}`;

  // The newest earlier turns, walking back until their share is used.
  const newestRoom = Math.floor(chars * SHARE.newest);
  const shown: string[] = [];
  let used = 0;
  let first = turn.earlier.length;
  for (let i = turn.earlier.length - 1; i >= 0; i--) {
    const line = cut(turnLine(turn.earlier[i]), TURN_CHARS);
    if (!line) {
      first = i;
      continue;
    }
    if (used + line.length > newestRoom && shown.length > 0) break;
    shown.unshift(cut(line, newestRoom));
    used += line.length;
    first = i;
  }
  const older = turn.earlier.slice(0, first);
  const header = `\n\n---\nThis conversation is long (about ${fullTokens} tokens). You see the newest ${shown.length} earlier turns in full${older.length ? ` and a digest of the ${older.length} before them` : ''}.`;
  const tail = shown.length ? `\n\n---\nNewest earlier turns, oldest first:\n${shown.join('\n\n')}` : '';
  const digestRoom = Math.max(0, chars - task.length - header.length - tail.length);
  const d = older.length ? `\n\nDigest of the ${older.length} earlier turns:\n${cut(digest(older), digestRoom)}` : '';
  return { task: task + header + d + tail, newest: shown.length, digested: older.length };
}

/** Tools called (with counts), files touched, the user's earlier requests, and the last results. */
export function digest(turns: ChatMessage[]): string {
  const tools = new Map<string, number>();
  const files = new Set<string>();
  const asks: string[] = [];
  const results: string[] = [];
  const names = new Map<string, string>();
  for (const t of turns) {
    for (const call of t.toolCalls ?? []) {
      tools.set(call.name, (tools.get(call.name) ?? 0) + 1);
      names.set(call.id, call.name);
      for (const f of pathsIn(call.arguments)) if (files.size < MAX_FILES) files.add(f);
    }
    if (t.role === 'user' && t.content.trim()) asks.push(cut(t.content.trim().replace(/\s+/g, ' '), 200));
    if (t.role === 'tool') results.push(`[${names.get(t.toolCallId ?? '') ?? 'tool'}] ${oneLine(cut(t.content.trim(), RESULT_CHARS))}`);
  }
  const lines: string[] = [];
  if (tools.size) lines.push(`- Tools called: ${[...tools].sort((a, b) => b[1] - a[1]).map(([n, k]) => `${n} ×${k}`).join(', ')}`);
  if (files.size) lines.push(`- Files touched: ${[...files].join(', ')}`);
  if (asks.length) lines.push(`- Earlier requests of the user: ${asks.slice(-MAX_ASKS).map((a) => `"${a}"`).join('; ')}`);
  const texts = turns.filter((t) => t.role === 'assistant' && t.content.trim()).slice(-2);
  for (const t of texts) lines.push(`- The assistant wrote: ${oneLine(cut(t.content.trim(), RESULT_CHARS))}`);
  // The last results matter most: they come last, and the digest is cut from its middle.
  for (const r of results.slice(-3)) lines.push(`- Last results: ${r}`);
  return lines.join('\n');
}

const PATH_KEYS = /"(?:path|file_path|filePath|file|filename|target_file|notebook_path)"\s*:\s*"([^"\n]{1,300})"/g;
const PATCH_FILE = /\*\*\* (?:Add|Update|Delete) File: ([^\n\\]{1,300})/g;
const PATH_WORD = /[\w./-]{3,200}/g;
const SOURCE_FILE = /^(?!-)[\w./-]*\w\.(ts|tsx|js|jsx|mjs|cjs|py|rs|go|java|kt|c|h|cc|cpp|hpp|cs|rb|php|swift|md|json|toml|ya?ml|sh|css|html|sql)$/;

/** Paths a call's arguments name: path-like keys, apply_patch headers, file names in a command. */
export function pathsIn(args: string): string[] {
  const text = args.slice(0, ARGS_SCAN_CHARS);
  const found = new Set<string>();
  for (const re of [PATH_KEYS, PATCH_FILE]) for (const m of text.matchAll(re)) found.add(m[1].trim());
  // A command line: words that look like source files (linear scans only: model text).
  if (found.size === 0) for (const m of text.replace(/\\n/g, ' ').matchAll(PATH_WORD)) if (SOURCE_FILE.test(m[0])) found.add(m[0]);
  return [...found];
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

/** `text` in at most `max` characters: its head and tail around a note of what was left out. */
export function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 80) return text.slice(0, Math.max(0, max));
  const note = `\n[… ${text.length - max} characters left out …]\n`;
  const head = Math.floor((max - note.length) * 0.6);
  return text.slice(0, head) + note + text.slice(text.length - (max - note.length - head));
}
