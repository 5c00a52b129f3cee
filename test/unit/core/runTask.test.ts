import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeWorkspaceFiles } from '../../../src/core/edits';
import { runTask } from '../../../src/core/runTask';
import type { TraceEvent } from '../../../src/core/trace/types';
import { reply, type FakeSet, type FakeRequest } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { configFor, poolFor, TEST_KEY, testKeys } from '../../support/pool';
import { tempDir } from '../../support/tempDir';

const CODING_TASK = 'Add a greet(name) function to src/greet.ts';

const edit = (search: string, replace: string, path = 'src/greet.ts') =>
  `Here is the change.\n\n${path}\n\`\`\`ts\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;

function tempWorkspace(): string {
  const dir = tempDir('fugu-run-');
  writeFileSync(join(dir, 'greet.ts'), '');
  return dir;
}

const isReview = (r: FakeRequest) => /VERDICT/.test(r.lastUserText);

describe('runTask', () => {
  const fakes = useFakes();

  it('runs the builtin coding workflow and returns a version-1 trace with every field', async () => {
    fakes.gemini.enqueue(reply.text('Gemini plan: add greet.'));
    fakes.anthropic.enqueue(reply.text('Claude plan: export greet.'));
    fakes.openai.enqueue(reply.text('export function greet() {}', { usage: { inputTokens: 1000, outputTokens: 100 } }));
    const events: TraceEvent[] = [];
    const { trace } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, onEvent: (e) => events.push(e) });
    assert.equal(trace.version, 1);
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.error, null);
    assert.equal(trace.task, CODING_TASK);
    assert.equal(trace.rounds.length, 1);
    const r = trace.rounds[0];
    assert.deepEqual(r.workflow.model_id, [0, 1, 2]);
    assert.deepEqual(r.workflow.access_list, [[], [], ['all']]);
    assert.deepEqual(r.steps.map((s) => s.worker), ['gemini', 'claude', 'gpt']);
    assert.deepEqual(r.steps.map((s) => s.provider), ['google', 'anthropic', 'openai']);
    assert.deepEqual(r.steps[2].access, [0, 1]);
    for (const s of r.steps) {
      assert.equal(s.status, 'succeeded');
      assert.ok(s.startMs !== null && s.endMs !== null && s.endMs >= s.startMs);
      assert.ok(s.usage.inputTokens > 0 && s.usage.outputTokens > 0);
    }
    assert.equal(trace.final.text, 'export function greet() {}');
    assert.equal(trace.calls, 3);
    // gpt-5 is in the price table, so the coder's step has a cost and the run adds them up.
    assert.ok(r.steps[2].costUsd > 0);
    assert.ok(Math.abs(trace.costUsd - r.steps.reduce((s, x) => s + x.costUsd, 0)) < 1e-9);
    assert.equal(trace.usage.inputTokens, r.steps.reduce((s, x) => s + x.usage.inputTokens, 0));
    assert.equal(events[0].type, 'run-started');
    assert.equal(events[events.length - 1].type, 'run-finished');
    const json = JSON.stringify(trace);
    assert.ok(!json.includes(TEST_KEY), 'no key in the trace');
    assert.ok(!/authorization|x-api-key/i.test(json), 'no auth header in the trace');
  });

  it('a short question gets a one-step answer', async () => {
    const { trace } = await runTask({ task: 'What is the capital of France?', config: configFor(fakes), keys: testKeys });
    assert.equal(trace.status, 'succeeded');
    assert.equal(trace.rounds[0].steps.length, 1);
    assert.ok(trace.final.text.includes('capital of France'));
  });

  it("keeps the user's words as the run's title and lists context that is already inside the task", async () => {
    const events: TraceEvent[] = [];
    const task = 'Instruction: name the capital of France\n\nWrite the code to insert at the cursor, in the file a.ts:\n\nconst capital = ';
    const { trace } = await runTask({
      task, title: 'name the capital of France', contextInTask: ['a.ts (whole file, 1 line, cursor at line 1)'],
      config: configFor(fakes), keys: testKeys, onEvent: (e) => events.push(e),
    });
    const started = events[0];
    assert.ok(started.type === 'run-started');
    assert.equal(started.title, 'name the capital of France');
    assert.equal(trace.title, 'name the capital of France');
    assert.equal(trace.task, task, 'the workers were given the whole task');
    assert.deepEqual(trace.context, ['a.ts (whole file, 1 line, cursor at line 1)']);
    const plain = await runTask({ task: 'What is the capital of France?', config: configFor(fakes), keys: testKeys });
    assert.equal('title' in plain.trace, false, 'no title when the task is the user\'s words');
  });

  it('lists the files sent with their reasons, then what was attached but not sent, and never sends the latter to a worker', async () => {
    const skipped = '/etc/hosts (attached in chat; not sent: it is outside the workspace folder)';
    const { trace } = await runTask({
      task: 'What is the capital of France?',
      context: [{ path: 'notes.md', text: 'Paris is in France.', reason: 'attached in chat', note: 'line 2' }],
      contextNotSent: [skipped],
      config: configFor(fakes), keys: testKeys,
    });
    assert.deepEqual(trace.context, ['notes.md (attached in chat; line 2)', skipped]);
    assert.ok(trace.task.startsWith('What is the capital of France?'));
    const asked = [fakes.openai, fakes.anthropic, fakes.gemini].flatMap((f) => f.requests).map((r) => r.rawBody).join('\n');
    assert.match(asked, /Paris is in France\./);
    assert.ok(!asked.includes('/etc/hosts'), 'the note is for the user, not the workers');
  });

  describe('recursion with a reviewer', () => {
    const withReviewer = (f: FakeSet, maxRecursion = 1) =>
      configFor(f, {
        maxRecursion,
        workers: [...poolFor(f), { id: 'critic', provider: 'anthropic', model: 'claude-opus-4', baseUrl: f.anthropic.url, role: 'reviewer' }],
      });

    it('accepts when the review passes: one round, the coder output is the result', async () => {
      fakes.anthropic.on(isReview, reply.text('Looks right.\nVERDICT: PASS'));
      fakes.openai.enqueue(reply.text(edit('', 'export const greet = 1;')));
      const { trace } = await runTask({ task: CODING_TASK, config: withReviewer(fakes), keys: testKeys });
      assert.equal(trace.status, 'succeeded');
      assert.equal(trace.rounds.length, 1);
      const steps = trace.rounds[0].steps;
      assert.deepEqual(steps.map((s) => s.worker), ['gemini', 'claude', 'gpt', 'critic', 'conductor']);
      assert.equal(steps[4].status, 'succeeded');
      assert.match(trace.rounds[0].note!, /accepted/);
      assert.ok(trace.final.text.includes('export const greet = 1;'), 'the coder answer, not the review');
    });

    it('a review with no verdict line accepts the code, never the review, as the result', async () => {
      fakes.anthropic.on(isReview, reply.text('Some thoughts, but I forgot the verdict.'));
      fakes.openai.enqueue(reply.text(edit('', 'export const greet = 1;')));
      const { trace } = await runTask({ task: CODING_TASK, config: withReviewer(fakes), keys: testKeys });
      assert.equal(trace.rounds.length, 1);
      assert.ok(trace.final.text.includes('export const greet = 1;'));
    });

    it('corrects when the review finds a defect: a second round whose coder output is the result', async () => {
      fakes.anthropic.on(isReview, reply.text('greet ignores its argument.\nVERDICT: FAIL'));
      fakes.openai.enqueue(reply.text(edit('', 'export const greet = 1;')), reply.text(edit('', 'export const greet = (n: string) => n;')));
      const { trace } = await runTask({ task: CODING_TASK, config: withReviewer(fakes), keys: testKeys });
      assert.equal(trace.status, 'succeeded');
      assert.equal(trace.rounds.length, 2);
      assert.equal(trace.rounds[1].kind, 'corrective');
      assert.equal(trace.rounds[1].steps[0].worker, 'gpt');
      assert.ok(fakes.openai.requests[1].lastUserText.includes('greet ignores its argument'), 'the corrective prompt carries the review');
      assert.ok(trace.final.text.includes('(n: string) => n'));
    });
  });

  describe('the conductor backend', () => {
    const conductorConfig = (f: FakeSet, maxRecursion = 1) =>
      configFor(f, { maxRecursion, policy: { backend: 'conductor', baseUrl: f.openai.url, model: 'conductor-7b', timeoutMs: 2000 } });
    const isConductor = (r: FakeRequest) => r.model === 'conductor-7b';

    it('runs the workflow the conductor wrote and records its raw answer', async () => {
      fakes.openai.on(isConductor, reply.text('Reasoning...\nmodel_id = [1, 2]\nsubtasks = ["Plan it", "Code it"]\naccess_list = [[], ["all"]]'));
      fakes.openai.on((r) => r.model === 'gpt-5', reply.text('CODE'));
      const { trace } = await runTask({ task: CODING_TASK, config: conductorConfig(fakes), keys: testKeys });
      assert.equal(trace.status, 'succeeded');
      assert.deepEqual(trace.rounds[0].workflow.model_id, [1, 2]);
      assert.equal(trace.rounds[0].policy.rawAnswers.length, 1);
      assert.equal(trace.rounds[0].policy.fallback, null);
      const { startMs, endMs } = trace.rounds[0].policy;
      assert.ok(startMs !== undefined && endMs !== undefined && endMs >= startMs, 'the planning call is timed');
      assert.ok(trace.rounds[0].steps[0].startMs! >= endMs!, 'the steps start after the plan');
      assert.equal(trace.final.text, 'CODE');
      assert.equal(trace.calls, 3, 'the conductor call counts');
    });

    it('counts every policy call once: the run\'s calls are the requests the providers saw', async () => {
      const codeThenReview = 'model_id = [2, 3]\nsubtasks = ["Code it", "Check it"]\naccess_list = [[], ["all"]]';
      fakes.openai.on(isConductor, reply.text(codeThenReview), { times: 2 }); // the plan, then a correction
      fakes.openai.on(isConductor, reply.text('model_id = []\nsubtasks = []\naccess_list = []')); // then an accept
      fakes.openai.on((r) => r.model === 'gpt-5', reply.text('CODE'));
      const { trace } = await runTask({ task: CODING_TASK, config: conductorConfig(fakes, 2), keys: testKeys });
      assert.equal(trace.status, 'succeeded', trace.error ?? '');
      assert.deepEqual(trace.rounds.map((r) => r.kind), ['initial', 'corrective']);
      assert.match(trace.rounds[1].note!, /accepted/);
      const requests = fakes.all.reduce((n, f) => n + f.requests.length, 0);
      assert.equal(requests, 5, 'three conductor calls and two coder calls');
      assert.equal(trace.calls, requests);
    });

    it('falls back to builtin after two garbage answers, and the trace says so', async () => {
      fakes.openai.on(isConductor, reply.text('I would rather not.'), { times: 2 });
      const { trace } = await runTask({ task: CODING_TASK, config: conductorConfig(fakes), keys: testKeys });
      assert.equal(trace.status, 'succeeded');
      const p = trace.rounds[0].policy;
      assert.equal(p.rawAnswers.length, 2);
      assert.equal(p.fallback?.to, 'builtin');
      assert.deepEqual(trace.rounds[0].workflow.model_id, [0, 1, 2]);
    });

    it('stops at the recursion depth bound: the last response stands and the trace says why', async () => {
      // The conductor always asks for another round that ends with itself (Model 3).
      fakes.openai.on(isConductor, reply.text('model_id = [2, 3]\nsubtasks = ["Code it", "Check it"]\naccess_list = [[], ["all"]]'));
      fakes.openai.on((r) => r.model === 'gpt-5', () => reply.text(`CODE ${fakes.openai.requests.filter((x) => x.model === 'gpt-5').length}`));
      const { trace } = await runTask({ task: CODING_TASK, config: conductorConfig(fakes, 1), keys: testKeys });
      assert.equal(trace.status, 'succeeded');
      assert.equal(trace.rounds.length, 2);
      const lastRound = trace.rounds[1];
      assert.equal(lastRound.steps[1].status, 'skipped');
      assert.match(lastRound.note!, /depth bound/);
      assert.equal(trace.final.text, 'CODE 2');
    });
  });

  it('the fugu backend sends the task as one call and shows its usage, orchestration counts included', async () => {
    fakes.openai.enqueue(
      reply.text('Hosted answer', { usage: { inputTokens: 40, outputTokens: 3, extra: { orchestration_tokens: 1234, completion_tokens_details: { reasoning_tokens: 50 } } } }),
    );
    const config = configFor(fakes, { policy: { backend: 'fugu', baseUrl: fakes.openai.url, model: 'fugu-ultra', timeoutMs: 2000 } });
    const { trace } = await runTask({ task: 'What is 2 + 2?', config, keys: async (w) => (w.apiKeyEnv === 'FUGU_API_KEY' ? 'fugu-test-key' : undefined) });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.equal(trace.rounds.length, 1);
    const [step] = trace.rounds[0].steps;
    assert.equal(trace.rounds[0].steps.length, 1);
    assert.equal(step.worker, 'fugu');
    assert.equal(step.model, 'fugu-ultra');
    assert.deepEqual(step.usage, { inputTokens: 40, outputTokens: 3 });
    assert.deepEqual(step.extraUsage, { orchestration_tokens: 1234, 'completion_tokens_details.reasoning_tokens': 50 });
    assert.equal(fakes.openai.requests[0].apiKey, 'fugu-test-key');
    assert.equal(trace.final.text, 'Hosted answer');
    assert.equal(fakes.gemini.requests.length + fakes.anthropic.requests.length, 0);
  });

  describe('edits', () => {
    it('plans the coder edits against the workspace without writing', async () => {
      const dir = tempWorkspace();
      writeFileSync(join(dir, 'greet.ts'), 'export const a = 1;\n');
      fakes.openai.enqueue(reply.text(edit('export const a = 1;', 'export const a = 2;', 'greet.ts')));
      const { trace, plans } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(dir) });
      assert.equal(plans.length, 1);
      assert.equal(plans[0].status, 'proposed');
      assert.equal(plans[0].proposed, 'export const a = 2;\n');
      assert.equal(readFileSync(join(dir, 'greet.ts'), 'utf8'), 'export const a = 1;\n', 'nothing written');
      assert.equal(trace.final.edits[0].status, 'proposed');
      assert.match(trace.final.edits[0].diff, /-export const a = 1;\n\+export const a = 2;/);
    });

    it('asks the coder once more for blocks that failed, and records the repair round', async () => {
      const dir = tempWorkspace();
      writeFileSync(join(dir, 'greet.ts'), 'export const a = 1;\nexport const b = 2;\n');
      fakes.openai.enqueue(
        reply.text(edit('export const zzz = 1;', 'export const a = 10;', 'greet.ts')),
        reply.text(edit('export const a = 1;', 'export const a = 10;', 'greet.ts')),
      );
      const { trace, plans } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(dir) });
      assert.equal(trace.status, 'succeeded');
      const repair = trace.rounds[trace.rounds.length - 1];
      assert.equal(repair.kind, 'repair');
      assert.match(repair.policy.rejections[0], /greet\.ts/);
      assert.ok(fakes.openai.requests[1].lastUserText.includes('export const zzz = 1;') || fakes.openai.requests[1].lastUserText.includes('greet.ts'));
      assert.equal(plans[0].status, 'proposed');
      assert.equal(plans[0].proposed, 'export const a = 10;\nexport const b = 2;\n');
      assert.equal(trace.calls, 4);
    });

    it('a repair that fails again leaves the file plan failed with its reason and the run succeeded', async () => {
      const dir = tempWorkspace();
      writeFileSync(join(dir, 'greet.ts'), 'export const a = 1;\n');
      fakes.openai.enqueue(reply.text(edit('nope', 'x', 'greet.ts')), reply.text(edit('still nope', 'x', 'greet.ts')));
      const { trace, plans } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(dir) });
      assert.equal(trace.status, 'succeeded');
      assert.equal(plans[0].status, 'failed');
      assert.ok(plans[0].reason && plans[0].reason.length > 0);
      assert.equal(trace.final.edits[0].status, 'failed');
    });
  });

  it('a missing key fails the run with a readable message before calling that provider', async () => {
    const { trace } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: async (w) => (w.provider === 'google' ? undefined : TEST_KEY) });
    assert.equal(trace.status, 'failed');
    assert.match(trace.error!, /gemini/);
    assert.equal(fakes.gemini.requests.length, 0);
  });

  it('cancellation before any call ends the run as cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    const { trace } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, signal: abort.signal });
    assert.equal(trace.status, 'cancelled');
    assert.equal(fakes.openai.requests.length + fakes.gemini.requests.length + fakes.anthropic.requests.length, 0);
  });
});
