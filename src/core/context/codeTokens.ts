// Code-aware words for the lexical index and for matching a task's words against code: identifiers
// and path parts are split at camelCase, snake_case, kebab-case, digits and dots, lowercased and
// lightly stemmed, so "zsh completion" meets `zsh_completions.go` and "parse item" meets `parseItem`.
// A compound identifier is kept whole as well (`parseitem`), so naming it exactly scores higher.

/** English and task filler that says nothing about where the code is. */
const STOP = new Set(
  (
    'a an and are as at be been but by can could do does for from has have if in into is it its make may ' +
    'more must no not of on or should so than that the their them then there these they this those to too ' +
    'use used using was were when where which while will with without would add fix fixed fixes fixing ' +
    'support supports allow allows ensure instead new now only also all any some same each other via ' +
    'feat perf refactor chore improve correctly properly case cases'
  ).split(' '),
);

/** At most this many characters of one word are looked at (model and user text is bounded). */
const MAX_WORD = 64;

/**
 * Splits one identifier or path segment into its lowercased parts (`parseHTTPResponse2` → parse, http,
 * response, 2): at anything not a letter or digit, before a capital following a lowercase letter or a
 * digit, before the last capital of a run followed by a lowercase letter, and before a digit following
 * a letter. One pass over the characters (the lexical index splits every word of the workspace).
 */
export function splitIdentifier(word: string): string[] {
  const w = word.slice(0, MAX_WORD);
  const parts: string[] = [];
  let start = -1;
  let prev = OTHER;
  for (let i = 0; i < w.length; i++) {
    const kind = kindOf(w.charCodeAt(i));
    if (kind === OTHER) {
      if (start >= 0) parts.push(w.slice(start, i).toLowerCase());
      start = -1;
    } else if (start < 0) {
      start = i;
    } else if (
      (kind === UPPER && (prev === LOWER || prev === DIGIT)) ||
      (kind === UPPER && prev === UPPER && kindOf(w.charCodeAt(i + 1)) === LOWER) ||
      (kind === DIGIT && (prev === LOWER || prev === UPPER))
    ) {
      parts.push(w.slice(start, i).toLowerCase());
      start = i;
    }
    prev = kind;
  }
  if (start >= 0) parts.push(w.slice(start).toLowerCase());
  return parts;
}

const OTHER = 0;
const LOWER = 1;
const UPPER = 2;
const DIGIT = 3;

function kindOf(c: number): number {
  if (c >= 97 && c <= 122) return LOWER;
  if (c >= 65 && c <= 90) return UPPER;
  if (c >= 48 && c <= 57) return DIGIT;
  return OTHER;
}

/** A light suffix stemmer (plurals, -ing, -ed, -tion, a final e or y), the same for the task and the code. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  return ending(inflection(word));
}

/** Nouns made from verbs meet their verbs: -ization → -iz, -tion → -t (normalization/normalize, deprecation/deprecated). */
function ending(w: string): string {
  if (w.length > 7 && w.endsWith('ization')) return w.slice(0, -5);
  if (w.length > 6 && w.endsWith('tion')) return w.slice(0, -3);
  // A final silent e (quote/quoted, parse/parsed); a final y as in its plural (entry/entries).
  if (w.length > 4 && w.endsWith('e') && !w.endsWith('ee')) return w.slice(0, -1);
  if (w.length > 3 && w.endsWith('y')) return `${w.slice(0, -1)}i`;
  return w;
}

function inflection(word: string): string {
  if (word.endsWith('ies') && word.length > 4) return word.slice(0, -2);
  if (word.endsWith('sses')) return word.slice(0, -2);
  if (word.endsWith('ing') && word.length > 5) return trimDouble(word.slice(0, -3));
  if (word.endsWith('ed') && word.length > 4 && !word.endsWith('eed')) return trimDouble(word.slice(0, -2));
  if (word.endsWith('es') && /(x|ch|sh|ss)es$/.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !word.endsWith('ss') && !word.endsWith('us') && !word.endsWith('is')) return word.slice(0, -1);
  return word;
}

function trimDouble(w: string): string {
  return /([b-df-hj-np-tv-z])\1$/.test(w) && !/(ll|ss|zz)$/.test(w) ? w.slice(0, -1) : w;
}

/**
 * The index terms of a text: each identifier-like word's parts (stemmed), and the whole word when it
 * has several parts. Words of one or two characters and stop words are dropped (digits are kept
 * only inside compounds).
 */
export function codeTokens(text: string, into: string[] = []): string[] {
  for (const word of text.split(NOT_WORD)) {
    if (word.length < 3 && !word.includes('_')) continue;
    const terms = termsOf(word);
    for (const t of terms) into.push(t);
  }
  return into;
}

const NOT_WORD = /[^\w$]+/;

/** Counts the terms of a text into `tf` (as codeTokens would list them) and returns how many there were. */
export function countTokens(text: string, tf: Map<string, number>): number {
  let n = 0;
  for (const word of text.split(NOT_WORD)) {
    if (word.length < 3 && !word.includes('_')) continue;
    const terms = termsOf(word);
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    n += terms.length;
  }
  return n;
}

/** Words repeat across a codebase: their terms are remembered (up to this many words). */
const MEMO_SIZE = 100_000;
const memo = new Map<string, readonly string[]>();

/** One word's terms, from the memo when the word was seen before. */
function termsOf(word: string): readonly string[] {
  let terms = memo.get(word);
  if (!terms) {
    terms = wordTerms(word);
    if (memo.size >= MEMO_SIZE) memo.clear();
    memo.set(word, terms);
  }
  return terms;
}

/** A word of lowercase letters alone (most words of code and prose) has one part: itself. */
const PLAIN = /^[a-z]+$/;

function wordTerms(word: string): string[] {
  if (PLAIN.test(word)) return word.length <= MAX_WORD && keep(word) ? [stem(word)] : word.length > MAX_WORD ? wordTerms(word.slice(0, MAX_WORD)) : [];
  const out: string[] = [];
  word = word.replace(/^[\d$]+/, '');
  const parts = splitIdentifier(word);
  for (const p of parts) if (keep(p)) out.push(stem(p));
  if (parts.length > 1) {
    const whole = parts.join('');
    if (whole.length >= 4 && whole.length <= MAX_WORD) out.push(whole);
  }
  return out;
}

function keep(p: string): boolean {
  return p.length >= 3 && !STOP.has(p) && !/^\d+$/.test(p);
}

/** The terms of a path: every folder and the file's name, split like identifiers (`src/zsh_completions.go` → src, zsh, completion, go, zshcompletion). */
export function pathTokens(p: string): string[] {
  const out: string[] = [];
  for (const seg of p.split('/')) codeTokens(seg.replace(/\./g, ' '), out);
  return out;
}

/** The distinct terms of a task, in the order it names them (what the lexical index is queried with). */
export function queryTerms(task: string): string[] {
  return [...new Set(codeTokens(task.slice(0, 20_000)))];
}

/** The terms of each two adjacent words of the task written as one (`env var` → `envvar`). */
export function joinedWords(task: string): string[] {
  const words = task.slice(0, 20_000).split(/[^A-Za-z]+/).filter(Boolean);
  const out = new Set<string>();
  for (let i = 1; i < words.length; i++) for (const t of codeTokens(`${words[i - 1]}${words[i]}`.toLowerCase())) out.add(t);
  return [...out];
}
