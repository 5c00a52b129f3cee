// A conductor model writes the workflow: an OpenAI-compatible endpoint (policy.baseUrl + policy.model)
// or a pool worker named by policy.worker. An invalid answer goes back once with the validator's
// message; a second failure, a timeout or an unreachable conductor falls back to the builtin policy.

import type { FuguConfig, WorkerConfig } from '../config';
import { EDIT_FORMAT_INSTRUCTIONS } from '../edits/editFormat';
import { costUsd, lookupPrice } from '../pricing';
import type { PolicyRecord } from '../trace/types';
import { createWorker } from '../workers/createWorker';
import { WorkerError, type ChatMessage, type Worker } from '../workers/types';
import { answerStep } from '../workflow/conductorStep';
import { parseWorkflow } from '../workflow/parseWorkflow';
import type { Workflow, WorkflowLimits } from '../workflow/types';
import { validateWorkflow } from '../workflow/validateWorkflow';
import { builtinRecurse, builtinWorkflow, directPlan, emptyRecord } from './builtin';
import { taskKindOf, type TaskKind } from './classifyTask';
import { conductorSystemPrompt, conductorTaskMessage, recursionMessage, retryMessage } from './conductorPrompt';
import type { Policy, PolicyInput, PolicyPlan, RecursionInput } from './types';

export const DEFAULT_CONDUCTOR_TIMEOUT_MS = 60_000;

/** Why the conductor gave no usable workflow; becomes the fallback reason. */
class NoWorkflow extends Error {}

interface Conductor {
  worker: Worker;
  cfg: WorkerConfig;
}

/** The endpoint conductor described as a worker config (never part of the pool). */
export function endpointConductorConfig(config: FuguConfig): WorkerConfig | null {
  const { baseUrl, model, apiKeyEnv } = config.policy;
  if (!baseUrl || !model) return null;
  return { id: 'conductor', provider: 'openai-compatible', model, baseUrl, apiKeyEnv, role: 'any' };
}

async function openConductor(input: PolicyInput): Promise<Conductor> {
  const { config } = input;
  const name = config.policy.worker;
  if (name) {
    const cfg = config.workers.find((w) => w.id === name);
    if (!cfg) throw new NoWorkflow(`policy.worker is '${name}', but no configured worker has that id`);
    return { cfg, worker: await input.getWorker(name) };
  }
  const cfg = endpointConductorConfig(config);
  if (!cfg) throw new NoWorkflow('the conductor backend needs policy.baseUrl and policy.model, or policy.worker');
  if (input.createWorker) return { cfg, worker: await input.createWorker(cfg) };
  const apiKey = (cfg.apiKeyEnv && process.env[cfg.apiKeyEnv]) || '';
  // The policy's own deadline (in ask) must fire first, so the idle timeout sits just past it.
  const timeoutMs = (config.policy.timeoutMs || DEFAULT_CONDUCTOR_TIMEOUT_MS) + 1_000;
  return { cfg, worker: createWorker(cfg, { apiKey, timeoutMs, maxRetries: config.maxRetries }) };
}

/** One call with the policy's own deadline; a user cancel propagates, anything else is a NoWorkflow. */
async function ask(conductor: Conductor, input: PolicyInput, system: string, messages: ChatMessage[], record: PolicyRecord): Promise<string> {
  const timeoutMs = input.config.policy.timeoutMs || DEFAULT_CONDUCTOR_TIMEOUT_MS;
  const ctl = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ctl.abort(new Error('conductor timeout'));
  }, timeoutMs);
  const onCancel = () => ctl.abort(input.signal.reason);
  input.signal.addEventListener('abort', onCancel, { once: true });
  try {
    const res = await conductor.worker.call({ system, messages, signal: ctl.signal });
    addUsage(record, conductor.cfg, input.config, res.usage.inputTokens, res.usage.outputTokens);
    record.rawAnswers.push(res.text);
    return res.text;
  } catch (err) {
    if (input.signal.aborted) throw err;
    const partial = err instanceof WorkerError ? err.partialText : '';
    if (partial) record.rawAnswers.push(partial);
    if (timedOut || (err instanceof WorkerError && err.kind === 'timeout')) throw new NoWorkflow(`the conductor did not answer within ${formatSeconds(timeoutMs)}`);
    const why = err instanceof Error ? err.message : String(err);
    throw new NoWorkflow(`the conductor could not be used: ${why}`);
  } finally {
    clearTimeout(timer);
    input.signal.removeEventListener('abort', onCancel);
  }
}

function formatSeconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

function addUsage(record: PolicyRecord, cfg: WorkerConfig, config: FuguConfig, input: number, output: number): void {
  record.usage.inputTokens += input;
  record.usage.outputTokens += output;
  const price = lookupPrice(cfg.model, { workerPrice: cfg.price, prices: config.prices }).price;
  record.costUsd += costUsd({ inputTokens: input, outputTokens: output }, price);
}

/** Asks, validates, sends a rejection back once; returns a valid workflow or throws NoWorkflow. */
async function converse(input: PolicyInput, system: string, first: string, limits: WorkflowLimits, record: PolicyRecord): Promise<Workflow> {
  const conductor = await openConductor(input).catch((err) => {
    if (err instanceof NoWorkflow || input.signal.aborted) throw err;
    throw new NoWorkflow(`the conductor could not be created: ${err instanceof Error ? err.message : String(err)}`);
  });
  const messages: ChatMessage[] = [{ role: 'user', content: first }];
  for (let attempt = 1; ; attempt++) {
    const answer = await ask(conductor, input, system, messages, record);
    const parsed = parseWorkflow(answer);
    const error = parsed.ok
      ? (() => {
          const check = validateWorkflow(parsed.workflow, limits);
          return check.ok ? null : check.error;
        })()
      : parsed.error;
    if (parsed.ok && error === null) return parsed.workflow;
    record.rejections.push(error!);
    if (attempt === 2) throw new NoWorkflow(`the conductor's answer was invalid twice (last: ${error})`);
    messages.push({ role: 'assistant', content: answer }, { role: 'user', content: retryMessage(error!) });
  }
}

/** For a coding task, the step that gives the answer must write edit blocks: make sure it is told how. */
export function withEditFormat(wf: Workflow, kind: TaskKind, poolSize: number): Workflow {
  if (kind !== 'coding' || wf.model_id.length === 0) return wf;
  const answer = answerStep(wf, poolSize);
  if (answer < 0 || wf.subtasks[answer].includes(EDIT_FORMAT_INSTRUCTIONS)) return wf;
  const subtasks = wf.subtasks.slice();
  subtasks[answer] = `${subtasks[answer].trimEnd()}\n\n${EDIT_FORMAT_INSTRUCTIONS}`;
  return { ...wf, subtasks };
}

function limitsFor(input: PolicyInput, allowAccept: boolean): WorkflowLimits {
  return {
    poolSize: input.config.workers.length,
    maxSteps: input.config.maxSteps,
    allowConductorStep: input.conductorMayReview,
    allowAccept,
  };
}

export function createConductorPolicy(): Policy {
  return {
    name: 'conductor',

    async plan(input: PolicyInput): Promise<PolicyPlan> {
      // A client's housekeeping (compaction, a title) or a short first question: one worker, no conductor call.
      const direct = directPlan(input, 'conductor');
      if (direct) return direct;
      const record = emptyRecord('conductor');
      const kind = taskKindOf(input);
      const system = conductorSystemPrompt({ task: input.task, config: input.config, conductorMayReview: input.conductorMayReview, kind });
      try {
        const wf = await converse(input, system, conductorTaskMessage(input.task), limitsFor(input, false), record);
        return { workflow: withEditFormat(wf, kind, input.config.workers.length), record };
      } catch (err) {
        if (!(err instanceof NoWorkflow)) throw err;
        record.fallback = { to: 'builtin', reason: err.message };
        return { workflow: builtinWorkflow(input.task, input.config, input.conductorMayReview, kind), record };
      }
    },

    async recurse(input: RecursionInput): Promise<PolicyPlan> {
      const record = emptyRecord('conductor');
      const kind = taskKindOf(input);
      const system = conductorSystemPrompt({ task: input.task, config: input.config, conductorMayReview: input.conductorMayReview, kind });
      const message = recursionMessage(input.task, input.previous, input.lastResponse);
      try {
        const wf = await converse(input, system, message, limitsFor(input, true), record);
        return { workflow: withEditFormat(wf, kind, input.config.workers.length), record };
      } catch (err) {
        if (!(err instanceof NoWorkflow)) throw err;
        const fallback = builtinRecurse(input);
        record.fallback = { to: 'builtin', reason: err.message };
        return { ...fallback, record };
      }
    },
  };
}
