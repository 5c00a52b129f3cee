// Benchmark: time for the trace view-model to fold 10,000 streamed deltas (in host-sized batches of 100).
// Bundles media/webview/viewModel.ts on the fly, so it needs no prior build. Prints one JSON line.
//
//   node scripts/bench/traceView.mjs   ->  {"trace_view_ms_10k_deltas": 9.8, ...}
import { isMain, loadBundled } from './bundle.mjs';

export async function traceViewMs10kDeltas({ repeats = 5 } = {}) {
  const { TraceViewModel } = await loadBundled('media/webview/viewModel.ts');
  const step = (index) => ({
    index, worker: `w${index}`, provider: 'openai', model: 'm', role: 'coder', subtask: 's', access: [], status: 'pending', output: '',
    usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0, startMs: null, endMs: null, retries: 0, error: null,
  });
  const head = [
    { type: 'run-started', id: 'bench', task: 't', createdAt: '', policy: 'builtin', budget: { maxCalls: 1, maxTokens: 1, maxCostUsd: 1 }, context: [] },
    { type: 'round-started', round: 0, kind: 'initial', workflow: { model_id: [0], subtasks: ['s'], access_list: [[]] },
      policy: { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 }, steps: [step(0)] },
    { type: 'step-started', round: 0, index: 0, startMs: 0 },
  ];
  const deltas = Array.from({ length: 10_000 }, (_, i) => ({ type: 'step-delta', round: 0, index: 0, text: `tok${i} ` }));
  const times = [];
  for (let r = 0; r < repeats; r++) {
    const m = new TraceViewModel();
    m.start('bench');
    m.applyBatch('bench', 0, head);
    const t0 = performance.now();
    for (let i = 0; i < deltas.length; i += 100) {
      m.applyBatch('bench', head.length + i, deltas.slice(i, i + 100));
      m.takeChanges(); // what one paint per batch costs the model
    }
    times.push(performance.now() - t0);
    if (!m.doc.rounds[0].steps[0].output.endsWith('tok9999 ')) throw new Error('deltas were lost');
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)], min: times[0], max: times[times.length - 1], repeats };
}

if (isMain(import.meta.url)) {
  const r = await traceViewMs10kDeltas();
  console.log(JSON.stringify({ trace_view_ms_10k_deltas: +r.median.toFixed(2), min_ms: +r.min.toFixed(2), max_ms: +r.max.toFixed(2), repeats: r.repeats }));
}
