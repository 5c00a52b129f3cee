// What the view shows with no run to show: one line on what Fugu does, the first things to do as
// buttons (each runs the same command as the palette), and in the demo the sample task.
import type { StartAction } from '../../../src/protocol/traceView';
import { h } from '../dom';

const ACTIONS: { action: StartAction; label: string; title: string }[] = [
  { action: 'solve', label: 'Solve with Fugu', title: 'Describe a change; planners and a coder propose edits for your review' },
  { action: 'generate-inline', label: 'Generate Inline', title: 'Write code at the cursor, offered as ghost text' },
  { action: 'set-api-key', label: 'Set API Key', title: 'Store a provider key (OpenAI, Anthropic, Gemini, Fugu) in VS Code’s secret storage' },
  { action: 'choose-models', label: 'Choose Models (Copilot)', title: 'Use the chat models VS Code already has (a Copilot subscription): no keys' },
];

export function renderStart(demoTask: string | null, run: (action: StartAction) => void): HTMLElement {
  return h('section', { class: 'start', 'aria-label': 'Start' },
    h('h2', {}, 'No run yet'),
    h('p', {}, 'Fugu sends one task to several models: planners work in parallel, a coder writes the edits, and every step shows up here. Nothing is written until you accept.'),
    h('div', { class: 'actions' },
      demoTask ? h('button', { type: 'button', class: 'primary', 'data-action': 'demo-task', title: demoTask, onclick: () => run('demo-task') }, 'Try the sample task') : null,
      ...ACTIONS.map((a) => h('button', { type: 'button', class: demoTask || a.action !== 'solve' ? 'secondary' : 'primary', 'data-action': a.action, title: a.title, onclick: () => run(a.action) }, a.label)),
    ),
    demoTask ? h('p', { class: 'muted' }, `Sample task: “${demoTask}”`) : null,
  );
}
