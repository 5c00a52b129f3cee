import type { TraceDocument, TraceEvent } from './types';

/** An empty document for a run that has not started; `applyEvent` fills it. */
export function emptyTrace(): TraceDocument {
  return {
    version: 1,
    id: '',
    task: '',
    createdAt: '',
    status: 'running',
    error: null,
    errorKind: null,
    policy: '',
    rounds: [],
    final: { text: '', edits: [], check: null },
    usage: { inputTokens: 0, outputTokens: 0 },
    costUsd: 0,
    calls: 0,
    wallMs: 0,
    budget: { maxCalls: 0, maxTokens: 0, maxCostUsd: 0 },
    context: [],
  };
}

/**
 * The one reducer from live events to the trace document. The executor, the CLI and the
 * webview all use it, so a live view and the saved JSON cannot disagree.
 * Mutates `doc` in place (deltas arrive by the thousand) and returns it.
 */
export function applyEvent(doc: TraceDocument, e: TraceEvent): TraceDocument {
  switch (e.type) {
    case 'run-started':
      doc.id = e.id;
      doc.task = e.task;
      if (e.title !== undefined) doc.title = e.title;
      else delete doc.title;
      doc.createdAt = e.createdAt;
      doc.policy = e.policy;
      doc.budget = { ...e.budget };
      doc.context = [...e.context];
      doc.status = 'running';
      break;
    case 'run-continued':
      continueRun(doc, e);
      break;
    case 'round-started':
      doc.rounds[e.round] = {
        index: e.round,
        kind: e.kind,
        workflow: e.workflow,
        policy: e.policy,
        steps: e.steps.map((s) => ({ ...s, usage: { ...s.usage } })),
        note: null,
      };
      break;
    case 'step-started': {
      const s = doc.rounds[e.round]?.steps[e.index];
      if (s) {
        s.status = 'running';
        s.startMs = e.startMs;
      }
      break;
    }
    case 'step-delta': {
      const s = doc.rounds[e.round]?.steps[e.index];
      if (s) s.output += e.text;
      break;
    }
    case 'step-retry': {
      const s = doc.rounds[e.round]?.steps[e.index];
      if (s) s.retries = e.attempt;
      break;
    }
    case 'step-finished': {
      const s = doc.rounds[e.round]?.steps[e.index];
      if (s) {
        s.status = e.status;
        s.output = e.output;
        s.usage = { ...e.usage };
        s.costUsd = e.costUsd;
        s.endMs = e.endMs;
        s.retries = e.retries;
        s.error = e.error;
        if (e.extraUsage) s.extraUsage = { ...e.extraUsage };
        // Authoritative: the final calls replace the pieces streamed so far, or clear them.
        if (e.toolCalls) s.toolCalls = e.toolCalls.map((c) => ({ ...c }));
        else delete s.toolCalls;
      }
      break;
    }
    case 'step-tool-call-delta': {
      const s = doc.rounds[e.round]?.steps[e.index];
      // Calls begin in order; a piece of a call after a gap has nothing to join.
      if (!s || e.call > (s.toolCalls?.length ?? 0)) break;
      const c = ((s.toolCalls ??= [])[e.call] ??= { id: '', name: '', arguments: '' });
      if (e.id) c.id = e.id;
      if (e.name) c.name = e.name;
      c.arguments += e.arguments;
      break;
    }
    case 'step-tool-call': {
      const s = doc.rounds[e.round]?.steps[e.index];
      if (s) (s.toolUses ??= []).push({ id: e.id, name: e.name, arguments: e.arguments, result: null, ok: true, truncated: false });
      break;
    }
    case 'step-tool-result': {
      // The latest call with this id (a model may reuse an id across turns).
      const uses = doc.rounds[e.round]?.steps[e.index]?.toolUses ?? [];
      const use = [...uses].reverse().find((u) => u.id === e.id);
      if (use) Object.assign(use, { result: e.result, ok: e.ok, truncated: e.truncated });
      break;
    }
    case 'round-note': {
      const r = doc.rounds[e.round];
      if (r) r.note = r.note ? `${r.note} ${e.note}` : e.note;
      break;
    }
    case 'edits':
      doc.final.edits = e.edits.map((x) => ({ ...x }));
      break;
    case 'check-started': {
      const r = doc.rounds[e.round];
      if (r) r.steps[e.step.index] = { ...e.step, usage: { ...e.step.usage } };
      break;
    }
    case 'check-finished': {
      const s = doc.rounds[e.round]?.steps[e.index];
      const c = e.check;
      if (s) {
        s.status = c.outcome === 'passed' ? 'succeeded' : c.outcome === 'cancelled' ? 'cancelled' : c.outcome === 'could-not-run' ? 'skipped' : 'failed';
        s.output = c.outputTail;
        s.endMs = e.endMs;
        s.error = c.reason;
        s.check = { ...c, baseline: c.baseline ? { ...c.baseline } : null };
      }
      doc.final.check = {
        command: c.command,
        outcome: c.outcome,
        passed: c.passed,
        exitCode: c.exitCode,
        baselineExitCode: c.baseline?.exitCode ?? null,
        outputTail: c.outputTail,
        reason: c.reason,
        rounds: e.rounds,
        ...(c.isolation ? { isolation: c.isolation } : {}),
        ...(c.touched ? { touched: [...c.touched] } : {}),
        ...(c.touchedOmitted ? { touchedOmitted: c.touchedOmitted } : {}),
        ...(c.hint ? { hint: c.hint } : {}),
      };
      break;
    }
    case 'check-asked':
      doc.final.checkQuestion = { command: e.command, detected: e.detected, answer: null };
      break;
    case 'check-answered':
      if (doc.final.checkQuestion) doc.final.checkQuestion.answer = e.answer;
      break;
    case 'run-finished':
      doc.status = e.status;
      doc.error = e.error;
      doc.errorKind = e.errorKind;
      doc.final.text = e.finalText;
      if (e.toolCalls) doc.final.toolCalls = e.toolCalls.map((c) => ({ ...c }));
      doc.usage = { ...e.usage };
      doc.costUsd = e.costUsd;
      doc.calls = e.calls;
      if (e.request) doc.request = { usage: { ...e.request.usage }, costUsd: e.request.costUsd, calls: e.request.calls };
      else delete doc.request;
      doc.wallMs = e.wallMs;
      break;
  }
  return doc;
}

/**
 * A copy of a trace this reducer may change without touching the original (a kept resume point, a
 * stored trace). The steps' earlier turns are shared, not copied: nothing changes a turn once it is
 * recorded, and they hold most of a long tool loop's trace, which a deep copy would copy again on
 * every turn.
 */
function ownCopy(trace: TraceDocument): TraceDocument {
  return {
    ...structuredClone({ ...trace, rounds: [] }),
    // A round not started yet is a hole in the array (null once stored as JSON): kept as it is.
    rounds: trace.rounds.map((r) =>
      r
        ? {
            ...structuredClone({ ...r, steps: [] }),
            steps: r.steps.map(({ turns, ...step }) => ({ ...structuredClone(step), ...(turns ? { turns: [...turns] } : {}) })),
          }
        : r,
    ),
  };
}

/** The earlier document again, its answering step's turn kept, that step and the ones after it pending. */
function continueRun(doc: TraceDocument, e: Extract<TraceEvent, { type: 'run-continued' }>): void {
  const earlier = ownCopy(e.trace);
  for (const k of Object.keys(doc) as (keyof TraceDocument)[]) if (!(k in earlier)) delete doc[k];
  Object.assign(doc, earlier);
  const steps = doc.rounds[e.round]?.steps ?? [];
  const s = steps[e.index];
  if (s) {
    (s.turns ??= []).push({
      output: s.output, toolCalls: s.toolCalls ?? [], results: e.results.map((r) => ({ ...r })),
      usage: s.usage, costUsd: s.costUsd, startMs: s.startMs, endMs: s.endMs,
    });
    delete s.toolCalls;
    delete s.extraUsage;
  }
  // The answering step runs again; the steps after it were skipped when it called the tools.
  for (const later of steps.slice(e.index)) {
    if (later !== s && later.status !== 'skipped') continue;
    Object.assign(later, { status: 'pending', output: '', usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, startMs: null, endMs: null, retries: 0, error: null });
  }
  doc.status = 'running';
  doc.error = null;
  doc.errorKind = null;
  doc.final = { text: '', edits: [], check: null };
}
