// A failed run says what kind of failure it was (trace.errorKind), from a real failure through the
// provider fakes, so the server, the CLI and the editor can act on the kind instead of the sentence.
import assert from 'node:assert/strict';
import type { FuguConfig } from '../../../src/core/config';
import { emptyRecord } from '../../../src/core/policies/builtin';
import type { Policy } from '../../../src/core/policies/types';
import { errorKindOfWorker } from '../../../src/core/runFailure';
import { runTask } from '../../../src/core/runTask';
import { applyEvent, emptyTrace } from '../../../src/core/trace/reduce';
import type { ErrorKind, TraceEvent } from '../../../src/core/trace/types';
import { parseTraceDocument } from '../../../src/protocol/traceSchemas';
import { reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { configFor, poolFor, testKeys } from '../../support/pool';

const QUESTION = 'What is a monad?';

describe('errorKind of a failed run', () => {
  const fakes = useFakes();

  /** One openai worker answers the question in one step. */
  const oneWorker = (over: Partial<FuguConfig> = {}): FuguConfig => configFor(fakes, { workers: [poolFor(fakes)[2]], maxRetries: 1, ...over });

  async function run(config: FuguConfig, opts: { policy?: Policy; signal?: AbortSignal; keys?: typeof testKeys } = {}) {
    const events: TraceEvent[] = [];
    const { trace } = await runTask({ task: QUESTION, config, keys: opts.keys ?? testKeys, policy: opts.policy, signal: opts.signal, onEvent: (e) => events.push(e) });
    const finished = events.filter((e) => e.type === 'run-finished');
    assert.equal(finished.length, 1);
    // The kind travels in the event, so a view folding the events sees the same kind as the document.
    const folded = events.reduce(applyEvent, emptyTrace());
    assert.equal(folded.errorKind, trace.errorKind);
    return trace;
  }

  it('is null when the run succeeded', async () => {
    fakes.openai.enqueue(reply.text('A monoid in the category of endofunctors.'));
    const trace = await run(oneWorker());
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.errorKind, null);
  });

  it('is auth when the provider answers 401', async () => {
    fakes.openai.enqueue(reply.status(401, { message: 'Incorrect API key provided' }));
    const trace = await run(oneWorker());
    assert.equal(trace.status, 'failed');
    assert.equal(trace.errorKind, 'auth');
    assert.doesNotMatch(trace.error!, /Fugu: Set API Key/, 'core names no editor command');
  });

  it('is auth when a worker has no key, before any call', async () => {
    const trace = await run(oneWorker(), { keys: async () => undefined });
    assert.equal(trace.errorKind, 'auth');
    assert.match(trace.error!, /has no API key: set OPENAI_API_KEY\.$/);
    assert.equal(fakes.openai.requests.length, 0);
  });

  it('is rate_limit when 429 persists after the retries', async () => {
    fakes.openai.enqueue(reply.rateLimited(0), reply.rateLimited(0));
    const trace = await run(oneWorker({ maxRetries: 1 }));
    assert.equal(fakes.openai.requests.length, 2, 'retried once first');
    assert.equal(trace.errorKind, 'rate_limit');
  });

  it('is timeout when the provider never answers', async () => {
    fakes.openai.enqueue(reply.hang());
    const trace = await run(oneWorker({ timeoutMs: 150 }));
    assert.equal(trace.errorKind, 'timeout');
  });

  it('is network when the stream is cut mid-answer', async () => {
    fakes.openai.enqueue(reply.cut('one two three four', 2));
    const trace = await run(oneWorker());
    assert.equal(trace.errorKind, 'network');
  });

  it('is provider when the server keeps failing with 5xx', async () => {
    fakes.openai.enqueue(reply.status(500), reply.status(500));
    const trace = await run(oneWorker({ maxRetries: 1 }));
    assert.equal(trace.errorKind, 'provider');
  });

  it('is policy when the policy writes an invalid workflow, and when it throws', async () => {
    const invalid: Policy = {
      name: 'broken',
      plan: async () => ({ workflow: { model_id: [9], subtasks: ['x'], access_list: [[]] }, record: emptyRecord('broken') }),
      recurse: async () => ({ workflow: { model_id: [], subtasks: [], access_list: [] }, record: emptyRecord('broken') }),
    };
    assert.equal((await run(oneWorker(), { policy: invalid })).errorKind, 'policy');
    const throwing: Policy = { ...invalid, plan: async () => Promise.reject(new Error('the policy server is down')) };
    const trace = await run(oneWorker(), { policy: throwing });
    assert.equal(trace.errorKind, 'policy');
    assert.match(trace.error!, /the policy server is down/);
  });

  it('a policy whose own model call is refused fails with that call\'s kind', async () => {
    fakes.openai.enqueue(reply.status(401, { message: 'Incorrect API key provided' }));
    const asksAModel: Policy = {
      name: 'asks-a-model',
      plan: async (input) => {
        const w = await input.getWorker('gpt');
        await w.call({ messages: [{ role: 'user', content: 'Write the workflow.' }] });
        throw new Error('unreachable');
      },
      recurse: async () => ({ workflow: { model_id: [], subtasks: [], access_list: [] }, record: emptyRecord('asks-a-model') }),
    };
    const trace = await run(oneWorker(), { policy: asksAModel });
    assert.equal(trace.errorKind, 'auth');
    assert.match(trace.error!, /^The policy failed: Worker 'gpt' \(openai\) rejected the API key/);
  });

  it('is budget when the run reaches its call budget', async () => {
    const trace = await run(oneWorker({ budget: { maxCalls: 0, maxTokens: 400_000, maxCostUsd: 2 } }));
    assert.equal(trace.status, 'budget_exceeded');
    assert.equal(trace.errorKind, 'budget');
  });

  it('is cancelled when the user cancels mid-answer', async () => {
    fakes.openai.enqueue(reply.hang());
    const abort = new AbortController();
    const done = run(oneWorker({ timeoutMs: 5000 }), { signal: abort.signal });
    while (fakes.openai.requests.length === 0) await new Promise((r) => setTimeout(r, 5));
    abort.abort();
    const trace = await done;
    assert.equal(trace.status, 'cancelled');
    assert.equal(trace.errorKind, 'cancelled');
  });

  it('maps every worker failure to one run kind', () => {
    const map: Record<string, ErrorKind> = {
      auth: 'auth', rate_limit: 'rate_limit', server: 'provider', bad_request: 'bad_request', timeout: 'timeout',
      cancelled: 'cancelled', network: 'network', incomplete: 'network', bad_response: 'provider',
    };
    for (const [worker, kind] of Object.entries(map)) assert.equal(errorKindOfWorker(worker as never), kind, worker);
  });

  it('a trace saved before errorKind existed still loads, with errorKind null', () => {
    const doc: Record<string, unknown> = { ...emptyTrace(), id: 'old', status: 'failed', error: 'Step 0 failed.' };
    delete doc.errorKind;
    const parsed = parseTraceDocument(JSON.parse(JSON.stringify(doc)));
    assert.ok(parsed.ok, parsed.ok ? '' : parsed.reason);
    assert.equal(parsed.doc.errorKind, null);
    assert.equal(parseTraceDocument({ ...doc, errorKind: 'mystery' }).ok, false, 'an unknown kind is refused');
  });
});
