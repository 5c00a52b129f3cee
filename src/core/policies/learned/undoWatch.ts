// Undo within two minutes of accepting a run's edits counts as rejecting them. The editor tells this
// watch which documents a run's accepted edit changed (their text before and after) and, for each
// Undo in a document, its text then; a document back at its text from before the edit, within the
// window, reverts that file's edit. Plain data and time in, so the rule is tested without an editor.
import { undoReward } from './rewards';

export interface AcceptedFile {
  /** The run's name for the file (the trace's edit path). */
  path: string;
  /** The editor's name for the document (its URI). */
  key: string;
  /** The document's text before the edit was applied. */
  before: string;
}

interface Watched {
  runId: string;
  path: string;
  before: string;
  atMs: number;
}

export class UndoWatch {
  /** By document key: the accepted edits still inside the window (newest last). */
  private readonly byKey = new Map<string, Watched[]>();
  /** By run: the files whose accepted edit was undone in time. */
  private readonly undone = new Map<string, Set<string>>();

  /** A run's edit of these files was accepted at `atMs`. */
  accepted(runId: string, files: AcceptedFile[], atMs: number): void {
    for (const f of files) {
      const list = this.byKey.get(f.key) ?? [];
      list.push({ runId, path: f.path, before: f.before, atMs });
      this.byKey.set(f.key, list);
    }
  }

  /**
   * An Undo left the document `key` with `text` at `atMs`. Returns the run and file it reverted, the
   * first time only; null when it restored no watched edit's text, or did so after the window.
   */
  undo(key: string, text: string, atMs: number): { runId: string; path: string } | null {
    this.expire(atMs);
    const list = this.byKey.get(key);
    if (!list) return null;
    // The newest accepted edit of this document first: an Undo steps back through them in that order.
    for (let i = list.length - 1; i >= 0; i--) {
      const w = list[i];
      if (w.before !== text || undoReward(w.atMs, atMs) === null) continue;
      list.splice(i, 1);
      if (list.length === 0) this.byKey.delete(key);
      const set = this.undone.get(w.runId) ?? new Set<string>();
      if (set.has(w.path)) return null;
      set.add(w.path);
      this.undone.set(w.runId, set);
      return { runId: w.runId, path: w.path };
    }
    return null;
  }

  /** The files of a run whose accepted edit was undone in time. */
  undonePaths(runId: string): ReadonlySet<string> {
    return this.undone.get(runId) ?? new Set();
  }

  /** Whether any accepted edit is still inside its window (the editor need not listen otherwise). */
  watching(atMs: number): boolean {
    this.expire(atMs);
    return this.byKey.size > 0;
  }

  /** Drops edits accepted longer ago than the window: an Undo of them no longer counts. */
  private expire(atMs: number): void {
    for (const [key, list] of this.byKey) {
      const kept = list.filter((w) => undoReward(w.atMs, atMs) !== null);
      if (kept.length) this.byKey.set(key, kept);
      else this.byKey.delete(key);
    }
  }
}

/**
 * The editor's reward for a run once its review is decided, with undone files counted as rejected:
 * accepted edits that were not undone over all decided edits.
 */
export function reviewCounts(edits: { path: string; status: string }[], undone: ReadonlySet<string>): { accepted: number; rejected: number } {
  let accepted = 0;
  let rejected = 0;
  for (const e of edits) {
    if (e.status === 'applied' && !undone.has(e.path)) accepted++;
    else if (e.status === 'rejected' || (e.status === 'applied' && undone.has(e.path))) rejected++;
  }
  return { accepted, rejected };
}
