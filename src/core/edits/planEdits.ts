// Turns parsed blocks into one plan per file: matched against the current text, nothing written.
// A file's blocks apply together or not at all; a failure keeps the original and proposes nothing.
import { matchBlock, type MatchFound, type MatchResult } from './matchBlock';
import { checkPath } from './safePath';
import { joinText, type LineText, spliceLines, splitText } from './textLines';
import type { BlockFailure, EditBlock, FileEditPlan, WorkspaceFiles } from './types';

export async function planEdits(blocks: EditBlock[], ws: WorkspaceFiles): Promise<FileEditPlan[]> {
  const byPath = new Map<string, EditBlock[]>();
  for (const b of blocks) {
    const list = byPath.get(b.path);
    if (list) list.push(b);
    else byPath.set(b.path, [b]);
  }
  const plans: FileEditPlan[] = [];
  for (const [p, fileBlocks] of byPath) {
    const check = await checkPath(ws, p);
    if (!check.ok) {
      plans.push(refusedPlan(p, fileBlocks, check.reason));
      continue;
    }
    let current: string | null;
    try {
      current = await ws.read(check.rel);
    } catch (e) {
      plans.push({ ...emptyPlan(p, fileBlocks), status: 'failed', reason: `${p} could not be read: ${(e as Error).message}` });
      continue;
    }
    plans.push(planFileEdits(p, fileBlocks, current));
  }
  return plans;
}

export function refusedPlan(p: string, blocks: EditBlock[], reason: string): FileEditPlan {
  return { ...emptyPlan(p, blocks), status: 'refused', reason: `Refused: ${reason}` };
}

function emptyPlan(p: string, blocks: EditBlock[]): FileEditPlan {
  const action = blocks.some((b) => b.kind === 'delete') ? 'delete' : 'modify';
  return { path: p, action, original: null, proposed: null, status: 'failed', reason: null, blocks, failures: [] };
}

/** Plans one file's blocks against its current text (null = the file does not exist). Also used to re-plan at apply time. */
export function planFileEdits(p: string, blocks: EditBlock[], current: string | null): FileEditPlan {
  const base: FileEditPlan = { ...emptyPlan(p, blocks), original: current };
  const fail = (reason: string, failures: BlockFailure[] = []): FileEditPlan => ({ ...base, status: 'failed', reason, failures });

  if (current !== null && current.includes('\0')) return fail(`${p} looks like a binary file; it is not edited.`);

  const deletes = blocks.filter((b) => b.kind === 'delete');
  if (deletes.length > 0) {
    if (deletes.length !== blocks.length) return fail(`${p} is both deleted and edited in the answer; say one or the other.`);
    if (current === null) return fail(`${p} cannot be deleted: it does not exist.`);
    return { ...base, action: 'delete', status: 'proposed' };
  }

  let doc: LineText | null = current === null ? null : splitText(current);
  const failures: BlockFailure[] = [];
  for (const block of blocks) {
    const label = `Block #${block.ordinal + 1} for ${p}`;
    if (isEmptySearch(block.search)) {
      // Empty SEARCH: create the file, or append to it.
      if (doc === null) {
        doc = splitText(block.replace);
        continue;
      }
      const rewrite = wholeFileRewrite(joinText(doc), block.replace);
      if (rewrite === 'extends') doc = splitText(convertEols(block.replace, doc.eol));
      else if (rewrite === 'differs') failures.push({ ordinal: block.ordinal, path: p, reason: `${label}: an empty SEARCH appends to an existing file, but this REPLACE looks like a whole new version of ${p}; write SEARCH/REPLACE blocks for the parts that change.` });
      else appendTo(doc, block.replace);
      continue;
    }
    if (doc === null) {
      failures.push({ ordinal: block.ordinal, path: p, reason: `${label}: the file does not exist, so its SEARCH text cannot match (use an empty SEARCH to create it).` });
      continue;
    }
    const result = matchWithSplits(doc, block);
    if (result.ok) {
      spliceLines(doc, result.start, result.end, result.lines);
    } else {
      failures.push({ ordinal: block.ordinal, path: p, reason: `${label}: ${result.reason}`, ...(result.closest ? { closest: result.closest } : {}) });
    }
  }
  if (failures.length > 0) {
    const more = failures.length > 1 ? ` (and ${failures.length - 1} more failed block${failures.length > 2 ? 's' : ''})` : '';
    return fail(`${failures[0].reason}${more} No change was made to ${p}.`, failures);
  }
  const proposed = doc === null ? '' : joinText(doc);
  if (current !== null && current !== '' && proposed === '') {
    return fail(`The blocks for ${p} would leave it empty; to remove a file, delete it explicitly. No change was made.`);
  }
  return { ...base, action: current === null ? 'create' : 'modify', proposed, status: 'proposed' };
}

function isEmptySearch(search: string): boolean {
  return search.trim() === '';
}

/**
 * An empty SEARCH on an existing file means "append", but coders sometimes send the whole file again.
 * 'extends': REPLACE starts with the current text (so it is the file plus an addition);
 * 'differs': REPLACE starts like the file but is not it (appending would duplicate the file).
 */
function wholeFileRewrite(current: string, replace: string): 'extends' | 'differs' | null {
  const cur = current.replace(/\r\n/g, '\n');
  if (cur.trim() === '') return null;
  const rep = replace.replace(/\r\n/g, '\n');
  if (rep.startsWith(cur) || rep.startsWith(cur.replace(/\n$/, '') + '\n')) return 'extends';
  const firstLine = (t: string) => t.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  const nonBlank = cur.split('\n').filter((l) => l.trim() !== '').length;
  return nonBlank >= 3 && firstLine(cur) === firstLine(rep) ? 'differs' : null;
}

function convertEols(text: string, eol: string): string {
  return eol === '\n' ? text : text.replace(/\r?\n/g, eol);
}

function appendTo(doc: LineText, text: string): void {
  const added = splitText(text).lines;
  if (added.length === 0) return;
  spliceLines(doc, doc.lines.length, doc.lines.length, added);
}

/** Tries the block's main SEARCH/REPLACE split, then any alternatives; the longest matching SEARCH wins. */
function matchWithSplits(doc: LineText, block: EditBlock): MatchResult {
  const first = matchBlock(doc, block.search, block.replace);
  if (!block.altSplits || block.altSplits.length === 0) return first;
  let best: { found: MatchFound; len: number } | null = first.ok ? { found: first, len: block.search.length } : null;
  for (const alt of block.altSplits) {
    if (isEmptySearch(alt.search)) continue;
    const r = matchBlock(doc, alt.search, alt.replace);
    if (r.ok && (!best || alt.search.length > best.len)) best = { found: r, len: alt.search.length };
  }
  return best ? best.found : first;
}
