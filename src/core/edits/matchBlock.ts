// Finds where one SEARCH part sits in a file, from strictest to loosest: exact lines, then ignoring
// trailing whitespace, then ignoring indentation (re-indenting the replacement), then a part of one
// line, then a bounded fuzzy match that must be unique. Nothing here writes; it says where and what.
import { reindent } from './indentation';
import { lineSimilarity } from './similarity';
import { type LineText, partLines } from './textLines';

export type MatchTier = 'exact' | 'trailing-whitespace' | 'indentation' | 'part-of-line' | 'fuzzy';

export interface MatchFound {
  ok: true;
  /** Replace lines [start, end) of the file with `lines`. */
  start: number;
  end: number;
  lines: string[];
  tier: MatchTier;
  /** Number of SEARCH lines that were used (after dropping blank lines at its edges, if that was needed). */
  searchLines: number;
}

export interface MatchMissed {
  ok: false;
  kind: 'missing' | 'ambiguous';
  /** Why, without the block/file prefix (the planner adds it). */
  reason: string;
  closest?: { line: number; text: string; similarity: number };
}

export type MatchResult = MatchFound | MatchMissed;

export interface MatchOptions {
  /** Minimum window similarity for a fuzzy match (0..1). */
  fuzzyThreshold?: number;
}

export const DEFAULT_FUZZY_THRESHOLD = 0.85;
// Bounds on the fuzzy search, so a hopeless block cannot stall the run.
const MAX_FUZZY_CANDIDATES = 64;
const MAX_ANCHOR_REPEATS = 25;

export function matchBlock(doc: LineText, search: string, replace: string, options: MatchOptions = {}): MatchResult {
  const threshold = options.fuzzyThreshold ?? DEFAULT_FUZZY_THRESHOLD;
  const S = partLines(search);
  const R = partLines(replace);
  if (S.every((l) => l.trim() === '')) return { ok: false, kind: 'missing', reason: 'the SEARCH part has only blank lines.' };

  const variants: Array<{ S: string[]; R: string[] }> = [{ S, R }];
  const trimmed = dropEdgeBlankLines(S, R);
  if (trimmed) variants.push(trimmed);

  const F = doc.lines;
  const keyed = new Map<string, string[]>();
  const fileKeyed = (name: string, key: (s: string) => string): string[] => {
    let k = keyed.get(name);
    if (!k) keyed.set(name, (k = F.map(key)));
    return k;
  };

  for (const v of variants) {
    const exact = findAll(F, v.S);
    if (exact.length > 0) return decide(exact, v, 'exact', v.R);
    const te = v.S.map(trimEnd);
    const drift = findAll(fileKeyed('trimEnd', trimEnd), te);
    if (drift.length > 0) return decide(drift, v, 'trailing-whitespace', v.R);
    const tr = v.S.map(trim);
    const indent = findAll(fileKeyed('trim', trim), tr);
    if (indent.length > 0) {
      if (indent.length > 1) return ambiguous(indent, v.S.length, F);
      const at = indent[0];
      const found = F.slice(at, at + v.S.length);
      const context = F.slice(Math.max(0, at - 100), at + v.S.length + 100);
      return found1(at, v.S.length, reindent(v.R, v.S, found, context), 'indentation');
    }
  }

  const part = matchPartOfLine(F, S, R);
  if (part) return part;

  return fuzzy(F, variants[variants.length - 1], fileKeyed('trim', trim), threshold);

  function decide(starts: number[], v: { S: string[] }, tier: MatchTier, lines: string[]): MatchResult {
    if (starts.length > 1) return ambiguous(starts, v.S.length, F);
    return found1(starts[0], v.S.length, lines.slice(), tier);
  }
}

function found1(start: number, len: number, lines: string[], tier: MatchTier): MatchFound {
  return { ok: true, start, end: start + len, lines, tier, searchLines: len };
}

function trimEnd(s: string): string {
  return s.trimEnd();
}
function trim(s: string): string {
  return s.trim();
}

/** Blank lines at the edges of SEARCH are a common slip; drop them (and the same from REPLACE). */
function dropEdgeBlankLines(S: string[], R: string[]): { S: string[]; R: string[] } | null {
  let a = 0;
  let b = S.length;
  while (a < b && S[a].trim() === '') a++;
  while (b > a && S[b - 1].trim() === '') b--;
  if (a === 0 && b === S.length) return null;
  let ra = 0;
  let rb = R.length;
  while (ra < Math.min(a, rb) && R[ra].trim() === '') ra++;
  const tail = S.length - b;
  while (rb > ra && R.length - rb < tail && R[rb - 1].trim() === '') rb--;
  return { S: S.slice(a, b), R: R.slice(ra, rb) };
}

/** Every start index where `S` equals consecutive lines of `F`. */
function findAll(F: string[], S: string[]): number[] {
  const out: number[] = [];
  const m = S.length;
  const first = S[0];
  for (let i = 0; i + m <= F.length; i++) {
    if (F[i] !== first) continue;
    let j = 1;
    while (j < m && F[i + j] === S[j]) j++;
    if (j === m) out.push(i);
  }
  return out;
}

function ambiguous(starts: number[], len: number, F: string[]): MatchMissed {
  const shown = starts.slice(0, 5).map((s) => s + 1);
  const more = starts.length > 5 ? ', ...' : '';
  return {
    ok: false,
    kind: 'ambiguous',
    reason: `the SEARCH text matches ${starts.length} places (lines ${shown.join(', ')}${more}); include more surrounding lines so it matches exactly one.`,
    closest: { line: starts[0] + 1, text: F.slice(starts[0], starts[0] + len).join('\n'), similarity: 1 },
  };
}

/** A one-line SEARCH that is a fragment of a line ("x = 1" inside "  let x = 1;"), found once. */
function matchPartOfLine(F: string[], S: string[], R: string[]): MatchFound | null {
  if (S.length !== 1 || R.length > 1) return null;
  const needle = S[0].trim();
  if (needle.length < 3) return null;
  let hit = -1;
  let col = -1;
  for (let i = 0; i < F.length; i++) {
    let from = 0;
    for (;;) {
      const c = F[i].indexOf(needle, from);
      if (c < 0) break;
      if (hit >= 0) return null;
      hit = i;
      col = c;
      from = c + 1;
    }
  }
  if (hit < 0) return null;
  const line = F[hit];
  const replacement = (R[0] ?? '').trim();
  return found1(hit, 1, [line.slice(0, col) + replacement + line.slice(col + needle.length)], 'part-of-line');
}

interface Scored {
  start: number;
  score: number;
}

function fuzzy(F: string[], v: { S: string[]; R: string[] }, Ft: string[], threshold: number): MatchResult {
  const St = v.S.map(trim);
  const m = St.length;
  const nonBlank = St.map((s, j) => (s === '' ? -1 : j)).filter((j) => j >= 0);
  if (m > F.length || nonBlank.length === 0) return { ok: false, kind: 'missing', reason: 'the SEARCH text was not found (the file is shorter than it).' };

  const candidates = anchorCandidates(Ft, St, m);
  if (candidates.length === 0) candidates.push(...scanCandidates(Ft, St, nonBlank, m));
  const scored: Scored[] = candidates.map((start) => ({ start, score: windowScore(Ft, St, nonBlank, start) }));
  scored.sort((a, b) => b.score - a.score || a.start - b.start);
  const best = scored[0];
  const closest = best
    ? { line: best.start + nonBlank[0] + 1, text: F.slice(best.start, best.start + m).join('\n'), similarity: round2(best.score) }
    : undefined;
  const fuzzyAllowed = nonBlank.length >= 2;
  if (!best || best.score < threshold || !fuzzyAllowed) {
    const hint = !fuzzyAllowed && best && best.score >= threshold ? ' (a one-line SEARCH must match exactly)' : '';
    const where = closest ? `; the closest text is at line ${closest.line} (similarity ${closest.similarity.toFixed(2)})${hint}` : '';
    return { ok: false, kind: 'missing', reason: `the SEARCH text was not found in the file${where}.`, closest };
  }
  const rivals = scored.slice(1).filter((s) => s.score >= threshold && (Math.abs(s.start - best.start) >= m || s.score === best.score));
  if (rivals.length > 0) {
    const lines = [best, ...rivals].map((s) => s.start + nonBlank[0] + 1).sort((a, b) => a - b);
    return {
      ok: false,
      kind: 'ambiguous',
      reason: `the SEARCH text was not found exactly, and ${lines.length} places are similar to it (lines ${lines.slice(0, 5).join(', ')}); copy the exact current lines.`,
      closest,
    };
  }
  const found = F.slice(best.start, best.start + m);
  const context = F.slice(Math.max(0, best.start - 100), best.start + m + 100);
  return found1(best.start, m, reindent(v.R, v.S, found, context), 'fuzzy');
}

/** Window starts voted for by SEARCH lines that occur verbatim (trimmed) and not too often in the file. */
function anchorCandidates(Ft: string[], St: string[], m: number): number[] {
  const wanted = new Map<string, number[]>();
  St.forEach((s, j) => {
    if (s.length < 4) return;
    const js = wanted.get(s);
    if (js) js.push(j);
    else wanted.set(s, [j]);
  });
  if (wanted.size === 0) return [];
  const hits = new Map<string, number[]>();
  for (let i = 0; i < Ft.length; i++) {
    if (!wanted.has(Ft[i])) continue;
    const h = hits.get(Ft[i]);
    if (h) h.push(i);
    else hits.set(Ft[i], [i]);
  }
  const votes = new Map<number, number>();
  for (const [line, positions] of hits) {
    if (positions.length > MAX_ANCHOR_REPEATS) continue;
    for (const j of wanted.get(line)!) {
      for (const i of positions) {
        const start = i - j;
        if (start >= 0 && start + m <= Ft.length) votes.set(start, (votes.get(start) ?? 0) + 1);
      }
    }
  }
  return [...votes.entries()]
    .sort((a, b) => b[1] - a[1] || a[0] - b[0])
    .slice(0, MAX_FUZZY_CANDIDATES)
    .map(([start]) => start);
}

/**
 * No anchors: rank windows by how many character pairs their first non-blank line shares with
 * SEARCH's (linear in the file's size), then only the best few get the exact edit distance.
 */
function scanCandidates(Ft: string[], St: string[], nonBlank: number[], m: number): number[] {
  const j0 = nonBlank[0];
  const probe = bigramCounts(St[j0]);
  const ranked: Scored[] = [];
  for (let start = 0; start + m <= Ft.length; start++) {
    const score = sharedBigramScore(probe, Ft[start + j0], start + 1);
    if (score > 0) ranked.push({ start, score });
  }
  ranked.sort((a, b) => b.score - a.score || a.start - b.start);
  return ranked.slice(0, MAX_FUZZY_CANDIDATES).map((r) => r.start);
}

const BIGRAM_SLOTS = 1 << 16;
interface Bigrams {
  count: Int32Array;
  total: number;
  used: Int32Array;
  stamp: Int32Array;
}

function bigramHash(s: string, i: number): number {
  return (s.charCodeAt(i) * 31 + s.charCodeAt(i + 1)) & (BIGRAM_SLOTS - 1);
}

function bigramCounts(s: string): Bigrams {
  const count = new Int32Array(BIGRAM_SLOTS);
  for (let i = 0; i + 1 < s.length; i++) count[bigramHash(s, i)]++;
  return { count, total: Math.max(0, s.length - 1), used: new Int32Array(BIGRAM_SLOTS), stamp: new Int32Array(BIGRAM_SLOTS) };
}

/** Dice coefficient of character pairs; `gen` must differ per call so counters reset lazily. */
function sharedBigramScore(p: Bigrams, line: string, gen: number): number {
  const n = Math.max(0, line.length - 1);
  if (n === 0 || p.total === 0) return 0;
  let shared = 0;
  for (let i = 0; i < n; i++) {
    const h = bigramHash(line, i);
    if (p.count[h] === 0) continue;
    if (p.stamp[h] !== gen) {
      p.stamp[h] = gen;
      p.used[h] = 0;
    }
    if (p.used[h] < p.count[h]) {
      p.used[h]++;
      shared++;
    }
  }
  return (2 * shared) / (n + p.total);
}

/** Character-weighted similarity of a window, ignoring indentation and blank SEARCH lines. */
function windowScore(Ft: string[], St: string[], nonBlank: number[], start: number): number {
  let total = 0;
  let same = 0;
  for (const j of nonBlank) {
    const a = St[j];
    const b = Ft[start + j];
    const L = Math.max(a.length, b.length);
    total += L;
    same += L * lineSimilarity(a, b);
  }
  return total === 0 ? 0 : same / total;
}

function round2(x: number): number {
  return Math.round(x * 100) / 100;
}
