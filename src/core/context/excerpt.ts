// A file too long for its share of the context is sent as excerpts: its outline (symbols with their
// lines), the definitions of the symbols the task names and the lines holding an identifier it names
// verbatim that the file does not define (`FZF_CURRENT_ITEM` in a string), then the definitions of the
// few symbols whose names hold several of its words ("document metadata tags" sends
// `documentMetadataTag`) and of the few short functions whose lines hold between them more of its words
// than any one line does, the lines using the symbols the file was reached by (`uses \`x\` from
// a.ts`), and the lines matching the task's words with a few
// lines around them (a matching comment with the code it describes, to the end of its block), in file
// order, each region headed by its line numbers. Never its first N characters alone.
// Among lines matching the task's words equally, those naming the file's own matching symbols (their
// definitions and the places calling them) come before lines holding the words in prose only.
// The outline is paid for from the room the strongest regions leave, then a little of the file's head
// (its imports) comes before the weaker matches; room given beyond the regions widens their windows
// (toward the enclosing definition, then on both sides).
// Each range sent keeps why it was chosen, for the trace.
import { codeTokens } from './codeTokens';
import type { CodeSymbol } from './types';

export interface ExcerptRequest {
  text: string;
  /** Most characters of the regions chosen (and of the result, unless widened). */
  maxChars: number;
  /** Room beyond what the regions took, up to this many characters in all, widens the windows sent (default: none). */
  widenTo?: number;
  /** The task's terms (codeTokens of the task) with their weights (e.g. their IDF); a line scores the sum of the distinct terms it holds. */
  weights: ReadonlyMap<string, number>;
  /** The file's outline, when parsed. */
  symbols?: readonly CodeSymbol[];
  /** Names whose definitions are sent first (identifiers the task names that this file defines). */
  focus?: readonly string[];
  /** Names defined elsewhere that this file uses (how the graph reached it): the lines using them come next. */
  uses?: readonly string[];
  /** Identifiers the task names (`FZF_CURRENT_ITEM`): the lines holding one that the file does not define come with the uses. */
  named?: readonly string[];
}

export interface ExcerptRange {
  /** 1-based, inclusive. */
  from: number;
  to: number;
  /** Why these lines were sent: `defines \`x\``, `uses \`y\``, `matches "zsh", "quot"`, `head`. */
  why: string[];
}

export interface Excerpt {
  text: string;
  /** The 1-based line ranges sent, in order. */
  lines: [number, number][];
  /** The same ranges with why each was sent. */
  ranges: ExcerptRange[];
  /** For the trace: `excerpts of 2000 lines: 1–8 head; 12–40 defines \`x\`; 300–320 matches "zsh", "quot"; with its outline`. */
  note: string;
}

/** Lines of context kept on each side of a line using a symbol or naming an identifier, and at least below a matching comment. */
const AROUND = 3;
/** A matching line is sent with this many lines above it... */
const ABOVE = 2;
/** ...and this many below it (what a change adds more often follows the code a task's words meet than precedes it). */
const BELOW = 4;
/** A matching comment is sent with the code it describes, up to this many lines below it. */
const MAX_DESCRIBED_BLOCK = 30;
/** A named symbol's definition is sent up to this many lines. */
const MAX_DEFINITION_LINES = 80;
/** A symbol whose name holds at least this many of the task's words has its definition sent... */
const DESCRIBED_TERMS = 2;
/** ...for at most this many symbols of a file... */
const MAX_DESCRIBED = 2;
/** ...up to this many lines each. */
const MAX_DESCRIBED_LINES = 40;
/** A short function (at most this many lines) holding between its lines more of the task's words than any one of them... */
const MAX_GATHERED_LINES = 60;
/** ...at least this many distinct ones... */
const GATHERED_TERMS = 3;
/** ...is sent whole, the best this many of a file. */
const MAX_GATHERED = 2;
/** Lines using one symbol the file was reached by: at most this many are sent... */
const MAX_USES_PER_NAME = 2;
/** ...and at most this many in all. */
const MAX_USES = 8;
/** Matching lines scoring under this share of the best line's score wait until the stronger ones are in. */
const WEAK_MATCH = 0.3;
/** The file's head is sent up to this many characters when room is left. */
const MAX_HEAD = 1_200;
/** Before the weak matches, the head takes at most this share of the excerpt. */
const EARLY_HEAD_SHARE = 0.1;
/** The outline takes at most this share of the excerpt. */
const OUTLINE_SHARE = 0.15;
/** Leftover room widens a window up to the head of its enclosing definition when it starts at most this many lines above... */
const MAX_ENCLOSING = 20;
/** ...then by this many lines on each side per round... */
const WIDEN_STEP = 3;
/** ...for at most this many rounds. */
const WIDEN_ROUNDS = 4;
/** Terms named per matching region in the note. */
const NOTE_TERMS = 3;
/** Reasons named per range in the note. */
const NOTE_REASONS = 2;

type Kind = 'define' | 'use' | 'match';
interface Region {
  from: number;
  to: number;
  kind: Kind;
  score: number;
  /** A definition's or a use's reason; a match's terms. */
  why: string;
  terms?: string[];
  /** A match on a line naming one of the file's own symbols whose name holds a term of the task. */
  naming?: boolean;
}
const RANK: Record<Kind, number> = { define: 0, use: 1, match: 2 };

export function excerptFile(req: ExcerptRequest): Excerpt {
  const lines = req.text.split('\n');
  const n = lines.length;
  const symbols = [...(req.symbols ?? [])].sort((a, b) => a.line - b.line);

  const regions: Region[] = [];
  /** The lines of symbol `i`'s definition, up to `most`: to the line before the next symbol of its container (or of none). */
  const definition = (i: number, most: number) => definitionLines(symbols, i, n, most);
  /** The summed weight of distinct task terms, and the same terms heaviest first. */
  const weightOf = (terms: Iterable<string>) => {
    let w = 0;
    for (const t of terms) w += req.weights.get(t)!;
    return w;
  };
  const heaviestFirst = (a: string, b: string) => req.weights.get(b)! - req.weights.get(a)! || (a < b ? -1 : 1);
  /** Per symbol, the task's terms its name holds. */
  const nameTerms = symbols.map((s) => new Set(codeTokens(s.name).filter((t) => (req.weights.get(t) ?? 0) > 0)));
  // Named definitions.
  const focus = new Set(req.focus ?? []);
  symbols.forEach((s, i) => {
    if (!focus.has(s.name)) return;
    const [from, to] = definition(i, MAX_DEFINITION_LINES);
    regions.push({ from, to, kind: 'define', score: Infinity, why: `defines \`${s.name}\`` });
  });
  // Definitions of the file's own symbols whose names hold several of the task's words (`documentMetadataTag`
  // for "document metadata tags"), the best few: the task describes them without naming them.
  const described = symbols
    .map((_, i) => ({ i, held: nameTerms[i].size, score: weightOf(nameTerms[i]) }))
    .filter((d) => d.held >= DESCRIBED_TERMS && !focus.has(symbols[d.i].name))
    .sort((a, b) => b.score - a.score || a.i - b.i)
    .slice(0, MAX_DESCRIBED);
  for (const d of described) {
    const [from, to] = definition(d.i, MAX_DESCRIBED_LINES);
    regions.push({ from, to, kind: 'define', score: d.score, why: `defines \`${symbols[d.i].name}\`` });
  }

  // Lines matching the task's terms. Only lines holding a term as a substring are tokenized (most hold none).
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
  const lineTerms = new Map<number, string[]>();
  for (const i of candidates) {
    if (lines[i].length > 1_000) continue;
    const held = [...new Set(codeTokens(lines[i]))].filter((t) => (req.weights.get(t) ?? 0) > 0);
    if (!held.length) continue;
    held.sort(heaviestFirst);
    lineScore[i] = weightOf(held);
    lineTerms.set(i, held);
  }
  // The file's own symbols whose names hold a term of the task: among lines scoring the same, those naming
  // one (its definition, the places calling it) come before lines holding the term in prose only.
  const named = new Set(symbols.filter((_, i) => nameTerms[i].size > 0).map((s) => s.name));
  for (const [i, held] of lineTerms) {
    const naming = named.size > 0 && (lines[i].match(/[A-Za-z_$][\w$]*/g) ?? []).some((w) => named.has(w));
    const to = COMMENT.test(lines[i]) ? describedBlockEnd(lines, i) + 1 : i + 1 + BELOW;
    regions.push({ from: Math.max(1, i + 1 - ABOVE), to: Math.min(n, to), kind: 'match', score: lineScore[i], why: 'matches', terms: held, naming });
  }

  // Short functions whose lines hold between them several of the task's words, more than any one of
  // their lines does ("input", "border" and "line" over a few lines of one function): scored by the
  // distinct words they hold, the best two sent whole with the definitions (a function gathering the
  // words is a likelier place for the change than a line holding a few of them).
  const gathered: Region[] = [];
  const describedNames = new Set(described.map((d) => symbols[d.i].name));
  symbols.forEach((s, k) => {
    if ((s.kind !== 'function' && s.kind !== 'method') || focus.has(s.name) || describedNames.has(s.name)) return;
    const [from, to] = definition(k, Infinity);
    if (to - from + 1 > MAX_GATHERED_LINES) return;
    const held = new Set<string>();
    let bestLine = 0;
    for (let i = from - 1; i < to; i++) {
      for (const t of lineTerms.get(i) ?? []) held.add(t);
      bestLine = Math.max(bestLine, lineScore[i]);
    }
    const score = weightOf(held);
    if (held.size < GATHERED_TERMS || score <= bestLine) return;
    const terms = [...held].sort(heaviestFirst);
    gathered.push({ from, to, kind: 'define', score, why: 'matches', terms });
  });
  // The best few, the shorter first among equals, none inside another.
  const chosen: Region[] = [];
  for (const g of gathered.sort((a, b) => b.score - a.score || a.to - a.from - (b.to - b.from) || a.from - b.from)) {
    if (chosen.length < MAX_GATHERED && !chosen.some((c) => c.from <= g.to && g.from <= c.to)) chosen.push(g);
  }
  regions.push(...chosen);

  // Lines using the symbols the file was reached by, those that also match the task's words first.
  const useRegions: Region[] = [];
  // A line where this file defines the name itself (a platform twin of the other file's function) uses nothing.
  const ownDefinitions = new Set(symbols.map((s) => `${s.line}\u0000${s.name}`));
  const uses = new Set(req.uses ?? []);
  const verbatim = [...new Set(req.named ?? [])].filter((name) => !focus.has(name) && !uses.has(name));
  for (const [name, isNamed] of [...[...uses].map((u) => [u, false] as const), ...verbatim.map((v) => [v, true] as const)]) {
    const why = isNamed ? `names \`${name}\`` : `uses \`${name}\``;
    if (!/^[\w$]+$/.test(name)) continue;
    const word = new RegExp(`(^|[^\\w$])${name.replace(/\$/g, '\\$')}(?![\\w$])`);
    const using: number[] = [];
    for (let at = req.text.indexOf(name); at >= 0; at = req.text.indexOf(name, at + name.length)) {
      const line = lineAt(starts, at);
      if (lines[line].length <= 1_000 && word.test(lines[line]) && !ownDefinitions.has(`${line + 1}\u0000${name}`)) using.push(line);
      at = (starts[line + 1] ?? req.text.length) - 1;
    }
    using.sort((a, b) => lineScore[b] - lineScore[a] || a - b);
    for (const i of using.slice(0, MAX_USES_PER_NAME)) {
      const region = { from: Math.max(1, i + 1 - AROUND), to: Math.min(n, i + 1 + AROUND), why };
      // A line holding what the task names verbatim ranks with the named definitions, after them.
      if (isNamed) regions.push({ ...region, kind: 'define', score: Number.MAX_VALUE });
      else useRegions.push({ ...region, kind: 'use', score: lineScore[i] });
    }
  }
  regions.push(...useRegions.sort((a, b) => b.score - a.score || a.from - b.from).slice(0, MAX_USES));

  regions.sort((a, b) => RANK[a.kind] - RANK[b.kind] || b.score - a.score || Number(b.naming ?? false) - Number(a.naming ?? false) || a.from - b.from);
  // Lines matching only a small part of what the best line matches wait for a second pass.
  const best = Math.max(0, ...regions.filter((r) => r.kind === 'match').map((r) => r.score));
  const floor = best * WEAK_MATCH;

  // Greedy: add regions (merged with what is taken) while they fit: the strong ones, then the outline
  // (it is paid for only from the room they leave), then the weak matches.
  const taken = new Uint8Array(n + 2);
  const whyOf = new Map<number, Set<string>>();
  const termsOf = new Map<number, Set<string>>();
  const headerCost = 24;
  let used = 0;
  const cost = (from: number, to: number) => {
    let c = 0;
    for (let i = from; i <= to; i++) if (!taken[i]) c += lines[i - 1].length + 1;
    return c + (taken[from - 1] || taken[to + 1] ? 0 : headerCost);
  };
  const take = (from: number, to: number, why: string, terms?: string[]) => {
    for (let i = from; i <= to; i++) {
      taken[i] = 1;
      if (terms) for (const t of terms) (termsOf.get(i) ?? termsOf.set(i, new Set()).get(i)!).add(t);
      else if (why) (whyOf.get(i) ?? whyOf.set(i, new Set()).get(i)!).add(why);
    }
  };
  const strong = regions.filter((r) => r.kind !== 'match' || r.score >= floor);
  const weak = regions.filter((r) => r.kind === 'match' && r.score < floor);
  /** The regions sent, strongest first, with the lines each holds now (a long definition may be cut). */
  const sent: { from: number; to: number; kind: Kind }[] = [];
  const add = (r: Region) => {
    const from = r.from;
    let to = r.to;
    let c = cost(from, to);
    if (used + c > req.maxChars) {
      if (r.kind !== 'define') return;
      // A definition longer than the room: its head.
      while (to > from && used + c > req.maxChars) c = cost(from, --to);
      if (used + c > req.maxChars) return;
    }
    take(from, to, r.why, r.terms);
    used += c;
    sent.push({ from, to, kind: r.kind });
  };
  for (const r of strong) add(r);
  const outline = outlineOf(symbols, Math.min(Math.floor(req.maxChars * OUTLINE_SHARE), req.maxChars - used));
  used += outline.length;
  // The file's head (imports, module docs), a little of it: a part before the weak matches (what the
  // file imports is where a change often starts), the rest after them.
  let head = 0;
  let headUsed = 0;
  const takeHead = (most: number) => {
    while (head < n && !taken[head + 1]) {
      const c = lines[head].length + 1 + (head === 0 ? headerCost : 0);
      if (used + c > req.maxChars || headUsed + c > most) break;
      headUsed += c;
      used += c;
      head++;
    }
  };
  takeHead(Math.min(MAX_HEAD, Math.floor(req.maxChars * EARLY_HEAD_SHARE)));
  const early = head;
  if (early) take(1, early, 'head');
  for (const r of weak) add(r);
  takeHead(MAX_HEAD);
  if (head > early) take(early + 1, head, 'head');

  // Room given for it widens the windows sent, strongest first: up to the head of the definition
  // enclosing each (when near), then a few lines more on each side per round, a few rounds.
  const widenTo = Math.max(used, req.widenTo ?? 0);
  const grow = (from: number, to: number): boolean => {
    if (from < 1 || to > n || from > to) return false;
    const c = cost(from, to);
    if (c === 0 || used + c > widenTo) return false;
    take(from, to, '');
    used += c;
    return true;
  };
  for (const r of sent) {
    if (r.kind === 'define') continue;
    const enclosing = lastAtOrBefore(symbols, r.from);
    if (enclosing && enclosing.line < r.from && r.from - enclosing.line <= MAX_ENCLOSING && grow(enclosing.line, r.from - 1)) r.from = enclosing.line;
  }
  for (let round = 0, grew = true; grew && round < WIDEN_ROUNDS; round++) {
    grew = false;
    for (const r of sent) {
      if (grow(r.to + 1, Math.min(n, r.to + WIDEN_STEP))) {
        r.to = Math.min(n, r.to + WIDEN_STEP);
        grew = true;
      }
      if (grow(Math.max(1, r.from - WIDEN_STEP), r.from - 1)) {
        r.from = Math.max(1, r.from - WIDEN_STEP);
        grew = true;
      }
    }
  }

  // Ranges of taken lines, each with its reasons: definitions, uses, the terms matched (heaviest first), the head.
  const ranges: ExcerptRange[] = [];
  const rangeTerms: Set<string>[] = [];
  for (let i = 1; i <= n; i++) {
    if (!taken[i]) continue;
    const last = ranges[ranges.length - 1];
    if (last && last.to === i - 1) last.to = i;
    else {
      ranges.push({ from: i, to: i, why: [] });
      rangeTerms.push(new Set());
    }
    const r = ranges[ranges.length - 1];
    for (const w of whyOf.get(i) ?? []) if (!r.why.includes(w)) r.why.push(w);
    for (const t of termsOf.get(i) ?? []) rangeTerms[rangeTerms.length - 1].add(t);
  }
  const order = (w: string) => (w.startsWith('defines') ? 0 : w.startsWith('uses') || w.startsWith('names') ? 1 : w.startsWith('matches') ? 2 : 3);
  ranges.forEach((r, k) => {
    const terms = [...rangeTerms[k]].sort(heaviestFirst);
    if (terms.length) r.why.push(`matches ${terms.slice(0, NOTE_TERMS).map((t) => `"${t}"`).join(', ')}`);
    r.why.sort((a, b) => order(a) - order(b));
  });
  const body = ranges.map(({ from, to }) => `⋮ lines ${from}–${to}\n${lines.slice(from - 1, to).join('\n')}\n`).join('');
  const text = (outline + body).slice(0, Math.max(req.maxChars, req.widenTo ?? 0));
  const shown = ranges.map((r) => {
    const more = r.why.length > NOTE_REASONS ? ` (+${r.why.length - NOTE_REASONS})` : '';
    return `${r.from === r.to ? r.from : `${r.from}–${r.to}`} ${r.why.slice(0, NOTE_REASONS).join(', ')}${more}`;
  });
  const note = `excerpts of ${n} lines: ${shown.join('; ') || 'none'}${outline ? '; with its outline' : ''}`;
  return { text, lines: ranges.map((r) => [r.from, r.to]), ranges, note };
}

/** A line that is a comment (`//`, `#`, `/*`, ` * `, `--`). */
const COMMENT = /^\s*(\/\/|#(?![!\w])|\/\*|\*(\s|$)|--\s)/;

/**
 * The last 0-based line of the code comment line `i` describes: the lines after it down to the end of
 * its block (a line indented less than the comment, a blank line before one indented no more, or a new
 * comment at its indentation after some code), at least AROUND lines and at most MAX_DESCRIBED_BLOCK.
 */
function describedBlockEnd(lines: readonly string[], i: number): number {
  const indent = (s: string) => s.length - s.trimStart().length;
  const own = indent(lines[i]);
  let end = i;
  let code = false;
  for (let j = i + 1; j < lines.length && j <= i + MAX_DESCRIBED_BLOCK; j++) {
    const line = lines[j];
    if (!line.trim()) {
      const next = lines.slice(j + 1, j + 1 + MAX_DESCRIBED_BLOCK).find((l) => l.trim());
      if (next === undefined || indent(next) <= own) break;
      continue;
    }
    if (indent(line) < own || (code && indent(line) === own && COMMENT.test(line))) break;
    if (!COMMENT.test(line)) code = true;
    end = j;
  }
  return Math.max(end, Math.min(lines.length - 1, i + AROUND));
}

/** The lines of symbol `i`'s definition (symbols sorted by line), up to `most`: to the line before the next symbol of its container (or of none). */
function definitionLines(symbols: readonly CodeSymbol[], i: number, n: number, most: number): [number, number] {
  const s = symbols[i];
  let next: CodeSymbol | undefined;
  for (let j = i + 1; j < symbols.length && !next; j++) {
    const t = symbols[j];
    if (t.line > s.line && (t.container === s.container || !t.container)) next = t;
  }
  const end = Math.min(n, next ? next.line - 1 : n, s.line + most - 1);
  return [s.line, Math.max(s.line, end)];
}

/** The outline (symbols with their lines), as many rows as fit `room`. */
function outlineOf(symbols: readonly CodeSymbol[], room: number): string {
  const rows: string[] = [];
  let used = 'outline:\n'.length;
  for (const s of symbols) {
    const row = `${s.container ? '    ' : '  '}${s.line}: ${s.signature}\n`;
    if (used + row.length > room) break;
    rows.push(row);
    used += row.length;
  }
  return rows.length ? `outline:\n${rows.join('')}` : '';
}

/** The last symbol (sorted by line) starting at or before `line`. */
function lastAtOrBefore(symbols: readonly CodeSymbol[], line: number): CodeSymbol | undefined {
  let lo = 0;
  let hi = symbols.length - 1;
  let found: CodeSymbol | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (symbols[mid].line <= line) {
      found = symbols[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
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
