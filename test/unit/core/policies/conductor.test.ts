import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FuguConfig, WorkerConfig } from '../../../../src/core/config';
import { EDIT_FORMAT_INSTRUCTIONS } from '../../../../src/core/edits/editFormat';
import { builtinWorkflow } from '../../../../src/core/policies/builtin';
import { createConductorPolicy, withEditFormat } from '../../../../src/core/policies/conductor';
import type { PolicyInput, RecursionInput } from '../../../../src/core/policies/types';
import { createWorker } from '../../../../src/core/workers/createWorker';
import type { Workflow } from '../../../../src/core/workflow/types';
import { validateWorkflow } from '../../../../src/core/workflow/validateWorkflow';
import { reply, startOpenAIFake, type FakeProvider } from '../../../fakes';
import { configWith, worker } from '../../../support/pool';

const KEY_ENV = 'FUGU_TEST_CONDUCTOR_KEY';
const KEY = 'sk-conductor-secret-123';
const CODING = 'Add a --verbose flag to src/cli/main.ts that prints each step as it runs.';

/** A pool with real brand names, so the prompt can be checked for leaks. */
function brandedPool(): WorkerConfig[] {
  return [
    worker('gemini', 'planner', { provider: 'google', model: 'gemini-2.5-pro' }),
    worker('claude', 'planner', { provider: 'anthropic', model: 'claude-sonnet-4-5', description: 'deep reasoning about large codebases' }),
    worker('gpt', 'coder', { provider: 'openai', model: 'gpt-5' }),
    worker('judge', 'reviewer', { model: 'qwen3-coder-30b', price: { input: 0.2, output: 0.6 } }),
  ];
}

const GOOD = `The task changes one file; two planners first, then the coder, then my own check.

\`\`\`python
model_id = [0, 1, 2, 4]
subtasks = ["Plan the flag: parsing, where steps are printed, risks.", "List edge cases for the flag.", "Implement the --verbose flag.", "Check the result."]
access_list = [[], [], ["all"], ["all"]]
\`\`\``;

describe('conductor policy (against the fake OpenAI server)', () => {
  let fake: FakeProvider;
  before(async () => {
    process.env[KEY_ENV] = KEY;
    fake = await startOpenAIFake({ apiKey: KEY });
  });
  after(async () => {
    delete process.env[KEY_ENV];
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const config = (policy: Partial<FuguConfig['policy']> = {}, extra: Partial<FuguConfig> = {}): FuguConfig =>
    configWith(brandedPool(), {
      policy: { backend: 'conductor', baseUrl: fake.url, model: 'conductor-7b', apiKeyEnv: KEY_ENV, timeoutMs: 5_000, ...policy },
      prices: { 'conductor-7b': { input: 1, output: 2 } },
      ...extra,
    });
  const input = (cfg: FuguConfig, extra: Partial<PolicyInput> = {}): PolicyInput => ({
    task: CODING,
    config: cfg,
    conductorMayReview: true,
    signal: new AbortController().signal,
    getWorker: (id) => {
      const w = cfg.workers.find((x) => x.id === id);
      return w ? Promise.resolve(createWorker(w, { apiKey: KEY, timeoutMs: 5_000, maxRetries: 0 })) : Promise.reject(new Error(`no worker ${id}`));
    },
    ...extra,
  });

  it('uses a good answer, appends the edit format to the answering step, and records usage and cost', async () => {
    fake.enqueue(reply.text(GOOD, { usage: { inputTokens: 1000, outputTokens: 200 } }));
    const plan = await createConductorPolicy().plan(input(config()));
    assert.deepEqual(plan.workflow.model_id, [0, 1, 2, 4]);
    assert.deepEqual(plan.workflow.access_list, [[], [], ['all'], ['all']]);
    assert.equal(plan.workflow.subtasks[0], 'Plan the flag: parsing, where steps are printed, risks.');
    assert.equal(plan.workflow.subtasks[2], `Implement the --verbose flag.\n\n${EDIT_FORMAT_INSTRUCTIONS}`);
    assert.equal(plan.workflow.subtasks[3], 'Check the result.');
    assert.deepEqual(plan.record.rawAnswers, [GOOD]);
    assert.deepEqual(plan.record.rejections, []);
    assert.equal(plan.record.fallback, null);
    assert.deepEqual(plan.record.usage, { inputTokens: 1000, outputTokens: 200 });
    assert.ok(Math.abs(plan.record.costUsd - 0.0014) < 1e-12, String(plan.record.costUsd));
    assert.equal(fake.requests.length, 1);
    assert.equal(fake.lastRequest!.model, 'conductor-7b');
    assert.equal(fake.lastRequest!.apiKey, KEY);
  });

  it('describes the pool by number, strengths and cost, and never by brand or model name', async () => {
    fake.enqueue(reply.text(GOOD));
    await createConductorPolicy().plan(input(config()));
    const req = fake.lastRequest!;
    const prompt = `${req.system}\n${req.messages.map((m) => m.text).join('\n')}`;
    for (const line of ['Model 0: role planner', 'Model 1: role planner', 'Model 2: role coder', 'Model 3: role reviewer', 'Model 4: yourself, the conductor']) {
      assert.ok(prompt.includes(line), `missing "${line}"`);
    }
    assert.ok(prompt.includes('deep reasoning about large codebases'), 'a configured description is shown');
    assert.ok(prompt.includes('$1.25 per million input tokens, $10 per million output tokens'), 'table prices are shown');
    assert.ok(prompt.includes('$0.20 per million input tokens, $0.60 per million output tokens'), 'configured prices are shown');
    assert.ok(prompt.includes('at most 5 steps'));
    for (const domain of ['Example (math)', 'Example (science)', 'Example (coding)', 'Example (general)']) assert.ok(prompt.includes(domain), domain);
    assert.match(prompt, /coding task: the final response is turned into file edits/);
    assert.ok(req.messages[0].text.includes(CODING), 'the task is in the user message');
    for (const brand of ['gemini', 'claude', 'gpt', 'openai', 'anthropic', 'google', 'qwen', 'judge', 'sonnet']) {
      assert.ok(!prompt.toLowerCase().includes(brand), `the prompt mentions "${brand}"`);
    }
  });

  it('leaves out the coding note and the self entry when they do not apply', async () => {
    fake.enqueue(reply.text('model_id = [0]\nsubtasks = ["Answer it."]\naccess_list = [[]]'));
    const plan = await createConductorPolicy().plan(input(config(), { task: 'What is the capital of Australia?', conductorMayReview: false }));
    assert.deepEqual(plan.workflow, { model_id: [0], subtasks: ['Answer it.'], access_list: [[]] });
    const system = fake.lastRequest!.system;
    assert.doesNotMatch(system, /turned into file edits/);
    assert.doesNotMatch(system, /Model 4: yourself/);
  });

  it('tells the conductor it is a coding task, whatever the wording, when the caller asked for edits', async () => {
    fake.enqueue(reply.text('model_id = [2]\nsubtasks = ["Make it."]\naccess_list = [[]]'));
    const plan = await createConductorPolicy().plan(input(config(), { task: 'Make the change.', coding: true }));
    assert.match(fake.lastRequest!.system ?? '', /coding task: the final response is turned into file edits/);
    assert.ok(plan.workflow.subtasks[0].includes('SEARCH'), 'the answering step is told the edit format');
  });

  it('sends an invalid answer back once with the validator message and uses the corrected one', async () => {
    const bad = 'model_id = [0, 9]\nsubtasks = ["a", "b"]\naccess_list = [[], ["all"]]';
    const good = 'model_id = [0, 2]\nsubtasks = ["Plan.", "Code."]\naccess_list = [[], ["all"]]';
    fake.enqueue(reply.text(bad), reply.text(good));
    const plan = await createConductorPolicy().plan(input(config()));
    assert.deepEqual(plan.workflow.model_id, [0, 2]);
    assert.deepEqual(plan.record.rawAnswers, [bad, good]);
    assert.deepEqual(plan.record.rejections, ['model_id[1] is 9, but valid model numbers are 0 to 4 (4 is yourself, the conductor).']);
    assert.equal(plan.record.fallback, null);
    const second = fake.requests[1];
    assert.deepEqual(second.messages.map((m) => m.role), ['user', 'assistant', 'user']);
    assert.equal(second.messages[1].text, bad);
    assert.match(second.messages[2].text, /could not be used: model_id\[1\] is 9/);
  });

  it('falls back to builtin after garbage twice, recording both answers and both rejections', async () => {
    fake.enqueue(reply.text('I would use the best model.'), reply.text('model_id = [0]\nsubtasks = ["x"'));
    const cfg = config();
    const plan = await createConductorPolicy().plan(input(cfg));
    assert.deepEqual(plan.workflow, builtinWorkflow(CODING, cfg, true));
    assert.deepEqual(plan.record.rawAnswers, ['I would use the best model.', 'model_id = [0]\nsubtasks = ["x"']);
    assert.equal(plan.record.rejections.length, 2);
    assert.match(plan.record.rejections[0], /no "model_id = \[\.\.\.\]"/);
    assert.match(plan.record.rejections[1], /subtasks could not be read/);
    assert.equal(plan.record.fallback?.to, 'builtin');
    assert.match(plan.record.fallback!.reason, /invalid twice/);
    assert.equal(plan.record.backend, 'conductor');
  });

  it('falls back when the conductor does not answer within policy.timeoutMs', async () => {
    fake.enqueue(reply.hang());
    const started = Date.now();
    const plan = await createConductorPolicy().plan(input(config({ timeoutMs: 300 })));
    const took = Date.now() - started;
    assert.ok(took >= 250 && took < 3_000, `took ${took} ms`);
    assert.deepEqual(plan.record.fallback, { to: 'builtin', reason: 'the conductor did not answer within 0.3 s' });
    assert.deepEqual(plan.record.rawAnswers, []);
    assert.equal(plan.workflow.model_id.length, 5);
    await fake.waitForClientClose(1, 2_000);
  });

  it('falls back when the conductor cannot be reached, and says why without the key', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const plan = await createConductorPolicy().plan(input(config({ baseUrl: `http://127.0.0.1:${port}/v1` })));
    assert.equal(plan.record.fallback?.to, 'builtin');
    assert.match(plan.record.fallback!.reason, /^the conductor could not be used: /);
    assert.ok(plan.record.fallback!.reason.includes(`could not reach http://127.0.0.1:${port}/v1`), plan.record.fallback!.reason);
    assert.ok(!JSON.stringify(plan.record).includes(KEY), 'the key leaked into the record');
    assert.equal(plan.workflow.model_id.length, 5);
  });

  it('falls back when the conductor rejects the key, without echoing it', async () => {
    const plan = await createConductorPolicy().plan(input(config({ apiKeyEnv: 'FUGU_TEST_NO_SUCH_KEY' })));
    assert.equal(plan.record.fallback?.to, 'builtin');
    assert.match(plan.record.fallback!.reason, /^the conductor could not be used: .*(key|401)/i);
    assert.ok(!JSON.stringify(plan.record).includes(KEY));
  });

  it('falls back at once when neither an endpoint nor a worker is configured', async () => {
    const plan = await createConductorPolicy().plan(input(config({ baseUrl: undefined })));
    assert.deepEqual(plan.record.fallback, {
      to: 'builtin',
      reason: 'the conductor backend needs policy.baseUrl and policy.model, or policy.worker',
    });
    assert.equal(fake.requests.length, 0);
  });

  it('propagates a user cancel instead of falling back', async () => {
    fake.enqueue(reply.hang());
    const ctl = new AbortController();
    setTimeout(() => ctl.abort(), 100);
    await assert.rejects(createConductorPolicy().plan(input(config(), { signal: ctl.signal })));
  });

  it('can use a pool worker as a prompted conductor, priced as that worker', async () => {
    const cfg = configWith([worker('cheap', 'any', { baseUrl: fake.url, model: 'local-model', price: { input: 2, output: 4 } }), worker('coder', 'coder')], {
      policy: { backend: 'conductor', worker: 'cheap', timeoutMs: 5_000 },
    });
    fake.enqueue(reply.text('model_id = [1]\nsubtasks = ["Code it."]\naccess_list = [[]]', { usage: { inputTokens: 500, outputTokens: 100 } }));
    const plan = await createConductorPolicy().plan(input(cfg));
    assert.deepEqual(plan.workflow.model_id, [1]);
    assert.equal(fake.lastRequest!.model, 'local-model');
    assert.ok(Math.abs(plan.record.costUsd - 0.0014) < 1e-12);
  });

  it('falls back when policy.worker names no configured worker', async () => {
    const plan = await createConductorPolicy().plan(input(config({ worker: 'nobody' })));
    assert.equal(plan.record.fallback?.reason, "policy.worker is 'nobody', but no configured worker has that id");
  });

  describe('recursion', () => {
    const first: Workflow = { model_id: [0, 2, 4], subtasks: ['Plan.', 'Code.', 'Check.'], access_list: [[], ['all'], ['all']] };
    const recursion = (cfg: FuguConfig, extra: Partial<RecursionInput> = {}): RecursionInput => ({
      ...input(cfg),
      previous: [first],
      lastResponse: 'src/cli/main.ts\n```ts\n<<<<<<< SEARCH\nold\n=======\nnew\n>>>>>>> REPLACE\n```',
      outputs: ['the plan', 'the code'],
      ...extra,
    });

    it('accepts with three empty lists, after seeing its workflow, the task and the last response', async () => {
      fake.enqueue(reply.text('The edit is correct.\nmodel_id = []\nsubtasks = []\naccess_list = []'));
      const plan = await createConductorPolicy().recurse(recursion(config()));
      assert.deepEqual(plan.workflow, { model_id: [], subtasks: [], access_list: [] });
      assert.equal(plan.record.fallback, null);
      const msg = fake.lastRequest!.messages[0].text;
      assert.ok(msg.includes(CODING));
      assert.ok(msg.includes('model_id = [0,2,4]'));
      assert.ok(msg.includes('"Check."'));
      assert.ok(msg.includes('<<<<<<< SEARCH\nold'));
    });

    it('returns a validated corrective workflow, with the edit format on its answering step', async () => {
      fake.enqueue(reply.text('The SEARCH text is wrong.\nmodel_id = [2]\nsubtasks = ["Redo the edit: the SEARCH text must match the file."]\naccess_list = [[]]'));
      const plan = await createConductorPolicy().recurse(recursion(config()));
      assert.deepEqual(plan.workflow.model_id, [2]);
      assert.ok(plan.workflow.subtasks[0].endsWith(EDIT_FORMAT_INSTRUCTIONS));
      assert.ok(validateWorkflow(plan.workflow, { poolSize: 4, allowConductorStep: true }).ok);
    });

    it('falls back to the builtin review when its answers are invalid twice', async () => {
      fake.enqueue(reply.text('accept'), reply.text('yes, accept'));
      const plan = await createConductorPolicy().recurse(recursion(config(), { lastResponse: 'Looks good.\nVERDICT: PASS', outputs: ['p', 'code', 'Looks good.\nVERDICT: PASS'] }));
      assert.deepEqual(plan.workflow.model_id, []);
      assert.equal(plan.record.rawAnswers.length, 2);
      assert.equal(plan.record.fallback?.to, 'builtin');
    });

    it('rejects an accept in the first plan (empty lists are only for reviews)', async () => {
      fake.enqueue(reply.text('model_id = []\nsubtasks = []\naccess_list = []'), reply.text('model_id = [2]\nsubtasks = ["Code."]\naccess_list = [[]]'));
      const plan = await createConductorPolicy().plan(input(config()));
      assert.deepEqual(plan.workflow.model_id, [2]);
      assert.match(plan.record.rejections[0], /The three lists are empty/);
    });
  });
});

describe('withEditFormat', () => {
  const wf: Workflow = { model_id: [0, 1, 3], subtasks: ['plan', 'code', 'check'], access_list: [[], ['all'], ['all']] };
  it('appends the format to the step before the conductor step', () => {
    const out = withEditFormat(wf, 'coding', 3);
    assert.equal(out.subtasks[1], `code\n\n${EDIT_FORMAT_INSTRUCTIONS}`);
    assert.equal(out.subtasks[2], 'check');
    assert.equal(wf.subtasks[1], 'code', 'the input is not changed');
  });
  it('appends it to the last step when no conductor step follows, once only', () => {
    const once = withEditFormat({ model_id: [0], subtasks: ['code'], access_list: [[]] }, 'coding', 3);
    assert.deepEqual(withEditFormat(once, 'coding', 3), once);
  });
  it('leaves non-coding workflows alone', () => {
    assert.deepEqual(withEditFormat(wf, 'question', 3), wf);
  });
});
