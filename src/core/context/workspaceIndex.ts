// The workspace index: every text file by workspace-relative path (honouring .gitignore and exclude
// globs), its text while memory allows, and its outline (symbols, imports) parsed on first need and
// cached until the file changes. Unreadable, binary, non-UTF-8 and oversized files and symlink loops
// are skipped with a reason, never fatal.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_EXCLUDES } from './defaultExcludes';
import { excludeMatcher, IgnoreStack } from './ignoreRules';
import { BINARY_EXTENSIONS, languageOf } from './languages';
import { outlineOf } from './outline';
import { decodeText } from './decodeText';
import type { FileOutline, IndexedFile, LanguageId, SkipReason } from './types';
import type { LexicalIndex } from './lexicalIndex';

export interface IndexOptions {
  /** Absolute workspace folder. */
  root: string;
  /** `files.exclude`-style globs, relative to the root (default: VS Code's excludes plus node_modules). */
  exclude?: readonly string[];
  /** Files larger than this are skipped (default 1 MB). */
  maxFileBytes?: number;
  /** At most this many files are listed (default 50 000); the rest are left out. */
  maxFiles?: number;
  /** Texts kept in memory, in characters (default 64 M); the rest are read again when needed. */
  maxCachedChars?: number;
}

const MAX_PARSE_CHARS = 512_000;
const READ_CONCURRENCY = 32;

interface Entry extends IndexedFile {
  text?: string;
  outline?: Promise<FileOutline>;
}

export class WorkspaceIndex {
  readonly root: string;
  private readonly entries = new Map<string, Entry>();
  private readonly skips = new Map<string, SkipReason>();
  /** The .gitignore rules in force inside each directory walked ('' = root). */
  private readonly dirRules = new Map<string, IgnoreStack>();
  private readonly excluded: (rel: string) => boolean;
  private readonly maxFileBytes: number;
  private readonly maxFiles: number;
  private readonly maxCachedChars: number;
  private cachedChars = 0;
  private realRoot = '';
  private reading = 0;
  private readonly waiting: (() => void)[] = [];
  /** True when maxFiles cut the listing short. */
  truncated = false;
  /** The lexical (BM25F) index, built on first need or by warm(), then kept up to date per file. */
  private lex: Promise<LexicalIndex> | undefined;
  private lexReady: LexicalIndex | undefined;

  private constructor(opts: IndexOptions) {
    this.root = path.resolve(opts.root);
    this.excluded = excludeMatcher(opts.exclude ?? DEFAULT_EXCLUDES);
    this.maxFileBytes = opts.maxFileBytes ?? 1_000_000;
    this.maxFiles = opts.maxFiles ?? 50_000;
    this.maxCachedChars = opts.maxCachedChars ?? 64_000_000;
  }

  /** Walks the workspace once; symbols are parsed later, when first asked for (or by warm()). */
  static async build(opts: IndexOptions): Promise<WorkspaceIndex> {
    const index = new WorkspaceIndex(opts);
    await index.scan();
    return index;
  }

  /** Every indexed file, sorted by path. */
  files(): IndexedFile[] {
    return [...this.entries.values()].map(({ path: p, size, mtimeMs, language }) => ({ path: p, size, mtimeMs, ...(language ? { language } : {}) })).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /** The language of a file whose symbols can be parsed. */
  languageOf(rel: string): LanguageId | undefined {
    return this.entries.get(rel)?.language;
  }

  has(rel: string): boolean {
    return this.entries.has(rel);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Files left out, with why (binary, not UTF-8, over the size cap, unreadable, symlink loop...). */
  skipped(): ReadonlyMap<string, SkipReason> {
    return this.skips;
  }

  /** The file's text, or null when it is not indexed or can no longer be read. */
  async text(rel: string): Promise<string | null> {
    const e = this.entries.get(rel);
    if (!e) return null;
    if (e.text !== undefined) return e.text;
    const read = await this.readText(path.join(this.root, rel)).catch(() => null);
    return typeof read === 'string' ? read : null;
  }

  /** The file's symbols and imports (parsed once, until it changes); null for files without a grammar. */
  outline(rel: string): Promise<FileOutline> | null {
    const e = this.entries.get(rel);
    if (!e?.language) return null;
    const lang = e.language;
    if (!e.outline) {
      e.outline = this.text(rel).then((t) => (t === null || t.length > MAX_PARSE_CHARS ? { symbols: [], imports: [] } : outlineOf(lang, t)));
      // The symbols' names become the lexical index's symbols field.
      e.outline.then((o) => this.entries.get(rel) === e && this.lexReady?.setSymbols(rel, o.symbols.map((s) => s.name))).catch(() => undefined);
    }
    // A parse that failed (a grammar that did not load) is retried next time.
    e.outline.catch(() => {
      if (this.entries.get(rel) === e) e.outline = undefined;
    });
    return e.outline;
  }

  /** Whether the file's outline is already parsed (or being parsed). */
  hasOutline(rel: string): boolean {
    return this.entries.get(rel)?.outline !== undefined;
  }

  /**
   * Builds the lexical index, then parses every file's outline, a few at a time, so later queries
   * find them ready. Stops early when `stop()` says so; yields to the event loop between files.
   */
  async warm(stop: () => boolean = () => false): Promise<void> {
    // A stopped or failed lexical build is started again by the next query that needs it.
    await this.lexical(stop).catch(() => undefined);
    for (const rel of [...this.entries.keys()]) {
      if (stop()) return;
      await this.outline(rel)?.catch(() => undefined);
      await new Promise((r) => setImmediate(r));
    }
  }

  /**
   * The lexical index over every file's path, contents and (once parsed) symbol names; built the first
   * time it is asked for (warm() asks first), yielding to the event loop as it goes.
   */
  lexical(stop: () => boolean = () => false): Promise<LexicalIndex> {
    if (!this.lex) {
      const started = (this.lex = this.buildLexical(stop));
      started.catch(() => {
        if (this.lex === started) this.lex = undefined;
      });
    }
    return this.lex;
  }

  private async buildLexical(stop: () => boolean): Promise<LexicalIndex> {
    const { LexicalIndex } = await import('./lexicalIndex.js');
    const lex = new LexicalIndex();
    let n = 0;
    for (const e of [...this.entries.values()]) {
      if (stop()) throw new Error('the lexical index was stopped');
      const t = e.text ?? (await this.text(e.path));
      if (t === null || this.entries.get(e.path) !== e) continue;
      const parsed = e.outline ? await e.outline.catch(() => null) : null;
      lex.set(e.path, t, parsed?.symbols.map((s) => s.name) ?? []);
      if (++n % 200 === 0) await new Promise((r) => setImmediate(r));
    }
    this.lexReady = lex;
    // Files added while it was being built.
    for (const e of this.entries.values()) if (!lex.has(e.path)) lex.set(e.path, (await this.text(e.path)) ?? '');
    return lex;
  }

  /** Indexed files whose text contains `word` as a whole word (identifier characters around it do not count). */
  async filesMentioning(word: string): Promise<string[]> {
    const re = new RegExp(`(?<![\\w$])${word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w$])`);
    const hits: string[] = [];
    for (const e of this.entries.values()) {
      const t = e.text ?? (await this.text(e.path));
      if (t !== null && t.includes(word) && re.test(t)) hits.push(e.path);
    }
    return hits;
  }

  /**
   * Brings one path up to date after a change on disk: a new, changed or deleted file or folder.
   * A changed .gitignore re-walks the workspace (texts and outlines of unchanged files are kept).
   */
  async update(rel: string): Promise<void> {
    rel = rel.replace(/\\/g, '/').replace(/^\.\//, '');
    if (!rel || rel.startsWith('../')) return;
    if (path.posix.basename(rel) === '.gitignore') return this.rescan();
    const abs = path.join(this.root, rel);
    const st = await fs.stat(abs).catch(() => null);
    if (!st) return this.remove(rel);
    const dir = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
    const rules = this.dirRules.get(dir);
    if (!rules) {
      // Inside a folder not walked yet (new, or ignored): walk from its nearest walked ancestor.
      let child = rel;
      let parent = dir;
      while (parent && !this.dirRules.has(parent)) {
        child = parent;
        parent = path.posix.dirname(parent) === '.' ? '' : path.posix.dirname(parent);
      }
      const stack = this.dirRules.get(parent);
      if (!stack || this.excluded(child) || stack.ignores(child, true)) return;
      await this.visit(child, path.join(this.root, child), stack, [this.realRoot]);
      return;
    }
    if (this.excluded(rel) || rules.ignores(rel, st.isDirectory())) return this.remove(rel);
    if (st.isDirectory()) {
      await this.walk(rel, abs, rules, [this.realRoot]);
      return;
    }
    const old = this.entries.get(rel);
    if (old && old.size === st.size && old.mtimeMs === st.mtimeMs) return;
    this.forget(rel);
    await this.addFile(rel, abs, st);
  }

  /** Drops a path, and everything under it when it was a folder. */
  remove(rel: string): void {
    const prefix = `${rel}/`;
    for (const k of [...this.entries.keys()]) if (k === rel || k.startsWith(prefix)) this.forget(k);
    for (const k of [...this.skips.keys()]) if (k === rel || k.startsWith(prefix)) this.skips.delete(k);
    for (const k of [...this.dirRules.keys()]) if (k === rel || k.startsWith(prefix)) this.dirRules.delete(k);
  }

  private forget(rel: string): void {
    const e = this.entries.get(rel);
    if (e?.text !== undefined) this.cachedChars -= e.text.length;
    this.entries.delete(rel);
    this.lexReady?.remove(rel);
  }

  private async scan(): Promise<void> {
    this.realRoot = await fs.realpath(this.root);
    this.dirRules.clear();
    this.skips.clear();
    this.truncated = false;
    let rules = IgnoreStack.empty();
    const info = await fs.readFile(path.join(this.root, '.git', 'info', 'exclude'), 'utf8').catch(() => null);
    if (info) rules = rules.withFile('', info);
    await this.walk('', this.root, rules, [this.realRoot]);
  }

  /** A full re-walk; unchanged files keep their text and outline. */
  private async rescan(): Promise<void> {
    const before = new Map(this.entries);
    this.entries.clear();
    this.cachedChars = 0;
    // The lexical index is built again on next need, over the new listing.
    this.lex = undefined;
    this.lexReady = undefined;
    await this.scan();
    for (const [rel, e] of this.entries) {
      const old = before.get(rel);
      if (old && old.size === e.size && old.mtimeMs === e.mtimeMs && old.outline && !e.outline) e.outline = old.outline;
    }
  }

  /** `ancestors`: real paths of the folders above, to tell a symlink loop from a link elsewhere. */
  private async walk(dirRel: string, dirAbs: string, inherited: IgnoreStack, ancestors: string[]): Promise<void> {
    const entries = await fs.readdir(dirAbs, { withFileTypes: true }).catch(() => null);
    if (!entries) {
      if (dirRel) this.skips.set(dirRel, 'unreadable');
      return;
    }
    let rules = inherited;
    if (entries.some((e) => e.name === '.gitignore')) {
      const text = await fs.readFile(path.join(dirAbs, '.gitignore'), 'utf8').catch(() => '');
      rules = rules.withFile(dirRel, text);
    }
    this.dirRules.set(dirRel, rules);
    await Promise.all(
      entries.map((e) => {
        const rel = dirRel ? `${dirRel}/${e.name}` : e.name;
        if (e.isDirectory()) {
          if (this.excluded(rel) || rules.ignores(rel, true)) return undefined;
          return this.walk(rel, path.join(dirAbs, e.name), rules, [...ancestors, path.join(ancestors[ancestors.length - 1], e.name)]);
        }
        if (e.isFile()) {
          if (this.excluded(rel) || rules.ignores(rel, false)) return undefined;
          return this.addFile(rel, path.join(dirAbs, e.name));
        }
        if (e.isSymbolicLink()) return this.visit(rel, path.join(dirAbs, e.name), rules, ancestors);
        return undefined;
      }),
    );
  }

  /** A path whose kind is not known yet (a symbolic link, or a path reported by a watcher). */
  private async visit(rel: string, abs: string, rules: IgnoreStack, ancestors: string[]): Promise<void> {
    let real: string;
    try {
      real = await fs.realpath(abs);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') this.skips.set(rel, 'symlink loop');
      else if (code !== 'ENOENT') this.skips.set(rel, 'unreadable');
      return;
    }
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) {
      this.skips.set(rel, 'symlink outside the workspace');
      return;
    }
    const st = await fs.stat(abs).catch(() => null);
    if (!st) return;
    if (st.isDirectory()) {
      if (ancestors.some((a) => a === real || a.startsWith(real + path.sep))) {
        this.skips.set(rel, 'symlink loop');
        return;
      }
      if (this.excluded(rel) || rules.ignores(rel, true)) return;
      await this.walk(rel, abs, rules, [...ancestors, real]);
    } else if (st.isFile()) {
      if (this.excluded(rel) || rules.ignores(rel, false)) return;
      await this.addFile(rel, abs, st);
    }
  }

  private async addFile(rel: string, abs: string, known?: { size: number; mtimeMs: number }): Promise<void> {
    const dot = rel.lastIndexOf('.');
    if (dot > rel.lastIndexOf('/') && BINARY_EXTENSIONS.has(rel.slice(dot).toLowerCase())) {
      this.skips.set(rel, 'binary');
      return;
    }
    await this.slot();
    try {
      if (this.entries.size >= this.maxFiles) {
        this.truncated = true;
        return;
      }
      const st = known ?? (await fs.stat(abs).catch(() => null));
      if (!st) return this.skip(rel, 'unreadable');
      if (st.size > this.maxFileBytes) return this.skip(rel, 'over the size cap');
      const text = await this.readText(abs);
      if (typeof text !== 'string') return this.skip(rel, text.skip);
      const keep = this.cachedChars + text.length <= this.maxCachedChars;
      if (keep) this.cachedChars += text.length;
      const language = languageOf(rel);
      this.skips.delete(rel);
      this.entries.set(rel, { path: rel, size: st.size, mtimeMs: st.mtimeMs, ...(language ? { language } : {}), ...(keep ? { text } : {}) });
      this.lexReady?.set(rel, text);
    } finally {
      this.release();
    }
  }

  private skip(rel: string, why: SkipReason): void {
    this.skips.set(rel, why);
  }

  private async readText(abs: string): Promise<string | { skip: SkipReason }> {
    let buf: Buffer;
    try {
      buf = await fs.readFile(abs);
    } catch {
      return { skip: 'unreadable' };
    }
    return decodeText(buf, this.maxFileBytes);
  }

  /** Bounds the files open at once (a wide folder would otherwise run out of descriptors). */
  private slot(): Promise<void> {
    if (this.reading < READ_CONCURRENCY) {
      this.reading++;
      return Promise.resolve();
    }
    return new Promise((r) => this.waiting.push(r));
  }

  private release(): void {
    const next = this.waiting.shift();
    if (next) next();
    else this.reading--;
  }
}
