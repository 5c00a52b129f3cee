// Past runs: the user's words, status, cost, age and (when checks ran) their verdict; select one to
// view it, delete it, or import a trace file.
import type { RunCheckVerdict, RunSummary } from '../../../src/protocol/traceView';
import { formatAge, formatUsd, h } from '../dom';

export interface HistoryHandlers {
  select(runId: string): void;
  remove(runId: string): void;
  importTrace(): void;
}

const VERDICT: Record<RunCheckVerdict['verdict'], string> = {
  passed: '✓ checks pass',
  failed: '✗ checks fail',
  unverified: 'checks not run',
};

function checkBadge(check: RunCheckVerdict | undefined): HTMLElement | null {
  if (!check) return null;
  return h('span', { class: `check-verdict verdict-${check.verdict}`, title: check.command }, VERDICT[check.verdict]);
}

/** `now` (ms since the epoch) is when the list is drawn; the ages are relative to it. */
export function renderHistory(history: RunSummary[], current: string | null, now: number, on: HistoryHandlers): HTMLElement {
  const rows = history.map((r) => {
    const at = Date.parse(r.createdAt);
    const exact = Number.isFinite(at) ? new Date(at).toLocaleString() : '';
    return h('li', { class: `history-row${r.id === current ? ' current' : ''}`, 'data-run': r.id },
      h('button', {
        type: 'button', class: 'history-open', title: r.task, 'aria-current': r.id === current ? 'true' : null,
        onclick: () => on.select(r.id),
      },
      h('span', { class: `badge status-${r.status}` }, r.status.replace('_', ' ')),
      h('span', { class: 'history-task' }, r.task),
      h('span', { class: 'history-meta muted' },
        h('span', { class: 'history-cost' }, formatUsd(r.costUsd)),
        exact ? h('time', { class: 'history-age', datetime: r.createdAt, title: exact }, formatAge(r.createdAt, now)) : null,
        checkBadge(r.check),
      ),
      ),
      h('button', { type: 'button', class: 'icon', title: 'Delete run', 'aria-label': `Delete run: ${r.task}`, onclick: () => on.remove(r.id) }, '✕'),
    );
  });
  return h('section', { class: 'history', 'aria-label': 'History' },
    h('div', { class: 'history-head' },
      h('h2', {}, `History (${history.length})`),
      h('button', { type: 'button', class: 'secondary', onclick: on.importTrace }, 'Import…'),
    ),
    rows.length ? h('ul', {}, ...rows) : h('p', { class: 'muted' }, 'No past runs yet.'),
  );
}
