// Files an answer may not change for its edits to be scored: the tests that judge it. An edit to one
// of them fails the attempt as "tampered", and the check runs on the original copies.
import picomatch from 'picomatch';

/** Tests by their usual names, anywhere in the workspace. */
export const DEFAULT_PROTECT = ['**/test*/**', '**/*_test.*', '**/*.test.*', '**/*.spec.*'];

/** The words of a check command that name files of the workspace (e.g. `node --test value.test.js`, `pytest tests/test_x.py`). */
export function filesNamedBy(check: string, workspaceFiles: readonly string[]): string[] {
  const files = new Set(workspaceFiles);
  const words = check.split(/[\s;&|()<>'"`]+/).map((w) => w.replace(/^\.\//, '')).filter(Boolean);
  return [...new Set(words.filter((w) => files.has(w)))];
}

/**
 * A matcher for the protected paths (workspace-relative, forward slashes): the task's own `protect`
 * globs when it lists them, else the defaults and the files its check command names.
 */
export function protectedMatcher(globs: readonly string[] | undefined, check: string, workspaceFiles: readonly string[]): (path: string) => boolean {
  const patterns = globs ?? [...DEFAULT_PROTECT, ...filesNamedBy(check, workspaceFiles)];
  if (patterns.length === 0) return () => false;
  const isMatch = picomatch([...patterns], { dot: true });
  return (path) => isMatch(path.replace(/^\.\//, ''));
}
