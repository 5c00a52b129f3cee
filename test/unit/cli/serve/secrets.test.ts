import assert from 'node:assert/strict';
import { reply } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { TEST_KEY } from '../../../support/pool';
import { codingTask, serveConfigFor, startFor } from '../../../support/serve';
import type { RunningServer } from '../../../../src/cli/serve/startServer';

// The fakes echo the key in their 401 bodies, as some providers do; nothing of it may reach a client.
describe('fugu serve: keys never reach a client', () => {
  const fakes = useFakes({ resetEachTest: false, beforeClose: () => server.close(0) });
  let server: RunningServer;
  let base: string;

  before(async () => {
    ({ server, base } = await startFor(serveConfigFor(fakes, { profiles: { fugu: { maxRecursion: 0 } } })));
  });

  for (const [name, fault] of [
    ['a 401 that echoes the key', () => reply.status(401)],
    ['a 500 whose message holds the key', () => reply.status(500, { message: `upstream saw key ${TEST_KEY}` })],
  ] as const) {
    for (const stream of [false, true]) {
      it(`${name} (${stream ? 'streaming' : 'not streaming'}): neither the response nor the stored trace holds the key`, async () => {
        fakes.reset();
        fakes.all.forEach((f) => f.setDefault(fault));
        const res = await fetch(`${base}/chat/completions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ model: 'fugu', stream, messages: [{ role: 'user', content: codingTask('tok-secret') }] }),
        });
        const body = await res.text();
        assert.ok(res.status >= 400, `status ${res.status}`);
        assert.ok(body.length > 0);
        assert.ok(!body.includes(TEST_KEY), body);
        const id = res.headers.get('x-fugu-trace-id');
        assert.ok(id);
        const trace = await (await fetch(`${base}/traces/${id}`)).text();
        assert.match(trace, /"status": ?"failed"/);
        assert.ok(!trace.includes(TEST_KEY));
        assert.match(trace, /Worker '\w+' \(\w+\).*HTTP (401|500)/, 'the error names the worker and the status');
      });
    }
  }
});
