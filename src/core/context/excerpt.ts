// A file too long for its share of the context is sent as excerpts: its outline (symbols with their
// lines), the definitions of the symbols the task names, and the lines matching the task's words with
// a few lines around them, in file order, each region headed by its line numbers. Never its first N
// characters alone.
import { codeTokens } from './codeTokens';
import type { CodeSymbol } from './types';

export interface ExcerptRequest {
  text: string;
  /** Most characters of the result. */
  maxChars: number;
  /** The task's terms (codeTokens of the task) with their weights (e.g. their IDF); a line scores the sum of the distinct terms it holds. */
  weights: ReadonlyMap<string, number>;
  /** The file's outline, when parsed. */
  symbols?: readonly CodeSymbol[];
  /** Names whose definitions are sent first (identifiers the task names that this file defines). */
  focus?: readonly string[];
}

export interface Excerpt {
  text: string;
  /** The 1-based line ranges sent, in order. */
  lines: [number, number][];
  /** For the trace: `lines 12–40, 300–320 of 2000 (outline; defines `x`; 3 regions matching "zsh", "quote")`. */
  note: string;
}

/** Lines of context kept on each side of a matching line. */
const AROUND = 3;
/** A named symbol's definition is sent up to this many lines. */
const MAX_DEFINITION_LINES = 80;
/** Matching lines scoring under this share of the best line's score are left out. */
const WEAK_MATCH = 0.3;
/** The file's head is sent up to this many characters when room is left. */
const MAX_HEAD = 1_200;
/** The outline takes at most this share of the excerpt. */
const OUTLINE_SHARE = 0.15;

export function excerptFile(req: ExcerptRequest): Excerpt {
  const lines = req.text.split('\n');
  const n = lines.length;
  const symbols = [...(req.symbols ?? [])].sort((a, b) => a.line - b.line);

  // The outline, cut to its share.
  let outline = '';
  if (symbols.length) {
    const room = Math.floor(req.maxChars * OUTLINE_SHARE);
    const rows: string[] = [];
    let used = 'outline:\n'.length;
    for (const s of symbols) {
      const row = `${s.container ? '    ' : '  '}${s.line}: ${s.signature}\n`;
      if (used + row.length > room) break;
      rows.push(row);
      used += row.length;
    }
    if (rows.length) outline = `outline:\n${rows.join('')}`;
  }

  // Candidate regions, best first: named definitions, then windows around matching lines.
  const regions: { from: number; to: number; score: number; why: string }[] = [];
  const focus = new Set(req.focus ?? []);
  symbols.forEach((s, i) => {
    if (!focus.has(s.name)) return;
    const next = symbols.slice(i + 1).find((t) => t.line > s.line && (t.container === s.container || !t.container));
    const end = Math.min(n, next ? next.line - 1 : n, s.line + MAX_DEFINITION_LINES - 1);
    regions.push({ from: s.line, to: Math.max(s.line, end), score: Infinity, why: `defines \`${s.name}\`` });
  });
  // Only lines holding a term as a substring are tokenized (most lines hold none).
  const lower = req.text.toLowerCase();
  const starts = [0];
  for (let i = lower.indexOf('\n'); i >= 0; i = lower.indexOf('\n', i + 1)) starts.push(i + 1);
  const candidates = new Set<number>();
  for (const [t, w] of req.weights) {
    if (w <= 0) continue;
    for (let at = lower.indexOf(t); at >= 0; at = lower.indexOf(t, at + t.length)) {
      const line = lineAt(starts, at);
      candidates.add(line);
      at = (starts[line + 1] ?? lower.length) - 1; // on to the next line
    }
  }
  const lineScore = new Float64Array(n);
  for (const i of candidates) {
    if (lines[i].length > 1_000) continue;
    let s = 0;
    for (const t of new Set(codeTokens(lines[i]))) s += req.weights.get(t) ?? 0;
    lineScore[i] = s;
  }
  lineScore.forEach((s, i) => {
    if (s > 0) regions.push({ from: Math.max(1, i + 1 - AROUND), to: Math.min(n, i + 1 + AROUND), score: s, why: 'match' });
  });
  regions.sort((a, b) => b.score - a.score || a.from - b.from);
  // Lines matching only a small part of what the best line matches are not worth their room.
  const best = regions.find((r) => r.score !== Infinity)?.score ?? 0;
  const floor = best * WEAK_MATCH;

  // Greedy: add regions (merged with what is taken) while they fit.
  const taken = new Uint8Array(n + 2);
  const headerCost = 24;
  let used = outline.length;
  const cost = (from: number, to: number) => {
    let c = 0;
    for (let i = from; i <= to; i++) if (!taken[i]) c += lines[i - 1].length + 1;
    return c + (taken[from - 1] || taken[to + 1] ? 0 : headerCost);
  };
  const why = new Set<string>();
  let matched = 0;
  for (const r of regions) {
    if (r.score < floor) break;
    const from = r.from;
    let to = r.to;
    let c = cost(from, to);
    if (used + c > req.maxChars) {
      if (r.score !== Infinity) continue;
      // A definition longer than the room: its head.
      while (to > from && used + c > req.maxChars) c = cost(from, --to);
      if (used + c > req.maxChars) continue;
    }
    for (let i = from; i <= to; i++) taken[i] = 1;
    used += c;
    if (r.score === Infinity) why.add(r.why);
    else matched++;
  }
  // The file's head (imports, module docs), a little of it.
  let head = 0;
  let headUsed = 0;
  while (head < n && !taken[head + 1]) {
    const c = lines[head].length + 1 + (head === 0 ? headerCost : 0);
    if (used + c > req.maxChars || headUsed + c > MAX_HEAD) break;
    headUsed += c;
    used += c;
    head++;
  }
  for (let i = 1; i <= head; i++) taken[i] = 1;

  const ranges: [number, number][] = [];
  for (let i = 1; i <= n; i++) {
    if (!taken[i]) continue;
    if (ranges.length && ranges[ranges.length - 1][1] === i - 1) ranges[ranges.length - 1][1] = i;
    else ranges.push([i, i]);
  }
  const body = ranges.map(([a, b]) => `⋮ lines ${a}–${b}\n${lines.slice(a - 1, b).join('\n')}\n`).join('');
  const text = (outline + body).slice(0, req.maxChars);
  const parts = [outline ? 'outline' : '', ...why, matched ? `${matched} region${matched > 1 ? 's' : ''} matching the task` : ''].filter(Boolean);
  const note = `excerpts: lines ${ranges.map(([a, b]) => (a === b ? `${a}` : `${a}–${b}`)).join(', ') || 'none'} of ${n}${parts.length ? ` (${parts.join('; ')})` : ''}`;
  return { text, lines: ranges, note };
}

/** The 0-based line holding offset `at`, given each line's start offset. */
function lineAt(starts: readonly number[], at: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= at) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
