// Fugu as a model in VS Code's Chat: "Fugu" and "Fugu Ultra" (the profiles `fugu serve` offers).
// A request runs the workflow on the conversation (turned into a task exactly as the server does),
// streams the final step's text, and shows the run live in the trace panel.
import * as vscode from 'vscode';
import { conversationTask, type ConversationTurn } from '../../core/conversationTask';
import { FinalTextStream } from '../../core/finalTextStream';
import { parseConfig } from '../../core/loadConfig';
import { runTask } from '../../core/runTask';
import { applyProfile, DEFAULT_PROFILES } from '../../core/profiles';
import type { Deps } from '../deps';
import { log } from '../log';
import { rawConfig } from '../settings';
import { runInEditor } from '../editorRun';
import { EDITOR_WORKERS, FUGU_VENDOR } from './vscodeLmWorker';

const NAMES: Record<string, string> = { fugu: 'Fugu', 'fugu-ultra': 'Fugu Ultra' };
const DETAILS: Record<string, string> = {
  fugu: 'Planners and a coder from your Fugu pool, one round',
  'fugu-ultra': 'The full workflow, with up to two corrective rounds',
};

/** The models Fugu offers, one per profile. */
export function fuguModels(): vscode.LanguageModelChatInformation[] {
  return Object.keys(DEFAULT_PROFILES).map((id) => ({
    id,
    name: NAMES[id] ?? id,
    family: id,
    version: '1',
    detail: DETAILS[id],
    tooltip: 'Runs your Fugu worker pool (fugu.workers) as a multi-model workflow; every step is in the Fugu trace panel.',
    maxInputTokens: 400_000,
    maxOutputTokens: 64_000,
    // Tools are taken (and not yet used) so agent-mode requests reach Fugu; see finalWorkerTools.
    capabilities: { toolCalling: true },
  }));
}

/** A request message's text; parts other than text (tool calls and results, data) are left out. */
function textOf(message: vscode.LanguageModelChatRequestMessage | string): string {
  if (typeof message === 'string') return message;
  return message.content.map((p) => (p instanceof vscode.LanguageModelTextPart ? p.value : '')).join('');
}

/** Chat messages as conversation turns; a role the stable API does not name (the proposed System) is an instruction. */
export function toTurns(messages: readonly vscode.LanguageModelChatRequestMessage[]): ConversationTurn[] {
  const { User, Assistant } = vscode.LanguageModelChatMessageRole;
  return messages.map((m) => ({ role: m.role === User ? 'user' : m.role === Assistant ? 'assistant' : 'system', text: textOf(m) }));
}

/** A tool the Chat offered with the request, in the neutral shape the workers take. */
export interface ChatToolSpec {
  name: string;
  description: string;
  inputSchema: object | undefined;
}

/**
 * SEAM for the lead (issue 13): the request's tools belong to the final worker, as `fugu serve` gives a
 * client's tools to the final step; tool calls then go back to the Chat as LanguageModelToolCallPart.
 * Until RunOptions carries tools, they are collected here and the run answers in text.
 */
export function finalWorkerTools(tools: readonly vscode.LanguageModelChatTool[] | undefined): ChatToolSpec[] {
  return (tools ?? []).map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
}

export function registerFuguChatProvider(deps: Deps): vscode.Disposable {
  const provider: vscode.LanguageModelChatProvider = {
    provideLanguageModelChatInformation: () => fuguModels(),
    async provideLanguageModelChatResponse(model, messages, options, progress, token) {
      const converted = conversationTask(toTurns(messages));
      if (!converted) throw new Error('Fugu needs a user message with text: the last one is the task.');
      const config = parseConfig(applyProfile(rawConfig(), DEFAULT_PROFILES[model.id] ?? {}));
      const missing = await deps.keys.missing(config);
      if (missing.length) {
        throw new Error(`Fugu needs the key ${missing[0].name} for ${missing[0].who.join(', ')}: set it with "Fugu: Set API Key", or choose VS Code's models with "Fugu: Choose Models".`);
      }
      const tools = finalWorkerTools(options.tools);
      if (tools.length) log().info(`Chat request offered ${tools.length} tool(s); Fugu answers in text for now.`);
      const final = new FinalTextStream((text) => progress.report(new vscode.LanguageModelTextPart(text)));
      const { trace } = await runInEditor(deps, {
        kind: 'chat',
        title: 'Fugu',
        // The Chat shows its own progress; the trace panel and the status bar show the run.
        elsewhere: { report: () => undefined, cancel: token },
        onEvent: (e) => final.onEvent(e),
        run: (run, onEvent) =>
          runTask({ task: converted.task, config, keys: deps.keys.resolver(), signal: run.controller.signal, onEvent, id: run.id, workerFactories: EDITOR_WORKERS }),
      });
      if (trace.status === 'cancelled' && token.isCancellationRequested) return;
      if (trace.status !== 'succeeded') throw new Error(trace.error ?? `The Fugu run ${trace.status.replace('_', ' ')}.`);
      if (!final.finish(trace.final.text)) log().warn(`Run ${trace.id}: the streamed text is not the start of the final answer.`);
    },
    async provideTokenCount(_model, text) {
      // No tokenizer of our own: ~4 characters a token, the estimate the workers use without usage.
      return Math.ceil(textOf(text).length / 4);
    },
  };
  return vscode.lm.registerLanguageModelChatProvider(FUGU_VENDOR, provider);
}
