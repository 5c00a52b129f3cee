// Import specifiers as written → workspace files. Only imports that can point into the workspace are
// resolved (relative JS/TS paths, Python modules, Go packages under a domain, Rust modules, Java
// classes); packages from a registry or the standard library resolve to nothing.
import * as path from 'node:path';
import type { LanguageId } from './types';

const JS_EXTS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The files of the workspace, looked up by exact path and by path suffix. */
export class PathLookup {
  private readonly all: Set<string>;
  private readonly byBase = new Map<string, string[]>();
  private readonly byDir = new Map<string, string[]>();

  constructor(paths: Iterable<string>) {
    this.all = new Set(paths);
    for (const p of this.all) {
      const base = path.posix.basename(p);
      (this.byBase.get(base) ?? this.byBase.set(base, []).get(base)!).push(p);
      const dir = dirOf(p);
      (this.byDir.get(dir) ?? this.byDir.set(dir, []).get(dir)!).push(p);
    }
  }

  has(p: string): boolean {
    return this.all.has(p);
  }

  /** Files whose path is `suffix` or ends with `/suffix`. */
  endingWith(suffix: string): string[] {
    const hits = this.byBase.get(path.posix.basename(suffix)) ?? [];
    return hits.filter((p) => p === suffix || p.endsWith(`/${suffix}`));
  }

  /** Files directly in a folder whose path is `suffix` or ends with `/suffix`. */
  inDirEndingWith(suffix: string): string[] {
    const out: string[] = [];
    for (const [dir, files] of this.byDir) if (dir === suffix || dir.endsWith(`/${suffix}`)) out.push(...files);
    return out;
  }

  inDir(dir: string): string[] {
    return this.byDir.get(dir) ?? [];
  }
}

export function dirOf(p: string): string {
  const d = path.posix.dirname(p);
  return d === '.' ? '' : d;
}

const join = (...parts: string[]) => {
  const j = path.posix.normalize(parts.filter(Boolean).join('/'));
  return j === '.' ? '' : j;
};

/** The workspace files an import of `from` (a file in `lang`) refers to. */
export function resolveImport(spec: string, from: string, lang: LanguageId, files: PathLookup): string[] {
  const dir = dirOf(from);
  switch (lang) {
    case 'typescript':
    case 'tsx':
    case 'javascript': {
      if (!spec.startsWith('.')) return [];
      const base = join(dir, spec);
      if (base.startsWith('..')) return [];
      const stem = base.replace(/\.(m|c)?jsx?$/, '');
      const tries = [base, ...JS_EXTS.map((e) => stem + e), ...JS_EXTS.map((e) => `${base}/index${e}`)];
      const hit = tries.find((t) => files.has(t));
      return hit ? [hit] : [];
    }
    case 'python': {
      const dots = /^\.*/.exec(spec)![0].length;
      const rest = spec.slice(dots).replace(/\./g, '/');
      if (dots > 0) {
        let base = dir;
        for (let i = 1; i < dots; i++) base = dirOf(base);
        const mod = join(base, rest);
        return [`${mod}.py`, `${mod}/__init__.py`].filter((t) => files.has(t));
      }
      return [...files.endingWith(`${rest}.py`), ...files.endingWith(`${rest}/__init__.py`)].slice(0, 3);
    }
    case 'go': {
      const segs = spec.split('/');
      // Only module paths (a domain first) can be in the workspace; "fmt" and "net/http" cannot.
      if (segs.length < 2 || !segs[0].includes('.')) return [];
      for (let n = segs.length - 1; n >= 1; n--) {
        const hits = files.inDirEndingWith(segs.slice(segs.length - n).join('/')).filter((p) => p.endsWith('.go') && !p.endsWith('_test.go'));
        if (hits.length) return hits.slice(0, 8);
      }
      return [];
    }
    case 'rust': {
      const stemDir = /(^|\/)(mod|lib|main)\.rs$/.test(from) ? dir : join(dir, path.posix.basename(from, '.rs'));
      if (spec.startsWith('mod:')) {
        const name = spec.slice(4);
        return [join(stemDir, `${name}.rs`), join(stemDir, name, 'mod.rs')].filter((t) => files.has(t));
      }
      const segs = spec.split('::');
      let base: string | null = null;
      if (segs[0] === 'crate') base = crateRoot(from, files);
      else if (segs[0] === 'super') base = dirOf(stemDir);
      else if (segs[0] === 'self') base = stemDir;
      if (base === null) return [];
      for (let n = segs.length - 1; n >= 1; n--) {
        const mod = join(base, ...segs.slice(1, n + 1));
        const hit = [`${mod}.rs`, `${mod}/mod.rs`].find((t) => files.has(t));
        if (hit) return [hit];
      }
      return [];
    }
    case 'java': {
      if (spec.endsWith('.*')) return files.inDirEndingWith(spec.slice(0, -2).replace(/\./g, '/')).filter((p) => p.endsWith('.java')).slice(0, 8);
      return files.endingWith(`${spec.replace(/\./g, '/')}.java`).slice(0, 3);
    }
  }
}

/** The folder holding the crate's lib.rs or main.rs, searched upwards from `from`. */
function crateRoot(from: string, files: PathLookup): string | null {
  let dir = dirOf(from);
  for (;;) {
    if (files.has(join(dir, 'lib.rs')) || files.has(join(dir, 'main.rs'))) return dir;
    if (!dir) return null;
    dir = dirOf(dir);
  }
}

/**
 * The word an importer of `file` must write (its stem; its folder for index/mod/__init__ files and for
 * Go, which imports folders), to find importers by a text search before parsing them.
 */
export function importWord(file: string, lang: LanguageId): string {
  const base = path.posix.basename(file).replace(/\.[^.]+$/, '');
  if (lang === 'go' || ['index', 'mod', '__init__', 'lib', 'main'].includes(base)) return path.posix.basename(dirOf(file)) || base;
  return base;
}
