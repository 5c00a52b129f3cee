// One attempt of one task by one arm: a fresh copy of the task's workspace, the run, its edits
// applied in the copy, the task's check; or, for a text task, the answer matched.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskWithContext } from '../assembleMessages';
import { applyPlansToDisk, nodeWorkspaceFiles } from '../edits';
import { workspaceContext } from '../context/workspaceContext';
import type { KeyResolver } from '../runTypes';
import { runTask } from '../runTask';
import type { TraceDocument } from '../trace/types';
import { armConfig, type Arm } from './arms';
import { checkEnv } from '../check/checkEnv';
import { runCheckCommand } from '../check/runCheckCommand';
import { toCommand, VERIFY_DEFAULTS } from '../check/types';
import type { Cell } from './grid';
import { matchAnswer } from './match';
import type { EvalResult } from './results';
import type { FuguConfig } from '../config';
import type { EvalTask } from './suite';

export const EVAL_COPY_PREFIX = 'fugu-eval-';

export interface AttemptOptions {
  config: FuguConfig;
  keys: KeyResolver;
  /** Folder the attempt's trace is written to, as <traceId>.json. */
  tracesDir: string;
  checkTimeoutMs: number;
  /** The most this attempt may spend (the eval's remaining budget); below the config's own cap. */
  maxCostUsd: number;
  signal: AbortSignal;
}

export interface Attempt {
  result: EvalResult;
  trace: TraceDocument;
  /** The task as the policy got it: the prompt and the context files. */
  policyTask: string;
}

export async function runAttempt(task: EvalTask, arm: Arm, cell: Cell, opts: AttemptOptions): Promise<Attempt> {
  const base = armConfig(arm, opts.config);
  const config: FuguConfig = { ...base, budget: { ...base.budget, maxCostUsd: Math.min(base.budget.maxCostUsd, opts.maxCostUsd) } };
  const copy = task.kind === 'coding' ? await mkdtemp(join(tmpdir(), EVAL_COPY_PREFIX)) : null;
  try {
    if (copy && task.kind === 'coding') await cp(task.workspace, copy, { recursive: true });
    // The same ranked context `fugu solve --workspace` sends, for every arm alike.
    const { context, index } = copy ? await workspaceContext(task.prompt, copy, config) : { context: [], index: undefined };
    const { trace, plans } = await runTask({
      task: task.prompt,
      config,
      keys: opts.keys,
      signal: opts.signal,
      workspace: copy ? nodeWorkspaceFiles(copy) : undefined,
      context,
      index,
      // A single model gets one call: no second call to repair blocks that did not match.
      repair: arm.kind !== 'single',
      wantsEdits: task.kind === 'coding',
    });
    let pass = false;
    let errorKind: string | null = trace.errorKind;
    if (task.kind === 'text') {
      pass = errorKind === null && matchAnswer(trace.final.text, task.answer, task.match);
    } else if (copy && errorKind === null) {
      await applyPlansToDisk(copy, plans);
      // The task's own check, run the way a verified run runs one: own process group, no provider keys.
      const outcome = await runCheckCommand(toCommand(task.check), {
        cwd: copy,
        env: checkEnv(process.env, opts.config),
        timeoutMs: opts.checkTimeoutMs,
        maxOutputBytes: opts.config.verify?.maxOutputBytes ?? VERIFY_DEFAULTS.maxOutputBytes,
        signal: opts.signal,
      });
      pass = outcome.outcome === 'passed';
      if (outcome.outcome === 'timeout' || outcome.outcome === 'could-not-run') errorKind = 'check';
      if (outcome.outcome === 'cancelled') errorKind = 'cancelled';
    }
    await writeFile(join(opts.tracesDir, `${trace.id}.json`), JSON.stringify(trace));
    return {
      trace,
      policyTask: taskWithContext(task.prompt, context),
      result: {
        ...cell,
        pass,
        calls: trace.calls,
        inputTokens: trace.usage.inputTokens,
        outputTokens: trace.usage.outputTokens,
        costUsd: trace.costUsd,
        wallMs: trace.wallMs,
        ...extraUsageOf(trace),
        errorKind,
        traceId: trace.id,
      },
    };
  } finally {
    if (copy) await rm(copy, { recursive: true, force: true });
  }
}

/** The extra usage counters of every step of the run, summed; nothing when no step reported any. */
function extraUsageOf(trace: TraceDocument): { extraUsage?: Record<string, number> } {
  const sum: Record<string, number> = {};
  for (const step of trace.rounds.flatMap((r) => r.steps)) {
    for (const [k, v] of Object.entries(step.extraUsage ?? {})) sum[k] = (sum[k] ?? 0) + v;
  }
  return Object.keys(sum).length ? { extraUsage: sum } : {};
}
