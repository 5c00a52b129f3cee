import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { FileEditPlan } from '../../core/edits/types';
import { extractCode, fitFirstLineIndent, inlineConfig, inlineContextLabel, inlinePolicy, inlineTask, inlineWorkers } from '../../core/inlineWorkflow';
import { runTask } from '../../core/runTask';
import { EDITOR_WORKERS } from '../lm/vscodeLmWorker';
import type { TraceDocument, TraceEvent } from '../../core/trace/types';
import type { Deps } from '../deps';
import { noticeWithTrace, runInEditor } from '../editorRun';
import { gatherInlineContext, relPath } from '../gatherContext';
import { log } from '../log';
import { notify } from '../notify';
import { ensureKeys, loadConfigOrExplain } from '../preflight';
import { reportApply } from '../review/reviewCommands';
import { ReviewSession } from '../review/reviewSession';
import { reportRun } from '../runErrors';
import { readEditorSettings } from '../settings';
import { VscodeWorkspaceFiles, workspaceRoot } from '../workspaceFiles';
import type { InlineSuggestions } from './inlineSuggestions';

export interface InlineArgs {
  /** The instruction; the input box asks for it when absent. */
  instruction?: string;
}

export interface InlineOutcome {
  trace: TraceDocument;
  /** The generated code as it is offered (fences stripped, indentation fitted). */
  code: string;
  mode: 'insert' | 'replace';
  /** The review session of a selection replacement. */
  reviewId: string | null;
}

const LAST_INSTRUCTION = 'fugu.lastInlineInstruction';

/** The coder's text streams in the last step of the first round. */
function coderStream(onCode: (raw: string) => void): (e: TraceEvent) => void {
  let coder = -1;
  let raw = '';
  return (e) => {
    if (e.type === 'round-started' && e.round === 0) coder = e.steps.length - 1;
    else if (e.type === 'step-delta' && e.round === 0 && e.index === coder) {
      raw += e.text;
      onCode(raw);
    }
  };
}

function replacementPlan(path: string, original: string, start: number, end: number, code: string): FileEditPlan {
  const selected = original.slice(start, end);
  return {
    path,
    action: 'modify',
    original,
    proposed: original.slice(0, start) + code + original.slice(end),
    status: 'proposed',
    reason: null,
    // The block lets the review match the selection again if the file changes before Accept.
    blocks: [{ path, search: selected, replace: code, kind: 'replace', ordinal: 0 }],
    failures: [],
  };
}

/** Fugu: Generate Inline — code at the cursor as ghost text, or a selection replacement as a diff. */
export async function generateInline(deps: Deps, suggestions: InlineSuggestions, args: InlineArgs = {}): Promise<InlineOutcome | undefined> {
  const editor = vscode.window.activeTextEditor;
  if (!editor) {
    void notify('info', 'Open a file and put the cursor where the code should go (or select the code to replace).');
    return undefined;
  }
  const config = loadConfigOrExplain();
  if (!config) return undefined;
  const settings = readEditorSettings();
  let cfg;
  try {
    cfg = inlineConfig(config, inlineWorkers(config, settings.inlineWorkers, settings.inlinePolicy));
  } catch (err) {
    void notify('error', err instanceof Error ? err.message : String(err), 'Open Settings').then((b) => {
      if (b) void vscode.commands.executeCommand('workbench.action.openSettings', 'fugu.inline');
    });
    return undefined;
  }
  if (!(await ensureKeys(deps.keys, cfg, () => vscode.commands.executeCommand('fugu.generateInline', args)))) return undefined;

  const doc = editor.document;
  const sel = editor.selection;
  const replacing = !sel.isEmpty;
  const root = workspaceRoot();
  if (replacing && (!root || vscode.workspace.getWorkspaceFolder(doc.uri) === undefined)) {
    void notify('info', 'Fugu replaces a selection only in files of the open workspace folder; put the cursor somewhere to insert instead.');
    return undefined;
  }
  const instruction =
    args.instruction ??
    (await vscode.window.showInputBox({
      title: replacing ? 'Fugu: rewrite the selection' : 'Fugu: generate code here',
      prompt: replacing ? 'How should the selected code change?' : 'What code should go at the cursor?',
      value: deps.context.globalState.get<string>(LAST_INSTRUCTION) ?? '',
      ignoreFocusOut: true,
    }));
  if (!instruction?.trim()) return undefined;
  await deps.context.globalState.update(LAST_INSTRUCTION, instruction);

  const original = doc.getText();
  const start = doc.offsetAt(sel.start);
  const end = doc.offsetAt(sel.end);
  const linePrefix = doc.lineAt(sel.start.line).text.slice(0, sel.start.character);
  const path = relPath(doc.uri);
  const request = {
    instruction,
    path,
    languageId: doc.languageId,
    before: original.slice(0, start),
    selected: original.slice(start, end),
    after: original.slice(end),
    maxChars: config.context.maxChars,
  };
  const task = inlineTask(request);
  const fit = (raw: string, complete: boolean) => fitFirstLineIndent(extractCode(raw, complete), linePrefix);
  // Ghost text should not wait long for an index still being built.
  const context = await gatherInlineContext(instruction, path, config.context.maxChars - task.length, await deps.contextIndex.get(1_000));

  let session: ReviewSession | undefined;
  let acceptedEarly = false;
  let lastShown = 0;
  const showCode = (raw: string) => {
    if (session) {
      if (Date.now() - lastShown < 100) return;
      lastShown = Date.now();
      session.update(replacementPlan(path, original, start, end, fit(raw, false)));
    } else {
      suggestions.update(fit(raw, false), false);
    }
  };
  const { trace } = await runInEditor(deps, {
    kind: 'inline',
    title: 'Fugu inline',
    onEvent: coderStream(showCode),
    run: async (run, onEvent) => {
      const watchers: vscode.Disposable[] = [];
      if (replacing) {
        await deps.reviews.supersede([path]);
        session = new ReviewSession(randomUUID(), run.id, [replacementPlan(path, original, start, end, original.slice(start, end))], root!, new VscodeWorkspaceFiles(root!), deps.docs, 'Fugu inline');
        deps.reviews.add(session);
        await session.preview(path);
      } else {
        suggestions.show({ uri: doc.uri.toString(), position: sel.active, text: '', done: false });
        watchers.push(
          suggestions.onDidAccept(() => {
            // Tab while it streams takes the code so far; the rest is not wanted.
            acceptedEarly = true;
            run.controller.abort();
          }),
          vscode.workspace.onDidChangeTextDocument((e) => {
            const p = suggestions.current();
            if (!p || e.document.uri.toString() !== p.uri) return;
            const isAccept = e.contentChanges.some((c) => c.range.start.isEqual(p.position) && c.text === p.text);
            if (!isAccept && e.contentChanges.some((c) => c.range.start.line <= p.position.line)) suggestions.clear();
          }),
        );
      }
      try {
        return await runTask({
          task, title: instruction, context, contextInTask: [inlineContextLabel(request)],
          config: cfg, keys: deps.keys.resolver(), signal: run.controller.signal, onEvent, id: run.id, policy: inlinePolicy(replacing), wantsEdits: true,
          workerFactories: EDITOR_WORKERS,
        });
      } finally {
        for (const w of watchers) w.dispose();
      }
    },
  });
  const code = fit(trace.final.text, true);
  if (acceptedEarly) {
    log().info('Inline code accepted while it was still streaming; the rest of the run was stopped.');
    return { trace, code, mode: 'insert', reviewId: null };
  }
  reportRun(trace, 'Fugu inline');
  if (trace.status !== 'succeeded' || !code.trim()) {
    suggestions.clear();
    if (session) await session.reject();
    if (trace.status === 'succeeded') noticeWithTrace('warning', 'Fugu inline finished without any code; the answer is in the trace.');
    return { trace, code, mode: replacing ? 'replace' : 'insert', reviewId: session?.id ?? null };
  }
  const review = session;
  if (review) {
    review.update(replacementPlan(path, original, start, end, code));
    void notify('info', 'Fugu rewrote the selection: accept the change shown in the diff?', 'Accept', 'Reject').then(async (b) => {
      if (b === 'Accept') reportApply(await review.accept());
      else if (b === 'Reject') await review.reject();
    });
    return { trace, code, mode: 'replace', reviewId: review.id };
  }
  if (suggestions.current()) {
    suggestions.update(code, true);
    vscode.window.setStatusBarMessage('Fugu: Tab accepts the suggestion, Escape dismisses it.', 8000);
  } else {
    noticeWithTrace('info', "Fugu's inline code is ready, but the cursor moved away from where it was asked for; the code is in the trace.");
  }
  return { trace, code, mode: 'insert', reviewId: null };
}
