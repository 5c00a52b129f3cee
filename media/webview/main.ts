// The trace view app. Messages update the view-model at once (cheap: the core reducer appends text);
// painting happens at most once per animation frame and touches only what changed.
import { h } from './dom';
import { HostClient, type VsCodeApi } from './hostClient';
import { layoutWorkflow, timelineOf } from './layout';
import { LiveClock } from './liveClock';
import { CardView } from './render/cards';
import { renderFinal } from './render/final';
import { renderGraph } from './render/graph';
import { renderCheckQuestion } from './render/checkQuestion';
import { renderHistory } from './render/history';
import { renderStart } from './render/start';
import { renderRoundHead, renderRoundNote } from './render/round';
import { renderHead, renderTotals } from './render/summary';
import { renderTimeline } from './render/timeline';
import { stepKey, TraceViewModel } from './viewModel';

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const model = new TraceViewModel();
let reviewMessage = '';
let frame = 0;

const root = document.getElementById('app')!;
const runEl = h('div', { class: 'run' });
const historyEl = h('div', {});
root.replaceChildren(runEl, historyEl);

const head = h('div', {});
const totals = h('div', {});
const graph = h('section', { class: 'graph-wrap', 'aria-label': 'Workflow' });
const timeline = h('section', { class: 'timeline-wrap', 'aria-label': 'Timeline' });
const cardsEl = h('section', { class: 'cards', 'aria-label': 'Steps' });
const finalEl = h('div', {});
const questionEl = h('div', {});
let questionMessage = '';
const cards = new Map<string, CardView>();

const client = new HostClient(vscode, {
  'trace/didStart': (p) => {
    model.start(p.runId);
    reviewMessage = '';
    questionMessage = '';
    schedule();
  },
  'trace/events': (p) => {
    if (model.applyBatch(p.runId, p.seq, p.events) === 'gap') refresh();
    schedule();
  },
  'trace/didChangeHistory': (p) => {
    model.setHistory(p.history);
    schedule();
  },
  'trace/didLoad': (p) => {
    if (p.run.doc.id !== model.runId) reviewMessage = '';
    model.load(p.run);
    schedule();
  },
  'edits/didChangeReview': (p) => {
    model.setReview(p.runId, p.reviewable);
    schedule();
  },
}, (msg) => console.warn(`[fugu] ${msg}`));

window.addEventListener('message', (e) => client.receive(e.data));

function refresh(): void {
  const saved = vscode.getState() as { runId?: unknown } | undefined;
  const runId = model.runId ?? (typeof saved?.runId === 'string' ? saved.runId : null);
  client.request('trace/get-state', { runId }).then((state) => {
    model.loadState(state);
    schedule();
  }, (err: Error) => console.warn(`[fugu] could not load the trace: ${err.message}`));
}

// While a run is live its running bars and wall time grow twice a second, between events.
const clock = new LiveClock();
let ticked = false;
setInterval(() => {
  if (model.doc?.status !== 'running') return;
  ticked = true;
  schedule();
}, 500);

// The graph is laid out for the panel's width: drawn again when that width changes (not on every
// streamed token; between step events its picture does not change).
let graphWidth = 0;
let graphDrawn = '';
new ResizeObserver((entries) => {
  const w = Math.floor(entries[entries.length - 1].contentRect.width);
  if (w === graphWidth) return;
  graphWidth = w;
  schedule();
}).observe(graph);

// Ages in the history list ("3 min ago") move on by themselves.
setInterval(() => {
  if (model.history.length) {
    model.setHistory(model.history);
    schedule();
  }
}, 60_000);

function schedule(): void {
  if (!frame) frame = requestAnimationFrame(paint);
}

function select(key: string): void {
  model.select(key);
  model.collapsed.delete(key);
  schedule();
  requestAnimationFrame(() => cards.get(key)?.root.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
}

function toggle(key: string): void {
  model.toggle(key);
  schedule();
}

const editHandlers = {
  preview(path: string) {
    const runId = model.runId;
    if (!runId) return;
    client.request('edits/preview', { runId, path }).then(
      (r) => setReviewMessage(r.ok ? '' : r.message ?? 'Could not preview this edit.'),
      (err: Error) => setReviewMessage(err.message),
    );
  },
  apply(paths: string[] | null) {
    const runId = model.runId;
    if (!runId) return;
    setReviewMessage('Applying…');
    client.request('edits/apply', { runId, paths }).then((r) => {
      const parts = [`Applied ${r.applied.length} file(s).`];
      for (const f of r.failed) parts.push(`${f.path}: ${f.reason}`);
      setReviewMessage(parts.join(' '));
    }, (err: Error) => setReviewMessage(err.message));
  },
  reject() {
    const runId = model.runId;
    if (!runId) return;
    client.request('edits/reject', { runId }).then(() => setReviewMessage('Edits rejected.'), (err: Error) => setReviewMessage(err.message));
  },
};

function answerCheck(answer: 'run' | 'not-now' | 'never'): void {
  const runId = model.runId;
  if (!runId) return;
  client.request('check/answer', { runId, answer }).then((r) => {
    questionMessage = r.ok ? '' : r.message ?? 'The answer was not taken.';
    model.setReview(runId, model.reviewable); // marks the question for repaint
    schedule();
  }, (err: Error) => {
    questionMessage = err.message;
    schedule();
  });
}

function setReviewMessage(text: string): void {
  reviewMessage = text;
  model.setReview(model.runId ?? '', model.reviewable); // marks the result section for repaint
  schedule();
}

function paint(): void {
  frame = 0;
  const c = model.takeChanges();
  const doc = model.doc;
  // Remembered across hide/show (the webview is not kept alive while hidden).
  if (c.run) vscode.setState({ runId: model.runId });
  if (c.history) {
    historyEl.replaceChildren(renderHistory(model.history, model.runId, Date.now(), {
      select: (runId) => client.command('trace/select-run', { runId }),
      remove: (runId) => client.command('trace/delete-run', { runId }),
      importTrace: () => client.command('trace/import', {}),
    }));
  }
  if (!doc) {
    runEl.replaceChildren(model.loaded
      ? renderStart(model.demoTask, (action) => client.command('trace/start', { action }))
      : h('p', { class: 'muted empty' }, 'Loading the last run…'));
    return;
  }
  if (c.run || c.final) {
    const open = doc.status === 'running' || model.reviewable.length > 0;
    questionEl.replaceChildren(renderCheckQuestion(doc, open, questionMessage, answerCheck) ?? '');
  }
  if (c.run) {
    cards.clear();
    runEl.replaceChildren(head, totals, questionEl, graph, timeline, cardsEl, finalEl);
    head.replaceChildren(renderHead(doc, {
      exportRun: () => client.command('trace/export', { runId: doc.id }),
      openInEditor: () => client.command('trace/open-in-editor', { runId: doc.id }),
    }));
    const all: HTMLElement[] = [];
    for (const round of doc.rounds) {
      if (!round) continue;
      all.push(renderRoundHead(round));
      for (const step of round.steps) {
        const key = stepKey(round.index, step.index);
        const card = new CardView(key, step, toggle);
        cards.set(key, card);
        card.update(step, model.collapsed.has(key), model.selected === key);
        all.push(card.root);
      }
      const note = renderRoundNote(round);
      if (note) all.push(note);
    }
    cardsEl.replaceChildren(...all);
  } else {
    for (const key of c.steps) {
      const step = model.step(key);
      if (step) cards.get(key)?.update(step, model.collapsed.has(key), model.selected === key);
    }
    if (c.view) for (const [key, card] of cards) card.root.classList.toggle('selected', key === model.selected);
  }
  // Graph and timeline are small (a handful of steps). The graph is drawn again only when a step's
  // status, the selection or the panel's width changes; the totals and timeline also on each tick
  // of the live clock.
  const now = clock.now(doc);
  const width = graphWidth || graph.clientWidth;
  const drawn = graphSignature(doc, width, model.selected);
  if (c.run || drawn !== graphDrawn) {
    graphDrawn = drawn;
    graph.replaceChildren(renderGraph(layoutWorkflow(doc), width, model.selected, select));
  }
  if (c.run || c.totals || c.view || ticked) {
    totals.replaceChildren(renderTotals(doc, now));
    timeline.replaceChildren(renderTimeline(timelineOf(doc, now), model.selected, select));
  }
  ticked = false;
  if (c.run || c.final) finalEl.replaceChildren(renderFinal(doc, model.reviewable, reviewMessage, editHandlers));
}

/** What the graph shows: redrawn only when this changes. */
function graphSignature(doc: NonNullable<TraceViewModel['doc']>, width: number, selected: string | null): string {
  const steps = doc.rounds.map((r) => (r ? `${r.index}:${r.steps.map((st) => st.status).join(',')}` : '')).join('|');
  return `${doc.id}|${width}|${selected}|${steps}`;
}

// Arrow keys move between step cards; Enter/Space on a card's heading (a button) toggles it.
cardsEl.addEventListener('keydown', (e) => {
  if (e.key !== 'ArrowDown' && e.key !== 'ArrowUp') return;
  const buttons = Array.from(cardsEl.querySelectorAll<HTMLButtonElement>('.card-toggle'));
  const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
  if (i < 0) return;
  e.preventDefault();
  buttons[Math.max(0, Math.min(buttons.length - 1, i + (e.key === 'ArrowDown' ? 1 : -1)))].focus();
});

schedule();
refresh();
