import * as vscode from 'vscode';
import type { EmbeddingSignal } from '../core/context/embeddings/workspaceEmbeddings';
import { WorkspaceIndex } from '../core/context/workspaceIndex';
import { log } from './log';
import { contextIndexSettings } from './settings';
import { workspacePath, workspaceRoot } from './workspaceFiles';

// The workspace index for gathered context: built in the background a little after activation (never
// during it), kept up to date from a file watcher, rebuilt when its settings change. tree-sitter
// (dist/tree-sitter.js and the grammars) is loaded only when the first file is parsed.

/** How long after activation the background build starts. */
const START_DELAY_MS = 3_000;
/** Changes reported by the watcher are applied in one batch after this quiet time. */
const UPDATE_DEBOUNCE_MS = 150;

export type ContextIndexState = 'idle' | 'building' | 'ready' | 'failed';

/** Starts embedding a freshly built index's files (undefined when `fugu.context.embeddings` is off). */
export type StartIndexEmbeddings = (index: WorkspaceIndex, signal: AbortSignal) => Promise<EmbeddingSignal | undefined>;

export class ContextIndexService implements vscode.Disposable {
  private index: Promise<WorkspaceIndex> | undefined;
  private generation = 0;
  private status: ContextIndexState = 'idle';
  private timer: ReturnType<typeof setTimeout> | undefined;
  private flushTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly changed = new Set<string>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private watcher: vscode.FileSystemWatcher | undefined;
  /** The current index's embeddings, started in the background with it; stopped when it is rebuilt. */
  private embeddings: { index: WorkspaceIndex; signal: Promise<EmbeddingSignal | undefined>; stop: AbortController } | undefined;

  constructor(private readonly startEmbeddings?: StartIndexEmbeddings) {
    this.subscriptions.push(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('fugu.context') || e.affectsConfiguration('files.exclude')) this.reset();
      }),
      vscode.workspace.onDidChangeWorkspaceFolders(() => this.reset()),
    );
  }

  state(): ContextIndexState {
    return this.status;
  }

  /** Starts the build in the background once activation is well over. */
  scheduleBuild(delayMs = START_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.get(), delayMs);
    this.timer.unref?.();
  }

  /**
   * The index, waiting at most `waitMs` for a build in progress (undefined then, or without a
   * workspace folder on disk, or when the build failed: the run goes on with the open editors).
   */
  async get(waitMs = Infinity): Promise<WorkspaceIndex | undefined> {
    const root = workspaceRoot();
    if (!root || root.scheme !== 'file') return undefined;
    this.index ??= this.build(root);
    const ready = this.index.catch(() => undefined);
    if (waitMs === Infinity) return ready;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), waitMs)));
    try {
      return await Promise.race([ready, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async build(root: vscode.Uri): Promise<WorkspaceIndex> {
    const gen = ++this.generation;
    this.status = 'building';
    const t0 = Date.now();
    try {
      this.watch(root);
      const index = await WorkspaceIndex.build({ root: root.fsPath, ...contextIndexSettings() });
      if (gen !== this.generation) return index;
      this.status = 'ready';
      const skipped = index.skipped().size;
      log().info(`Context index: ${index.size} files in ${Date.now() - t0} ms${skipped ? `, ${skipped} skipped` : ''}${index.truncated ? ' (file limit reached)' : ''}.`);
      // Symbols are parsed in the background, so the first task that names one finds it ready.
      void index.warm(() => gen !== this.generation).then(() => gen === this.generation && log().info(`Context index: symbols parsed in ${Date.now() - t0} ms.`));
      if (this.startEmbeddings) {
        const stop = new AbortController();
        const signal = this.startEmbeddings(index, stop.signal).catch((err: unknown) => {
          log().warn(`Context embeddings could not start: ${err instanceof Error ? err.message : String(err)}`);
          return undefined;
        });
        this.embeddings = { index, signal, stop };
      }
      return index;
    } catch (err) {
      if (gen === this.generation) this.status = 'failed';
      log().warn(`Context index could not be built: ${err instanceof Error ? err.message : String(err)}. Runs send the open editors only.`);
      throw err;
    }
  }

  private watch(root: vscode.Uri): void {
    if (this.watcher) return;
    this.watcher = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(root, '**/*'));
    const queue = (uri: vscode.Uri) => {
      const rel = workspacePath(uri, root);
      if (rel === undefined) return; // outside the folder
      this.changed.add(rel);
      clearTimeout(this.flushTimer);
      this.flushTimer = setTimeout(() => void this.flush(), UPDATE_DEBOUNCE_MS);
    };
    this.watcher.onDidChange(queue);
    this.watcher.onDidCreate(queue);
    this.watcher.onDidDelete(queue);
  }

  private async flush(): Promise<void> {
    const index = await this.index?.catch(() => undefined);
    const paths = [...this.changed];
    this.changed.clear();
    if (!index) return;
    for (const rel of paths) {
      await index.update(rel).catch((err) => log().warn(`Context index: ${rel} could not be updated: ${err instanceof Error ? err.message : String(err)}`));
    }
    // Embeddings follow the changed files, in the background.
    if (this.embeddings?.index === index) void this.embeddings.signal.then((e) => e?.refresh?.(paths));
  }

  /** The embeddings started with `index` (undefined when off, or for an index that is not the current one). */
  async embeddingsFor(index: WorkspaceIndex | undefined): Promise<EmbeddingSignal | undefined> {
    return index && this.embeddings?.index === index ? this.embeddings.signal : undefined;
  }

  /** Settings changed: the next request builds afresh. */
  private reset(): void {
    this.embeddings?.stop.abort();
    this.embeddings = undefined;
    this.generation++;
    this.index = undefined;
    this.status = 'idle';
    this.watcher?.dispose();
    this.watcher = undefined;
  }

  dispose(): void {
    clearTimeout(this.timer);
    clearTimeout(this.flushTimer);
    this.reset();
    for (const s of this.subscriptions) s.dispose();
  }
}
