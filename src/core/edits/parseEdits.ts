// Reads SEARCH/REPLACE blocks out of a coder's free-form answer, tolerating the usual drift:
// fences with or without a language, the path above the fence, inside it, in its info string, as a
// comment or in a fence of its own, CRLF, several blocks under one path, and code that itself
// contains marker-like lines.
import { DELETE_FILE_MARKER } from './editFormat';
import { normalizeEditPath, pathFromFenceInfo, readNameLine, type NameRead } from './editPath';
import type { EditBlock } from './types';

const HEAD = /^\s*<{5,9}\s*SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const TAIL = /^\s*>{5,9}\s*REPLACE\s*$/;
// Git conflict markers that may appear in code being edited; their `=======` is not ours.
const CONFLICT_OPEN = /^<{7}(\s.*)?$/;
const CONFLICT_CLOSE = /^>{7}(\s.*)?$/;
const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;
const DELETE = new RegExp(`^\\s*(<{5,9}\\s*)?${DELETE_FILE_MARKER}\\s*$`);

export interface ParsedEdits {
  blocks: EditBlock[];
  /** One sentence per block that could not be read; the rest of the answer is still used. */
  errors: string[];
}

export function parseEditBlocks(text: string): ParsedEdits {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const blocks: EditBlock[] = [];
  const errors: string[] = [];
  let lastPath: string | null = null;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i];
    if (HEAD.test(line)) {
      const found = findPath(lines, i);
      const body = scanBody(lines, i + 1, true) ?? scanBody(lines, i + 1, false);
      if (!body || body.end < 0) {
        errors.push(`The block starting at line ${i + 1} of the answer has no closing ">>>>>>> REPLACE" line; it was ignored.`);
        i = body?.restartAt ?? findNextHead(lines, i + 1);
        continue;
      }
      if (body.dividers.length === 0) {
        errors.push(`The block starting at line ${i + 1} of the answer has no "=======" line between SEARCH and REPLACE; it was ignored.`);
        i = body.end + 1;
        continue;
      }
      if (found && 'error' in found) {
        errors.push(found.error);
        i = body.end + 1;
        continue;
      }
      const path: string | null = found?.path ?? lastPath;
      if (!path) {
        errors.push(`The block starting at line ${i + 1} of the answer does not name a file; it was ignored.`);
        i = body.end + 1;
        continue;
      }
      blocks.push(makeBlock(lines, i, body.end, body.dividers, path, blocks.length));
      lastPath = path;
      i = body.end + 1;
      continue;
    }
    if (DELETE.test(line)) {
      // A deletion must name its file right there; never inherit a path for something destructive.
      const found = findPath(lines, i);
      if (found && 'path' in found) {
        blocks.push({ path: found.path, search: '', replace: '', kind: 'delete', ordinal: blocks.length });
        lastPath = found.path;
      } else if (found) {
        errors.push(found.error.replace(/^The block starting at/, `The "${DELETE_FILE_MARKER}" at`));
      } else {
        errors.push(`The "${DELETE_FILE_MARKER}" at line ${i + 1} of the answer does not name a file; it was ignored.`);
      }
    }
    i++;
  }
  return { blocks, errors };
}

function makeBlock(lines: string[], head: number, end: number, dividers: number[], path: string, ordinal: number): EditBlock {
  const split = (d: number) => ({ search: joinLines(lines.slice(head + 1, d)), replace: joinLines(lines.slice(d + 1, end)) });
  // With several candidates, code usually changes symmetrically, so the middle one is the likeliest.
  const primaryIndex = Math.floor((dividers.length - 1) / 2);
  const block: EditBlock = { path, ...split(dividers[primaryIndex]), kind: 'replace', ordinal };
  if (dividers.length > 1) block.altSplits = dividers.filter((_, k) => k !== primaryIndex).map(split);
  return block;
}

function joinLines(ls: string[]): string {
  return ls.map((l) => l + '\n').join('');
}

interface Body {
  /** Index of the REPLACE line, or -1 when the block is not closed. */
  end: number;
  dividers: number[];
  /** Where to resume after an unclosed block (a new SEARCH line), if any. */
  restartAt?: number;
}

/** Finds the block's end; with `nested`, `=======` inside git conflict markers in code is skipped. */
function scanBody(lines: string[], from: number, nested: boolean): Body | null {
  let depth = 0;
  const dividers: number[] = [];
  for (let k = from; k < lines.length; k++) {
    const l = lines[k];
    if (HEAD.test(l)) return { end: -1, dividers, restartAt: k };
    if (depth === 0 && TAIL.test(l)) return { end: k, dividers };
    if (depth === 0 && DIVIDER.test(l)) dividers.push(k);
    else if (nested && CONFLICT_OPEN.test(l.trim())) depth++;
    else if (nested && depth > 0 && CONFLICT_CLOSE.test(l.trim())) depth--;
  }
  // Unbalanced conflict markers: let the flat scan try before calling the block unclosed.
  return nested ? null : { end: -1, dividers };
}

function findNextHead(lines: string[], from: number): number {
  for (let k = from; k < lines.length; k++) if (HEAD.test(lines[k])) return k;
  return lines.length;
}

type Named = { path: string } | { error: string } | null;

const FENCE_ONLY = /^\s*(`{3,}|~{3,})\s*$/;
/** Blank lines tolerated between a name and what it names. */
const MAX_GAP = 3;

/**
 * The file named for the block (or DELETE FILE line) at `at`. Names are looked for where coders put
 * them: the line above (inside the fence or, unfenced, above the block), the fence's info string, the
 * line above the fence, or a fence of its own holding just the name. When these places name different
 * files the block is refused with both names: a wrong file is worse than no edit.
 */
function findPath(lines: string[], at: number): Named {
  const reads: NameRead[] = [];
  let k = skipBlank(lines, at - 1);
  if (k < 0) return null;
  if (!FENCE.test(lines[k])) {
    // The first line inside the fence, or the line right above an unfenced block.
    const own = readNameLine(lines[k]);
    if (!own) return null;
    reads.push(own);
    // A name inside the fence sits right under its opening line; look there for a second name.
    k -= 1;
    if (own.kind !== 'exact' || k < 0 || !FENCE.test(lines[k])) return decide(reads, at);
  }
  // lines[k] opens the block's fence.
  const info = pathFromFenceInfo(FENCE.exec(lines[k])![2]);
  if (info) reads.push({ kind: 'exact', path: info });
  const above = nameAboveFence(lines, k);
  if (above) reads.push(above);
  return decide(reads, at);
}

/** The name written above the fence that opens at `fence`: a line of its own, or a fence holding only the name. */
function nameAboveFence(lines: string[], fence: number): NameRead | null {
  const k = skipBlank(lines, fence - 1);
  if (k < 0) return null;
  if (!FENCE_ONLY.test(lines[k])) return readNameLine(lines[k]);
  // A closing fence: accept it only when its fence holds exactly one line, and that line is a path.
  const opening = k - 2;
  if (opening < 0 || !FENCE.test(lines[opening]) || HEAD.test(lines[k - 1])) return null;
  const name = readNameLine(lines[k - 1]);
  return name?.kind === 'exact' ? name : null;
}

function skipBlank(lines: string[], from: number): number {
  let k = from;
  const stop = from - MAX_GAP;
  while (k >= 0 && k > stop && lines[k].trim() === '') k--;
  return k >= 0 && lines[k].trim() !== '' ? k : -1;
}

/** Exact names beat a name mentioned in prose; two different names are an error, never a guess. */
function decide(reads: NameRead[], at: number): Named {
  const where = `The block starting at line ${at + 1} of the answer`;
  const ambiguous = reads.find((r) => r.kind === 'ambiguous');
  const exact = unique(reads.filter((r) => r.kind === 'exact'));
  const chosen = exact.length > 0 ? exact : unique(reads.filter((r) => r.kind === 'mentioned'));
  if (chosen.length === 0 && ambiguous && ambiguous.kind === 'ambiguous') {
    return { error: `${where} names several files (${ambiguous.paths.join(', ')}); it was ignored.` };
  }
  if (chosen.length > 1) return { error: `${where} names different files (${chosen.join(' and ')}); it was ignored.` };
  return chosen.length === 1 ? { path: chosen[0] } : null;
}

/** Distinct normalised paths; "a.ts" and "src/a.ts" are one file named twice, kept as the longer. */
function unique(reads: NameRead[]): string[] {
  const paths = [...new Set(reads.map((r) => (r.kind === 'ambiguous' ? '' : normalizeEditPath(r.path))))].filter(Boolean);
  return paths.filter((p) => !paths.some((q) => q !== p && q.endsWith('/' + p)));
}
