// Recognises a file path as coders write it near a block: `src/a.ts`, **src/a.ts**, src/a.ts:, ### src/a.ts,
// // src/a.ts, [src/a.ts](src/a.ts), File: src/a.ts (new file).
import * as path from 'node:path';

const BARE_NAMES = new Set([
  'Makefile', 'Dockerfile', 'Procfile', 'Gemfile', 'Rakefile', 'Jenkinsfile', 'Vagrantfile',
  'LICENSE', 'README', 'CODEOWNERS', 'Containerfile', 'Justfile',
]);

// Letters and digits of any script ("ünï.ts", "文档/说明.md"), plus the usual path punctuation.
const PATH_CHARS = /^[\p{L}\p{N}\p{M}_@+~$.\-/\\:]+$/u;
const PATH_CHARS_SPACED = /^[\p{L}\p{N}\p{M}_@+~$.\-/\\: ]+$/u;

/**
 * A token that can be a path: path characters only, and a dot or slash (or a known bare name).
 * Spaces only when the coder marked the path out (backticks, quotes, bold): bare, it is prose.
 */
export function looksLikePath(s: string, spaced = false): boolean {
  if (!s || s.length > 400) return false;
  if (!(spaced ? PATH_CHARS_SPACED : PATH_CHARS).test(s) || s !== s.trim() || s.includes('  ')) return false;
  if (!/[\p{L}\p{N}_]/u.test(s)) return false;
  if (/^[\d.]+$/.test(s)) return false;
  if (/^[a-z]+:\/\//i.test(s)) return false;
  if (s.includes('/') || s.includes('\\')) return true;
  // A dot that separates a name from an extension-like tail ("a.ts", ".env"), not a sentence.
  if (/^\.?[\p{L}\p{N}\p{M}_@+~$ -]+(\.[\p{L}\p{N}_ -]+)*\.[A-Za-z0-9]{1,12}$/u.test(s) || /^\.[\w-]+$/.test(s)) return true;
  return BARE_NAMES.has(s);
}

function unwrap(s: string): string {
  let t = s.trim();
  for (let guard = 0; guard < 4; guard++) {
    const before = t;
    t = t.replace(/^(\*\*|__|\*|_|`|"|')(.*)\1$/, '$2').trim();
    t = t.replace(/:$/, '').trim();
    if (t === before) break;
  }
  return t;
}

/**
 * What one line near a block says about its file: the whole line is a path (`exact`), prose names
 * one path in backticks or bold (`mentioned`), or prose names several (`ambiguous`: never guessed).
 */
export type NameRead = { kind: 'exact' | 'mentioned'; path: string } | { kind: 'ambiguous'; paths: string[] };

// Comment syntaxes a coder uses to name the file on the fence's first line: `// a.ts`, `# a.py`, `<!-- a.html -->`.
const COMMENT_WRAPPERS: RegExp[] = [/^<!--\s*(.*?)\s*-->$/, /^\/\*+\s*(.*?)\s*\*+\/$/, /^(?:\/\/+|--|;+|%+|#+)\s+(.*)$/];
// "File:", "**Filename:**", "New file:", "File path:" and the like in front of the path.
const LABEL = /^(\*\*|__)?((new|updated|modified|changed|edited)\s+)?(file\s*(name|path)?|path)(\*\*|__)?\s*:\s*(\*\*|__)?/i;
// A note after the path: "src/a.ts (new file)", "src/a.ts - updated".
const NOTE = /\s+(\((new|new file|created?|modified|updated|changed|edited|deleted?)\)|[-\u2013\u2014]\s*(new|new file|created?|modified|updated|changed)(\s+file)?)$/i;

/** The path named by a line before or at the top of a block, or null when the line is prose or code. */
export function readNameLine(line: string): NameRead | null {
  let t = line.trim();
  if (!t) return null;
  for (const c of COMMENT_WRAPPERS) {
    const m = c.exec(t);
    if (m) {
      t = m[1].trim();
      break;
    }
  }
  t = t.replace(/^([-*+]|\d+[.)])\s+/, '');
  t = t.replace(LABEL, '');
  // "**File: src/a.ts**": the label sat inside the bold; drop the closing marker it left behind.
  if (/^[^*_]+(\*\*|__)$/.test(t)) t = t.slice(0, -2);
  t = t.replace(NOTE, '');
  t = t.replace(/^\[([^\]]+)\]\([^)]*\)$/, '$1');
  const whole = unwrap(t);
  if (looksLikePath(whole, whole !== t.replace(/:$/, '').trim())) return { kind: 'exact', path: whole };
  // Prose such as "Update `src/a.ts` as follows:" names the path in backticks or bold.
  const marked = [...t.matchAll(/`([^`]+)`|\*\*([^*]+)\*\*/g)].map((m) => unwrap(m[1] ?? m[2] ?? ''));
  const paths = [...new Set(marked.filter((m) => looksLikePath(m, true)).map(normalizeEditPath))];
  if (paths.length === 1) return { kind: 'mentioned', path: paths[0] };
  if (paths.length > 1) return { kind: 'ambiguous', paths };
  return null;
}

/** The path a line names when it names exactly one (see readNameLine). */
export function pathFromLine(line: string): string | null {
  const r = readNameLine(line);
  return r && r.kind !== 'ambiguous' ? r.path : null;
}

/** A path written in a fence's info string: ```ts:src/a.ts or ```python app/main.py. */
export function pathFromFenceInfo(info: string): string | null {
  const tokens = info.trim().split(/[\s:]+/).filter(Boolean);
  if (tokens.length === 0) return null;
  // A lone token with no dot or slash ("ts", "python") is a language, not a path.
  for (let i = tokens.length - 1; i >= 0; i--) {
    const tok = unwrap(tokens[i].replace(/^(title|file|path)=/i, ''));
    if ((tok.includes('.') || tok.includes('/')) && looksLikePath(tok)) return tok;
  }
  return null;
}

/** Forward slashes, no leading "./", collapsed segments; absolute and escaping paths are kept so safePath can refuse them. */
export function normalizeEditPath(raw: string): string {
  let p = raw.trim().replace(/\\/g, '/');
  while (p.startsWith('./')) p = p.slice(2);
  if (p === '' || p.startsWith('/') || /^[A-Za-z]:/.test(p)) return p;
  const n = path.posix.normalize(p);
  return n === '.' ? '' : n.replace(/\/$/, '');
}
