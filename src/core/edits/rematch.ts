// A plan was matched against the file as it was when the run began; by the time it is applied (on
// disk by the CLI, or as a WorkspaceEdit in the editor) the user may have changed the file. This is
// the one place that decides what to do then: match the plan's blocks again against the new text.
import { planFileEdits } from './planEdits';
import type { FileEditPlan } from './types';

export type Rematch =
  /** `plan` is what to write; `rematched` says its blocks were matched again against newer text. */
  | { ok: true; plan: FileEditPlan; rematched: boolean }
  | { ok: false; reason: string };

/** Checks a proposed plan against the file's current text (null: the file does not exist now). */
export function rematchPlan(plan: FileEditPlan, current: string | null): Rematch {
  if (current === plan.original) return { ok: true, plan, rematched: false };
  const again = planFileEdits(plan.path, plan.blocks, current);
  if (again.status === 'proposed') return { ok: true, plan: again, rematched: true };
  return { ok: false, reason: `${plan.path} changed since the run began and its blocks no longer apply: ${again.reason ?? 'they no longer match'}` };
}
