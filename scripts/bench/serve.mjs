// serve_overhead_ms_p50 / _p99: 32 concurrent clients, each sending requests one after another,
// alternately to an in-process `fugu serve` (plain fetch, non-streaming) and straight to runTask
// (the same workflow in-process). Overhead = served percentile - in-process percentile.
//
// The main thread is the server's process: it runs the server and the in-process runs. The clients
// and the provider fakes run in worker threads (serveLoad.worker.mjs), as they run in other processes
// in real use; both arms are timed by the same clients, the in-process one through a message to the
// main thread, so each arm pays one hop into a busy main thread and the served one pays all the HTTP
// work the server does besides.
import { Worker } from 'node:worker_threads';
import { BENCH_KEY, poolFor } from './fakeCalls.mjs';
import { bundledFile } from './bundle.mjs';
import { median, percentile } from './stats.mjs';

const TASK = 'Implement parseDuration{i} in src/time.ts.';

function startWorker(data) {
  const worker = new Worker(new URL('./serveLoad.worker.mjs', import.meta.url), { workerData: { bundle: bundledFile('scripts/bench/benchApi.ts'), ...data } });
  // The next message of `type`; a worker that fails or exits first rejects it.
  const next = (type) =>
    new Promise((resolve, reject) => {
      const stop = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
      };
      const onMessage = (m) => {
        if (m.type !== type) return;
        stop();
        resolve(m);
      };
      const onError = (err) => {
        stop();
        reject(err);
      };
      const onExit = (code) => onError(new Error(`the serve bench's ${data.role} worker exited (${code}) before '${type}'`));
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
    });
  return { worker, next };
}

export async function measureServe(api, { rounds, clients = 32, perClient = 8, firstTokenMs = 20, tokens = 10, tokenMs = 2 }) {
  const text = Array.from({ length: tokens }, (_, i) => `w${i}`).join(' ');
  const fakes = startWorker({ role: 'fakes', text, firstTokenMs, tokenMs });
  let load;
  let server;
  try {
    const { urls } = await fakes.next('ready');
    const config = api.parseServeConfig({
      workers: poolFor({ gemini: { url: urls.gemini }, anthropic: { url: urls.anthropic }, openai: { url: urls.openai } }),
      maxRetries: 0,
      timeoutMs: 30_000,
      server: { maxConcurrentRuns: clients * 2 },
    });
    const keys = async () => BENCH_KEY;
    server = await api.startServer(config, { port: 0, keys });
    const profile = config.profiles.fugu;
    // The server keeps its workers across requests; the in-process arm does the same, so the two
    // differ only by what serving adds.
    const workerPool = new api.WorkerPool();
    load = startWorker({ role: 'clients', url: `${server.url}/v1/chat/completions`, text, task: TASK });
    load.worker.on('message', (m) => {
      if (m.type !== 'run') return;
      api.runTask({ task: m.task, config: profile, keys, workerPool }).then(
        ({ trace }) => load.worker.postMessage({ type: 'ran', id: m.id, error: trace.status === 'succeeded' ? undefined : `in-process run ${trace.status}: ${trace.error}` }),
        (err) => load.worker.postMessage({ type: 'ran', id: m.id, error: err.message }),
      );
    });
    await load.next('ready');
    const round = async () => {
      const done = load.next('loaded');
      load.worker.postMessage({ type: 'load', clients, perClient });
      const r = await done;
      if (r.error) throw new Error(r.error);
      return [r.a, r.b];
    };
    await round(); // warm: SDKs loaded, sockets open
    const p50 = [];
    const p99 = [];
    const raw = [];
    for (let r = 0; r < rounds; r++) {
      const [a, b] = await round();
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
    await load?.worker.terminate();
    await server?.close(0);
    const closed = fakes.next('closed');
    fakes.worker.postMessage({ type: 'close' });
    await closed.catch(() => {});
    await fakes.worker.terminate();
  }
}
