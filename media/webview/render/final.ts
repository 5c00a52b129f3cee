// The final answer and its edits, with Preview diff / Apply / Reject sent to the host as requests.
import type { TraceDocument, TraceEdit } from '../../../src/core/trace/types';
import { h, setMarkdown } from '../dom';

export interface EditHandlers {
  preview(path: string): void;
  apply(paths: string[] | null): void;
  reject(): void;
}

/** A markdown code fence that the code itself cannot close. */
export function fenced(code: string, lang: string): string {
  const longest = Math.max(2, ...Array.from(code.matchAll(/`+/g), (m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${code}\n${fence}`;
}

function editRow(e: TraceEdit, open: boolean, on: EditHandlers): HTMLElement {
  const diff = h('div', { class: 'diff' });
  const details = h('details', {}, h('summary', {}, 'Diff'), diff);
  details.addEventListener('toggle', () => {
    if ((details as HTMLDetailsElement).open && !diff.childNodes.length) setMarkdown(diff, e.diff ? fenced(e.diff, 'diff') : '(no diff)');
  }, { once: false });
  return h('li', { class: `edit status-${e.status}`, 'data-path': e.path },
    h('div', { class: 'edit-head' },
      h('code', { class: 'edit-path' }, e.path),
      h('span', { class: 'muted' }, ` ${e.action} · ${e.blocks} block(s) · `),
      h('span', { class: 'edit-status' }, e.status),
    ),
    e.reason ? h('div', { class: 'error' }, e.reason) : null,
    // A failed or refused edit has nothing to preview or apply: its reason is the whole story.
    e.status === 'proposed' ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'secondary', disabled: !open, onclick: () => on.preview(e.path) }, 'Preview diff'),
      h('button', { type: 'button', class: 'secondary', disabled: !open, onclick: () => on.apply([e.path]) }, 'Apply'),
    ) : null,
    e.diff ? details : null,
  );
}

export function renderFinal(doc: TraceDocument, reviewable: string[], message: string, on: EditHandlers): HTMLElement {
  const text = h('div', { class: 'output final-text' });
  if (doc.final.text) setMarkdown(text, doc.final.text);
  else text.append(h('span', { class: 'muted' }, doc.status === 'running' ? 'Waiting for the last step…' : '(no final answer)'));
  const open = new Set(reviewable);
  const edits = doc.final.edits;
  return h('section', { class: 'final', 'aria-label': 'Result' },
    h('h2', {}, 'Result'),
    text,
    edits.length ? h('h2', {}, `Edits (${edits.length})`) : null,
    edits.length ? h('ul', { class: 'edits' }, ...edits.map((e) => editRow(e, open.has(e.path), on))) : null,
    edits.length ? h('div', { class: 'actions' },
      h('button', { type: 'button', class: 'primary', disabled: !open.size, onclick: () => on.apply(null) }, 'Apply all'),
      h('button', { type: 'button', class: 'secondary', disabled: !open.size, onclick: () => on.reject() }, 'Reject'),
    ) : null,
    h('div', { class: 'review-message', role: 'status', 'aria-live': 'polite' }, message),
  );
}
