// The two sides of the serve figures that, in real use, run outside the `fugu serve` process: the
// model providers (the fakes) and the agent clients. Each runs in its own worker thread, so the
// main thread carries only what the server's process carries: the server and the runs.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const api = createRequire(import.meta.url)(workerData.bundle);

if (workerData.role === 'fakes') {
  const fakes = await api.startFakes();
  const { firstTokenMs, tokenMs, text } = workerData;
  for (const f of fakes.all) f.setDefault(() => api.reply.text(text, { firstTokenDelayMs: firstTokenMs, tokenDelayMs: tokenMs }));
  const urls = Object.fromEntries(['openai', 'anthropic', 'gemini'].map((p) => [p, fakes[p].url]));
  parentPort.on('message', async (m) => {
    if (m.type !== 'close') return;
    await fakes.close();
    parentPort.postMessage({ type: 'closed' });
  });
  parentPort.postMessage({ type: 'ready', urls });
}

if (workerData.role === 'clients') {
  const { url, text, task } = workerData;
  const taskOf = (i) => task.replace('{i}', String(i));
  // The in-process arm: the main thread runs the workflow straight through runTask and says when it ended.
  const pending = new Map();
  let nextId = 0;
  parentPort.on('message', (m) => {
    if (m.type === 'ran') {
      const p = pending.get(m.id);
      pending.delete(m.id);
      if (m.error) p.reject(new Error(m.error));
      else p.resolve();
    } else if (m.type === 'load') {
      load(m.clients, m.perClient).then((r) => parentPort.postMessage({ type: 'loaded', ...r }), (err) => parentPort.postMessage({ type: 'loaded', error: err.message }));
    }
  });
  const inProcess = async (i) => {
    const t0 = performance.now();
    const id = nextId++;
    await new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      parentPort.postMessage({ type: 'run', id, task: taskOf(i) });
    });
    return performance.now() - t0;
  };
  const served = async (i) => {
    const t0 = performance.now();
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fugu', messages: [{ role: 'user', content: taskOf(i) }] }),
    });
    const body = await res.json();
    if (res.status !== 200 || body.choices?.[0]?.message?.content !== text) throw new Error(`served run: HTTP ${res.status} ${JSON.stringify(body).slice(0, 200)}`);
    return performance.now() - t0;
  };
  // Each client alternates the two modes, so both see the same load and the same drift of a shared machine.
  const load = async (clients, perClient) => {
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
    return { a, b };
  };
  parentPort.postMessage({ type: 'ready' });
}
