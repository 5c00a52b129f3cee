import type { WorkerConfig } from './config';
import { buildRepairPrompt, mergeRepair, parseEditBlocks, planEdits, planDiff } from './edits';
import type { FileEditPlan, WorkspaceFiles } from './edits/types';
import { executeRound, pendingSteps } from './executor';
import type { RunContext } from './runContext';
import type { TraceEdit } from './trace/types';

export interface RunEditsInput {
  /** The answer whose edit blocks are planned. */
  text: string;
  workspace: WorkspaceFiles;
  repair: boolean;
  repairWith: WorkerConfig | null;
  /** Index the repair round gets in the trace. */
  round: number;
  task: string;
}

/**
 * Parses the final answer for edit blocks and matches them against the workspace (nothing is
 * written). Blocks that fail are sent back to the coder once, for those files only.
 */
export async function planRunEdits(ctx: RunContext, input: RunEditsInput): Promise<FileEditPlan[]> {
  const { blocks, errors } = parseEditBlocks(input.text);
  if (errors.length > 0 && input.round > 0) {
    ctx.emit({ type: 'round-note', round: input.round - 1, note: `Some edit blocks could not be read: ${errors.join(' ')}` });
  }
  if (blocks.length === 0) return [];
  let plans = await planEdits(blocks, input.workspace);
  const failed = plans.filter((p) => p.status === 'failed');
  if (failed.length > 0 && input.repair && input.repairWith && !ctx.budget.refusal()) {
    const current = new Map<string, string | null>();
    // A file that could not be read failed for that reason; the prompt then shows no text for it.
    for (const p of failed) current.set(p.path, await input.workspace.read(p.path).catch(() => null));
    const prompt = buildRepairPrompt(failed, (path) => current.get(path) ?? null);
    const workflow = { model_id: [0], subtasks: [prompt], access_list: [[]] };
    const pool = [input.repairWith];
    ctx.emit({
      type: 'round-started',
      round: input.round,
      kind: 'repair',
      workflow,
      policy: { backend: 'repair', rawAnswers: [], rejections: failed.map((p) => `${p.path}: ${p.reason}`), fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 },
      steps: pendingSteps(workflow, pool),
    });
    // The coder sees its own earlier answer, then the failures.
    const repairTask = `${input.task}\n\nYour earlier answer:\n\n${input.text}`;
    const outcome = await executeRound({ ...ctx, workflow, pool, task: repairTask, round: input.round, toolsForEveryStep: true });
    // A cancelled run proposes nothing; the caller reports the cancel.
    if (outcome.status === 'cancelled') return [];
    if (outcome.status === 'succeeded') {
      const again = parseEditBlocks(outcome.outputs[0]).blocks.filter((b) => failed.some((p) => p.path === b.path));
      if (again.length > 0) plans = mergeRepair(plans, await planEdits(again, input.workspace));
    } else {
      ctx.emit({ type: 'round-note', round: input.round, note: `The repair round did not finish: ${outcome.error}` });
    }
  }
  ctx.emit({ type: 'edits', edits: plans.map(toTraceEdit) });
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
