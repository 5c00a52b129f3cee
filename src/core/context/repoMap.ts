// The repository map: workspace files by path, each source file with its top-level symbols and
// signatures, cut to a character budget. Files ranked for the task but left out by the budget come
// first, then files near the ones already sent.
import { describeSymbol } from './outline';
import { dirOf } from './resolveImports';
import type { WorkspaceIndex } from './workspaceIndex';

export interface RepoMap {
  text: string;
  /** Files listed, and how many of them with their symbols. */
  files: number;
  withSymbols: number;
  /** Files left out for lack of room. */
  omitted: number;
}

const PARSE_BATCH = 16;

/**
 * Builds the map within `maxChars`; `focus` are the files already sent (their folders come first),
 * `ahead` the files ranked for the task that the budget left out (their symbols are drawn before any other's).
 */
export async function repositoryMap(index: WorkspaceIndex, maxChars: number, focus: readonly string[] = [], ahead: readonly string[] = []): Promise<RepoMap> {
  const dirs = new Set(focus.map(dirOf));
  const sent = new Set(focus);
  const first = new Set(ahead.filter((p) => !sent.has(p)));
  const all = index.files();
  const score = (p: string, hasLang: boolean) => (first.has(p) ? -1 : (dirs.has(dirOf(p)) ? 0 : 2) + (hasLang ? 0 : 1));
  const order = all
    .map((f) => ({ path: f.path, rank: score(f.path, f.language !== undefined), depth: f.path.split('/').length }))
    .sort((a, b) => a.rank - b.rank || a.depth - b.depth || (a.path < b.path ? -1 : 1));

  const entries = new Map<string, string>();
  let used = 0;
  let withSymbols = 0;
  const tail = (n: number) => `… and ${n} more files\n`.length;
  // Once a file's symbols no longer fit, the rest are listed by path alone, without parsing them.
  let pathsOnly = false;
  outer: for (let i = 0; i < order.length; i += PARSE_BATCH) {
    const batch = order.slice(i, i + PARSE_BATCH);
    const outlines = pathsOnly ? [] : await Promise.all(batch.map((f) => index.outline(f.path)?.catch(() => null) ?? null));
    for (let j = 0; j < batch.length; j++) {
      const p = batch[j].path;
      const symbols = sent.has(p) || pathsOnly ? [] : (outlines[j]?.symbols ?? []);
      const line = `${p}${sent.has(p) ? ' (sent above)' : ''}\n`;
      const full = line + symbols.map((s) => `${describeSymbol(s)}\n`).join('');
      const room = maxChars - used - tail(order.length);
      if (symbols.length && full.length > room) pathsOnly = true;
      if (full.length <= room && symbols.length) {
        entries.set(p, full);
        used += full.length;
        withSymbols++;
      } else if (line.length <= room) {
        entries.set(p, line);
        used += line.length;
      } else {
        break outer;
      }
    }
  }
  const omitted = order.length - entries.size;
  const body = [...entries.keys()].sort().map((p) => entries.get(p)!).join('');
  const text = omitted > 0 && body.length + tail(omitted) <= maxChars ? `${body}… and ${omitted} more files\n` : body;
  return { text, files: entries.size, withSymbols, omitted };
}
