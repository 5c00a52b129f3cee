import type { AnswerOptions } from './agent/conversation';
import { callIdsIn, ClientCallIds, toUpstreamIds } from './agent/toolCallIds';
import { assembleMessages } from './assembleMessages';
import { callWithReadOnlyTools, traceToolResult } from './context/toolLoop';
import type { WorkerConfig } from './config';
import { admitCall, BudgetRefusal } from './budget';
import type { RunContext } from './runContext';
import { errorKindOf, type RunFailure } from './runFailure';
import type { ErrorKind, RunStatus, StepStatus, TraceStep } from './trace/types';
import { takesImages } from './workers/capabilities';
import { billedBySubscription } from './workers/editorProviders';
import { WorkerError, type ChatMessage, type ImagePart, type ToolCall, type ToolCallDelta, type Usage, type WorkerRequest, type WorkerResult } from './workers/types';
import { CONDUCTOR, isConductorModel } from './workflow/conductorStep';
import type { Workflow } from './workflow/types';

export interface RoundInput extends RunContext {
  round: number;
  workflow: Workflow;
  /** Workers by model id. The conductor's own model id (see conductorStep) is left to the caller. */
  pool: WorkerConfig[];
  /** The user's task as every worker sees it (context included). */
  task: string;
  /** What the steps other than the answering one see instead (a long conversation's bounded view); absent: `task`. */
  planningTask?: string;
  /** Output cap per worker call (a worker's own maxOutputTokens wins). */
  maxOutputTokens?: number;
  /** The step that answers gets the client's tools and format, and its earlier turns of the tool loop. */
  answer?: { index: number; options: AnswerOptions; continuation: ChatMessage[]; seenCallIds?: string[] };
  /** Outputs of an earlier run to reuse, by step (undefined: run the step). */
  reused?: (string | undefined)[];
  /** The reused steps are in the trace already, as they ran (a continued run): nothing is emitted for them. */
  reusedInTrace?: boolean;
  /** Images of the task, for the steps whose provider takes them. */
  images?: ImagePart[];
  /** Every step may call the read-only workspace tools, not only planners (the repair round's coder). */
  toolsForEveryStep?: boolean;
}

export interface RoundOutcome {
  status: Exclude<RunStatus, 'running'>;
  error: string | null;
  /** Null when the round succeeded. */
  errorKind: ErrorKind | null;
  /** Output of each step ('' for steps that did not finish). */
  outputs: string[];
  statuses: StepStatus[];
  /** The answering step's tool calls; the round stopped after it. */
  toolCalls: ToolCall[];
}

/** Indices of the earlier steps a step sees, from its access entry. */
export function resolveAccess(index: number, entry: (number | 'all')[]): number[] {
  const seen = new Set<number>();
  for (const a of entry) {
    if (a === 'all') for (let j = 0; j < index; j++) seen.add(j);
    else seen.add(a);
  }
  return [...seen].sort((x, y) => x - y);
}

/** The trace's view of a workflow before anything runs. */
export function pendingSteps(workflow: Workflow, pool: WorkerConfig[]): TraceStep[] {
  return workflow.model_id.map((m, i) => {
    const cfg = isConductorModel(m, pool.length) ? undefined : pool[m];
    return {
      index: i,
      worker: cfg ? cfg.id : CONDUCTOR,
      provider: cfg ? cfg.provider : CONDUCTOR,
      model: cfg ? cfg.model : CONDUCTOR,
      role: cfg ? cfg.role : CONDUCTOR,
      subtask: workflow.subtasks[i],
      access: resolveAccess(i, workflow.access_list[i]),
      status: 'pending',
      output: '',
      usage: { inputTokens: 0, outputTokens: 0 },
      costUsd: 0,
      startMs: null,
      endMs: null,
      retries: 0,
      error: null,
      ...(cfg && billedBySubscription(cfg) ? { subscription: true } : {}),
    };
  });
}

/**
 * The step that writes the answer, and so gets a client's tools: the last step that is neither the
 * conductor nor a reviewer (a review only judges the answer), else the last worker step; -1 if none.
 */
export function answeringStep(workflow: Workflow, pool: WorkerConfig[]): number {
  const ids = workflow.model_id;
  for (let i = ids.length - 1; i >= 0; i--) if (pool[ids[i]] && pool[ids[i]].role !== 'reviewer') return i;
  for (let i = ids.length - 1; i >= 0; i--) if (pool[ids[i]]) return i;
  return -1;
}

const approxTokens = (chars: number) => Math.ceil(chars / 4);

/**
 * Runs one round of a workflow. A step starts as soon as every step it sees has finished,
 * so steps that see nothing of each other run in parallel. The first failure, cancellation
 * or budget stop aborts every call in flight; streamed text stays in the trace.
 */
export async function executeRound(input: RoundInput): Promise<RoundOutcome> {
  const { workflow, pool, round, emit, budget } = input;
  const n = workflow.model_id.length;
  const outputs: string[] = new Array(n).fill('');
  const statuses: StepStatus[] = new Array(n).fill('pending');
  const stop = new AbortController();
  let outcome: RunFailure | null = null;
  let toolCalls: ToolCall[] = [];
  const halt = (status: RunFailure['status'], error: string, kind: ErrorKind) => {
    if (!outcome) outcome = { status, error, kind };
    stop.abort();
  };
  const onOuterAbort = () => halt('cancelled', 'The run was cancelled.', 'cancelled');
  if (input.signal.aborted) onOuterAbort();
  else input.signal.addEventListener('abort', onOuterAbort, { once: true });

  const finish = (i: number, status: StepStatus, fields: { usage?: Usage; cost?: number; retries?: number; error?: string | null; start?: boolean }) => {
    statuses[i] = status;
    emit({
      type: 'step-finished',
      round,
      index: i,
      status,
      output: outputs[i],
      usage: fields.usage ?? { inputTokens: 0, outputTokens: 0 },
      costUsd: fields.cost ?? 0,
      endMs: input.clock(),
      retries: fields.retries ?? 0,
      error: fields.error ?? null,
    });
  };

  const runStep = async (i: number, deps: Promise<void>[]): Promise<void> => {
    await Promise.all(deps);
    const m = workflow.model_id[i];
    const cfg = isConductorModel(m, pool.length) ? undefined : pool[m];
    if (!cfg) return; // the conductor's own step: the caller handles recursion
    if (stop.signal.aborted) {
      finish(i, 'skipped', {});
      return;
    }
    const refusal = budget.refusal();
    if (refusal) {
      halt('budget_exceeded', `Stopped before step ${i} (${cfg.id}): ${refusal}.`, 'budget');
      finish(i, 'skipped', { error: refusal });
      return;
    }
    const reused = input.reused?.[i];
    if (reused !== undefined) {
      outputs[i] = reused;
      statuses[i] = 'succeeded';
      if (input.reusedInTrace) return;
      emit({ type: 'step-started', round, index: i, startMs: input.clock() });
      finish(i, 'succeeded', {});
      return;
    }
    const visible = resolveAccess(i, workflow.access_list[i]).map((j) => ({ subtask: workflow.subtasks[j], output: outputs[j] }));
    const answer = input.answer?.index === i ? input.answer : undefined;
    const messages = assembleMessages(answer ? input.task : (input.planningTask ?? input.task), visible, workflow.subtasks[i]);
    if (input.images?.length && takesImages(cfg.provider)) messages[0] = { ...messages[0], images: input.images };
    // The client's tool-call ids, unique in its conversation, go back to the worker as it wrote them.
    const callIds = answer ? new ClientCallIds(answer.seenCallIds ?? callIdsIn(answer.continuation)) : undefined;
    if (answer) messages.push(...toUpstreamIds(answer.continuation));
    let promptChars = messages.reduce((s, m) => s + m.content.length, 0);
    let key: object | null = {};
    statuses[i] = 'running';
    // Counted as a call now (steps started beside it see it); its input is estimated and admitted per call.
    budget.startCall(key);
    emit({ type: 'step-started', round, index: i, startMs: input.clock() });
    let retries = 0;
    // Planners (and the coder repairing its edits) may read the workspace; a client's answering step has its own tools.
    const tools = input.readTools && !answer && (cfg.role === 'planner' || input.toolsForEveryStep) ? input.readTools : undefined;
    let turns = 0;
    let turnStart = 0;
    try {
      const worker = await input.getWorker(cfg);
      // One model call of the step, counted and settled in the budget on its own (a tool loop makes several).
      const callTurn = async (req: WorkerRequest): Promise<WorkerResult> => {
        if (turns++ > 0) budget.startCall((key = {}));
        turnStart = outputs[i].length;
        promptChars = req.messages.reduce((s, m) => s + m.content.length, 0);
        // Budgets before spending: the call is made only if its input (and the worker's own output cap) fits.
        const outputCap = cfg.maxOutputTokens ?? 0;
        const admitted = await admitCall(budget, key!, cfg, req, (tokens) => input.costOf(cfg, { inputTokens: tokens, outputTokens: outputCap }), outputCap);
        if (admitted) {
          budget.withdraw(key!);
          key = null;
          throw new BudgetRefusal(admitted);
        }
        try {
          const r = await worker.call(req);
          budget.settle(key!, r.usage.inputTokens, r.usage.outputTokens, input.costOf(cfg, r.usage));
          key = null;
          return r;
        } catch (err) {
          const est = { inputTokens: approxTokens(promptChars), outputTokens: approxTokens(outputs[i].length - turnStart) };
          budget.settle(key!, est.inputTokens, est.outputTokens, input.costOf(cfg, est));
          key = null;
          throw err;
        }
      };
      const request: WorkerRequest = {
        messages,
        signal: stop.signal,
        ...answer?.options,
        // A client's cap on the answer (max_tokens) applies, but never raises the worker's own.
        maxOutputTokens: lowerCap(cfg.maxOutputTokens ?? input.maxOutputTokens, answer?.options.maxOutputTokens),
        onDelta: (text) => {
          outputs[i] += text;
          emit({ type: 'step-delta', round, index: i, text });
          const est = { inputTokens: approxTokens(promptChars), outputTokens: approxTokens(outputs[i].length - turnStart) };
          if (key) budget.estimate(key, est.inputTokens + est.outputTokens, input.costOf(cfg, est));
          const over = budget.overrun();
          if (over) halt('budget_exceeded', `Stopped during step ${i} (${cfg.id}): ${over}.`, 'budget');
        },
        // The client's tool calls show (and stream to the client) while the model writes them.
        ...(answer?.options.tools?.length
          ? {
              onToolCallDelta: ({ index: call, ...piece }: ToolCallDelta) =>
                emit({ type: 'step-tool-call-delta', round, index: i, call, ...piece, ...(piece.id !== undefined && callIds ? { id: callIds.idFor(call, piece.id) } : {}) }),
            }
          : {}),
        onRetry: (r) => {
          retries = r.attempt;
          emit({ type: 'step-retry', round, index: i, attempt: r.attempt, delayMs: r.delayMs, reason: r.reason });
        },
      };
      const note = (text: string) => emit({ type: 'round-note', round, note: `Step ${i} (${cfg.id}) ${text}` });
      const result = tools
        ? await callWithReadOnlyTools(tools.workspace, tools.maxCalls, request, {
            call: callTurn,
            onToolCall: (c) => emit({ type: 'step-tool-call', round, index: i, id: c.id, name: c.name, arguments: c.arguments }),
            onToolResult: (c, r) => emit({ type: 'step-tool-result', round, index: i, id: c.id, ...traceToolResult(r) }),
            onToolsRejected: (reason) => note(`ran without workspace tools: its endpoint refused them (${reason}).`),
            mayContinue: () => budget.refusal(),
            onStopped: (reason) => note(`stopped calling workspace tools: ${reason}.`),
          })
        : await callTurn(request);
      outputs[i] = result.text;
      if (callIds && result.toolCalls.length) result.toolCalls = callIds.rename(result.toolCalls);
      const cost = input.costOf(cfg, result.usage);
      statuses[i] = 'succeeded';
      emit({
        type: 'step-finished', round, index: i, status: 'succeeded', output: result.text, usage: result.usage,
        costUsd: cost, endMs: input.clock(), retries: result.retries, error: null, extraUsage: result.extraUsage,
        ...(result.toolCalls.length ? { toolCalls: result.toolCalls } : {}),
      });
      if (answer && result.toolCalls.length) {
        // The client runs its tools and comes back; nothing after the answer may run on a half-done turn.
        toolCalls = result.toolCalls;
        stop.abort();
        return;
      }
      const over = budget.overrun();
      if (over && i < n - 1) halt('budget_exceeded', `Stopped after step ${i} (${cfg.id}): ${over}.`, 'budget');
    } catch (err) {
      if (err instanceof BudgetRefusal) {
        halt('budget_exceeded', `Stopped before a call of step ${i} (${cfg.id}): ${err.reason}.`, 'budget');
        finish(i, outputs[i] ? 'cancelled' : 'skipped', { error: err.reason, retries });
        return;
      }
      const we = err instanceof WorkerError ? err : null;
      if (we?.partialText && outputs[i].length < we.partialText.length) outputs[i] = we.partialText;
      const est = { inputTokens: approxTokens(promptChars), outputTokens: approxTokens(outputs[i].length) };
      const cost = input.costOf(cfg, est);
      // A call that failed was settled by callTurn; only a failure before the first call (no worker) is not.
      if (key) budget.settle(key, est.inputTokens, est.outputTokens, cost);
      if (stop.signal.aborted && (we?.kind === 'cancelled' || !we)) {
        finish(i, 'cancelled', { usage: est, cost, retries: we?.retries ?? retries, error: outcome?.error ?? 'cancelled' });
        return;
      }
      const message = we ? we.message : `Worker '${cfg.id}' failed: ${err instanceof Error ? err.message : String(err)}`;
      // A worker that throws something other than a WorkerError still failed on the provider's side of the call.
      halt('failed', `Step ${i} failed: ${message}`, errorKindOf(err, 'provider'));
      finish(i, 'failed', { usage: est, cost, retries: we?.retries ?? retries, error: message });
    }
  };

  const done: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const deps = resolveAccess(i, workflow.access_list[i]).map((j) => done[j]);
    done.push(runStep(i, deps));
  }
  await Promise.all(done);
  input.signal.removeEventListener('abort', onOuterAbort);
  const o = outcome as RunFailure | null;
  return { status: o ? o.status : 'succeeded', error: o ? o.error : null, errorKind: o ? o.kind : null, outputs, statuses, toolCalls };
}

function lowerCap(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
