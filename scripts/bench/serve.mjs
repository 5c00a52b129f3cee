// serve_overhead_ms_p50 / _p99: 32 concurrent clients, each sending requests one after another to an
// in-process `fugu serve` (plain fetch, non-streaming), against the same workflow run in-process by
// 32 concurrent loops calling runTask. Overhead = served percentile - in-process percentile.
import { BENCH_KEY, poolFor } from './fakeCalls.mjs';
import { median, percentile } from './stats.mjs';

const TASK = (i) => `Implement parseDuration${i} in src/time.ts.`;

export async function measureServe(api, { rounds, clients = 32, perClient = 8, firstTokenMs = 20, tokens = 10, tokenMs = 2 }) {
  const fakes = await api.startFakes();
  const text = Array.from({ length: tokens }, (_, i) => `w${i}`).join(' ');
  for (const f of fakes.all) f.setDefault(() => api.reply.text(text, { firstTokenDelayMs: firstTokenMs, tokenDelayMs: tokenMs }));
  const config = api.parseServeConfig({
    workers: poolFor(fakes),
    maxRetries: 0,
    timeoutMs: 30_000,
    server: { maxConcurrentRuns: clients * 2 },
  });
  const keys = async () => BENCH_KEY;
  const server = await api.startServer(config, { port: 0, keys });
  const url = `${server.url}/v1/chat/completions`;
  const profile = config.profiles.fugu;
  try {
    const inProcess = async (i) => {
      const t0 = performance.now();
      const { trace } = await api.runTask({ task: TASK(i), config: profile, keys });
      if (trace.status !== 'succeeded') throw new Error(`in-process run ${trace.status}: ${trace.error}`);
      return performance.now() - t0;
    };
    const served = async (i) => {
      const t0 = performance.now();
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'fugu', messages: [{ role: 'user', content: TASK(i) }] }),
      });
      const body = await res.json();
      if (res.status !== 200 || body.choices?.[0]?.message?.content !== text) throw new Error(`served run: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
      return performance.now() - t0;
    };
    const load = async (one) => {
      const all = await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          const mine = [];
          for (let k = 0; k < perClient; k++) mine.push(await one(c * perClient + k));
          return mine;
        }),
      );
      return all.flat();
    };
    await load(inProcess); // warm: SDKs loaded, sockets open
    await load(served);
    const p50 = [];
    const p99 = [];
    const raw = [];
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so neither mode always runs on a warmer process.
      const [a, b] = r % 2 === 0 ? [await load(inProcess), await load(served)] : (([s, i]) => [i, s])([await load(served), await load(inProcess)]);
      p50.push(percentile(b, 50) - percentile(a, 50));
      p99.push(percentile(b, 99) - percentile(a, 99));
      raw.push({ in_process_p50_ms: percentile(a, 50), served_p50_ms: percentile(b, 50), in_process_p99_ms: percentile(a, 99), served_p99_ms: percentile(b, 99) });
    }
    return {
      serve_overhead_ms_p50: median(p50),
      serve_overhead_ms_p99: median(p99),
      serve_in_process_ms_p50: median(raw.map((x) => x.in_process_p50_ms)),
      serve_latency_ms_p50: median(raw.map((x) => x.served_p50_ms)),
      serve_in_process_ms_p99: median(raw.map((x) => x.in_process_p99_ms)),
      serve_latency_ms_p99: median(raw.map((x) => x.served_p99_ms)),
      serve_clients: clients,
      serve_requests_per_round: clients * perClient,
    };
  } finally {
    await server.close(0);
    await fakes.close();
  }
}
