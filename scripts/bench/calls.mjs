// sdk_call_overhead_ms per provider: median wall time of one warm call through our worker (the
// provider's SDK, streaming) against a zero-delay fake; fetch_call_overhead_ms: the same request to
// the OpenAI fake by plain fetch, the floor.
import { median, repeat } from './stats.mjs';
import { BENCH_KEY, poolFor, rawStreamMs } from './fakeCalls.mjs';

export async function measureCalls(api, { calls }) {
  const fakes = await api.startFakes();
  try {
    for (const f of fakes.all) f.setDefault(() => api.reply.text('ok'));
    const sdk = {};
    for (const cfg of poolFor(fakes)) {
      const worker = api.createWorker(cfg, { apiKey: BENCH_KEY, timeoutMs: 10_000, maxRetries: 0 });
      const once = async () => {
        const t0 = performance.now();
        const r = await worker.call({ messages: [{ role: 'user', content: 'Say ok.' }] });
        if (r.text !== 'ok') throw new Error(`${cfg.provider} worker answered ${JSON.stringify(r.text)}`);
        return performance.now() - t0;
      };
      await repeat(5, once); // SDK loaded, client and connection warm
      sdk[cfg.provider] = median(await repeat(calls, once));
    }
    await repeat(5, () => rawStreamMs(fakes, 'openai'));
    const fetchMs = median(await repeat(calls, () => rawStreamMs(fakes, 'openai')));
    return { sdk_call_overhead_ms: sdk, fetch_call_overhead_ms: fetchMs };
  } finally {
    await fakes.close();
  }
}
