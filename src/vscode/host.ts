// Everything the extension does beyond registering its contributions. extension.ts loads this module
// through `import('./host')` the first time a command, the trace view, a chat request or the
// background index needs it; from here on, imports may be as heavy as the work needs.
import { join } from 'node:path';
import * as vscode from 'vscode';
import { startEmbeddings } from '../core/context/embeddings/startEmbeddings';
import type { EmbeddingSignal } from '../core/context/embeddings/workspaceEmbeddings';
import type { WorkspaceIndex } from '../core/context/workspaceIndex';
import type { FuguConfig } from '../core/config';
import { ContextIndexService } from './contextIndex';
import { contextSettings, readConfig } from './settings';
import type { Deps } from './deps';
import { generateInline, type InlineArgs, type InlineOutcome } from './inline/generateInline';
import type { InlineSuggestions } from './inline/inlineSuggestions';
import { registerKeyCommands } from './keyCommands';
import { KeyStore } from './keys';
import { log } from './log';
import { notify } from './notify';
import { reviewEditActions } from './review/editActions';
import { registerReviewCommands } from './review/reviewCommands';
import { ReviewDocuments } from './review/reviewDocs';
import { Reviews } from './review/reviews';
import { Runs } from './runs';
import { chooseModels, type ChooseModelsArgs } from './lm/chooseModels';
import { fuguChatProvider } from './lm/fuguChatProvider';
import { fuguChatHandler } from './lm/fuguParticipant';
import { exportLearnedLog, importLearnedLog, outcomeStore, resetLearnedPolicy } from './learnedOutcomes';
import type { Outcome } from '../core/policies/learned/model';
import { selectPolicy } from './selectPolicy';
import { solve, type SolveArgs, type SolveOutcome } from './solve';
import { CheckQuestions, parseAnswerArgs } from './verifyCheck';
import { evalDemo } from './evalDemo';
import { RunStatusBar } from './statusBar';
import { registerTraceView, type TraceViewHost } from './trace/traceView';

export interface Host {
  deps: Deps;
  /** The trace view's provider (extension.ts registers 'fugu.trace' and forwards to it). */
  traceView: TraceViewHost;
  chatProvider: Omit<vscode.LanguageModelChatProvider, 'onDidChangeLanguageModelChatInformation'>;
  chatHandler: vscode.ChatRequestHandler;
  solve(args?: SolveArgs): Promise<SolveOutcome | undefined>;
  generateInline(args?: InlineArgs): Promise<InlineOutcome | undefined>;
  /** The outcomes the learned policy counts now (the user's log as read at start). */
  learnedOutcomes(): Promise<Outcome[]>;
}

/**
 * Builds what the commands share and registers the commands package.json declares (extension.ts has
 * disposed its placeholders for them just before). Everything registered goes to context.subscriptions.
 */
export function createHost(context: vscode.ExtensionContext, suggestions: InlineSuggestions): Host {
  const docs = new ReviewDocuments();
  const reviews = new Reviews();
  const statusBar = new RunStatusBar();
  const runs = new Runs();
  const keys = new KeyStore(context.secrets);
  const trace = registerTraceView(context, reviewEditActions(reviews), (line) => log().info(line));
  const contextIndex = new ContextIndexService((index, signal) => startIndexEmbeddings(context, keys, index, signal));
  const questions = new CheckQuestions();
  const deps: Deps = { context, keys, runs, reviews, docs, statusBar, trace, contextIndex, questions };

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
    registerReviewCommands(reviews),
    registerKeyCommands(keys),
    vscode.commands.registerCommand('fugu.solve', (args?: SolveArgs) => runSolve(args)),
    vscode.commands.registerCommand('fugu.generateInline', (args?: InlineArgs) => runInline(args)),
    vscode.commands.registerCommand('fugu.inlineAccepted', () => suggestions.acceptedNow()),
    vscode.commands.registerCommand('fugu.selectPolicy', guarded('Select Policy', (args?: { backend?: 'learned' | 'builtin' | 'conductor' | 'fugu' }) => selectPolicy(keys, args))),
    vscode.commands.registerCommand('fugu.showTrace', () => trace.reveal()),
    vscode.commands.registerCommand('fugu.resetLearnedPolicy', guarded('Reset Learned Policy', () => resetLearnedPolicy(context))),
    // A file given as the argument (a script, a test) stands for the dialog's answer.
    vscode.commands.registerCommand('fugu.exportLearnedLog', guarded('Export Learned Outcomes', (target?: unknown) => exportLearnedLog(context, target instanceof vscode.Uri ? target : undefined))),
    vscode.commands.registerCommand('fugu.importLearnedLog', guarded('Import Learned Outcomes', (source?: unknown) => importLearnedLog(context, source instanceof vscode.Uri ? source : undefined))),
    vscode.commands.registerCommand('fugu.evalDemo', () => evalDemo(context.extensionUri)),
    // [verify] The answer to a run's check question (progress link, panel card, review button, tests).
    vscode.commands.registerCommand('fugu.answerCheck', (arg?: unknown) => {
      const a = parseAnswerArgs(arg);
      if (!a) return false;
      const answered = questions.answer(a.runId, a.answer);
      if (!answered) void notify('info', 'That question about checks is no longer open: run Solve with Fugu again to be asked again.');
      return answered;
    }),
    vscode.commands.registerCommand('fugu.chooseModels', guarded('Choose Models', (args?: ChooseModelsArgs) => chooseModels(args))),
    vscode.commands.registerCommand('fugu.cancel', () => {
      const n = runs.cancel();
      if (n === 0) void notify('info', 'No Fugu run is in progress.');
      return n;
    }),
    contextIndex,
  );

  return {
    deps,
    traceView: trace,
    chatProvider: fuguChatProvider(deps),
    chatHandler: fuguChatHandler(deps),
    solve: runSolve,
    generateInline: runInline,
    learnedOutcomes: async () => (await import('../core/policies/learned/outcomeLog.js').then(async (m) => m.readOutcomeLog((await outcomeStore(context)).path))).outcomes,
  };
}

/** `fugu.context.embeddings` for a fresh index: the workers' keys, the cache in the extension's global storage. */
async function startIndexEmbeddings(context: vscode.ExtensionContext, keys: KeyStore, index: WorkspaceIndex, signal: AbortSignal): Promise<EmbeddingSignal | undefined> {
  const settings = contextSettings();
  if (settings.embeddings === 'off') return undefined;
  let workers: FuguConfig['workers'] = [];
  try {
    workers = readConfig().workers;
  } catch {
    // An invalid worker setting: the provider's default key is still tried.
  }
  const cacheDir = join(context.globalStorageUri.fsPath, 'embeddings');
  return startEmbeddings({ config: { context: settings, workers }, keys: keys.resolver(), index, cacheDir, signal });
}
