// server.traceDir: finished traces as JSON files, so /v1/traces/{id} survives a restart; bounded.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { serveConfigFor, startFor } from '../../../support/serve';
import { tempDir } from '../../../support/tempDir';

describe('fugu serve: traces kept in server.traceDir', () => {
  const fakes = useFakes({ resetEachTest: false });
  let dir: string;

  before(async () => {
    fakes.all.forEach((f) => f.setDefault(() => reply.text('ok')));
    dir = tempDir('fugu-traces-');
  });

  const ask = async (base: string, q: string) => {
    const r = await fetch(`${base}/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ model: 'fugu', messages: [{ role: 'user', content: q }] }) });
    assert.equal(r.status, 200);
    return r.headers.get('x-fugu-trace-id')!;
  };

  it('a trace written by one server is served by the next one (a restart), and the folder keeps only the newest files', async () => {
    const config = () => serveConfigFor(fakes, { server: { traceDir: dir, traceDirMaxFiles: 2, keepTraces: 0 } });
    const first = await startFor(config());
    const ids: string[] = [];
    try {
      for (const q of ['What is 1?', 'What is 2?', 'What is 3?']) ids.push(await ask(first.base, q));
    } finally {
      await first.server.close(0);
    }
    assert.deepEqual(readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()).map((e) => e.name).sort(), [`${ids[1]}.json`, `${ids[2]}.json`].sort(), 'the oldest file was removed; no temporary files left');

    const second = await startFor(config());
    try {
      const kept = await fetch(`${second.base}/traces/${ids[2]}`);
      assert.equal(kept.status, 200);
      const doc = (await kept.json()) as { id: string; task: string; status: string };
      assert.equal(doc.id, ids[2]);
      assert.equal(doc.task, 'What is 3?');
      assert.equal(doc.status, 'succeeded');
      assert.equal((await fetch(`${second.base}/traces/${ids[0]}`)).status, 404);
      assert.equal((await fetch(`${second.base}/traces/..%2F..%2Fetc%2Fpasswd`)).status, 404);
    } finally {
      await second.server.close(0);
    }
  });
});
