import * as vscode from 'vscode';
import type { RunResult } from '../core/runTypes';
import { applyEvent, emptyTrace } from '../core/trace/reduce';
import type { TraceEvent, TraceListener } from '../core/trace/types';
import type { Deps } from './deps';
import { notify, type NoticeKind } from './notify';
import { progressLine } from './progressLine';
import type { ActiveRun } from './runs';

// The scaffolding Solve with Fugu and Generate Inline share: a run "Fugu: Cancel" can stop, a
// cancellable progress notification, the live trace view (which keeps the run in history when it
// finishes) and the status bar. Each command brings only its task and what it does with the result.

export interface EditorRunOptions {
  kind: ActiveRun['kind'];
  /** The progress notification's title. */
  title: string;
  /** The first progress message (e.g. what was sent as context). */
  message?: string;
  /** Sees every event, streamed text included, before the progress is shown. */
  onEvent?: TraceListener;
  /** Starts the run: pass `onEvent`, the run's id and its controller's signal to runTask (and EDITOR_WORKERS). */
  run(run: ActiveRun, onEvent: TraceListener): Promise<RunResult>;
  /** Progress shown elsewhere (the Chat) instead of a notification, and that place's stop button. */
  elsewhere?: ProgressElsewhere;
  /** Said after each progress line while it is not empty (a question the run does not wait for). */
  progressSuffix?: (run: ActiveRun) => string;
  /** Settles when the suffix changed (the question was answered): the progress is shown again at once. */
  suffixChanged?: Promise<unknown>;
}

export interface ProgressElsewhere {
  report(line: string): void;
  cancel: vscode.CancellationToken;
}

/** Streamed text moves the token estimate, a few times a second at most. */
const DELTA_EVERY_MS = 250;

export async function runInEditor(deps: Deps, opts: EditorRunOptions): Promise<RunResult> {
  const run = deps.runs.start(opts.kind);
  const live = emptyTrace();
  let result: RunResult;
  const withProgress = async (report: (message: string) => void, token: vscode.CancellationToken) => {
    token.onCancellationRequested(() => run.controller.abort());
    if (token.isCancellationRequested) run.controller.abort();
    const withSuffix = (line: string) => {
      const extra = opts.progressSuffix?.(run) ?? '';
      return extra ? `${line} — ${extra}` : line;
    };
    let shown = opts.message ?? '';
    if (opts.message || opts.progressSuffix) report(withSuffix(shown));
    void opts.suffixChanged?.then(() => report(withSuffix(shown)));
    let lastShown = 0;
    const onEvent = (e: TraceEvent) => {
      applyEvent(live, e);
      deps.trace.onEvent(e);
      opts.onEvent?.(e);
      const now = Date.now();
      if ((e.type === 'step-delta' || e.type === 'step-tool-call-delta') && now - lastShown < DELTA_EVERY_MS) return;
      lastShown = now;
      deps.statusBar.update(live);
      shown = progressLine(live);
      report(withSuffix(shown));
    };
    return opts.run(run, onEvent);
  };
  try {
    result = opts.elsewhere
      ? await withProgress(opts.elsewhere.report, opts.elsewhere.cancel)
      : await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: opts.title, cancellable: true }, (progress, token) =>
          withProgress((message) => progress.report({ message }), token),
        );
  } catch (err) {
    deps.statusBar.reset();
    throw err;
  } finally {
    deps.runs.end(run);
  }
  deps.statusBar.finish(result.trace);
  return result;
}

/** A message whose "Show Trace" button reveals the trace view. */
export function noticeWithTrace(kind: NoticeKind, text: string): void {
  void notify(kind, text, 'Show Trace').then((b) => {
    if (b === 'Show Trace') void vscode.commands.executeCommand('fugu.showTrace');
  });
}
