// Fits ranked candidates into a character budget, sending code: a file that fits its share is sent
// whole; a longer one is sent as excerpts around what matched (excerpt.ts), never cut to its head. A
// part the user chose (a selection, an attached range: a candidate with a note) is sent as it is, or
// as its prefix when the room is short. Breadth before depth: at first an excerpt takes only part of its
// share, so the files ranked after it get their place (a changed file ranked ninth is not squeezed to a
// sliver by the tail of the first file's weaker matches); what the budget has left once every file is
// placed grows the excerpts back to their shares, then widens their windows, the best ranked first.
// A ranked file is not sent at all in less than a least part (4,000 characters of a large budget).
import type { CappedContext, ContextCandidate } from './capContext';
import { excerptFile, type ExcerptRequest } from './excerpt';
import type { CodeSymbol } from './types';

export interface PackCandidate extends ContextCandidate {
  /** The most of the budget this file may take (default: all that is left). */
  share?: number;
  /** Identifiers of the task the file defines (their definitions go first in its excerpt). */
  defines?: string[];
  /** Symbols defined elsewhere this file uses (how the graph reached it): the lines using them come next. */
  uses?: string[];
}

export interface PackOptions {
  /** The task's terms and their weights: what an excerpt looks for. */
  weights: ReadonlyMap<string, number>;
  /** The file's outline symbols, when known. */
  symbolsOf?: (path: string) => Promise<readonly CodeSymbol[] | undefined>;
  /** Identifiers the task names: an excerpt sends the lines holding them (excerpt.ts). */
  named?: readonly string[];
}

/**
 * Below this much room a part of a long file is more noise than help (about a hundred lines): on the
 * context benchmark's development commits, a changed file sent in a sliver seldom held its changed
 * lines, and the room left to the files ranked before it serves them better.
 */
const MIN_PART = 4_000;
/** With a small budget the least part is this share of it (a few files still get room)... */
const MIN_PART_SHARE = 0.1;
/** ...and never less than this (the least part of what the user chose: attached, named, open). */
const MIN_PART_FLOOR = 1_500;
/** The least part of a file worth sending within a budget of `maxChars`. */
export function minPart(maxChars: number): number {
  return Math.min(MIN_PART, Math.max(MIN_PART_FLOOR, Math.floor(maxChars * MIN_PART_SHARE)));
}
/** A ranked file leaves this many following files at least the least part each (one long file does not starve the next). */
const KEEP_FOR_NEXT = 3;
/** Until every file is placed, an excerpt takes at most this part of its share. */
const FIRST_PASS = 0.7;

export async function packContext(candidates: PackCandidate[], maxChars: number, opts: PackOptions): Promise<CappedContext> {
  const out: CappedContext = { files: [], skipped: [], chars: 0 };
  const seen = new Set<string>();
  /** The files sent as excerpts, in rank order, with what made them. */
  const excerpts: { at: number; req: ExcerptRequest; allowance: number }[] = [];
  const least = minPart(maxChars);
  for (const [at, c] of candidates.entries()) {
    const key = `${c.path}\u0000${c.note ?? ''}`;
    if (seen.has(key) || c.text.length === 0) continue;
    seen.add(key);
    const room = maxChars - out.chars;
    const next = c.share === undefined ? 0 : Math.min(KEEP_FOR_NEXT, candidates.length - at - 1);
    const allowance = Math.min(room, c.share ?? room, Math.max(least, room - next * least));
    /** This file's least part: a ranked file's, or the floor for what the user chose (no share). */
    const ownLeast = c.share === undefined ? MIN_PART_FLOOR : least;
    const reason = c.reason ? { reason: c.reason } : {};
    if (c.text.length <= allowance) {
      out.files.push({ path: c.path, text: c.text, ...reason, ...(c.note ? { note: c.note } : {}) });
      out.chars += c.text.length;
    } else if (allowance < ownLeast) {
      out.skipped.push(c.path);
    } else if (c.note) {
      const cut = c.text.slice(0, allowance);
      out.files.push({ path: c.path, text: cut, ...reason, note: `first ${cut.length} of ${c.text.length} characters; ${c.note}` });
      out.chars += cut.length;
    } else {
      const first = c.share === undefined ? allowance : Math.min(allowance, Math.max(least, Math.floor(c.share * FIRST_PASS)));
      const req = { text: c.text, maxChars: first, weights: opts.weights, symbols: (await opts.symbolsOf?.(c.path)) ?? [], focus: c.defines ?? [], uses: c.uses ?? [], named: opts.named ?? [] };
      const ex = excerptFile(req);
      excerpts.push({ at: out.files.length, req, allowance });
      out.files.push({ path: c.path, text: ex.text, ...reason, note: ex.note, lines: ex.lines });
      out.chars += ex.text.length;
    }
  }
  // What every file left grows the excerpts held back to their allowances (more of their regions), then
  // widens their windows (the same regions, more lines around them: changed lines often sit just past a
  // match), the best ranked first.
  /** Excerpts file `at` again with `req`; the new text replaces the old when it is longer and fits the room left. */
  const regrow = (at: number, req: ExcerptRequest): boolean => {
    const before = out.files[at];
    const ex = excerptFile(req);
    if (ex.text.length <= before.text.length || ex.text.length > before.text.length + maxChars - out.chars) return false;
    out.files[at] = { ...before, text: ex.text, note: ex.note, lines: ex.lines };
    out.chars += ex.text.length - before.text.length;
    return true;
  };
  for (const e of excerpts) {
    if (out.chars >= maxChars) break;
    if (e.req.maxChars >= e.allowance) continue;
    const req = { ...e.req, maxChars: Math.min(e.allowance, out.files[e.at].text.length + maxChars - out.chars) };
    if (regrow(e.at, req)) e.req = req;
  }
  for (const { at, req } of excerpts) {
    if (out.chars >= maxChars) break;
    regrow(at, { ...req, widenTo: out.files[at].text.length + maxChars - out.chars });
  }
  return out;
}
