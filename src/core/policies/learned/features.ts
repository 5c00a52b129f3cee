// A task as the learned policy sees it: a sparse set of hashed feature indices, computed locally
// with no model call. Nothing of the task's text survives: words become bucket numbers.
import { FILE_PATH_PATTERN, type TaskKind } from '../classifyTask';

/** Buckets for the user's words (unigrams and bigrams). */
export const WORD_BUCKETS = 1 << 12;
/** Buckets for the structured signals (kind, languages, sizes, files named, check). */
export const SIGNAL_BUCKETS = 1 << 8;
/** Index of the always-on bias feature. */
export const BIAS = WORD_BUCKETS + SIGNAL_BUCKETS;
/** Length of a weight vector. */
export const DIMENSIONS = BIAS + 1;

/** What is known about a task before any model is called. */
export interface TaskSignals {
  /** The user's own words (not the attached code). */
  request: string;
  kind: TaskKind;
  /** Workspace-relative paths of the context files sent with the task. */
  contextPaths: string[];
  contextChars: number;
  /**
   * Whether a check will run. Not whether its baseline passed: the baseline starts with the run,
   * beside the models, so the pick is made before it is known; and an earlier run's baseline says
   * how the workspace was then, not now, so it is not used either.
   */
  check: 'none' | 'exists';
}

/** Hashed features, sorted and distinct: indices < WORD_BUCKETS are words, the rest signals, then the bias. */
export type Features = number[];

/** The index of a named signal. */
function signalIndex(name: string): number {
  return WORD_BUCKETS + (fnv1a(name) % SIGNAL_BUCKETS);
}

export function taskFeatures(s: TaskSignals): Features {
  const out = new Set<number>([BIAS]);
  const signal = (name: string) => out.add(signalIndex(name));
  signal(`kind=${s.kind}`);
  const languages = new Set(s.contextPaths.map(languageOf).filter((l): l is string => l !== null));
  for (const l of languages) signal(`lang=${l}`);
  if (languages.size === 0) signal('lang=none');
  signal(`task-size=${sizeBucket(s.request.length)}`);
  signal(`context-size=${sizeBucket(s.contextChars)}`);
  // Read a bounded prefix: the path pattern backtracks, and a pasted log says little more.
  const request = s.request.slice(0, MAX_REQUEST_CHARS);
  const named = request.match(new RegExp(FILE_PATH_PATTERN.source, 'gi'))?.length ?? 0;
  signal(`files-named=${Math.min(named, 3)}`);
  signal(`check=${s.check}`);
  const words = wordsOf(request);
  for (let i = 0; i < words.length; i++) {
    out.add(fnv1a(`1:${words[i]}`) % WORD_BUCKETS);
    if (i + 1 < words.length) out.add(fnv1a(`2:${words[i]} ${words[i + 1]}`) % WORD_BUCKETS);
  }
  return [...out].sort((a, b) => a - b);
}

/** The value of each feature: signals 1, words share a unit norm so a long request does not outweigh the rest. */
export function featureValues(f: Features): Float64Array {
  const words = f.filter((i) => i < WORD_BUCKETS).length;
  const w = words ? 1 / Math.sqrt(words) : 0;
  return Float64Array.from(f, (i) => (i < WORD_BUCKETS ? w : 1));
}

/** Sizes on a doubling scale from 64 characters (0: under 64, ... 9: 32k and more). */
export function sizeBucket(chars: number): number {
  return Math.min(9, Math.max(0, Math.floor(Math.log2(Math.max(1, chars) / 64)) + 1));
}

const MAX_REQUEST_CHARS = 8000;
// Enough to read a task's wording; capped so a pasted log cannot make the features slow.
const MAX_WORDS = 400;

function wordsOf(text: string): string[] {
  return (text.toLowerCase().match(/[a-z0-9_]{2,40}/g) ?? []).slice(0, MAX_WORDS);
}

const LANGUAGES: Record<string, string> = {
  py: 'python', pyi: 'python', ts: 'typescript', tsx: 'typescript', mts: 'typescript', cts: 'typescript',
  js: 'javascript', jsx: 'javascript', mjs: 'javascript', cjs: 'javascript', rs: 'rust', go: 'go', java: 'java',
  kt: 'kotlin', swift: 'swift', c: 'c', h: 'c', cc: 'cpp', cpp: 'cpp', hpp: 'cpp', cs: 'csharp', rb: 'ruby',
  php: 'php', sh: 'shell', sql: 'sql', css: 'css', scss: 'css', html: 'html', vue: 'vue', svelte: 'svelte',
  json: 'data', yaml: 'data', yml: 'data', toml: 'data', md: 'prose',
};

/** The indices of the language signals (`lang=…`), which the model lets weigh more than other signals. */
export const LANGUAGE_SIGNALS: ReadonlySet<number> = new Set([...new Set(Object.values(LANGUAGES)), 'none'].map((l) => signalIndex(`lang=${l}`)));

export function languageOf(path: string): string | null {
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot < path.lastIndexOf('/')) return null;
  return LANGUAGES[path.slice(dot + 1).toLowerCase()] ?? null;
}

/** 32-bit FNV-1a over UTF-16 code units: stable across runs and machines, no dependency. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
