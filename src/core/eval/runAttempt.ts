// One attempt of one task by one arm: a fresh copy of the task's workspace, the run, its edits
// applied in the copy (never to a protected file), the task's check; or, for a text task, the answer
// matched. A `single:<id>+fix` arm gets one more call with the failing check's output.
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { taskWithContext } from '../assembleMessages';
import { applyPlansToDisk, nodeWorkspaceFiles, type FileEditPlan } from '../edits';
import { workspaceContext } from '../context/workspaceContext';
import type { Policy } from '../policies/types';
import type { KeyResolver } from '../runTypes';
import { runTask } from '../runTask';
import type { TraceDocument } from '../trace/types';
import { armConfig, type Arm } from './arms';
import { candidatePolicy } from '../policies/learned/candidatePolicy';
import { checkEnv } from '../check/checkEnv';
import { runCheckCommand } from '../check/runCheckCommand';
import { toCommand, VERIFY_DEFAULTS, type CheckRun } from '../check/types';
import type { Cell } from './grid';
import { matchAnswer } from './match';
import { protectedMatcher } from '../check/protect';
import type { CheckRecord, EvalResult, Fingerprint, NotRunReason } from './results';
import type { FuguConfig } from '../config';
import type { EvalTask } from './suite';

export const EVAL_COPY_PREFIX = 'fugu-eval-';

/** Most characters of the failing check's output a `+fix` repair call is given. */
const REPAIR_OUTPUT_CHARS = 4000;

export interface AttemptOptions {
  config: FuguConfig;
  keys: KeyResolver;
  /** Folder the attempt's trace is written to, as <traceId>.json. */
  tracesDir: string;
  checkTimeoutMs: number;
  /** The most this attempt may spend (its reservation of the eval's budget); below the config's own cap. */
  maxCostUsd: number;
  signal: AbortSignal;
  fingerprint?: Fingerprint;
  /** "i/n" under --shard. */
  shard?: string;
  /** The task's workspace files (relative paths), for the default protected set. */
  workspaceFiles?: readonly string[];
  /** Replaces the arm's policy (`fugu reward` plays back a sampled workflow). */
  policy?: Policy;
}

export interface Attempt {
  result: EvalResult;
  trace: TraceDocument;
  /** The task as the policy got it: the prompt and the context files. */
  policyTask: string;
}

/** Errors that say nothing about the arm: the attempt is not scored, and a resumed eval runs it again. */
export function notRunReasonOf(errorKind: string | null): NotRunReason | null {
  return errorKind === 'budget' || errorKind === 'network' || errorKind === 'cancelled' ? errorKind : null;
}

const record = (c: CheckRun): CheckRecord => ({ outcome: c.outcome, exitCode: c.exitCode, durationMs: c.durationMs, outputTail: c.outputTail });

export async function runAttempt(task: EvalTask, arm: Arm, cell: Cell, opts: AttemptOptions): Promise<Attempt> {
  const base = armConfig(arm, opts.config);
  const config: FuguConfig = { ...base, budget: { ...base.budget, maxCostUsd: Math.min(base.budget.maxCostUsd, opts.maxCostUsd) } };
  const copy = task.kind === 'coding' ? await mkdtemp(join(tmpdir(), EVAL_COPY_PREFIX)) : null;
  try {
    if (copy && task.kind === 'coding') await cp(task.workspace, copy, { recursive: true });
    const run = async (prompt: string, budgetLeft: number) => {
      // The same ranked context `fugu solve --workspace` sends, for every arm alike.
      const { context, index } = copy ? await workspaceContext(prompt, copy, config) : { context: [], index: undefined };
      const out = await runTask({
        task: prompt,
        config: { ...config, budget: { ...config.budget, maxCostUsd: budgetLeft } },
        keys: opts.keys,
        signal: opts.signal,
        workspace: copy ? nodeWorkspaceFiles(copy) : undefined,
        context,
        index,
        // A single model gets one call: no second call to repair blocks that did not match.
        repair: arm.kind !== 'single',
        wantsEdits: task.kind === 'coding',
        ...(opts.policy ? { policy: opts.policy } : arm.kind === 'workflow' ? { policy: candidatePolicy(arm.candidate) } : {}),
      });
      await writeFile(join(opts.tracesDir, `${out.trace.id}.json`), JSON.stringify(out.trace));
      return { ...out, policyTask: taskWithContext(prompt, context) };
    };
    const isProtected = task.kind === 'coding' ? protectedMatcher(task.protect, task.check, opts.workspaceFiles ?? []) : () => false;
    const tampered = new Set<string>();
    const check = async (plans: FileEditPlan[]): Promise<CheckRun> => {
      // Edits to the tests are not applied: the check judges the answer by the original tests.
      const allowed = plans.filter((p) => {
        if (p.status === 'proposed' && isProtected(p.path)) tampered.add(p.path);
        return !isProtected(p.path);
      });
      await applyPlansToDisk(copy!, allowed);
      // The task's own check, run the way a verified run runs one: own process group, no provider keys.
      return runCheckCommand(toCommand((task as Extract<EvalTask, { kind: 'coding' }>).check), {
        cwd: copy!,
        env: checkEnv(process.env, opts.config),
        timeoutMs: opts.checkTimeoutMs,
        maxOutputBytes: opts.config.verify?.maxOutputBytes ?? VERIFY_DEFAULTS.maxOutputBytes,
        signal: opts.signal,
      });
    };

    const first = await run(task.prompt, config.budget.maxCostUsd);
    const traces = [first.trace];
    let errorKind: string | null = first.trace.errorKind;
    let checkRun: CheckRun | null = null;
    let pass = false;
    if (task.kind === 'text') {
      pass = errorKind === null && matchAnswer(first.trace.final.text, task.answer, task.match);
    } else if (errorKind === null) {
      checkRun = await check(first.plans);
      if (arm.kind === 'single' && arm.fix && checkRun.outcome === 'failed' && tampered.size === 0) {
        // aider's second pass: the same worker, the failing output, one more call.
        const tail = checkRun.outputTail.slice(-REPAIR_OUTPUT_CHARS);
        const prompt = `${task.prompt}\n\nAn earlier attempt has already changed the workspace. After it, the check \`${task.check}\` failed (exit ${checkRun.exitCode}). The end of its output:\n\`\`\`\n${tail}\n\`\`\`\nFix the code so that the check passes.`;
        const repair = await run(prompt, Math.max(0, config.budget.maxCostUsd - first.trace.costUsd));
        traces.push(repair.trace);
        errorKind = repair.trace.errorKind;
        if (errorKind === null) checkRun = await check(repair.plans);
      }
    }
    if (checkRun) {
      pass = checkRun.outcome === 'passed';
      if (errorKind === null && (checkRun.outcome === 'timeout' || checkRun.outcome === 'could-not-run')) errorKind = 'check';
      if (checkRun.outcome === 'cancelled') errorKind = 'cancelled';
    }
    if (tampered.size) {
      pass = false;
      errorKind = 'tampered';
    }
    const notRun = notRunReasonOf(errorKind);
    const sum = (f: (t: TraceDocument) => number) => traces.reduce((a, t) => a + f(t), 0);
    return {
      trace: first.trace,
      policyTask: first.policyTask,
      result: {
        ...cell,
        pass: notRun ? false : pass,
        calls: sum((t) => t.calls),
        inputTokens: sum((t) => t.usage.inputTokens),
        outputTokens: sum((t) => t.usage.outputTokens),
        costUsd: sum((t) => t.costUsd),
        wallMs: sum((t) => t.wallMs),
        ...extraUsageOf(traces),
        errorKind,
        traceId: first.trace.id,
        ...(traces.length > 1 ? { repairTraceId: traces[1].id } : {}),
        status: notRun ? 'not-run' : 'scored',
        ...(notRun ? { notRunReason: notRun } : {}),
        ...(opts.fingerprint ? { fingerprint: opts.fingerprint } : {}),
        ...(task.kind === 'coding' ? { check: checkRun ? record(checkRun) : null } : {}),
        ...(tampered.size ? { tampered: [...tampered].sort() } : {}),
        ...(opts.shard ? { shard: opts.shard } : {}),
      },
    };
  } finally {
    if (copy) await rm(copy, { recursive: true, force: true });
  }
}

/** The extra usage counters of every step of the runs, summed; nothing when no step reported any. */
function extraUsageOf(traces: TraceDocument[]): { extraUsage?: Record<string, number> } {
  const sum: Record<string, number> = {};
  for (const step of traces.flatMap((t) => t.rounds.flatMap((r) => r.steps))) {
    for (const [k, v] of Object.entries(step.extraUsage ?? {})) sum[k] = (sum[k] ?? 0) + v;
  }
  return Object.keys(sum).length ? { extraUsage: sum } : {};
}
