// Unified diff of a plan, git-style (a/ b/ paths, /dev/null for a created or deleted file).
import { createTwoFilesPatch } from 'diff';
import type { FileEditPlan } from './types';

export function planDiff(plan: FileEditPlan, context = 3): string {
  if (plan.status !== 'proposed') return '';
  const before = plan.action === 'create' ? '' : plan.original ?? '';
  const after = plan.action === 'delete' ? '' : plan.proposed ?? '';
  if (before === after && plan.action === 'modify') return '';
  const oldName = plan.action === 'create' ? '/dev/null' : `a/${plan.path}`;
  const newName = plan.action === 'delete' ? '/dev/null' : `b/${plan.path}`;
  const patch = createTwoFilesPatch(oldName, newName, before, after, undefined, undefined, { context });
  // The library starts with a line of '=' meant for its own format; git's form begins at '---'.
  return patch.slice(patch.indexOf('--- '));
}

/** Diffs of all proposed plans, one after the other (what `fugu solve --diff` prints). */
export function plansDiff(plans: FileEditPlan[], context = 3): string {
  return plans.map((p) => planDiff(p, context)).filter(Boolean).join('');
}
