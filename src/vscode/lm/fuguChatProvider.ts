// Fugu as a model in VS Code's Chat: "Fugu" and "Fugu Ultra" (the profiles `fugu serve` offers).
// A request runs the workflow on the conversation (turned into a task exactly as the server does),
// streams the final step's text, and shows the run live in the trace panel.
import * as vscode from 'vscode';
import { conversationTask, type AnswerOptions, type Conversation } from '../../core/agent/conversation';
import { MemoryContinuations } from '../../core/agent/continuations';
import { runConversation } from '../../core/agent/runConversation';
import { FinalTextStream } from '../../core/finalTextStream';
import { parseConfig } from '../../core/loadConfig';
import type { ToolCall, ToolSpec } from '../../core/workers/types';
import { applyProfile, DEFAULT_PROFILES } from '../../core/profiles';
import { DEFAULT_CONTEXT_WINDOW, profileContextWindow } from '../../core/contextWindows';
import type { Deps } from '../deps';
import { log } from '../log';
import { rawConfig } from '../settings';
import { runInEditor } from '../editorRun';
import { EDITOR_WORKERS, FUGU_VENDOR, parseInput } from './vscodeLmWorker';

const NAMES: Record<string, string> = { fugu: 'Fugu', 'fugu-ultra': 'Fugu Ultra' };
const DETAILS: Record<string, string> = {
  fugu: 'Planners and a coder from your Fugu pool, one round',
  'fugu-ultra': 'The full workflow, with up to two corrective rounds',
};

/**
 * A profile's context window on the current settings: the Chat sizes what it sends by it, so it is
 * the smallest window of the workers that write the answer (as `fugu serve` tells Codex). Settings
 * that don't parse yet get the default; the run itself will say what is wrong with them.
 */
export function profileWindow(id: string): number {
  try {
    return profileContextWindow(parseConfig(applyProfile(rawConfig(), DEFAULT_PROFILES[id] ?? {})));
  } catch {
    return DEFAULT_CONTEXT_WINDOW;
  }
}

/** The models Fugu offers, one per profile. */
export function fuguModels(windowOf: (profile: string) => number = profileWindow): vscode.LanguageModelChatInformation[] {
  return Object.keys(DEFAULT_PROFILES).map((id) => ({
    id,
    name: NAMES[id] ?? id,
    family: id,
    version: '1',
    detail: DETAILS[id],
    tooltip: 'Runs your Fugu worker pool (fugu.workers) as a multi-model workflow; every step is in the Fugu trace panel.',
    maxInputTokens: windowOf(id),
    maxOutputTokens: 64_000,
    // The Chat's tools go to the answering worker; its calls come back to the Chat.
    capabilities: { toolCalling: true },
  }));
}

function textOfParts(parts: readonly unknown[]): string {
  return parts.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

/**
 * The Chat's messages as the conversation every front end shares (core/agent): text, the tool calls
 * of assistant turns, and tool results (which VS Code sends inside user messages) as tool turns. A
 * role the stable API does not name (the proposed System) is an instruction.
 */
export function toConversation(messages: readonly vscode.LanguageModelChatRequestMessage[]): Conversation {
  const { User, Assistant } = vscode.LanguageModelChatMessageRole;
  const conversation: Conversation = { instructions: [], turns: [] };
  for (const m of messages) {
    const text = textOfParts(m.content);
    if (m.role === Assistant) {
      const calls: ToolCall[] = m.content.flatMap((p) => (p instanceof vscode.LanguageModelToolCallPart ? [{ id: p.callId, name: p.name, arguments: JSON.stringify(p.input) }] : []));
      conversation.turns.push({ role: 'assistant', content: text, ...(calls.length ? { toolCalls: calls } : {}) });
    } else if (m.role === User) {
      for (const p of m.content) {
        if (p instanceof vscode.LanguageModelToolResultPart) conversation.turns.push({ role: 'tool', toolCallId: p.callId, content: textOfParts(p.content) });
      }
      if (text.trim() || !m.content.some((p) => p instanceof vscode.LanguageModelToolResultPart)) conversation.turns.push({ role: 'user', content: text });
    } else {
      conversation.instructions.push(text);
    }
  }
  return conversation;
}

/** The Chat's tools go to the answering worker, as `fugu serve` gives a client's tools (one mechanism). */
export function answerOptions(options: vscode.ProvideLanguageModelChatResponseOptions): AnswerOptions {
  const tools: ToolSpec[] = (options.tools ?? []).map((t) => ({ name: t.name, description: t.description, parameters: (t.inputSchema as Record<string, unknown> | undefined) ?? { type: 'object', properties: {} } }));
  if (!tools.length) return {};
  return { tools, toolChoice: options.toolMode === vscode.LanguageModelChatToolMode.Required ? 'required' : 'auto' };
}

export function registerFuguChatProvider(deps: Deps): vscode.Disposable {
  // Runs stopped for the Chat's tools, continued when the results come back (planners not asked again).
  const continuations = new MemoryContinuations();
  // The models' windows follow the pool: VS Code asks again when told they changed.
  const changed = new vscode.EventEmitter<void>();
  const onSettings = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('fugu')) changed.fire();
  });
  const provider: vscode.LanguageModelChatProvider = {
    onDidChangeLanguageModelChatInformation: changed.event,
    provideLanguageModelChatInformation: () => fuguModels(),
    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const conversation = toConversation(messages);
      const turn = conversationTask(conversation);
      if (!turn) throw new Error('Fugu needs a user message with text: the last one is the task.');
      const config = parseConfig(applyProfile(rawConfig(), DEFAULT_PROFILES[model.id] ?? {}));
      const missing = await deps.keys.missing(config);
      if (missing.length) {
        throw new Error(`Fugu needs the key ${missing[0].name} for ${missing[0].who.join(', ')}: set it with "Fugu: Set API Key", or choose VS Code's models with "Fugu: Choose Models".`);
      }
      const final = new FinalTextStream((text) => progress.report(new vscode.LanguageModelTextPart(text)));
      const { trace, toolCalls } = await runInEditor(deps, {
        kind: 'chat',
        title: 'Fugu',
        // The Chat shows its own progress; the trace panel and the status bar show the run.
        elsewhere: { report: () => undefined, cancel: token },
        onEvent: (e) => final.onEvent(e),
        run: (run, onEvent) =>
          runConversation({
            conversation, turn, options: answerOptions(options), profile: model.id, continuations,
            config, keys: deps.keys.resolver(), signal: run.controller.signal, onEvent, id: run.id, workerFactories: EDITOR_WORKERS,
          }),
      });
      if (trace.status === 'cancelled' && token.isCancellationRequested) return;
      if (trace.status !== 'succeeded') throw new Error(trace.error ?? `The Fugu run ${trace.status.replace('_', ' ')}.`);
      if (!final.finish(trace.final.text)) log().warn(`Run ${trace.id}: the streamed text is not the start of the final answer.`);
      // The answer called the Chat's tools: VS Code runs them and sends the results in the next request.
      for (const c of toolCalls) progress.report(new vscode.LanguageModelToolCallPart(c.id, c.name, parseInput(c.arguments)));
    },
    async provideTokenCount(_model, text) {
      // No tokenizer of our own: ~4 characters a token, the estimate the workers use without usage.
      return Math.ceil((typeof text === 'string' ? text : textOfParts(text.content)).length / 4);
    },
  };
  const registration = vscode.lm.registerLanguageModelChatProvider(FUGU_VENDOR, provider);
  // VS Code asks a provider for its models only when someone selects models; until then the Chat's
  // picker knows none and, without Copilot, offers only "Sign in to use Copilot". Asking once, after
  // activation, lists Fugu and Fugu Ultra there from the start (no model is called).
  const listed = setTimeout(() => void Promise.resolve(vscode.lm.selectChatModels({ vendor: FUGU_VENDOR })).catch(() => undefined), 0);
  return vscode.Disposable.from(registration, onSettings, changed, { dispose: () => clearTimeout(listed) });
}
