// serve_overload_*: three times more clients than run slots, each sending requests one after another
// without retrying, against an in-process `fugu serve` with its default queue (four times the slots).
// Reports how many were answered and refused (429), and the time answered requests waited for a slot
// (the server's x-fugu-queue-ms header), p50 and p99.
import { BENCH_KEY, poolFor } from './fakeCalls.mjs';
import { percentile } from './stats.mjs';

export async function measureOverload(api, { slots, clients, perClient, firstTokenMs = 40, tokens = 10, tokenMs = 2 }) {
  const fakes = await api.startFakes();
  const text = Array.from({ length: tokens }, (_, i) => `w${i}`).join(' ');
  for (const f of fakes.all) f.setDefault(() => api.reply.text(text, { firstTokenDelayMs: firstTokenMs, tokenDelayMs: tokenMs }));
  const config = api.parseServeConfig({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, server: { maxConcurrentRuns: slots } });
  const server = await api.startServer(config, { port: 0, keys: async () => BENCH_KEY });
  const url = `${server.url}/v1/chat/completions`;
  const waits = [];
  let answered = 0;
  let refused = 0;
  try {
    await Promise.all(
      Array.from({ length: clients }, async (_, c) => {
        for (let k = 0; k < perClient; k++) {
          const res = await fetch(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ model: 'fugu', messages: [{ role: 'user', content: `Implement parseDuration${c}_${k} in src/time.ts.` }] }),
          });
          await res.arrayBuffer();
          if (res.status === 200) {
            answered++;
            waits.push(Number(res.headers.get('x-fugu-queue-ms')));
          } else if (res.status === 429) refused++;
          else throw new Error(`overload: HTTP ${res.status}`);
        }
      }),
    );
    return {
      serve_overload_slots: slots,
      serve_overload_clients: clients,
      serve_overload_answered: answered,
      serve_overload_refused: refused,
      serve_queue_wait_ms_p50: percentile(waits, 50),
      serve_queue_wait_ms_p99: percentile(waits, 99),
    };
  } finally {
    await server.close(0);
    await fakes.close();
  }
}
