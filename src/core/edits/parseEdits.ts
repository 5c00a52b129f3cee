// Reads SEARCH/REPLACE blocks out of a coder's free-form answer, tolerating the usual drift:
// fences with or without a language, the path above the fence or inside it, CRLF, several blocks
// under one path, and code that itself contains marker-like lines.
import { DELETE_FILE_MARKER } from './editFormat';
import { normalizeEditPath, pathFromFenceInfo, pathFromLine } from './editPath';
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
      const named = findPath(lines, i);
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
      const path: string | null = named ?? lastPath;
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
      const named = findPath(lines, i);
      if (named) {
        blocks.push({ path: named, search: '', replace: '', kind: 'delete', ordinal: blocks.length });
        lastPath = named;
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

/** The path written for the block whose first line is `at`: inside the fence, in its info string, or above it. */
function findPath(lines: string[], at: number): string | null {
  const prev = at - 1;
  if (prev < 0) return null;
  const fence = FENCE.exec(lines[prev]);
  if (fence) {
    const inInfo = pathFromFenceInfo(fence[2]);
    if (inInfo) return normalizeEditPath(inInfo);
    let k = prev - 1;
    while (k >= 0 && k >= prev - 3 && lines[k].trim() === '') k--;
    const above = k >= 0 ? pathFromLine(lines[k]) : null;
    return above ? normalizeEditPath(above) : null;
  }
  // Path as the first line inside the fence, or on the line right above an unfenced block.
  const own = pathFromLine(lines[prev]);
  return own ? normalizeEditPath(own) : null;
}
