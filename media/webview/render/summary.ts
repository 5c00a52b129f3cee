// The run's heading, its totals and the budget gauge.
import { runTitle } from '../../../src/core/trace/title';
import type { TraceDocument } from '../../../src/core/trace/types';
import { formatMs, formatTokens, formatUsd, h } from '../dom';
import { budgetUse, totalsOf } from '../totals';

export function renderHead(doc: TraceDocument, actions: { exportRun: () => void; openInEditor: () => void }): HTMLElement {
  const title = runTitle(doc);
  return h('header', { class: 'run-head' },
    h('div', { class: 'run-title' },
      h('span', { class: `badge status-${doc.status}` }, doc.status.replace('_', ' ')),
      h('span', { class: 'task', title }, title || '(starting…)'),
    ),
    h('div', { class: 'run-sub muted' }, `policy ${doc.policy || '—'}`),
    doc.context.length ? h('details', { class: 'context' },
      h('summary', {}, `Context sent: ${doc.context.length} ${doc.context.length === 1 ? 'file' : 'files'}`),
      h('ul', {}, ...doc.context.map((c) => h('li', {}, h('code', {}, c))))) : h('div', { class: 'muted' }, 'No context files sent.'),
    // The task built around the user's words (inline: the instruction and the code around the cursor).
    title !== doc.task ? h('details', { class: 'task-sent' },
      h('summary', {}, 'Task as the workers saw it'),
      h('pre', { class: 'raw-answer' }, doc.task)) : null,
    doc.error ? h('div', { class: 'error', role: 'alert' }, doc.error) : null,
    h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', onclick: actions.exportRun, disabled: doc.status === 'running' }, 'Export'),
      h('button', { type: 'button', class: 'secondary', onclick: actions.openInEditor }, 'Open in editor'),
    ),
  );
}

function gauge(label: string, fraction: number, text: string): HTMLElement {
  const pct = Math.min(100, Math.round(fraction * 100));
  const fill = h('span', { class: 'gauge-fill' });
  fill.style.width = `${pct}%`; // CSSOM: inline style attributes are forbidden by the CSP
  return h('div', {
    class: `gauge${fraction >= 1 ? ' over' : fraction >= 0.8 ? ' near' : ''}`,
    role: 'meter', 'aria-label': label, 'aria-valuemin': 0, 'aria-valuemax': 100, 'aria-valuenow': pct, 'aria-valuetext': text,
  }, h('span', { class: 'gauge-label' }, label), h('span', { class: 'gauge-track' }, fill), h('span', { class: 'gauge-text' }, text));
}

export function renderTotals(doc: TraceDocument, now?: number): HTMLElement {
  const t = totalsOf(doc, now);
  const use = budgetUse(doc, t);
  const b = doc.budget;
  return h('section', { class: 'totals', 'aria-label': 'Totals' },
    h('dl', {},
      h('dt', {}, 'Calls'), h('dd', { 'data-total': 'calls' }, String(t.calls)),
      h('dt', {}, 'Tokens'), h('dd', { 'data-total': 'tokens' }, `${formatTokens(t.inputTokens)} in / ${formatTokens(t.outputTokens)} out`),
      h('dt', {}, 'Cost'), h('dd', { 'data-total': 'cost' }, formatUsd(t.costUsd)),
      h('dt', {}, 'Wall time'), h('dd', { 'data-total': 'wall' }, formatMs(t.wallMs)),
    ),
    h('div', { class: 'budget', 'aria-label': 'Budget' },
      gauge('Calls', use.calls, `${t.calls} / ${b.maxCalls}`),
      gauge('Tokens', use.tokens, `${formatTokens(t.inputTokens + t.outputTokens)} / ${formatTokens(b.maxTokens)}`),
      gauge('Cost', use.cost, `${formatUsd(t.costUsd)} / ${formatUsd(b.maxCostUsd)}`),
    ),
  );
}
