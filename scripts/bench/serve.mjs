// serve_overhead_ms_p50 / _p99: 32 concurrent clients, each sending requests one after another,
// alternately to an in-process `fugu serve` (plain fetch, non-streaming) and straight to runTask
// (the same workflow in-process). Overhead = served percentile - in-process percentile.
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
    // Each client alternates the two modes, so both see the same load (32 runs in flight) and the
    // same drift of a shared machine; the difference is what the HTTP layer adds.
    const load = async () => {
      const a = [];
      const b = [];
      await Promise.all(
        Array.from({ length: clients }, async (_, c) => {
          for (let k = 0; k < perClient; k++) {
            const i = c * perClient + k;
            if ((c + k) % 2 === 0) {
              a.push(await inProcess(i));
              b.push(await served(i));
            } else {
              b.push(await served(i));
              a.push(await inProcess(i));
            }
          }
        }),
      );
      return [a, b];
    };
    await load(); // warm: SDKs loaded, sockets open
    const p50 = [];
    const p99 = [];
    const raw = [];
    for (let r = 0; r < rounds; r++) {
      const [a, b] = await load();
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
      serve_requests_per_round: clients * perClient * 2,
    };
  } finally {
    await server.close(0);
    await fakes.close();
  }
}
