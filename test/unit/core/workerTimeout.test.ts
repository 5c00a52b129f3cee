// A worker's own `timeoutMs` (written in a config file, as a user would) bounds its calls, not the
// config's global timeout, against an endpoint that accepts the request and never answers.
import assert from 'node:assert/strict';
import { parseConfig } from '../../../src/core/loadConfig';
import type { Policy } from '../../../src/core/policies/types';
import { emptyRecord } from '../../../src/core/policies/builtin';
import { runTask } from '../../../src/core/runTask';
import { WorkerError } from '../../../src/core/workers/types';
import { reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { testKeys } from '../../support/pool';

describe("a worker's own timeoutMs", () => {
  const fakes = useFakes();
  beforeEach(() => fakes.openai.setDefault(() => reply.hang()));

  // The global timeout is a minute: the test (20 s at most) only finishes if the worker's 300 ms applies.
  const config = () =>
    parseConfig(
      JSON.parse(
        JSON.stringify({
          timeoutMs: 60_000,
          maxRetries: 0,
          workers: [{ id: 'slow', provider: 'openai', model: 'gpt-5', baseUrl: fakes.openai.url, role: 'coder', timeoutMs: 300 }],
        }),
      ),
    );

  it('ends a silent call after its own timeout, with a timeout error', async () => {
    let caught: unknown;
    const policy: Policy = {
      name: 'probe',
      async plan(input) {
        const worker = await input.getWorker('slow');
        caught = await worker.call({ messages: [{ role: 'user', content: 'Say hi.' }] }).catch((e: unknown) => e);
        return { workflow: { model_id: [], subtasks: [], access_list: [] }, record: emptyRecord('probe') };
      },
      recurse: async () => ({ workflow: { model_id: [], subtasks: [], access_list: [] }, record: emptyRecord('probe') }),
    };
    await runTask({ task: 'Say hi.', config: config(), keys: testKeys, policy });
    assert.ok(caught instanceof WorkerError, `expected a WorkerError, got ${String(caught)}`);
    assert.equal(caught.kind, 'timeout');
    assert.match(caught.message, /sent nothing for 300 ms/);
    assert.equal(fakes.openai.stats.requests, 1);
  });

  it("fails the run's step with a sentence that names the worker's timeout", async () => {
    const { trace } = await runTask({ task: 'What does HTTP 418 mean?', config: config(), keys: testKeys });
    assert.equal(trace.status, 'failed');
    const step = trace.rounds[0].steps[0];
    assert.equal(step.worker, 'slow');
    assert.equal(step.status, 'failed');
    assert.match(step.error ?? '', /sent nothing for 300 ms/);
    assert.match(trace.error ?? '', /sent nothing for 300 ms/);
  });
});
