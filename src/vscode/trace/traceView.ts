// The trace view on the host side: the sidebar view 'fugu.trace', editor-tab copies of it, run history,
// export/import. The extension reaches it only through this small interface:
//
//   const traceView = registerTraceView(context, editActions, log);
//   runTask({ ..., onEvent: (e) => traceView.onEvent(e) });   // 'run-started' begins a live run
//   traceView.setPlans(trace.id, plans);                      // enables Preview / Apply / Reject
//   traceView.markEdits(trace.id, [{ path, status, reason }]); // each review decision, once
//   traceView.reveal();                                        // focus the sidebar view
//
// The panel's Preview / Apply / Reject buttons call `editActions` (the same review as the Solve
// command) and record nothing themselves: the review's decision comes back through markEdits, the
// one way an outcome reaches the trace and history.
import * as vscode from 'vscode';
import type { EditOutcome } from '../../core/trace/editOutcomes';
import { applyEvent, emptyTrace } from '../../core/trace/reduce';
import type { TraceDocument, TraceEvent } from '../../core/trace/types';
import type { FileEditPlan } from '../../core/edits/types';
import { parseTraceDocument } from '../../protocol/traceSchemas';
import type { EditApplyResult, LoadedRun, StartAction, NotificationMethod, NotificationParams, RequestMethod, RequestTypes, State, WebviewMessage } from '../../protocol/traceView';
import { parseWebviewMessage } from '../../protocol/traceViewSchemas';
import { appendToRun, OutcomeRecorder, type RecorderRun } from './outcomeRecorder';
import { RunHistory } from './runHistory';
import { readEditorSettings } from '../settings';
import { traceHtml, webviewRoots } from './webviewHtml';
import { runTitle } from '../../core/trace/title';

export interface EditActions {
  /** Show the diff of one file's planned edit (e.g. vscode.diff of two virtual documents). */
  preview(runId: string, path: string): Promise<{ ok: boolean; message: string | null }>;
  /** Apply the planned edits of these paths (all when null) as one undoable WorkspaceEdit. */
  apply(runId: string, paths: string[] | null): Promise<EditApplyResult>;
  /** Drop the run's planned edits. */
  reject(runId: string): Promise<void>;
}

export interface TraceView extends vscode.Disposable {
  onEvent(event: TraceEvent): void;
  setPlans(runId: string, plans: FileEditPlan[]): void;
  markEdits(runId: string, outcomes: EditOutcome[]): void;
  /** Events for a run that already finished (a check asked for in its review): into its trace and history. */
  append(runId: string, events: TraceEvent[]): void;
  reveal(): void;
  /** Whether the sidebar view is showing. */
  visible(): boolean;
  /** The run the panel follows: the live one, else the last that finished (null before any). */
  shownRun(): TraceDocument | null;
}

export const TRACE_VIEW_ID = 'fugu.trace';
/** The empty view's buttons: the palette's commands. */
const START_COMMANDS: Record<Exclude<StartAction, 'demo-task'>, string> = {
  solve: 'fugu.solve',
  'generate-inline': 'fugu.generateInline',
  'set-api-key': 'fugu.setApiKey',
  'choose-models': 'fugu.chooseModels',
};
/** `npm start -- --demo` sets the sample task it scripted the fake providers for. */
function demoTask(): string | null {
  return process.env.FUGU_DEMO_TASK?.trim().slice(0, 500) || null;
}
const PANEL_TYPE = 'fugu.traceTab';
/** Live events are forwarded in batches at most this often. */
const FLUSH_MS = 16;

/** The run the executor is (or was last) reporting: the host folds its events with the same reducer. */
interface CurrentRun {
  doc: TraceDocument;
  seq: number;
  live: boolean;
  pending: TraceEvent[];
  timer: ReturnType<typeof setTimeout> | undefined;
}

interface Endpoint {
  webview: vscode.Webview;
  /** The run an editor tab was opened for. */
  initialRunId: string | null;
}

/** The view's host and its commands; extension.ts registers the 'fugu.trace' provider and forwards to it. */
export function registerTraceView(context: vscode.ExtensionContext, actions: EditActions, log: (line: string) => void = () => {}): TraceViewHost {
  const maxRuns = () => readEditorSettings().historyMaxRuns;
  const history = new RunHistory(context.globalStorageUri.fsPath, maxRuns);
  const host = new TraceViewHost(context.extensionUri, history, actions, log);
  context.subscriptions.push(
    host,
    vscode.commands.registerCommand('fugu.trace.openInEditor', () => host.openInEditor(null)),
    vscode.commands.registerCommand('fugu.trace.import', () => host.importTrace(null)),
    vscode.commands.registerCommand('fugu.trace.export', () => host.exportRun(null)),
  );
  return host;
}

export class TraceViewHost implements vscode.WebviewViewProvider, TraceView {
  private current: CurrentRun | null = null;
  private sidebar: vscode.WebviewView | undefined;
  private readonly reviewable = new Map<string, string[]>();
  private readonly endpoints = new Set<Endpoint>();
  private readonly outcomes: OutcomeRecorder;
  private readonly currentRun: () => RecorderRun | null;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly history: RunHistory,
    private readonly actions: EditActions,
    private readonly log: (line: string) => void,
  ) {
    const current = (this.currentRun = () => {
      const run = this.current;
      if (!run) return null;
      return {
        doc: run.doc,
        live: run.live,
        emit: (e: TraceEvent) => {
          this.onEvent(e);
          if (!run.live) this.flush();
        },
      };
    });
    this.outcomes = new OutcomeRecorder(history, current, (list) => this.broadcast('trace/didChangeHistory', { history: list }));
  }

  // ---- the interface for the extension

  onEvent(event: TraceEvent): void {
    if (event.type === 'run-started') this.startRun(event.id);
    // A chat run continued with its tools' results: the same run again, live.
    else if (event.type === 'run-continued') this.startRun(event.trace.id);
    const run = this.current;
    if (!run) return;
    applyEvent(run.doc, event);
    run.pending.push(event);
    if (event.type === 'run-finished') {
      run.live = false;
      this.flush();
      void this.persist(run.doc);
    } else if (!run.timer) {
      run.timer = setTimeout(() => this.flush(), FLUSH_MS);
    }
  }

  setPlans(runId: string, plans: FileEditPlan[]): void {
    this.setReviewable(runId, plans.filter((p) => p.status === 'proposed').map((p) => p.path));
  }

  markEdits(runId: string, outcomes: EditOutcome[]): void {
    void this.outcomes.record(runId, outcomes).catch((err) => this.log(`could not record edit outcomes: ${String(err)}`));
  }

  append(runId: string, events: TraceEvent[]): void {
    appendToRun(this.history, this.currentRun(), runId, events).then(
      (list) => list && this.broadcast('trace/didChangeHistory', { history: list }),
      (err: unknown) => this.log(`could not record events of run ${runId}: ${String(err)}`),
    );
  }

  reveal(): void {
    void vscode.commands.executeCommand(`${TRACE_VIEW_ID}.focus`);
  }

  shownRun(): TraceDocument | null {
    return this.current?.doc ?? null;
  }

  visible(): boolean {
    return this.sidebar?.visible ?? false;
  }

  // ---- webviews

  resolveWebviewView(view: vscode.WebviewView): void {
    this.sidebar = view;
    view.onDidDispose(() => {
      if (this.sidebar === view) this.sidebar = undefined;
    });
    this.attach(view.webview, null, (d) => view.onDidDispose(d));
  }

  async openInEditor(runId: string | null): Promise<void> {
    const id = runId ?? this.current?.doc.id ?? null;
    const doc = id ? await this.load(id) : null;
    const title = doc?.task ? `Fugu: ${runTitle(doc).slice(0, 40)}` : 'Fugu Trace';
    const panel = vscode.window.createWebviewPanel(PANEL_TYPE, title, vscode.ViewColumn.Active, {
      enableScripts: true,
      localResourceRoots: webviewRoots(this.extensionUri),
    });
    this.attach(panel.webview, id, (d) => panel.onDidDispose(d));
  }

  private attach(webview: vscode.Webview, initialRunId: string | null, onDispose: (f: () => void) => vscode.Disposable): void {
    webview.options = { enableScripts: true, localResourceRoots: webviewRoots(this.extensionUri) };
    const endpoint: Endpoint = { webview, initialRunId };
    this.endpoints.add(endpoint);
    const sub = webview.onDidReceiveMessage((raw) => this.receive(endpoint, raw));
    onDispose(() => {
      this.endpoints.delete(endpoint);
      sub.dispose();
    });
    webview.html = traceHtml(webview, this.extensionUri);
  }

  private receive(endpoint: Endpoint, raw: unknown): void {
    const parsed = parseWebviewMessage(raw);
    if (!parsed.ok) {
      this.log(`trace view: ignored a message: ${parsed.reason}`);
      return;
    }
    const m = parsed.message;
    if (m.type === 'request') {
      this.answer(endpoint, m).then(
        (result) => void endpoint.webview.postMessage({ type: 'reply', id: m.id, ok: true, result }),
        (err: unknown) => {
          this.log(`trace view: ${m.method} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
          void endpoint.webview.postMessage({ type: 'reply', id: m.id, ok: false, error: err instanceof Error ? err.message : String(err) });
        },
      );
      return;
    }
    this.command(endpoint, m).catch((err: unknown) => {
      this.log(`trace view: ${m.method} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
      void vscode.window.showErrorMessage(`Fugu: ${err instanceof Error ? err.message : String(err)}`);
    });
  }

  private async answer(endpoint: Endpoint, m: Extract<WebviewMessage, { type: 'request' }>): Promise<RequestTypes[RequestMethod][1]> {
    switch (m.method) {
      case 'trace/get-state':
        return this.state(m.params.runId ?? endpoint.initialRunId);
      case 'edits/preview':
        return this.actions.preview(m.params.runId, m.params.path);
      // The review records the outcome and updates what is reviewable (markEdits, setPlans).
      case 'edits/apply':
        return this.actions.apply(m.params.runId, m.params.paths);
      case 'edits/reject':
        await this.actions.reject(m.params.runId);
        return { ok: true };
      case 'check/answer': {
        // The one owner of answers is the command (progress links and the review use it too).
        const ok = await vscode.commands.executeCommand<boolean>('fugu.answerCheck', { runId: m.params.runId, answer: m.params.answer });
        return { ok: ok === true, message: ok ? null : 'This question is no longer open (the window was reloaded, or it was answered elsewhere).' };
      }
    }
  }

  private async command(endpoint: Endpoint, m: Extract<WebviewMessage, { type: 'command' }>): Promise<void> {
    switch (m.method) {
      case 'trace/select-run': {
        const run = await this.loaded(m.params.runId);
        if (run) void this.post(endpoint, 'trace/didLoad', { run });
        else void vscode.window.showWarningMessage('Fugu: that run is no longer in the history.');
        return;
      }
      case 'trace/delete-run':
        if (this.current?.live && this.current.doc.id === m.params.runId) {
          void vscode.window.showInformationMessage('Fugu: a run cannot be deleted while it is running.');
          return;
        }
        this.reviewable.delete(m.params.runId);
        this.broadcast('trace/didChangeHistory', { history: await this.history.delete(m.params.runId) });
        return;
      case 'trace/export':
        return this.exportRun(m.params.runId);
      case 'trace/import':
        return this.importTrace(endpoint);
      case 'trace/open-in-editor':
        return this.openInEditor(m.params.runId);
      case 'trace/start': {
        const a = m.params.action;
        if (a === 'demo-task') {
          const task = demoTask();
          if (task) await vscode.commands.executeCommand('fugu.solve', { task });
          return;
        }
        await vscode.commands.executeCommand(START_COMMANDS[a]);
        return;
      }
    }
  }

  // ---- export / import

  async exportRun(runId: string | null): Promise<void> {
    const id = runId ?? this.current?.doc.id;
    const doc = id ? await this.load(id) : null;
    if (!doc) {
      void vscode.window.showInformationMessage('Fugu: there is no run to export yet.');
      return;
    }
    const base = vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(process.cwd());
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.joinPath(base, `fugu-trace-${doc.id}.json`),
      filters: { 'Fugu trace': ['json'] },
      title: 'Export Fugu trace',
    });
    if (!target) return;
    await vscode.workspace.fs.writeFile(target, Buffer.from(JSON.stringify(doc, null, 2), 'utf8'));
  }

  async importTrace(endpoint: Endpoint | null): Promise<void> {
    const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'Fugu trace': ['json'] }, title: 'Import Fugu trace' });
    if (!picked?.[0]) return;
    const bytes = await vscode.workspace.fs.readFile(picked[0]);
    let value: unknown;
    try {
      value = JSON.parse(Buffer.from(bytes).toString('utf8'));
    } catch (err) {
      void vscode.window.showErrorMessage(`Fugu: ${picked[0].fsPath} is not JSON, so it cannot be a trace.`);
      this.log(`import: ${String(err)}`);
      return;
    }
    const parsed = parseTraceDocument(value);
    if (!parsed.ok) {
      void vscode.window.showErrorMessage(`Fugu: that file is not a version-1 Fugu trace (${parsed.reason}).`);
      return;
    }
    this.broadcast('trace/didChangeHistory', { history: await this.history.save(parsed.doc) });
    const run: LoadedRun = { doc: parsed.doc, seq: 0, live: false, reviewable: [] };
    if (endpoint) void this.post(endpoint, 'trace/didLoad', { run });
    else await this.openInEditor(parsed.doc.id);
  }

  // ---- state

  private startRun(runId: string): void {
    if (this.current?.live) this.flush();
    this.current = { doc: emptyTrace(), seq: 0, live: true, pending: [], timer: undefined };
    this.current.doc.id = runId;
    this.broadcast('trace/didStart', { runId });
  }

  private flush(): void {
    const run = this.current;
    if (!run) return;
    if (run.timer) clearTimeout(run.timer);
    run.timer = undefined;
    if (!run.pending.length) return;
    const events = run.pending;
    const seq = run.seq;
    run.pending = [];
    run.seq += events.length;
    this.broadcast('trace/events', { runId: run.doc.id, seq, events });
  }

  private async state(runId: string | null): Promise<State> {
    const history = await this.history.list();
    // The run asked for, else the current one, else the newest in history (a deleted run falls through).
    for (const id of [runId, this.current?.doc.id, history[0]?.id]) {
      const run = id ? await this.loaded(id) : null;
      if (run) return { history, run, demoTask: demoTask() };
    }
    return { history, run: null, demoTask: demoTask() };
  }

  /** A run ready to show; the current run's snapshot says how many events it already holds. */
  private async loaded(runId: string): Promise<LoadedRun | null> {
    const cur = this.current;
    if (cur && cur.doc.id === runId) {
      // Events still waiting in the batch are in the snapshot too; `seq` lets the webview skip them.
      return { doc: cur.doc, seq: cur.seq + cur.pending.length, live: cur.live, reviewable: this.reviewable.get(runId) ?? [] };
    }
    const doc = await this.history.get(runId);
    return doc ? { doc, seq: 0, live: false, reviewable: this.reviewable.get(runId) ?? [] } : null;
  }

  private async load(runId: string): Promise<TraceDocument | null> {
    return this.current?.doc.id === runId ? this.current.doc : this.history.get(runId);
  }

  private setReviewable(runId: string, paths: string[]): void {
    this.reviewable.set(runId, paths);
    this.broadcast('edits/didChangeReview', { runId, reviewable: paths });
  }

  private async persist(doc: TraceDocument): Promise<void> {
    try {
      this.broadcast('trace/didChangeHistory', { history: await this.history.save(doc) });
    } catch (err) {
      this.log(`could not save run ${doc.id} to history: ${String(err)}`);
    }
  }

  private post<M extends NotificationMethod>(endpoint: Endpoint, method: M, params: NotificationParams[M]): Thenable<boolean> {
    return endpoint.webview.postMessage({ type: 'notification', method, params });
  }

  private broadcast<M extends NotificationMethod>(method: M, params: NotificationParams[M]): void {
    for (const e of this.endpoints) void this.post(e, method, params);
  }

  dispose(): void {
    if (this.current?.timer) clearTimeout(this.current.timer);
    this.endpoints.clear();
  }
}
