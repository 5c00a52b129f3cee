// One card per step. Streaming output is appended to a text node (only the new tail, at most once a
// frame); the finished output is rendered as markdown once. Collapsed cards skip body work entirely.
import type { TraceStep, TraceToolUse, TraceTurn } from '../../../src/core/trace/types';
import type { ToolCall } from '../../../src/core/workers/types';
import { formatMs, formatTokens, formatUsd, h, setMarkdown } from '../dom';
import { extraUsageItems } from '../format';

export const STATUS_ICON: Record<TraceStep['status'], string> = {
  pending: '○', running: '◐', succeeded: '✓', failed: '✗', cancelled: '⊘', skipped: '–',
};

export function stepTitle(step: TraceStep): string {
  return `#${step.index} ${step.worker}`;
}

// [verify] The check step's card: a pass/fail badge, exit code and the baseline beside it.
const CHECK_BADGE: Record<NonNullable<TraceStep['check']>['outcome'], string> = {
  passed: 'pass', failed: 'fail', timeout: 'unverified (timed out)', 'could-not-run': 'could not run', cancelled: 'cancelled',
};

function checkMeta(step: TraceStep, latency: string): string {
  const c = step.check!;
  const base = c.baseline ? `before the edits: ${c.baseline.outcome === 'passed' ? 'pass' : c.baseline.outcome === 'failed' ? `fail (exit ${c.baseline.exitCode})` : CHECK_BADGE[c.baseline.outcome]}` : 'no baseline';
  return [c.exitCode !== null ? `exit ${c.exitCode}` : null, latency, base, 'no model, no tokens'].filter(Boolean).join(' · ');
}

export class CardView {
  readonly root: HTMLElement;
  readonly toggle: HTMLButtonElement;
  private readonly status: HTMLElement;
  private readonly meta: HTMLElement;
  /** [verify] pass/fail of a check step. */
  private readonly badge: HTMLElement;
  private readonly extra: HTMLElement;
  private readonly body: HTMLElement;
  private readonly output: HTMLElement;
  private readonly error: HTMLElement;
  private readonly tools: HTMLElement;
  private readonly toolList: HTMLElement;
  private toolsPainted = '';
  /** The client's tool loop: earlier turns of an answering step, and the calls of its latest turn. */
  private readonly turns: HTMLElement;
  private readonly turnList: HTMLElement;
  private readonly calls: HTMLElement;
  private turnsPainted = '';
  private mode: 'none' | 'text' | 'markdown' = 'none';
  private stream: Text | null = null;
  private painted = 0;
  private renderedText = '';

  constructor(readonly key: string, step: TraceStep, onToggle: (key: string) => void) {
    this.status = h('span', { class: 'status' });
    this.toggle = h('button', { class: 'card-toggle', type: 'button', 'aria-expanded': 'true', onclick: () => onToggle(key) },
      this.status,
      h('span', { class: 'card-title' }, stepTitle(step)),
      h('span', { class: 'card-sub' }, step.provider === 'check' ? `check · ${step.model}` : `${step.provider} · ${step.model} · ${step.role}`),
    ) as HTMLButtonElement;
    this.badge = h('span', { class: 'check-badge', hidden: true });
    this.toggle.append(this.badge);
    this.meta = h('div', { class: 'card-meta' });
    this.extra = h('div', { class: 'card-meta extra-usage', hidden: true });
    this.output = h('div', { class: 'output' });
    this.error = h('div', { class: 'error', role: 'alert' });
    this.toolList = h('ol', { class: 'tool-uses' });
    this.tools = h('div', { class: 'tools', hidden: true }, h('div', { class: 'label' }, 'Workspace tools'), this.toolList);
    this.turnList = h('ol', { class: 'turns' });
    this.turns = h('div', { class: 'turns-box', hidden: true }, h('div', { class: 'label' }, 'Earlier turns (the client ran the tools between them)'), this.turnList);
    this.calls = h('div', { class: 'client-calls', hidden: true });
    this.body = h('div', { class: 'card-body' },
      h('div', { class: 'label' }, 'Subtask'),
      h('div', { class: 'subtask' }, step.subtask),
      this.error,
      this.tools,
      this.turns,
      h('div', { class: 'label' }, 'Output'),
      this.output,
      this.calls,
    );
    this.root = h('article', { class: 'card', 'data-key': key }, h('h3', {}, this.toggle), this.meta, this.extra, this.body);
  }

  update(step: TraceStep, collapsed: boolean, selected: boolean): void {
    this.root.dataset.status = step.status;
    this.root.classList.toggle('selected', selected);
    this.status.textContent = STATUS_ICON[step.status];
    this.status.title = step.status;
    this.toggle.setAttribute('aria-expanded', String(!collapsed));
    this.toggle.setAttribute('aria-label', `${stepTitle(step)}, ${step.status}`);
    const latency = step.startMs !== null && step.endMs !== null ? formatMs(step.endMs - step.startMs) : step.startMs !== null ? 'running' : '—';
    const parts = [
      `${formatTokens(step.usage.inputTokens)} in / ${formatTokens(step.usage.outputTokens)} out`,
      step.subscription ? `${formatUsd(step.costUsd)} (subscription)` : formatUsd(step.costUsd),
      latency,
    ];
    if (step.retries) parts.push(`${step.retries} ${step.retries === 1 ? 'retry' : 'retries'}`);
    if (step.access.length) parts.push(`sees ${step.access.map((a) => `#${a}`).join(', ')}`);
    this.meta.textContent = parts.join(' · ');
    if (step.check) this.meta.textContent = checkMeta(step, latency);
    this.badge.hidden = !step.check;
    if (step.check) {
      this.badge.textContent = CHECK_BADGE[step.check.outcome];
      this.badge.dataset.outcome = step.check.outcome;
    }
    // Counters beyond input/output tokens, e.g. hosted Fugu's orchestration work.
    const extra = extraUsageItems(step.extraUsage);
    this.extra.hidden = extra.length === 0;
    this.extra.textContent = extra.length ? `Provider also reported: ${extra.map((x) => `${x.label} ${x.value}`).join(' · ')}` : '';
    this.body.hidden = collapsed;
    if (collapsed) return;
    this.error.textContent = step.error ?? '';
    this.error.hidden = !step.error;
    this.paintTools(step.toolUses ?? []);
    this.paintTurns(step.turns ?? [], step.toolCalls ?? []);
    // A check's output is a terminal's: shown as it is, never as markdown.
    if (step.status === 'running' || step.status === 'pending' || step.check) this.paintStream(step.output);
    else this.paintMarkdown(step.output);
  }

  /** One row per call, updated in place (an open result stays open while the step streams on). */
  private paintTools(uses: TraceToolUse[]): void {
    const painted = uses.map((u) => `${u.id}:${u.result === null ? 'pending' : u.ok}`).join(',');
    if (painted === this.toolsPainted) return;
    this.toolsPainted = painted;
    this.tools.hidden = uses.length === 0;
    uses.forEach((u, i) => {
      let row = this.toolList.children[i] as HTMLElement | undefined;
      if (!row) {
        row = h('li', {}, h('details', {}, h('summary', {}), h('pre', { class: 'tool-result' })));
        this.toolList.append(row);
      }
      row.className = `tool-use ${u.result === null ? 'pending' : u.ok ? 'ok' : 'refused'}`;
      row.querySelector('summary')!.textContent = `${u.result === null ? '…' : u.ok ? '✓' : '✗'} ${toolUseLabel(u)}${u.truncated ? ' (cut)' : ''}`;
      row.querySelector('pre')!.textContent = u.result ?? 'waiting for the result';
    });
    while (this.toolList.children.length > uses.length) this.toolList.lastElementChild!.remove();
  }

  /** Earlier turns are finished: painted whole when one is added; the latest turn's calls below its output. */
  private paintTurns(turns: TraceTurn[], calls: ToolCall[]): void {
    const painted = `${turns.length}|${calls.map((c) => `${c.id}:${c.arguments.length}`).join(',')}`;
    if (painted === this.turnsPainted) return;
    this.turnsPainted = painted;
    this.turns.hidden = turns.length === 0;
    this.turnList.replaceChildren(
      ...turns.map((t, i) => {
        const results = new Map(t.results.map((r) => [r.id, r]));
        const cost = `${formatTokens(t.usage.inputTokens)} in / ${formatTokens(t.usage.outputTokens)} out · ${formatUsd(t.costUsd)}`;
        return h('li', { class: 'turn' },
          h('details', {},
            h('summary', {}, `Turn ${i + 1}: called ${t.toolCalls.map((c) => c.name).join(', ') || 'nothing'} · ${cost}`),
            t.output ? h('pre', { class: 'tool-result' }, t.output) : h('span', { class: 'muted' }, '(no text)'),
            ...t.toolCalls.map((c) => {
              const r = results.get(c.id);
              return h('div', { class: 'client-call' },
                h('code', {}, callLabel(c)),
                h('pre', { class: 'tool-result' }, r ? `${r.content}${r.truncated ? '\n… (cut)' : ''}` : '(the client sent no result)'),
              );
            }),
          ),
        );
      }),
    );
    this.calls.hidden = calls.length === 0;
    this.calls.replaceChildren(
      h('div', { class: 'label' }, 'Called the client’s tools'),
      ...calls.map((c) => h('div', { class: 'client-call' }, h('code', {}, callLabel(c)))),
    );
  }

  private paintStream(text: string): void {
    if (this.mode !== 'text' || !this.stream || text.length < this.painted) {
      this.stream = document.createTextNode('');
      this.output.replaceChildren(h('pre', { class: 'stream' }, this.stream));
      this.mode = 'text';
      this.painted = 0;
    }
    if (text.length > this.painted) {
      const pinned = this.output.scrollTop + this.output.clientHeight >= this.output.scrollHeight - 4;
      this.stream.appendData(text.slice(this.painted));
      this.painted = text.length;
      if (pinned) this.output.scrollTop = this.output.scrollHeight;
    }
  }

  private paintMarkdown(text: string): void {
    if (this.mode === 'markdown' && this.renderedText === text) return;
    if (text) setMarkdown(this.output, text);
    else this.output.replaceChildren(h('span', { class: 'muted' }, '(no output)'));
    this.mode = 'markdown';
    this.renderedText = text;
    this.stream = null;
  }
}

/** `get_weather({"city":"Paris"})`, the arguments cut at 200 characters. */
function callLabel(c: ToolCall): string {
  return `${c.name}(${c.arguments.length > 200 ? `${c.arguments.slice(0, 200)}…` : c.arguments})`;
}

/** `read_file src/price.ts:2-9`, `search "parsePrice" in src/**`, `list_dir src`; the raw arguments when they are not JSON. */
export function toolUseLabel(u: TraceToolUse): string {
  let a: Record<string, unknown>;
  try {
    a = JSON.parse(u.arguments) as Record<string, unknown>;
    if (!a || typeof a !== 'object') throw new Error('not an object');
  } catch {
    return `${u.name} ${u.arguments}`;
  }
  const str = (k: string) => (a[k] === undefined ? '' : String(a[k]));
  switch (u.name) {
    case 'read_file': {
      const lines = a.startLine !== undefined || a.endLine !== undefined ? `:${str('startLine') || '1'}-${str('endLine') || 'end'}` : '';
      return `read_file ${str('path')}${lines}`;
    }
    case 'search':
      return `search ${JSON.stringify(str('pattern'))}${a.glob ? ` in ${str('glob')}` : ''}`;
    case 'list_dir':
      return `list_dir ${str('path') || '.'}`;
    default:
      return `${u.name} ${u.arguments}`;
  }
}
