// [verify] The run's check card: the question whether to check the edits, asked without holding the
// run up, with its answers as buttons; once answered, what was chosen.
import type { CheckAnswer, TraceDocument } from '../../../src/core/trace/types';
import { h } from '../dom';

const LABEL: Record<CheckAnswer, string> = { run: 'Run checks', 'not-now': 'Not now', never: 'Never for this workspace' };

/**
 * Null when the run asked nothing. `open`: the host can still act on an answer (the run is going, or
 * its edits wait in the review); a question left unanswered in a past run shows no buttons.
 */
export function renderCheckQuestion(doc: TraceDocument, open: boolean, message: string, answer: (a: CheckAnswer) => void): HTMLElement | null {
  const q = doc.final.checkQuestion;
  if (!q) return null;
  const cmd = h('code', {}, q.command);
  if (q.answer) {
    const said = q.answer === 'run'
      ? ['Checks: ', cmd, doc.final.check ? ' ran (see its step).' : ' runs in a scratch copy of the workspace.']
      : ['No check: you chose ', q.answer === 'never' ? 'never to run ' : 'not to run ', cmd, q.answer === 'never' ? ' in this workspace.' : ' this time.'];
    return h('section', { class: 'check-question answered', 'aria-label': 'Checks', 'data-answer': q.answer }, h('p', {}, ...said));
  }
  const why = q.detected ? h('span', { class: 'muted' }, ` (found because ${q.detected})`) : null;
  const when = doc.status === 'running'
    ? 'The run does not wait for your answer; the check starts when you answer.'
    : 'The edits are ready and wait in the review, unchecked.';
  return h('section', { class: 'check-question', 'aria-label': 'Checks', 'data-answer': 'none' },
    h('p', {}, 'Check Fugu’s edits with ', cmd, why, '? It runs in a scratch copy of the workspace, never in your files, and without your API keys.'),
    h('p', { class: 'muted' }, open ? when : 'This question was not answered while the run could use it.'),
    open ? h('div', { class: 'actions' },
      ...(['run', 'not-now', 'never'] as const).map((a) =>
        h('button', { type: 'button', class: a === 'run' ? 'primary' : 'secondary', 'data-answer': a, onclick: () => answer(a) }, LABEL[a])),
    ) : null,
    message ? h('p', { class: 'error', role: 'status' }, message) : null,
  );
}
