// The instructions the builtin policy writes for each step. Each worker also receives the user's
// task (with any context files) and the earlier steps its access list shows it.

import { EDIT_FORMAT_INSTRUCTIONS } from '../edits/editFormat';

export const VERDICT_PASS = 'VERDICT: PASS';
export const VERDICT_FAIL = 'VERDICT: FAIL';

export function answerSubtask(): string {
  return (
    'Answer the question in the task directly. Lead with the answer itself in one or two sentences, ' +
    'then add only the explanation or example needed to trust it. If the question is ambiguous, state the ' +
    'reading you chose. Do not invent facts; say so when you are unsure.'
  );
}

export function planSubtask(planners: number): string {
  const others =
    planners > 1
      ? `${planners - 1} other planner${planners > 2 ? 's are' : ' is'} planning the same task independently; do not hedge, commit to the plan you think is best. `
      : '';
  return (
    'Write an implementation plan for the task; another engineer will write the code from it. ' +
    others +
    'Produce exactly these sections:\n' +
    '1. Files to touch: every file to change or create (workspace-relative path) and, for each, what changes in it.\n' +
    '2. Approach: the steps in order, the functions, types or signatures to add or change, and how data flows between them.\n' +
    '3. Risks: edge cases, existing behaviour that must not break, and the tests to add or run.\n' +
    'Do not write the implementation: no code beyond a signature or a one-line example where it removes doubt. ' +
    'Base the plan on the files you were given; if something you need was not given, say which file and why. ' +
    'Keep it under 400 words.'
  );
}

export function codeSubtask(hasPlans: boolean): string {
  const plans = hasPlans
    ? 'The earlier messages hold independent plans for this task. Where they agree, follow them; where they ' +
      'disagree, take the approach that is correct and smallest, and say in one sentence which you chose and why. '
    : '';
  return (
    'Write the code that completes the task. ' +
    plans +
    'Change only what the task needs, keep the existing style, and handle the edge cases the task implies. ' +
    'Before the edits, write at most five lines on what you changed. Then output every change as edit blocks.\n\n' +
    EDIT_FORMAT_INSTRUCTIONS
  );
}

export function reviewSubtask(): string {
  return (
    'Review the code change in the previous message against the task; do not rewrite it. Check:\n' +
    '1. Completeness: it does everything the task asks, and nothing unrelated.\n' +
    '2. Correctness: logic errors, off-by-one, null or undefined values, error handling, and the edge cases and risks named in the plans.\n' +
    '3. The edit blocks: every SEARCH part must be copied exactly from the current file (the task includes the files), ' +
    'paths must be workspace-relative, new files must be complete, and no block may empty a file by accident.\n' +
    '4. Safety: no secrets, no broken imports or types, no changes outside the workspace.\n' +
    'List each defect that must be fixed as: file, what is wrong, the concrete fix. Ignore matters of taste. ' +
    `End your answer with exactly one line: "${VERDICT_PASS}" if nothing must be fixed, or "${VERDICT_FAIL}" otherwise.`
  );
}

export function conductorSubtask(): string {
  return 'Read the review: accept the code if it passed, otherwise order one corrective round.';
}

export function correctiveSubtask(review: string, previousCode: string): string {
  return (
    'A reviewer found defects in an earlier answer to this task. Write the corrected answer: fix every defect ' +
    'the review lists and keep everything else that was right. The earlier edit blocks were NOT applied, so ' +
    'output the complete set of edit blocks the task needs, written against the current files, not only the fixes.\n\n' +
    '--- The review ---\n' +
    review.trim() +
    '\n\n--- The earlier answer ---\n' +
    previousCode.trim() +
    '\n\n--- Edit format ---\n' +
    EDIT_FORMAT_INSTRUCTIONS
  );
}

export function analysisSubtask(): string {
  return (
    'Work out a thorough answer to the task. Identify what is really being asked, reason through it step by ' +
    'step, check your conclusions, and note anything uncertain. Another model will combine your analysis with ' +
    'others into the final answer, so be complete rather than polished.'
  );
}

export function synthesisSubtask(hasAnalyses: boolean): string {
  const from = hasAnalyses
    ? 'The earlier messages hold independent analyses of the task. Compare them, keep what is correct, resolve disagreements explicitly, and '
    : '';
  return `${from}write the final answer to the task: clear, complete and well organised, with the conclusion first.`;
}

/** The last verdict line in a review, or null when it has none. */
export function parseVerdict(review: string): 'PASS' | 'FAIL' | null {
  const all = [...review.matchAll(/^[\s>*_`#-]*VERDICT[\s*_`]*:[\s*_`]*(PASS|FAIL)\b/gim)];
  const last = all.pop();
  return last ? (last[1].toUpperCase() as 'PASS' | 'FAIL') : null;
}
