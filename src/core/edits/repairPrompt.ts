// The one extra message sent to the coder when blocks fail: what failed, why, and the current text
// of the region involved, asking for corrected blocks for those files only.
import { EDIT_FORMAT_INSTRUCTIONS } from './editFormat';
import type { FileEditPlan } from './types';

/** Files up to this many lines are shown whole; longer ones as windows around the failures. */
const WHOLE_FILE_LINES = 200;
const WINDOW_RADIUS = 30;
const NO_CANDIDATE_LINES = 120;

export function buildRepairPrompt(failedPlans: FileEditPlan[], currentText: (path: string) => string | null): string {
  const failed = failedPlans.filter((p) => p.status === 'failed');
  const out: string[] = [
    'Some of your SEARCH/REPLACE blocks could not be applied, so none of the changes to the files below were made.',
    'For each file listed, reply with the complete corrected set of blocks for that file (including the blocks that did not fail: a file\'s blocks are applied together or not at all). Copy SEARCH text exactly from the current text shown here. Do not send blocks for any other file.',
    '',
  ];
  for (const plan of failed) {
    out.push(`## ${plan.path}`, '');
    if (plan.failures.length > 0) for (const f of plan.failures) out.push(`- ${f.reason}`);
    else out.push(`- ${plan.reason ?? 'The blocks could not be applied.'}`);
    out.push('');
    const text = currentText(plan.path);
    if (text === null) {
      out.push(`${plan.path} does not exist in the workspace. To create it, use an empty SEARCH part.`, '');
      continue;
    }
    out.push(...excerpt(plan, text), '');
  }
  out.push('Line numbers above are for reference only; never put them in SEARCH or REPLACE.', '', EDIT_FORMAT_INSTRUCTIONS);
  return out.join('\n');
}

function excerpt(plan: FileEditPlan, text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  const width = String(lines.length).length;
  const show = (a: number, b: number) => {
    const rows: string[] = [];
    for (let i = a; i < b; i++) rows.push(`${String(i + 1).padStart(width)} | ${lines[i]}`);
    return rows;
  };
  if (lines.length <= WHOLE_FILE_LINES) {
    return [`Current text of ${plan.path} (${lines.length} lines):`, '```', ...show(0, lines.length), '```'];
  }
  const ranges: Array<[number, number]> = [];
  for (const f of plan.failures) {
    if (!f.closest) continue;
    const span = f.closest.text.split('\n').length;
    ranges.push([Math.max(0, f.closest.line - 1 - WINDOW_RADIUS), Math.min(lines.length, f.closest.line - 1 + span + WINDOW_RADIUS)]);
  }
  if (ranges.length === 0) ranges.push([0, Math.min(lines.length, NO_CANDIDATE_LINES)]);
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged[merged.length - 1];
    if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const out = [`Current text of ${plan.path} (${lines.length} lines; the regions near the failures):`];
  for (const [a, b] of merged) out.push('```', ...show(a, b), '```');
  return out;
}

/** Replaces each failed file's plan with its repaired plan, if the repair produced one; other plans stay. */
export function mergeRepair(original: FileEditPlan[], repaired: FileEditPlan[]): FileEditPlan[] {
  const byPath = new Map(repaired.map((p) => [p.path, p]));
  return original.map((p) => (p.status === 'failed' && byPath.has(p.path) ? byPath.get(p.path)! : p));
}
