// A worker over VS Code's Language Model API (provider 'vscode-lm'): any chat model VS Code offers,
// e.g. a Copilot subscription's, with no API key. The core reaches it only through the factory
// the extension passes to runTask (RunOptions.workerFactories).
import * as vscode from 'vscode';
import { FUGU_VENDOR } from './ids';
import type { WorkerConfig } from '../../core/config';
import { runAttempts, type Attempt } from '../../core/workers/runAttempts';
import { WorkerError, type ChatMessage, type ToolCall, type Usage, type Worker, type WorkerErrorKind, type WorkerFactories, type WorkerOptions, type WorkerRequest } from '../../core/workers/types';

const JUSTIFICATION = 'Fugu runs a step of its multi-model workflow with this model.';

/** Fugu's own Chat models run this pool; as a worker of it they would call themselves. */
export { FUGU_VENDOR } from './ids';

/** The model VS Code offers for a worker: by vendor and family first, then by id; never Fugu itself. */
export async function selectWorkerModel(cfg: Pick<WorkerConfig, 'vendor' | 'model'>): Promise<vscode.LanguageModelChat | undefined> {
  const vendor = cfg.vendor ? { vendor: cfg.vendor } : {};
  const usable = (models: vscode.LanguageModelChat[]) => models.filter((m) => m.vendor !== FUGU_VENDOR);
  const byFamily = usable(await vscode.lm.selectChatModels({ ...vendor, family: cfg.model }));
  if (byFamily.length) return byFamily[0];
  return usable(await vscode.lm.selectChatModels({ ...vendor, id: cfg.model }))[0];
}

/** A failure VS Code reported, already phrased for the user. */
class LmFailure extends Error {
  constructor(
    readonly kind: WorkerErrorKind,
    message: string,
    readonly detail: string,
  ) {
    super(message);
  }
}

function modelLabel(cfg: WorkerConfig): string {
  return `${cfg.vendor ? `${cfg.vendor} ` : ''}model '${cfg.model}'`;
}

async function notFound(cfg: WorkerConfig, detail: string): Promise<LmFailure> {
  const all = (await vscode.lm.selectChatModels(cfg.vendor ? { vendor: cfg.vendor } : undefined)).filter((m) => m.vendor !== FUGU_VENDOR);
  const offered = all.length ? `VS Code offers: ${all.map((m) => `${m.vendor}/${m.family}`).join(', ')}` : 'VS Code offers no language models from this vendor';
  return new LmFailure('bad_request', `Worker '${cfg.id}' (vscode-lm): the ${modelLabel(cfg)} is not available; ${offered}. Run 'Fugu: Choose Models' to pick again.`, detail);
}

/** VS Code's error codes, mapped to the error kinds every worker uses. */
async function fromLanguageModelError(cfg: WorkerConfig, e: vscode.LanguageModelError): Promise<LmFailure> {
  const detail = `vscode-lm ${cfg.vendor ?? ''}/${cfg.model}: ${e.code}: ${e.message}`;
  switch (e.code) {
    case vscode.LanguageModelError.NoPermissions.name:
      return new LmFailure(
        'auth',
        `VS Code did not allow Fugu to use the ${modelLabel(cfg)} (worker '${cfg.id}'); run Solve again and allow it when VS Code asks, or manage access under Accounts > Manage Language Model Access.`,
        detail,
      );
    case vscode.LanguageModelError.Blocked.name:
      return new LmFailure('rate_limit', `Worker '${cfg.id}' (vscode-lm): VS Code blocked the request to the ${modelLabel(cfg)} (rate limit or quota); wait a while and try again.`, detail);
    case vscode.LanguageModelError.NotFound.name:
      return notFound(cfg, detail);
    default:
      return new LmFailure('server', `Worker '${cfg.id}' (vscode-lm): the ${modelLabel(cfg)} failed: ${e.message}`, detail);
  }
}

function isLanguageModelError(e: unknown): e is vscode.LanguageModelError {
  return e instanceof vscode.LanguageModelError || (e instanceof Error && e.name === 'LanguageModelError' && typeof (e as { code?: unknown }).code === 'string');
}

/** A tool call's JSON arguments as VS Code's tool-call part wants them (an object; bad JSON gives {}). */
export function parseInput(args: string): object {
  try {
    const v: unknown = JSON.parse(args || '{}');
    return typeof v === 'object' && v !== null ? v : {};
  } catch {
    return {};
  }
}

function toLmMessages(system: string | undefined, messages: ChatMessage[]): vscode.LanguageModelChatMessage[] {
  // The stable API has no system role: the instructions go first, as a user turn.
  const out = system ? [vscode.LanguageModelChatMessage.User(system)] : [];
  for (const m of messages) {
    if (m.role === 'tool') {
      out.push(vscode.LanguageModelChatMessage.User([new vscode.LanguageModelToolResultPart(m.toolCallId ?? '', [new vscode.LanguageModelTextPart(m.content)])]));
    } else if (m.role === 'assistant') {
      const calls = (m.toolCalls ?? []).map((c) => new vscode.LanguageModelToolCallPart(c.id, c.name, parseInput(c.arguments)));
      out.push(vscode.LanguageModelChatMessage.Assistant(calls.length ? [...(m.content ? [new vscode.LanguageModelTextPart(m.content)] : []), ...calls] : m.content));
    } else {
      out.push(vscode.LanguageModelChatMessage.User(m.content));
    }
  }
  return out;
}

/** The request's tools in VS Code's shape; a forced choice becomes Required (VS Code cannot name the tool). */
function toolOptions(r: WorkerRequest): Pick<vscode.LanguageModelChatRequestOptions, 'tools' | 'toolMode'> {
  if (!r.tools?.length || r.toolChoice === 'none') return {};
  return {
    tools: r.tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.parameters })),
    toolMode: r.toolChoice && r.toolChoice !== 'auto' ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto,
  };
}

/** Input tokens with the model's own counter; output counted the same way once the stream is done. */
async function countUsage(model: vscode.LanguageModelChat, input: vscode.LanguageModelChatMessage[], output: string): Promise<Usage | undefined> {
  try {
    const [ins, out] = await Promise.all([Promise.all(input.map((m) => model.countTokens(m))), model.countTokens(output)]);
    return { inputTokens: ins.reduce((a, b) => a + b, 0), outputTokens: out };
  } catch {
    return undefined; // runAttempts estimates from characters and marks it
  }
}

export function createVscodeLmWorker(cfg: WorkerConfig, opts: WorkerOptions): Worker {
  const identity = { id: cfg.id, provider: cfg.provider, model: cfg.model };
  return {
    id: cfg.id,
    provider: cfg.provider,
    model: cfg.model,
    async call(req) {
      let failure: LmFailure | undefined;
      const attempt: Attempt = async (r, ctx) => {
        const model = await selectWorkerModel(cfg);
        if (!model) throw (failure = await notFound(cfg, `selectChatModels found no ${cfg.vendor ?? ''}/${cfg.model}`));
        const messages = toLmMessages(r.system, r.messages);
        const cts = new vscode.CancellationTokenSource();
        const cancel = () => cts.cancel();
        ctx.signal.addEventListener('abort', cancel, { once: true });
        try {
          const response = await model.sendRequest(messages, { justification: JUSTIFICATION, ...toolOptions(r) }, cts.token);
          let text = '';
          const toolCalls: ToolCall[] = [];
          for await (const part of response.stream) {
            if (ctx.signal.aborted) break;
            if (part instanceof vscode.LanguageModelTextPart) {
              text += part.value;
              ctx.onDelta(part.value);
            } else if (part instanceof vscode.LanguageModelToolCallPart) {
              // VS Code hands over each call whole: one piece with all of its arguments.
              const call = { id: part.callId, name: part.name, arguments: JSON.stringify(part.input) };
              ctx.onToolCallDelta({ index: toolCalls.length, ...call });
              toolCalls.push(call);
            }
          }
          const written = text + toolCalls.map((c) => `${c.name}${c.arguments}`).join('');
          const usage = ctx.signal.aborted ? undefined : await countUsage(model, messages, written);
          return { text, toolCalls, usage, finishReason: 'stop', finished: !ctx.signal.aborted };
        } catch (e) {
          if (isLanguageModelError(e)) failure = await fromLanguageModelError(cfg, e);
          throw failure ?? e;
        } finally {
          ctx.signal.removeEventListener('abort', cancel);
          cts.dispose();
        }
      };
      try {
        // No retries: a refused consent or a blocked quota must not be asked again behind the user's back.
        return await runAttempts(identity, { ...opts, maxRetries: 0 }, req, attempt);
      } catch (e) {
        if (failure && e instanceof WorkerError && e.kind !== 'cancelled' && e.kind !== 'timeout') {
          throw new WorkerError(cfg.id, failure.kind, failure.message, failure.detail, undefined, e.partialText, 0);
        }
        throw e;
      }
    },
  };
}

/** The providers only the extension can run, for RunOptions.workerFactories. */
export const EDITOR_WORKERS: WorkerFactories = { 'vscode-lm': createVscodeLmWorker };
