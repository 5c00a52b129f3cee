// overhead_ratio and parallel_speedup: the coding workflow (two planners, then the coder) against
// fakes with fixed latencies, run by runTask, by a one-step-at-a-time executor, and compared with
// the physical floor (the same three replies fetched raw, slower planner + coder).
import { median, repeat } from './stats.mjs';
import { BENCH_KEY, poolFor, rawStreamMs } from './fakeCalls.mjs';

const TASK = 'Implement parseDuration in src/time.ts and add a unit test for it.';

export async function measureWorkflow(api, { runs, firstTokenMs = 300, tokens = 40, tokenMs = 10 }) {
  const fakes = await api.startFakes();
  try {
    const text = Array.from({ length: tokens }, (_, i) => `w${i}`).join(' ');
    for (const f of fakes.all) f.setDefault(() => api.reply.text(text, { firstTokenDelayMs: firstTokenMs, tokenDelayMs: tokenMs }));
    const config = {
      policy: { backend: 'builtin', timeoutMs: 30_000 },
      workers: poolFor(fakes),
      maxSteps: 5,
      maxRecursion: 0,
      budget: { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 },
      timeoutMs: 30_000,
      maxRetries: 0,
    };
    const keys = async () => BENCH_KEY;
    const workflow = api.builtinWorkflow(TASK, config, false);
    if (workflow.model_id.join() !== '0,1,2') throw new Error(`expected planners then coder, got ${JSON.stringify(workflow)}`);

    const ours = async () => {
      const t0 = performance.now();
      const { trace } = await api.runTask({ task: TASK, config, keys });
      const ms = performance.now() - t0;
      if (trace.status !== 'succeeded' || trace.final.text !== text) throw new Error(`workflow run ${trace.status}: ${trace.error}`);
      return ms;
    };
    // The paper's executor: every step awaited in order, with the same messages and fresh workers.
    const sequential = async () => {
      const t0 = performance.now();
      const workers = config.workers.map((cfg) => api.createWorker(cfg, { apiKey: BENCH_KEY, timeoutMs: config.timeoutMs, maxRetries: 0 }));
      const outputs = [];
      for (let i = 0; i < workflow.model_id.length; i++) {
        const visible = api.resolveAccess(i, workflow.access_list[i]).map((j) => ({ subtask: workflow.subtasks[j], output: outputs[j] }));
        const r = await workers[workflow.model_id[i]].call({ messages: api.assembleMessages(TASK, visible, workflow.subtasks[i]) });
        outputs.push(r.text);
      }
      return performance.now() - t0;
    };

    await ours(); // loads the SDKs once, like any second run in a session
    const floor = {};
    for (const p of ['google', 'anthropic', 'openai']) floor[p] = median(await repeat(runs, () => rawStreamMs(fakes, p)));
    const critical = Math.max(floor.google, floor.anthropic) + floor.openai;
    const oursMs = median(await repeat(runs, ours));
    const seqMs = median(await repeat(runs, sequential));
    return {
      overhead_ratio: oursMs / critical,
      parallel_speedup: seqMs / oursMs,
      workflow_wall_ms: oursMs,
      workflow_sequential_wall_ms: seqMs,
      workflow_critical_path_ms: critical,
    };
  } finally {
    await fakes.close();
  }
}
