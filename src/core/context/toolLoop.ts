// The bounded loop a step runs when it may read the workspace: the model calls read_file, search or
// list_dir, the results go back as tool turns, and it answers when it has what it needs. One loop for
// every provider (the workers speak each one's tool format); the caller sees each call and result.
import { WorkerError, type ChatMessage, type ToolCall, type ToolSpec, type WorkerRequest, type WorkerResult } from '../workers/types';
import { listDirTool, readFileTool, searchTool, type ToolResult, type ToolWorkspace } from './readOnlyTools';

export const READ_ONLY_TOOLS: ToolSpec[] = [
  {
    name: 'read_file',
    description: 'Read a file of the workspace (a workspace-relative path), optionally only lines startLine to endLine (1-based, inclusive).',
    parameters: {
      type: 'object',
      properties: { path: { type: 'string' }, startLine: { type: 'integer', minimum: 1 }, endLine: { type: 'integer', minimum: 1 } },
      required: ['path'],
    },
  },
  {
    name: 'search',
    description: 'Find the lines of workspace files matching a pattern: literal text, or /regex/flags. glob narrows the files (src/**, *.ts).',
    parameters: { type: 'object', properties: { pattern: { type: 'string' }, glob: { type: 'string' } }, required: ['pattern'] },
  },
  {
    name: 'list_dir',
    description: 'List a folder of the workspace (workspace-relative; "." is the root): its subfolders and files.',
    parameters: { type: 'object', properties: { path: { type: 'string' } }, required: ['path'] },
  },
];

const refused = (error: string): ToolResult => ({ ok: false, error });

/** Most characters of a tool's result kept in the trace (the model got up to the tool's byte cap). */
export const TRACE_TOOL_RESULT_CHARS = 2_000;

/** A result as the trace keeps it: the refusal's reason or the text, cut to TRACE_TOOL_RESULT_CHARS. */
export function traceToolResult(r: ToolResult): { ok: boolean; result: string; truncated: boolean } {
  const text = r.ok ? r.text : r.error;
  const cut = text.length > TRACE_TOOL_RESULT_CHARS;
  return { ok: r.ok, result: cut ? `${text.slice(0, TRACE_TOOL_RESULT_CHARS)}…` : text, truncated: cut || (r.ok && r.truncated) };
}

/** Runs one call of a read-only tool; anything wrong with the call is a refusal the model reads. */
export async function runReadOnlyTool(ws: ToolWorkspace, call: ToolCall): Promise<ToolResult> {
  let args: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(call.arguments || '{}');
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return refused(`${call.name}: the arguments must be a JSON object.`);
    args = parsed as Record<string, unknown>;
  } catch {
    return refused(`${call.name}: the arguments are not valid JSON.`);
  }
  const str = (k: string) => (typeof args[k] === 'string' ? (args[k] as string) : undefined);
  const num = (k: string) => (typeof args[k] === 'number' && Number.isFinite(args[k]) ? (args[k] as number) : undefined);
  const need = (k: string, v: unknown) => (v === undefined ? refused(`${call.name}: "${k}" must be a string.`) : null);
  try {
    switch (call.name) {
      case 'read_file':
        return need('path', str('path')) ?? (await readFileTool(ws, { path: str('path')!, startLine: num('startLine'), endLine: num('endLine') }));
      case 'search':
        return need('pattern', str('pattern')) ?? (await searchTool(ws, { pattern: str('pattern')!, glob: str('glob') }));
      case 'list_dir':
        return await listDirTool(ws, { path: str('path') ?? '.' });
      default:
        return refused(`There is no tool ${call.name}; the tools are ${READ_ONLY_TOOLS.map((t) => t.name).join(', ')}.`);
    }
  } catch (err) {
    return refused(`${call.name} failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

export interface ToolLoopHooks {
  /** One model call (the caller counts it and streams its text); the loop calls it once per turn. */
  call(req: WorkerRequest): Promise<WorkerResult>;
  onToolCall(call: ToolCall): void;
  onToolResult(call: ToolCall, result: ToolResult): void;
  /** The endpoint refused the request with tools (a 400): the step runs again without them. */
  onToolsRejected(reason: string): void;
  /** Why no further turn may start (the run's budget), or null. */
  mayContinue(): string | null;
  /** The loop stopped before the model answered, and why. */
  onStopped(reason: string): void;
}

export interface ToolLoopResult extends WorkerResult {
  /** Read-only tool calls run (refusals included). */
  toolUses: number;
}

/**
 * Calls the model with the read-only tools until it answers in text. At most `maxCalls` calls are
 * run; a call beyond that is refused with the reason, and the next turn asks for the answer
 * (tool choice 'none'). The text of every turn is the step's output, in order.
 */
export async function callWithReadOnlyTools(ws: ToolWorkspace, maxCalls: number, req: WorkerRequest, hooks: ToolLoopHooks): Promise<ToolLoopResult> {
  const messages: ChatMessage[] = [...req.messages];
  const usage = { inputTokens: 0, outputTokens: 0 };
  let retries = 0;
  let text = '';
  let used = 0;
  let closing = false;
  let offerTools = true;
  const onDelta = req.onDelta;
  let firstTurn = true;
  for (;;) {
    let separated = text === '';
    const askedToAnswer = closing;
    const turnReq: WorkerRequest = {
      ...req,
      messages,
      onDelta: (t) => {
        // Each turn's text follows the earlier turns' after a blank line.
        if (!separated && t) {
          separated = true;
          text += '\n\n';
          onDelta?.('\n\n');
        }
        text += t;
        onDelta?.(t);
      },
      ...(offerTools ? { tools: READ_ONLY_TOOLS, toolChoice: closing ? ('none' as const) : ('auto' as const) } : { tools: undefined, toolChoice: undefined }),
    };
    let r: WorkerResult;
    try {
      r = await hooks.call(turnReq);
    } catch (err) {
      // Some OpenAI-compatible servers answer 400 to any request with tools: once, run without them.
      // Only the first turn: an endpoint that answered a turn with tools does take them.
      if (firstTurn && offerTools && err instanceof WorkerError && err.kind === 'bad_request') {
        offerTools = false;
        hooks.onToolsRejected(err.message);
        continue;
      }
      throw err;
    }
    firstTurn = false;
    usage.inputTokens += r.usage.inputTokens;
    usage.outputTokens += r.usage.outputTokens;
    retries += r.retries;
    const done = { ...r, text, usage, retries, toolCalls: [], toolUses: used };
    if (!offerTools || r.toolCalls.length === 0) return done;
    messages.push({ role: 'assistant', content: r.text, toolCalls: r.toolCalls });
    for (const call of r.toolCalls) {
      hooks.onToolCall(call);
      let result: ToolResult;
      if (used < maxCalls) {
        used++;
        result = await runReadOnlyTool(ws, call);
      } else {
        closing = true;
        result = refused(`${call.name} refused: this step may make at most ${maxCalls} tool calls; answer now with what you have.`);
      }
      hooks.onToolResult(call, result);
      messages.push({ role: 'tool', toolCallId: call.id, content: result.ok ? result.text : result.error });
    }
    done.toolUses = used;
    if (askedToAnswer) {
      // The model kept calling after it was asked to answer: the step ends with the text it wrote.
      hooks.onStopped(`it kept calling tools after its ${maxCalls} calls`);
      return done;
    }
    const stop = hooks.mayContinue();
    if (stop) {
      hooks.onStopped(stop);
      return done;
    }
  }
}
