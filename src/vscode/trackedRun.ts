import * as vscode from 'vscode';
import { runTask } from '../core/runTask';
import type { RunOptions, RunResult } from '../core/runTypes';
import { applyEvent, emptyTrace } from '../core/trace/reduce';
import type { TraceDocument, TraceEvent } from '../core/trace/types';
import type { Deps } from './deps';
import { EDITOR_WORKERS } from './lm/vscodeLmWorker';
import type { ActiveRun } from './runs';

export interface TrackedRunOptions extends Omit<RunOptions, 'keys' | 'signal' | 'id' | 'onEvent' | 'workerFactories'> {
  /** Cancels the run: a notification's Cancel, or the Chat's stop button. */
  cancel?: vscode.CancellationToken;
  /** Every event, in order, after the trace view has it. */
  onEvent?: (e: TraceEvent) => void;
  /** The live document, a few times a second at most (streamed text moves the token estimate). */
  onProgress?: (live: TraceDocument) => void;
}

/**
 * The one way the extension runs a task (Solve, the Chat's Fugu models, @fugu): registered so
 * "Fugu: Cancel" reaches it, shown live in the trace panel and the status bar, with the editor's
 * keys and the workers only the editor has (vscode-lm).
 */
export async function trackedRun(deps: Deps, kind: ActiveRun['kind'], opts: TrackedRunOptions): Promise<RunResult> {
  const { cancel, onEvent, onProgress, ...runOpts } = opts;
  const run = deps.runs.start(kind);
  const cancelled = cancel?.onCancellationRequested(() => run.controller.abort());
  if (cancel?.isCancellationRequested) run.controller.abort();
  const live = emptyTrace();
  let lastShown = 0;
  try {
    const result = await runTask({
      ...runOpts,
      keys: deps.keys.resolver(),
      signal: run.controller.signal,
      id: run.id,
      workerFactories: EDITOR_WORKERS,
      onEvent: (e) => {
        applyEvent(live, e);
        deps.trace.onEvent(e);
        onEvent?.(e);
        const now = Date.now();
        if (e.type === 'step-delta' && now - lastShown < 250) return;
        lastShown = now;
        deps.statusBar.update(live);
        onProgress?.(live);
      },
    });
    deps.statusBar.finish(result.trace);
    return result;
  } catch (err) {
    deps.statusBar.reset();
    throw err;
  } finally {
    cancelled?.dispose();
    deps.runs.end(run);
  }
}
