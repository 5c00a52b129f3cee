// Past runs: select one to view it, delete it, or import a trace file.
import type { RunSummary } from '../../../src/protocol/traceView';
import { formatUsd, h } from '../dom';

export interface HistoryHandlers {
  select(runId: string): void;
  remove(runId: string): void;
  importTrace(): void;
}

export function renderHistory(history: RunSummary[], current: string | null, on: HistoryHandlers): HTMLElement {
  const rows = history.map((r) => {
    const when = r.createdAt ? new Date(r.createdAt).toLocaleString() : '';
    return h('li', { class: `history-row${r.id === current ? ' current' : ''}` },
      h('button', {
        type: 'button', class: 'history-open', title: r.task, 'aria-current': r.id === current ? 'true' : null,
        onclick: () => on.select(r.id),
      },
      h('span', { class: `badge status-${r.status}` }, r.status.replace('_', ' ')),
      h('span', { class: 'history-task' }, r.task),
      h('span', { class: 'muted' }, `${when} · ${formatUsd(r.costUsd)}`),
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
