import type * as vscode from 'vscode';
import type { ContextIndexService } from './contextIndex';
import type { KeyStore } from './keys';
import type { ReviewDocuments } from './review/reviewDocs';
import type { Reviews } from './review/reviews';
import type { Runs } from './runs';
import type { RunStatusBar } from './statusBar';
import type { TraceView } from './trace/traceView';
import type { CheckQuestions } from './verifyCheck';

/** What the commands share; built once in createHost (host.ts), on first use. */
export interface Deps {
  context: vscode.ExtensionContext;
  keys: KeyStore;
  runs: Runs;
  reviews: Reviews;
  docs: ReviewDocuments;
  statusBar: RunStatusBar;
  /** The trace view (live runs, history, the panel's Preview / Apply / Reject). */
  trace: TraceView;
  /** The workspace index behind gathered context (built after activation, in the background). */
  contextIndex: ContextIndexService;
  /** [verify] Check questions still open, by run (answered by fugu.answerCheck). */
  questions: CheckQuestions;
}
