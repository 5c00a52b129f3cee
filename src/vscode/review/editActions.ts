import type { EditApplyResult } from '../../protocol/traceView';
import type { EditActions } from '../trace/traceView';
import { reportApply } from './reviewCommands';
import type { Reviews } from './reviews';

/** The trace panel's Preview / Apply / Reject buttons, driving the same review as the commands. */
export function reviewEditActions(reviews: Reviews): EditActions {
  const gone = 'The edits of this run are no longer open for review.';
  return {
    async preview(runId, path) {
      const session = reviews.byRun(runId);
      if (!session) return { ok: false, message: gone };
      const ok = await session.preview(path);
      return { ok, message: ok ? null : `${path} is no longer waiting for review.` };
    },
    async apply(runId, paths): Promise<EditApplyResult> {
      const session = reviews.byRun(runId);
      if (!session) return { applied: [], failed: (paths ?? []).map((path) => ({ path, reason: gone })) };
      const out = await session.accept(paths ?? undefined);
      reportApply(out);
      return { applied: out.applied, failed: out.failed };
    },
    async reject(runId) {
      await reviews.byRun(runId)?.reject();
    },
  };
}
