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

/** `verify.protect` for a run: null when off; else a matcher over the defaults (true) or the given globs. */
export async function verifyProtection(setting: boolean | string[] | undefined, check: string, user: { read(path: string): Promise<string | null> }): Promise<((path: string) => boolean) | null> {
  if (!setting) return null;
  if (Array.isArray(setting)) return protectedMatcher(setting, check, []);
  // The check's words that are files of the user's workspace.
  const words = [...new Set(check.split(/[\s;&|()<>'"`]+/).map((w) => w.replace(/^\.\//, '')).filter((w) => /^[\w@.+-][\w@.+/-]*$/.test(w) && /[./]/.test(w)))];
  const named: string[] = [];
  for (const w of words.slice(0, 50)) if ((await user.read(w).catch(() => null)) !== null) named.push(w);
  return protectedMatcher(undefined, check, named);
}

/** The plans with every proposed edit to a protected file refused (not applied, not checked), and their paths. */
export function refuseProtected<P extends { path: string; status: string; reason: string | null }>(plans: P[], isProtected: ((path: string) => boolean) | null): { plans: P[]; refused: string[] } {
  if (!isProtected) return { plans, refused: [] };
  const refused: string[] = [];
  const out = plans.map((p) => {
    if (p.status !== 'proposed' || !isProtected(p.path)) return p;
    refused.push(p.path);
    return { ...p, status: 'refused', reason: `${p.path} is a protected test file (verify.protect): the check judges the code by the tests as they were.` };
  });
  return { plans: out, refused };
}
