import type { BudgetTracker } from './budget';
import type { WorkerConfig } from './config';
import { buildRepairPrompt, mergeRepair, parseEditBlocks, planEdits, planDiff } from './edits';
import type { FileEditPlan, WorkspaceFiles } from './edits/types';
import { executeRound } from './executor';
import { pendingSteps } from './executor';
import type { TraceEdit, TraceEvent } from './trace/types';
import type { Usage, Worker } from './workers/types';

export interface RunEditsInput {
  text: string;
  workspace: WorkspaceFiles;
  repair: boolean;
  repairWith: WorkerConfig | null;
  /** Index the repair round gets in the trace. */
  round: number;
  task: string;
  getWorker(cfg: WorkerConfig): Promise<Worker>;
  costOf(cfg: WorkerConfig, usage: Usage): number;
  budget: BudgetTracker;
  signal: AbortSignal;
  emit(e: TraceEvent): void;
  clock(): number;
}

/**
 * Parses the final answer for edit blocks and matches them against the workspace (nothing is
 * written). Blocks that fail are sent back to the coder once, for those files only.
 */
export async function planRunEdits(input: RunEditsInput): Promise<FileEditPlan[]> {
  const { blocks, errors } = parseEditBlocks(input.text);
  if (errors.length > 0 && input.round > 0) {
    input.emit({ type: 'round-note', round: input.round - 1, note: `Some edit blocks could not be read: ${errors.join(' ')}` });
  }
  if (blocks.length === 0) return [];
  let plans = await planEdits(blocks, input.workspace);
  const failed = plans.filter((p) => p.status === 'failed');
  if (failed.length > 0 && input.repair && input.repairWith && !input.budget.refusal()) {
    const current = new Map<string, string | null>();
    // A file that could not be read failed for that reason; the prompt then shows no text for it.
    for (const p of failed) current.set(p.path, await input.workspace.read(p.path).catch(() => null));
    const prompt = buildRepairPrompt(failed, (path) => current.get(path) ?? null);
    const workflow = { model_id: [0], subtasks: [prompt], access_list: [[]] };
    const pool = [input.repairWith];
    input.emit({
      type: 'round-started',
      round: input.round,
      kind: 'repair',
      workflow,
      policy: { backend: 'repair', rawAnswers: [], rejections: failed.map((p) => `${p.path}: ${p.reason}`), fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
      steps: pendingSteps(workflow, pool),
    });
    // The coder sees its own earlier answer, then the failures.
    const repairTask = `${input.task}\n\nYour earlier answer:\n\n${input.text}`;
    const outcome = await executeRound({ ...input, workflow, pool, task: repairTask, round: input.round });
    // A cancelled run proposes nothing; the caller reports the cancel.
    if (outcome.status === 'cancelled') return [];
    if (outcome.status === 'succeeded') {
      const again = parseEditBlocks(outcome.outputs[0]).blocks.filter((b) => failed.some((p) => p.path === b.path));
      if (again.length > 0) plans = mergeRepair(plans, await planEdits(again, input.workspace));
    } else {
      input.emit({ type: 'round-note', round: input.round, note: `The repair round did not finish: ${outcome.error}` });
    }
  }
  input.emit({ type: 'edits', edits: plans.map(toTraceEdit) });
  return plans;
}

export function toTraceEdit(p: FileEditPlan): TraceEdit {
  return {
    path: p.path,
    status: p.status,
    reason: p.reason,
    action: p.action,
    blocks: p.blocks.length,
    diff: p.status === 'proposed' ? planDiff(p) : '',
  };
}
