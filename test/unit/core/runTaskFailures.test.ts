// Every way a run can go wrong still ends with a well-formed trace: no step left pending or
// running, a final status with its reason, no call after a stop, no HTTP request left open.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeWorkspaceFiles } from '../../../src/core/edits';
import type { FuguConfig } from '../../../src/core/config';
import type { Policy } from '../../../src/core/policies/types';
import { emptyRecord } from '../../../src/core/policies/builtin';
import { runTask } from '../../../src/core/runTask';
import { reply, type FakeSet, type FakeRequest } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { configFor, poolFor, testKeys } from '../../support/pool';
import { assertFinishedTrace } from '../../support/traceInvariants';
import { tempDir } from '../../support/tempDir';

const CODING_TASK = 'Add a greet(name) function to src/greet.ts';
const isConductor = (r: FakeRequest) => r.model === 'conductor-7b';
const openRequests = (f: FakeSet) => f.all.reduce((n, p) => n + p.stats.open, 0);

/** Waits until `pred` holds (polling), or fails after `ms`. */
async function until(pred: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > end) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('runTask when things go wrong', () => {
  const fakes = useFakes();

  // Two workers (coder = Model 0, planner = Model 1); Model 2 is the conductor itself.
  const conductorConfig = (over: Partial<FuguConfig> = {}): FuguConfig =>
    configFor(fakes, {
      workers: [poolFor(fakes)[2], poolFor(fakes)[1]],
      policy: { backend: 'conductor', baseUrl: fakes.openai.url, model: 'conductor-7b', timeoutMs: 2000 },
      ...over,
    });
  const REVIEWED = 'model_id = [1, 0, 2]\nsubtasks = ["Plan it", "Code it", "Check it"]\naccess_list = [[], ["all"], ["all"]]';

  it('a policy that writes an invalid workflow leaves every step skipped, not pending', async () => {
    const policy: Policy = {
      name: 'broken',
      plan: async () => ({ workflow: { model_id: [0, 7], subtasks: ['a', 'b'], access_list: [[], ['all']] }, record: emptyRecord('broken') }),
      recurse: async () => ({ workflow: { model_id: [], subtasks: [], access_list: [] }, record: emptyRecord('broken') }),
    };
    const { trace } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, policy });
    assert.equal(trace.status, 'failed');
    assert.match(trace.error!, /invalid workflow/);
    assert.deepEqual(trace.rounds[0].steps.map((s) => s.status), ['skipped', 'skipped']);
    assertFinishedTrace(trace);
    assert.equal(fakes.openai.requests.length + fakes.anthropic.requests.length, 0);
  });

  it('cancelling while the conductor reviews a round ends cancelled, with its step not left running', async () => {
    fakes.openai.on(isConductor, reply.text(REVIEWED), { times: 1 });
    fakes.openai.on(isConductor, reply.hang());
    const abort = new AbortController();
    const run = runTask({ task: CODING_TASK, config: conductorConfig(), keys: testKeys, signal: abort.signal });
    await until(() => fakes.openai.requests.filter(isConductor).length === 2);
    abort.abort();
    const { trace } = await run;
    assert.equal(trace.status, 'cancelled');
    assert.equal(trace.rounds[0].steps[2].status, 'cancelled');
    assertFinishedTrace(trace);
    await until(() => openRequests(fakes) === 0);
  });

  it('the conductor is not asked to review a round once the budget is spent', async () => {
    fakes.openai.on(isConductor, reply.text(REVIEWED), { times: 1 });
    // The plan call, the planner and the coder: three calls, the whole budget.
    const { trace } = await runTask({ task: CODING_TASK, config: conductorConfig({ budget: { maxCalls: 3, maxTokens: 400_000, maxCostUsd: 2 } }), keys: testKeys });
    assert.equal(fakes.openai.requests.filter(isConductor).length, 1, 'no review call over budget');
    assert.equal(trace.status, 'budget_exceeded');
    assert.match(trace.error!, /call budget/);
    assert.equal(trace.rounds[0].steps[2].status, 'skipped');
    assert.equal(trace.calls, 3);
    assertFinishedTrace(trace);
  });

  it('maxCostUsd 0 still runs workers that cost nothing (a local model)', async () => {
    const free = poolFor(fakes).map((w) => ({ ...w, price: { input: 0, output: 0 } }));
    const { trace } = await runTask({ task: CODING_TASK, config: configFor(fakes, { workers: free, budget: { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 0 } }), keys: testKeys });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.equal(trace.costUsd, 0);
  });

  it('maxCostUsd 0 stops a priced worker as soon as it costs something', async () => {
    fakes.gemini.enqueue(reply.text('a long plan '.repeat(50), { tokenDelayMs: 2 }));
    const { trace } = await runTask({ task: CODING_TASK, config: configFor(fakes, { budget: { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 0 } }), keys: testKeys });
    assert.equal(trace.status, 'budget_exceeded');
    assert.equal(fakes.openai.requests.length, 0, 'the coder never starts');
    assertFinishedTrace(trace);
  });

  const edit = (path: string, search: string, replace: string) =>
    `${path}\n\`\`\`ts\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;
  const workspace = () => {
    const dir = tempDir('fugu-fail-');
    writeFileSync(join(dir, 'a.ts'), 'export const a = 1;\n');
    mkdirSync(join(dir, 'sub.ts'));
    return dir;
  };

  it('cancelling during the repair round ends cancelled and proposes no edits', async () => {
    const dir = workspace();
    fakes.openai.enqueue(reply.text(edit('a.ts', 'nothing like this', 'x')), reply.hang());
    const abort = new AbortController();
    const run = runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, signal: abort.signal, workspace: nodeWorkspaceFiles(dir) });
    await until(() => fakes.openai.requests.length === 2);
    abort.abort();
    const { trace, plans } = await run;
    assert.equal(trace.status, 'cancelled');
    assert.deepEqual(plans, []);
    assert.deepEqual(trace.final.edits, []);
    assert.equal(trace.rounds[trace.rounds.length - 1].kind, 'repair');
    assertFinishedTrace(trace);
    await until(() => openRequests(fakes) === 0);
  });

  it('an edit to a path that is a directory fails that file, and the run still returns', async () => {
    const dir = workspace();
    fakes.openai.enqueue(reply.text(edit('sub.ts', 'old', 'new') + edit('a.ts', 'export const a = 1;', 'export const a = 2;')), reply.text(edit('sub.ts', 'old', 'newer')));
    const { trace, plans } = await runTask({ task: CODING_TASK, config: configFor(fakes), keys: testKeys, workspace: nodeWorkspaceFiles(dir) });
    assert.equal(trace.status, 'succeeded');
    const byPath = Object.fromEntries(plans.map((p) => [p.path, p]));
    assert.equal(byPath['sub.ts'].status, 'failed');
    assert.equal(byPath['a.ts'].status, 'proposed');
    assertFinishedTrace(trace);
  });
});
