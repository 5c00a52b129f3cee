// Past maxConcurrentRuns requests wait in a bounded queue, first come first served; a full queue or
// a wait past queueTimeoutMs is a 429 with retry-after; a client that leaves while waiting leaves the queue.
import assert from 'node:assert/strict';
import type { RunningServer } from '../../../../src/cli/serve/startServer';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { serveConfigFor, startFor, tokensIn, waitFor } from '../../../support/serve';

const body = (token: string) => JSON.stringify({ model: 'fugu', messages: [{ role: 'user', content: `What does ${token} mean?` }] });

describe('fugu serve: a bounded queue past the run slots', () => {
  const fakes = useFakes({ beforeClose: () => server.close(0) });
  let server: RunningServer;
  let base: string;

  before(async () => {
    // One slot, two places in the queue; questions run one step (the answerer), so one call per run.
    ({ server, base } = await startFor(serveConfigFor(fakes, { server: { maxConcurrentRuns: 1, maxQueued: 2, queueTimeoutMs: 3000 } })));
  });
  beforeEach(() => {
    fakes.all.forEach((f) => f.setDefault((req) => reply.text(`answer ${tokensIn(req)[0]}`, { firstTokenDelayMs: 150 })));
  });

  const post = (token: string, signal?: AbortSignal) =>
    fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(token), signal });
  const calls = () => fakes.all.flatMap((f) => f.requests).sort((a, b) => a.receivedAt - b.receivedAt);

  it('requests beyond the slots wait and are answered in arrival order; one more than the queue holds is refused', async () => {
    const a = post('tok-qa');
    await waitFor(() => server.inFlight() === 1);
    const b = post('tok-qb');
    await waitFor(() => server.queued() === 1);
    const c = post('tok-qc');
    await waitFor(() => server.queued() === 2);
    const refused = await post('tok-qd');
    assert.equal(refused.status, 429);
    assert.equal(refused.headers.get('retry-after'), '1');
    assert.equal(((await refused.json()) as any).error.code, 'too_many_concurrent_runs');
    const answers = await Promise.all([a, b, c].map(async (p) => ((await (await p).json()) as any).choices[0].message.content));
    assert.deepEqual(answers, ['answer tok-qa', 'answer tok-qb', 'answer tok-qc']);
    assert.deepEqual(calls().map((r) => tokensIn(r)[0]), ['tok-qa', 'tok-qb', 'tok-qc'], 'one run at a time, first come first served');
  });

  it('a client that disconnects while queued leaves the queue and starts no run', async () => {
    const a = post('tok-qe');
    await waitFor(() => server.inFlight() === 1);
    const leaving = new AbortController();
    const gone = post('tok-qgone', leaving.signal).catch((e: Error) => e.name);
    await waitFor(() => server.queued() === 1);
    leaving.abort();
    assert.equal(await gone, 'AbortError');
    await waitFor(() => server.queued() === 0);
    assert.equal((await a).status, 200);
    await waitFor(() => server.inFlight() === 0);
    assert.deepEqual(calls().map((r) => tokensIn(r)[0]), ['tok-qe'], 'the request that left never ran');
  });

  it('a wait longer than queueTimeoutMs is a 429', async () => {
    const slow = await startFor(serveConfigFor(fakes, { server: { maxConcurrentRuns: 1, queueTimeoutMs: 100 } }));
    try {
      fakes.all.forEach((f) => f.setDefault(() => reply.text('late', { firstTokenDelayMs: 600 })));
      const url = `${slow.base}/chat/completions`;
      const send = (t: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: body(t) });
      const a = send('tok-qf');
      await waitFor(() => slow.server.inFlight() === 1);
      const waited = await send('tok-qg');
      assert.equal(waited.status, 429);
      assert.equal((await a).status, 200);
    } finally {
      await slow.server.close(0);
    }
  });
});
