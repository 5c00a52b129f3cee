import * as vscode from 'vscode';
import { ContextIndexService, type ContextIndexState } from './contextIndex';
import type { Deps } from './deps';
import { generateInline, type InlineArgs, type InlineOutcome } from './inline/generateInline';
import { InlineSuggestions } from './inline/inlineSuggestions';
import { registerKeyCommands } from './keyCommands';
import { KeyStore } from './keys';
import { disposeLog, log } from './log';
import { chooseButton, notify, recentNotices, type Notice } from './notify';
import { reviewEditActions } from './review/editActions';
import { registerReviewCommands } from './review/reviewCommands';
import { ReviewDocuments } from './review/reviewDocs';
import { Reviews } from './review/reviews';
import { Runs } from './runs';
import { chooseModels, type ChooseModelsArgs } from './lm/chooseModels';
import { registerFuguChatProvider } from './lm/fuguChatProvider';
import { fuguChatHandler, registerFuguParticipant } from './lm/fuguParticipant';
import { selectPolicy } from './selectPolicy';
import { solve, type SolveArgs, type SolveOutcome } from './solve';
import { RunStatusBar } from './statusBar';
import { registerTraceView } from './trace/traceView';
import type { TraceDocument } from '../core/trace/types';
import { exportLearnedLog, importLearnedLog, resetLearnedPolicy } from './learnedOutcomes';

// Activation registers commands, the trace view and two small providers; nothing here calls a
// model or loads a provider SDK (a worker loads its SDK bundle on its first call).

/** What activate() returns: the same commands' code, for tests and other extensions. */
export interface FuguApi {
  solve(args?: SolveArgs): Promise<SolveOutcome | undefined>;
  generateInline(args?: InlineArgs): Promise<InlineOutcome | undefined>;
  /** Messages Fugu showed, newest last. */
  notices(): readonly Notice[];
  /** The status bar item's text. */
  statusText(): string;
  /** The ghost text currently offered, if any. */
  inlineSuggestion(): string | undefined;
  /** Answers one of `notices()` as clicking its button would; false when it has no such button or was answered. */
  choose(notice: Notice, button: string): boolean;
  /** Whether the trace view in the sidebar is visible. */
  traceViewVisible(): boolean;
  /** The run the trace view follows (live, or the last finished), as its document. */
  shownTrace(): TraceDocument | null;
  /** Whether the context index is built (activation leaves it 'idle'). */
  contextIndexState(): ContextIndexState;
  /** The paths the context index lists now (building it first if needed). */
  contextIndexFiles(): Promise<string[]>;
  /** The @fugu participant's handler (the Chat view is not in every build, e.g. code-server). */
  chatHandler: vscode.ChatRequestHandler;
}

export function activate(context: vscode.ExtensionContext): FuguApi {
  const started = Date.now();
  const docs = new ReviewDocuments();
  const reviews = new Reviews();
  const statusBar = new RunStatusBar();
  const runs = new Runs();
  const keys = new KeyStore(context.secrets);
  const trace = registerTraceView(context, reviewEditActions(reviews), (line) => log().info(line));
  const suggestions = new InlineSuggestions();
  const contextIndex = new ContextIndexService();
  const deps: Deps = { context, keys, runs, reviews, docs, statusBar, trace, contextIndex };

  // Review → trace → history: the one way an edit's outcome is recorded.
  reviews.onDidChange(({ session, outcomes }) => {
    trace.markEdits(session.runId, outcomes);
    trace.setPlans(session.runId, session.pendingPlans());
  });

  /** A command's unexpected failure is one sentence for the user and a stack in the log. */
  const guarded =
    <A extends unknown[], R>(name: string, f: (...a: A) => Promise<R>) =>
    async (...a: A): Promise<R | undefined> => {
      try {
        return await f(...a);
      } catch (err) {
        log().error(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        void notify('error', `Fugu: ${name} failed: ${err instanceof Error ? err.message : String(err)}`, 'Open Output').then((b) => b && log().show(true));
        return undefined;
      }
    };
  const runSolve = guarded('Solve with Fugu', (args?: SolveArgs) => solve(deps, args ?? {}));
  const runInline = guarded('Generate Inline', (args?: InlineArgs) => generateInline(deps, suggestions, args ?? {}));

  context.subscriptions.push(
    docs,
    docs.register(),
    reviews,
    statusBar,
    suggestions,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, suggestions),
    registerReviewCommands(reviews),
    registerKeyCommands(keys),
    vscode.commands.registerCommand('fugu.solve', (args?: SolveArgs) => runSolve(args)),
    vscode.commands.registerCommand('fugu.generateInline', (args?: InlineArgs) => runInline(args)),
    vscode.commands.registerCommand('fugu.inlineAccepted', () => suggestions.acceptedNow()),
    vscode.commands.registerCommand('fugu.selectPolicy', guarded('Select Policy', (args?: { backend?: 'learned' | 'builtin' | 'conductor' | 'fugu' }) => selectPolicy(keys, args))),
    vscode.commands.registerCommand('fugu.showTrace', () => trace.reveal()),
    vscode.commands.registerCommand('fugu.resetLearnedPolicy', guarded('Reset Learned Policy', () => resetLearnedPolicy(context))),
    vscode.commands.registerCommand('fugu.exportLearnedLog', guarded('Export Learned Outcomes', () => exportLearnedLog(context))),
    vscode.commands.registerCommand('fugu.importLearnedLog', guarded('Import Learned Outcomes', () => importLearnedLog(context))),
    vscode.commands.registerCommand('fugu.chooseModels', guarded('Choose Models', (args?: ChooseModelsArgs) => chooseModels(args))),
    registerFuguChatProvider(deps),
    registerFuguParticipant(deps, context.extensionUri),
    vscode.commands.registerCommand('fugu.cancel', () => {
      const n = runs.cancel();
      if (n === 0) void notify('info', 'No Fugu run is in progress.');
      return n;
    }),
    contextIndex,
    { dispose: disposeLog },
  );
  // Never during activation: the index is built a few seconds later, in the background.
  contextIndex.scheduleBuild();
  log().info(`Fugu activated in ${Date.now() - started} ms.`);

  return {
    solve: runSolve,
    generateInline: runInline,
    notices: recentNotices,
    statusText: () => statusBar.text,
    inlineSuggestion: () => suggestions.current()?.text,
    choose: chooseButton,
    traceViewVisible: () => trace.visible(),
    shownTrace: () => trace.shownRun(),
    contextIndexState: () => contextIndex.state(),
    contextIndexFiles: async () => (await contextIndex.get())?.files().map((f) => f.path) ?? [],
    chatHandler: fuguChatHandler(deps),
  };
}

export function deactivate(): void {
  // Runs are aborted by their controllers' owners; subscriptions dispose the rest.
}
