// One ranking of the workspace's files for a task, fused from three signals, each file keeping the
// reasons it was ranked for (shown in the trace):
//   - symbols: files defining identifiers the task names (`defines \`parsePrice\``), the strongest;
//   - words: the lexical index (BM25F over path parts, symbol names and contents, code-aware terms);
//   - the graph: imports and symbol references around the best matches, weighted by a PageRank
//     personalised to them, so a neighbour of several matches outranks a neighbour of one;
//   - embeddings, when the user turned them on: files whose embedding is nearest the task's
//     (embeddings/workspaceEmbeddings.ts), weighted by their rank among the nearest.
// Files matched by symbols or words come first; files reached only through the graph come after.
import { codeTokens, joinedWords, queryTerms } from './codeTokens';
import type { LexicalHit, LexicalIndex } from './lexicalIndex';
import { importWord, type PathLookup, resolveImport } from './resolveImports';
import type { SimilarFile } from './embeddings/workspaceEmbeddings';
import type { TaskTerms } from './taskTerms';
import type { CodeSymbol, LanguageId } from './types';
import type { WorkspaceIndex } from './workspaceIndex';

export interface RankedFile {
  path: string;
  score: number;
  /** 1: matched by a symbol or the task's words; 2: reached through the graph, or weak words only. */
  tier: 1 | 2;
  reasons: string[];
  /** Identifiers of the task this file defines (their definitions go first in an excerpt). */
  defines: string[];
  /** Symbols of the matched files this file uses (the graph's reference edges): their lines come next in an excerpt. */
  uses: string[];
}

export interface Ranking {
  files: RankedFile[];
  /** The task's terms with their weights (IDF), for excerpting. */
  weights: Map<string, number>;
}

const MAX_IDENTIFIERS = 8;
const MAX_DEFINERS = 4;
const MAX_MENTIONS = 200;
const LEXICAL_HITS = 40;
const MAX_SEEDS = 8;
const MAX_SYMBOLS_PER_SEED = 40;
const MAX_REFERENCES_PER_SYMBOL = 6;
/** A file reached through the graph says how, in at most this many ways. */
const MAX_GRAPH_REASONS = 2;
/** A file reached through references keeps at most this many of the symbols it uses, for its excerpt. */
const MAX_USES = 8;
/** Fusion weights. */
const W_DEFINES = 1.5;
const W_WORDS = 1;
const W_GRAPH = 0.5;
const W_SIMILAR = 0.75;
/** The nearest files by embedding that count as a strong match on their own. */
const STRONG_SIMILAR = 2;
/** Words alone put a file in the first tier when they score at least this share of the best file's. */
const STRONG_WORDS = 0.35;

export async function rankFiles(index: WorkspaceIndex, task: string, terms: TaskTerms, files: PathLookup, opts: { seeds?: string[]; similar?: SimilarFile[] } = {}): Promise<Ranking> {
  const lex = await index.lexical();
  const query = queryTerms(task);
  const weights = new Map(query.map((t) => [t, lex.idf(t)]));
  // Two adjacent words of the task that code writes as one ("env var": `show_envvar`): excerpts look for
  // that term too, when the workspace has it.
  for (const t of joinedWords(task)) if (!weights.has(t) && lex.idf(t) > 0) weights.set(t, lex.idf(t));
  const acc = new Map<string, { score: number; strong: boolean; reasons: string[]; defines: string[] }>();
  const get = (p: string) => {
    let a = acc.get(p);
    if (!a) acc.set(p, (a = { score: 0, strong: false, reasons: [], defines: [] }));
    return a;
  };

  // Symbols.
  const ids = terms.identifiers.slice(0, MAX_IDENTIFIERS);
  const definers = await Promise.all(ids.map((id) => definersOf(index, lex, id)));
  ids.forEach((id, i) => {
    for (const p of definers[i]) {
      const a = get(p);
      a.score += W_DEFINES / definers[i].length;
      a.strong = true;
      a.reasons.push(`defines \`${id}\``);
      a.defines.push(id);
    }
  });

  // Words.
  const prior = priorFor(task);
  const hits = lex.search(query, LEXICAL_HITS).map((h) => ({ ...h, score: h.score * prior(h.path) }));
  const top = Math.max(0, ...hits.map((h) => h.score));
  for (const h of hits) {
    const a = get(h.path);
    const share = h.score / top;
    a.score += W_WORDS * share;
    if (share >= STRONG_WORDS) a.strong = true;
    a.reasons.push(wordsReason(h));
  }

  // Embeddings: the nearest files, by rank (similarities of one model cluster, their ranks do not).
  const similar = (opts.similar ?? []).filter((h) => index.has(h.path));
  similar.forEach((h, i) => {
    const a = get(h.path);
    a.score += W_SIMILAR * (1 - i / similar.length);
    if (i < STRONG_SIMILAR) a.strong = true;
    a.reasons.push(`similar to the task (embeddings, ${h.similarity.toFixed(2)})`);
  });

  // The graph around the best matches.
  // Seeds: the files the task names or the editor gives, then the strongest matches.
  const seeds = new Map<string, number>();
  for (const p of opts.seeds ?? []) if (index.has(p)) seeds.set(p, Math.max(1, acc.get(p)?.score ?? 0));
  const best = [...acc.entries()].filter(([p, a]) => a.strong && !seeds.has(p)).sort((x, y) => y[1].score - x[1].score);
  for (const [p, a] of best.slice(0, Math.max(0, MAX_SEEDS - seeds.size))) seeds.set(p, a.score);
  const graph = await neighbourhood(index, lex, [...seeds.keys()], files);
  const rank = personalisedPageRank(graph.edges, seeds);
  const maxRank = Math.max(0, ...[...rank.entries()].filter(([p]) => !seeds.has(p)).map(([, r]) => r));
  for (const [p, r] of rank) {
    const why = graph.why.get(p) ?? [];
    if (seeds.has(p) ? why.length === 0 : maxRank === 0) continue;
    const a = get(p);
    if (!seeds.has(p)) a.score += (W_GRAPH * r) / maxRank;
    a.reasons.push(...why);
  }

  const ranked: RankedFile[] = [...acc.entries()]
    .filter(([p]) => index.has(p))
    .map(([path, a]) => ({ path, score: a.score * prior(path), tier: a.strong ? (1 as const) : (2 as const), reasons: a.reasons, defines: a.defines, uses: graph.uses.get(path) ?? [] }))
    .sort((x, y) => x.tier - y.tier || y.score - x.score || (x.path < y.path ? -1 : 1));
  return { files: ranked, weights };
}

const TEST_PATH = /(^|\/)(tests?|__tests__|spec|testdata|fixtures?)\/|(^|\/)test_[^/]*\.py$|_test\.(py|go)$|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)conftest\.py$/i;
const DOC_PATH = /(^|\/)(docs?|examples?)\/|\.(md|mdx|rst|txt|adoc)$|(^|\/)(CHANGES|CHANGELOG|HISTORY|NEWS)[^/]*$/i;
const DATA_PATH = /\.(json|lock|ya?ml|toml|csv|svg|xml|snap)$|(^|\/)(package-lock\.json|go\.sum|[^/]*\.lock)$/i;

/**
 * What a kind of file is worth to a task that does not ask for it: tests, documentation and data
 * files count less than source unless the task speaks of them.
 */
function priorFor(task: string): (path: string) => number {
  const wantsTests = /\b(tests?|testing|spec|specs|unittest|pytest)\b/i.test(task);
  const wantsDocs = /\b(docs?|documentation|readme|changelog|changes|example|examples|typo)\b/i.test(task);
  const wantsData = /\b(json|ya?ml|toml|config|configuration|dependency|dependencies|package|lock)\b/i.test(task);
  return (p) => {
    if (TEST_PATH.test(p)) return wantsTests ? 1 : 0.5;
    if (DOC_PATH.test(p)) return wantsDocs ? 1 : 0.35;
    if (DATA_PATH.test(p)) return wantsData ? 1 : 0.5;
    return 1;
  };
}

function wordsReason(h: LexicalHit): string {
  const shown = h.matched.slice(0, 4).map((m) => `"${m.term}"`);
  const where = [...new Set(h.matched.slice(0, 4).flatMap((m) => m.fields))].map((f) => (f === 'text' ? 'contents' : f === 'symbols' ? 'symbol names' : 'path'));
  return `matches ${shown.join(', ')} (${where.join(', ')})`;
}

/** The index term a word is found by: the whole compound, or its one part. */
function termOf(word: string): string | undefined {
  const t = codeTokens(word);
  return t[t.length - 1];
}

/** Files whose outline defines `id` (a top-level definition before a method of that name), best first. */
async function definersOf(index: WorkspaceIndex, lex: LexicalIndex, id: string): Promise<string[]> {
  const term = termOf(id);
  const mentions = (term ? lex.filesWithTerm(term, MAX_MENTIONS) : await index.filesMentioning(id)).slice(0, MAX_MENTIONS);
  const outlines = await Promise.all(mentions.map((p) => index.outline(p)?.catch(() => null) ?? null));
  const hits: { path: string; sym: CodeSymbol }[] = [];
  mentions.forEach((p, i) => {
    const sym = outlines[i]?.symbols.find((s) => s.name === id);
    if (sym) hits.push({ path: p, sym });
  });
  hits.sort((a, b) => Number(a.sym.kind === 'method') - Number(b.sym.kind === 'method') || (a.path < b.path ? -1 : 1));
  return hits.slice(0, MAX_DEFINERS).map((h) => h.path);
}

interface Neighbourhood {
  /** Undirected weighted edges. */
  edges: Map<string, Map<string, number>>;
  /** For a file reached from a seed: how (the first ways found). */
  why: Map<string, string[]>;
  /** For a file using a seed's symbols: which. */
  uses: Map<string, string[]>;
}

/** Imports both ways and symbol references (files using a seed's symbols) around the seeds. */
async function neighbourhood(index: WorkspaceIndex, lex: LexicalIndex, seeds: string[], files: PathLookup): Promise<Neighbourhood> {
  const edges = new Map<string, Map<string, number>>();
  const why = new Map<string, string[]>();
  const uses = new Map<string, string[]>();
  const link = (a: string, b: string, w: number, reason: string, symbol?: string) => {
    if (a === b) return;
    if (symbol) {
      const names = uses.get(b) ?? uses.set(b, []).get(b)!;
      if (names.length < MAX_USES && !names.includes(symbol)) names.push(symbol);
    }
    for (const [x, y] of [
      [a, b],
      [b, a],
    ]) {
      const m = edges.get(x) ?? edges.set(x, new Map()).get(x)!;
      m.set(y, (m.get(y) ?? 0) + w);
    }
    const ways = why.get(b) ?? why.set(b, []).get(b)!;
    if (ways.length < MAX_GRAPH_REASONS && !ways.includes(reason)) ways.push(reason);
  };
  const languageOf = (p: string): LanguageId | undefined => (index.has(p) ? index.languageOf(p) : undefined);
  for (const seed of seeds) {
    const lang = languageOf(seed);
    if (!lang) continue;
    const outline = await index.outline(seed)?.catch(() => null);
    for (const spec of outline?.imports ?? []) for (const p of resolveImport(spec, seed, lang, files)) link(seed, p, 1, `imported by ${seed}`);
    // Importers: files mentioning the seed's import word whose imports resolve to it.
    const word = importWord(seed, lang);
    const term = termOf(word);
    const mentions = (term ? lex.filesWithTerm(term, MAX_MENTIONS) : await index.filesMentioning(word)).filter((p) => p !== seed).slice(0, MAX_MENTIONS);
    const outlines = await Promise.all(mentions.map((p) => index.outline(p)?.catch(() => null) ?? null));
    mentions.forEach((p, i) => {
      const l = languageOf(p);
      if (l && outlines[i]?.imports.some((spec) => resolveImport(spec, p, l, files).includes(seed))) link(seed, p, 1, `imports ${seed}`);
    });
    // References: files using the seed's distinctive symbols.
    const names = [...new Set((outline?.symbols ?? []).filter((s) => s.name.length >= 4).map((s) => s.name))].slice(0, MAX_SYMBOLS_PER_SEED);
    for (const name of names) {
      const t = termOf(name);
      if (!t || lex.idf(t) < 2) continue;
      const users = lex.filesWithTerm(t, MAX_REFERENCES_PER_SYMBOL + 1);
      if (users.length > MAX_REFERENCES_PER_SYMBOL) continue; // too common to say much
      for (const p of users) link(seed, p, 0.5, `uses \`${name}\` from ${seed}`, name);
    }
  }
  return { edges, why, uses };
}

/** PageRank with restarts to the seeds (weighted by their scores), over an undirected weighted graph. */
export function personalisedPageRank(edges: ReadonlyMap<string, ReadonlyMap<string, number>>, seeds: ReadonlyMap<string, number>, restart = 0.3, rounds = 20): Map<string, number> {
  const nodes = new Set<string>([...edges.keys(), ...seeds.keys()]);
  const total = [...seeds.values()].reduce((a, b) => a + b, 0);
  if (total <= 0) return new Map();
  const home = new Map([...seeds].map(([p, w]) => [p, w / total]));
  const out = new Map<string, number>();
  for (const [p, m] of edges) out.set(p, [...m.values()].reduce((a, b) => a + b, 0));
  let rank = new Map(home);
  for (let i = 0; i < rounds; i++) {
    const next = new Map<string, number>();
    for (const p of nodes) next.set(p, restart * (home.get(p) ?? 0));
    let dangling = 0;
    for (const [p, r] of rank) {
      const m = edges.get(p);
      const sum = out.get(p) ?? 0;
      if (!m || sum === 0) {
        dangling += r;
        continue;
      }
      for (const [q, w] of m) next.set(q, (next.get(q) ?? 0) + ((1 - restart) * r * w) / sum);
    }
    // Rank with nowhere to go returns to the seeds.
    for (const [p, h] of home) next.set(p, (next.get(p) ?? 0) + (1 - restart) * dangling * h);
    rank = next;
  }
  return rank;
}
