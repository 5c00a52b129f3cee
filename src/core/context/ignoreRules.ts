// Which paths the index leaves out: .gitignore files at every level (git's semantics, through the
// `ignore` package, whether or not the folder is a git repository) and `files.exclude`-style globs.
import ignore, { type Ignore } from 'ignore';
import picomatch from 'picomatch';

interface Level {
  /** The directory the .gitignore sits in, workspace-relative ('' for the root). */
  base: string;
  rules: Ignore;
}

/** The .gitignore files that apply inside one directory, outermost first. */
export class IgnoreStack {
  private constructor(private readonly levels: readonly Level[]) {}

  static empty(): IgnoreStack {
    return new IgnoreStack([]);
  }

  /** This stack with the rules of a .gitignore in `dir` added (unchanged when the text has no rules). */
  withFile(dir: string, text: string): IgnoreStack {
    const rules = ignore({ allowRelativePaths: true }).add(text);
    return new IgnoreStack([...this.levels, { base: dir, rules }]);
  }

  /** Whether a workspace-relative path is ignored; a deeper .gitignore can re-include (`!name`). */
  ignores(rel: string, isDir: boolean): boolean {
    let ignored = false;
    for (const { base, rules } of this.levels) {
      const sub = base ? rel.slice(base.length + 1) : rel;
      const r = rules.test(isDir ? `${sub}/` : sub);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }
}

/** A matcher for `files.exclude`-style globs (`**\/dist`, `*.min.js`); a directory that matches is not entered. */
export function excludeMatcher(globs: readonly string[]): (rel: string) => boolean {
  const clean = globs.map((g) => g.trim().replace(/\/+$/, '')).filter(Boolean);
  if (clean.length === 0) return () => false;
  // Relative to the workspace folder, as in files.exclude: `*.log` is the root's, `**/*.log` any.
  return picomatch(clean, { dot: true });
}
