// The read-only workspace tools a planner may call: read_file, search and list_dir. Pure functions
// over the workspace index (so .gitignore'd, excluded and binary files do not exist for them) under the
// same path safety as edits; every result is bounded in bytes. Errors are values: the model reads
// the reason and may try again.
import picomatch from 'picomatch';
import { checkPath } from '../edits/safePath';
import type { WorkspaceFiles } from '../edits/types';
import { boundedRegexSearch, RegexTimeout } from './boundedRegex';
import type { WorkspaceIndex } from './workspaceIndex';

export type ToolResult = { ok: true; text: string; truncated: boolean } | { ok: false; error: string };

export interface ToolWorkspace {
  index: WorkspaceIndex;
  /** Reads the current text (the editor's unsaved text in VS Code) and resolves symlinks for path safety. */
  files: WorkspaceFiles;
  /** Most bytes of one result (default 16 KB). */
  maxBytes?: number;
  /** How long a regular expression search may run (default 800 ms). */
  regexBudgetMs?: number;
}

const DEFAULT_MAX_BYTES = 16_000;
const MAX_MATCHES = 200;
const MAX_LINE_CHARS = 300;
/** Longer lines are not searched (minified files); the time a regex takes is bounded by the worker. */
const MAX_SEARCHED_LINE = 20_000;
/** A model's regex search ends with an error after this long (worker start included). */
const REGEX_BUDGET_MS = 800;

const fail = (error: string): ToolResult => ({ ok: false, error });

/** Text cut to `maxBytes` (UTF-8) at a line end; says how much was left out. */
function bounded(lines: string[], maxBytes: number, more: (shown: number) => string): ToolResult {
  let bytes = 0;
  let n = 0;
  for (; n < lines.length; n++) {
    const b = Buffer.byteLength(lines[n]) + 1;
    if (bytes + b > maxBytes) break;
    bytes += b;
  }
  if (n === lines.length) return { ok: true, text: lines.join('\n'), truncated: false };
  return { ok: true, text: `${lines.slice(0, n).join('\n')}\n${more(n)}`, truncated: true };
}

/** A workspace-relative path the tools may read, or why not. */
async function allowed(ws: ToolWorkspace, tool: string, rel: string): Promise<{ rel: string } | { error: string }> {
  const check = await checkPath(ws.files, rel);
  if (!check.ok) return { error: `${tool} refused: ${check.reason}` };
  return { rel: check.rel };
}

/** read_file(path, startLine?, endLine?): lines of one file (1-based, inclusive). */
export async function readFileTool(ws: ToolWorkspace, args: { path: string; startLine?: number; endLine?: number }): Promise<ToolResult> {
  const ok = await allowed(ws, 'read_file', args.path);
  if ('error' in ok) return fail(ok.error);
  const { rel } = ok;
  if (!ws.index.has(rel)) {
    const skipped = ws.index.skipped().get(rel);
    if (skipped) return fail(`read_file: ${rel} is not readable as text (${skipped}).`);
    if (hasFolder(ws.index, rel)) return fail(`read_file: ${rel} is a folder; use list_dir.`);
    return fail(`read_file: ${rel} does not exist, or is ignored (.gitignore or excludes).`);
  }
  const text = (await ws.files.read(rel)) ?? (await ws.index.text(rel));
  if (text === null) return fail(`read_file: ${rel} could not be read.`);
  const lines = text.split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const start = Math.max(1, Math.floor(args.startLine ?? 1));
  const end = Math.min(lines.length, Math.floor(args.endLine ?? lines.length));
  if (start > lines.length) return fail(`read_file: ${rel} has ${lines.length} lines; startLine ${start} is past the end.`);
  if (end < start) return fail(`read_file: endLine ${end} is before startLine ${start}.`);
  const head = `${rel}, lines ${start}-${end} of ${lines.length}:`;
  return bounded([head, ...lines.slice(start - 1, end)], ws.maxBytes ?? DEFAULT_MAX_BYTES, (shown) => {
    const next = start + shown - 1;
    return `[cut at the size limit after line ${next - 1}; read on with startLine ${next}]`;
  });
}

/**
 * search(pattern, glob?): the lines matching `pattern` in the indexed files, as `path:line: text`. A
 * pattern written `/…/flags` is a regular expression; anything else is matched literally. `glob`
 * filters the files (`src/**`, `*.ts`: a glob without a slash matches the base name at any depth).
 */
export async function searchTool(ws: ToolWorkspace, args: { pattern: string; glob?: string }): Promise<ToolResult> {
  if (!args.pattern) return fail('search: the pattern is empty.');
  const re = /^\/(.+)\/([a-z]*)$/s.exec(args.pattern);
  const flags = re ? re[2].replace(/[gy]/g, '') : '';
  if (re) {
    try {
      new RegExp(re[1], flags);
    } catch (e) {
      return fail(`search: ${args.pattern} is not a valid regular expression: ${(e as Error).message}.`);
    }
  }
  let match: (p: string) => boolean = () => true;
  if (args.glob) {
    // Only indexed files are searched, so a glob cannot reach outside the workspace.
    match = picomatch(args.glob, { dot: true, basename: !args.glob.includes('/') });
  }
  const files: Array<{ path: string; text: string }> = [];
  for (const f of ws.index.files()) {
    if (!match(f.path)) continue;
    const text = await ws.index.text(f.path);
    if (text === null || (!re && !text.includes(args.pattern))) continue;
    files.push({ path: f.path, text });
  }
  let found: Array<[number, number]>;
  let total: number;
  if (re) {
    // The model's pattern runs in a worker under a time budget: it can never hold the event loop.
    try {
      ({ hits: found, total } = await boundedRegexSearch({ source: re[1], flags, files, maxLine: MAX_SEARCHED_LINE }, { budgetMs: ws.regexBudgetMs ?? REGEX_BUDGET_MS, maxHits: MAX_MATCHES }));
    } catch (e) {
      if (e instanceof RegexTimeout) return fail(`search: ${args.pattern} ${e.message} (a pattern that backtracks, such as (a+)+$, can take that long); use a simpler pattern, a literal, or a narrower glob.`);
      return fail(`search: ${args.pattern} could not run: ${(e as Error).message}.`);
    }
  } else {
    found = [];
    total = 0;
    files.forEach((f, fi) =>
      f.text.split('\n').forEach((line, i) => {
        if (line.length > MAX_SEARCHED_LINE || !line.includes(args.pattern)) return;
        total++;
        if (found.length < MAX_MATCHES) found.push([fi, i]);
      }),
    );
  }
  const lineCache = new Map<number, string[]>();
  const hits = found.map(([fi, i]) => {
    let lines = lineCache.get(fi);
    if (!lines) lineCache.set(fi, (lines = files[fi].text.split('\n')));
    return `${files[fi].path}:${i + 1}: ${clip(lines[i].trim())}`;
  });
  if (total === 0) return { ok: true, text: `No match for ${args.pattern}${args.glob ? ` in ${args.glob}` : ''}.`, truncated: false };
  const shown = (n: number) => `[${total - n} more matches not shown; narrow the pattern or the glob]`;
  if (hits.length < total) hits.push(shown(hits.length));
  return bounded(hits, ws.maxBytes ?? DEFAULT_MAX_BYTES, (n) => shown(n));
}

/** list_dir(path): the folder's subfolders (`name/`) and files (with sizes), as the index sees them. */
export async function listDirTool(ws: ToolWorkspace, args: { path: string }): Promise<ToolResult> {
  const raw = args.path.trim().replace(/\\/g, '/').replace(/\/+$/, '');
  let dir = '';
  if (raw !== '' && raw !== '.' && raw !== './') {
    const ok = await allowed(ws, 'list_dir', raw);
    if ('error' in ok) return fail(ok.error);
    dir = ok.rel;
  }
  if (dir && ws.index.has(dir)) return fail(`list_dir: ${dir} is a file; use read_file.`);
  const prefix = dir ? `${dir}/` : '';
  const folders = new Map<string, number>();
  const files: string[] = [];
  for (const f of ws.index.files()) {
    if (!f.path.startsWith(prefix)) continue;
    const rest = f.path.slice(prefix.length);
    const slash = rest.indexOf('/');
    if (slash < 0) files.push(`${rest} (${f.size} bytes)`);
    else folders.set(rest.slice(0, slash), (folders.get(rest.slice(0, slash)) ?? 0) + 1);
  }
  if (folders.size === 0 && files.length === 0) {
    return dir ? fail(`list_dir: ${dir} does not exist, or everything in it is ignored.`) : { ok: true, text: 'The workspace has no files.', truncated: false };
  }
  const lines = [
    `${dir || '.'}: ${folders.size} folders, ${files.length} files`,
    ...[...folders].map(([name, n]) => `${name}/ (${n} files)`),
    ...files,
  ];
  return bounded(lines, ws.maxBytes ?? DEFAULT_MAX_BYTES, (n) => `[${lines.length - n} more entries not shown]`);
}

function hasFolder(index: WorkspaceIndex, rel: string): boolean {
  return index.files().some((f) => f.path.startsWith(`${rel}/`));
}

function clip(line: string): string {
  return line.length > MAX_LINE_CHARS ? `${line.slice(0, MAX_LINE_CHARS - 1)}…` : line;
}

