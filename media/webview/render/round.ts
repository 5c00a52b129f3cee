// A round's heading in the step list: its kind, the policy that wrote it (with the conductor's raw
// answers, rejections and fallback), and after its steps the note on how recursion ended.
import type { TraceRound } from '../../../src/core/trace/types';
import { h } from '../dom';
import { roundInfo } from '../roundInfo';

export function renderRoundHead(round: TraceRound): HTMLElement {
  const info = roundInfo(round);
  const answers = info.answers.map((a, i) =>
    h('div', {}, info.answers.length > 1 ? h('div', { class: 'label' }, `Answer ${i + 1}`) : null, h('pre', { class: 'raw-answer' }, a)));
  return h('div', { class: 'round-head', 'data-round': round.index },
    h('h3', { class: 'round-title' }, info.title),
    h('div', { class: 'muted' }, info.summary),
    info.fallback ? h('div', { class: 'warning', role: 'note' }, info.fallback) : null,
    info.learned ? h('div', { class: 'learned-card' },
      h('div', {}, `Learned pick: ${info.learned.headline}`),
      h('ol', { class: 'learned-top' }, ...info.learned.top.map((c) => h('li', c.picked ? { class: 'picked' } : {}, c.text)))) : null,
    info.rejections.length ? h('div', { class: 'label' }, info.rejectionsLabel) : null,
    info.rejections.length ? h('ul', { class: 'rejections' }, ...info.rejections.map((r) => h('li', {}, r))) : null,
    answers.length ? h('details', { class: 'raw-answers' },
      h('summary', {}, info.answers.length === 1 ? 'Conductor’s raw answer' : `Conductor’s raw answers (${info.answers.length})`), ...answers) : null,
  );
}

export function renderRoundNote(round: TraceRound): HTMLElement | null {
  if (!round.note) return null;
  return h('p', { class: 'round-note', 'data-round': round.index }, `Round ${round.index}: ${round.note}`);
}
