// What the user attached to a chat request (`#file`, a selection, a symbol, a folder, a tool's text):
// the facts the editor side and the ranking share. The ranking itself is in gatherRepoContext.
import { contextLine, type ContextCandidate } from './capContext';

/** The reason every attached file is sent with. */
export const ATTACHED = 'attached in chat';

/** An attached folder sends at most this many of its indexed files. */
export const MAX_FOLDER_FILES = 20;

export interface Attachments {
  /** Files, parts of files (noted `lines a-b`) and texts, in the order the user attached them. */
  files: ContextCandidate[];
  /** Workspace-relative folders: their indexed files follow the attached files, capped. */
  folders: string[];
  /** What was attached but is not sent, as the trace's context list says it (`notSent`). */
  notes: string[];
}

/** The note on a part of a file; lines are 1-based and inclusive. */
export function lineNote(first: number, last: number): string {
  return first === last ? `line ${first}` : `lines ${first}-${last}`;
}

/** An attachment left out, in the words of the trace's context list: `path (attached in chat; not sent: why)`. */
export function notSent(path: string, why: string): string {
  return contextLine({ path, reason: ATTACHED, note: `not sent: ${why}` });
}

/** The files of `folder` among `paths` (workspace-relative), shallowest first, at most `max` of them. */
export function folderFiles(folder: string, paths: string[], max = MAX_FOLDER_FILES): { files: string[]; more: number } {
  const prefix = folder.replace(/^\.?\/*|\/+$/g, '');
  const inside = prefix ? paths.filter((p) => p.startsWith(`${prefix}/`)) : [...paths];
  const depth = (p: string) => p.split('/').length;
  inside.sort((a, b) => depth(a) - depth(b) || a.localeCompare(b));
  return { files: inside.slice(0, max), more: Math.max(0, inside.length - max) };
}

/** A stretch of the prompt (`#file:cart.js`, as VS Code's reference range gives it) and what replaces it. */
export interface PromptSpan {
  range: readonly [start: number, end: number];
  text: string;
}

/**
 * The prompt with each span replaced; spans that overlap another or fall outside the prompt are left
 * as written, so a stale range never garbles the task.
 */
export function replaceSpans(prompt: string, spans: PromptSpan[]): string {
  let out = '';
  let at = 0;
  for (const s of [...spans].sort((a, b) => a.range[0] - b.range[0])) {
    const [start, end] = s.range;
    if (start < at || end > prompt.length || end < start) continue;
    out += prompt.slice(at, start) + s.text;
    at = end;
  }
  return out + prompt.slice(at);
}
