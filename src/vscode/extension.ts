// ACTIVATION STAYS SMALL. This file imports only `vscode` and the few modules that import nothing
// but `vscode` (log, notify, inline/inlineSuggestions, lm/ids). It registers what package.json
// declares (every command, the trace view, the inline provider, the Chat provider and participant)
// with placeholders; everything else — settings schema, trace store, runs, review, SDKs — is in
// host.ts and what it imports, loaded through `import('./host')` on first use. scripts/build.mjs
// splits dist/extension.js at each `import()`, and test/unit/vscode/activation.test.ts fails when a
// static import pulls anything else in.
//   A new command: declare it in package.json and register it in createHost (host.ts); nothing here.
//   A new kind of contribution: register a placeholder here that forwards to the host.
import * as vscode from 'vscode';
import type { Host } from './host';
import type { ContextIndexState } from './contextIndex';
import type { InlineArgs, InlineOutcome } from './inline/generateInline';
import { InlineSuggestions } from './inline/inlineSuggestions';
import { FUGU_VENDOR, PARTICIPANT_ID } from './lm/ids';
import { disposeLog, log } from './log';
import { chooseButton, notify, recentNotices, type Notice } from './notify';
import type { SolveArgs, SolveOutcome } from './solve';
import type { TraceDocument } from '../core/trace/types';
import type { Outcome } from '../core/policies/learned/model';

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
  /** The outcomes the learned policy counts now, as read from the user's log (a corrected one once). */
  learnedOutcomes(): Promise<Outcome[]>;
  /** The @fugu participant's handler (the Chat view is not in every build, e.g. code-server). */
  chatHandler: vscode.ChatRequestHandler;
}

/** How long after activation the host loads and the context index starts building in the background. */
const BACKGROUND_START_MS = 3_000;

export function activate(context: vscode.ExtensionContext): FuguApi {
  const started = Date.now();
  const suggestions = new InlineSuggestions();
  const commandIds: string[] = (context.extension?.packageJSON?.contributes?.commands ?? []).map((c: { command: string }) => c.command);
  let loaded: Host | undefined;
  let loading: Promise<Host> | undefined;

  // Placeholders for the declared commands: the first call loads the host, which registers the real ones.
  const placeholders = commandIds.map((id) =>
    vscode.commands.registerCommand(id, async (...args: unknown[]) => {
      await host();
      return vscode.commands.executeCommand(id, ...args);
    }),
  );
  const host = (): Promise<Host> =>
    (loading ??= import('./host.js').then(
      (m) => {
        for (const p of placeholders) p.dispose();
        const h = m.createHost(context, suggestions);
        loaded = h;
        return h;
      },
      (err: unknown) => {
        loading = undefined;
        log().error(`Fugu could not load: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
        void notify('error', `Fugu could not load: ${err instanceof Error ? err.message : String(err)}`);
        throw err;
      },
    ));

  // The models' windows follow the pool: VS Code asks for them again when the settings change.
  const modelsChanged = new vscode.EventEmitter<void>();
  const participant = vscode.chat.createChatParticipant(PARTICIPANT_ID, async (...a) => (await host()).chatHandler(...a));
  participant.iconPath = vscode.Uri.joinPath(context.extensionUri, 'resources', 'icon.png');
  // VS Code asks a provider for its models only when someone selects models; until then the Chat's
  // picker knows none and, without Copilot, offers only "Sign in to use Copilot". Asking once, with the
  // background start, lists Fugu and Fugu Ultra there (no model is called).
  const background = setTimeout(
    () =>
      void host().then((h) => {
        h.deps.contextIndex.scheduleBuild(0);
        void Promise.resolve(vscode.lm.selectChatModels({ vendor: FUGU_VENDOR })).catch(() => undefined);
      }),
    BACKGROUND_START_MS,
  );
  background.unref?.();

  context.subscriptions.push(
    ...placeholders,
    suggestions,
    vscode.languages.registerInlineCompletionItemProvider({ pattern: '**' }, suggestions),
    vscode.window.registerWebviewViewProvider('fugu.trace', {
      resolveWebviewView: async (view) => (await host()).traceView.resolveWebviewView(view),
    }),
    vscode.lm.registerLanguageModelChatProvider(FUGU_VENDOR, {
      onDidChangeLanguageModelChatInformation: modelsChanged.event,
      provideLanguageModelChatInformation: async (options, token) => (await host()).chatProvider.provideLanguageModelChatInformation(options, token),
      provideLanguageModelChatResponse: async (model, messages, options, progress, token) => (await host()).chatProvider.provideLanguageModelChatResponse(model, messages, options, progress, token),
      provideTokenCount: async (model, text, token) => (await host()).chatProvider.provideTokenCount(model, text, token),
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('fugu')) modelsChanged.fire();
    }),
    modelsChanged,
    participant,
    { dispose: () => clearTimeout(background) },
    { dispose: disposeLog },
  );
  log().info(`Fugu activated in ${Date.now() - started} ms.`);

  return {
    solve: async (args) => (await host()).solve(args),
    generateInline: async (args) => (await host()).generateInline(args),
    notices: recentNotices,
    statusText: () => loaded?.deps.statusBar.text ?? '',
    inlineSuggestion: () => suggestions.current()?.text,
    choose: chooseButton,
    traceViewVisible: () => loaded?.traceView.visible() ?? false,
    shownTrace: () => loaded?.traceView.shownRun() ?? null,
    contextIndexState: () => loaded?.deps.contextIndex.state() ?? 'idle',
    contextIndexFiles: async () => (await (await host()).deps.contextIndex.get())?.files().map((f) => f.path) ?? [],
    chatHandler: async (...a) => (await host()).chatHandler(...a),
    learnedOutcomes: async () => (await host()).learnedOutcomes(),
  };
}

export function deactivate(): void {
  // Runs are aborted by their controllers' owners; subscriptions dispose the rest.
}
