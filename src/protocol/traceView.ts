// The trace view's messages, declared once and imported by both the extension host and the webview.
// Reading this file tells you everything the view can say (commands, requests) and hear (notifications).
import type { CheckAnswer, RunStatus, TraceDocument, TraceEvent } from '../core/trace/types';

// STATE

/** One line of the history list; the whole trace stays on the host until the run is selected. */
export interface RunSummary {
  id: string;
  /** The user's words (the trace's title, else its task). */
  task: string;
  createdAt: string;
  status: RunStatus;
  calls: number;
  costUsd: number;
  wallMs: number;
  /**
   * The verdict of the run's checks, absent when none ran. Filled from `trace.final.check` by
   * `summaryOf` (src/vscode/trace/runHistory.ts).
   */
  check?: RunCheckVerdict;
}

export interface RunCheckVerdict {
  /** 'unverified': the check could not run or timed out, so the edits are not proven either way. */
  verdict: 'passed' | 'failed' | 'unverified';
  command: string;
}

/** A run as shown by the view. */
export interface LoadedRun {
  doc: TraceDocument;
  /** How many live events are already folded into `doc`; the next `trace/events` batch continues from here. */
  seq: number;
  /** True while the executor is still sending events for this run. */
  live: boolean;
  /** Paths whose edits the host can still preview and apply (empty for past or reviewed runs). */
  reviewable: string[];
}

export interface State {
  history: RunSummary[];
  /** The run on screen, or null before the first run. */
  run: LoadedRun | null;
  /** The sample task offered when there is no run (the demo: `npm start -- --demo`), else null. */
  demoTask: string | null;
}

/** The first things to do, offered when there is no run to show (each is a command of the palette). */
export type StartAction = 'solve' | 'generate-inline' | 'set-api-key' | 'choose-models' | 'demo-task';

// COMMANDS (webview -> host, no reply)

export interface CommandParams {
  'trace/select-run': { runId: string };
  'trace/delete-run': { runId: string };
  'trace/export': { runId: string };
  'trace/import': Record<string, never>;
  'trace/open-in-editor': { runId: string | null };
  'trace/start': { action: StartAction };
}
export type CommandMethod = keyof CommandParams;

// REQUESTS (webview -> host, with a typed reply)

export interface EditApplyResult {
  applied: string[];
  failed: { path: string; reason: string }[];
}

export interface RequestTypes {
  /** `runId`: the run this webview showed before it was hidden (kept in its own state), if any. */
  'trace/get-state': [{ runId: string | null }, State];
  'edits/preview': [{ runId: string; path: string }, { ok: boolean; message: string | null }];
  'edits/apply': [{ runId: string; paths: string[] | null }, EditApplyResult];
  'edits/reject': [{ runId: string }, { ok: boolean }];
  /** The run's check question, answered from the panel's card ('message': why it could not be). */
  'check/answer': [{ runId: string; answer: CheckAnswer }, { ok: boolean; message: string | null }];
}
export type RequestMethod = keyof RequestTypes;
export type RequestParams<M extends RequestMethod> = RequestTypes[M][0];
export type RequestResult<M extends RequestMethod> = RequestTypes[M][1];

// NOTIFICATIONS (host -> webview)

export interface NotificationParams {
  /** A live run began: the view switches to it and expects its events from seq 0. */
  'trace/didStart': { runId: string };
  /** A batch of live events for a run; `seq` is the index of the first event in the run's stream. */
  'trace/events': { runId: string; seq: number; events: TraceEvent[] };
  'trace/didChangeHistory': { history: RunSummary[] };
  /** Show this run (a selected past run, an imported trace, or a snapshot of the live one). */
  'trace/didLoad': { run: LoadedRun };
  /** The set of edits still open for review changed (plans arrived, or some were applied or rejected). */
  'edits/didChangeReview': { runId: string; reviewable: string[] };
}
export type NotificationMethod = keyof NotificationParams;

// ENVELOPES

export type WebviewMessage =
  | { [M in CommandMethod]: { type: 'command'; method: M; params: CommandParams[M] } }[CommandMethod]
  | { [M in RequestMethod]: { type: 'request'; id: number; method: M; params: RequestParams<M> } }[RequestMethod];

export type HostMessage =
  | { [M in NotificationMethod]: { type: 'notification'; method: M; params: NotificationParams[M] } }[NotificationMethod]
  | { type: 'reply'; id: number; ok: true; result: unknown }
  | { type: 'reply'; id: number; ok: false; error: string };
