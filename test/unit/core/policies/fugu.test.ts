import assert from 'node:assert/strict';
import { EDIT_FORMAT_INSTRUCTIONS } from '../../../../src/core/edits/editFormat';
import { createPolicy } from '../../../../src/core/policies/createPolicy';
import { createFuguPolicy } from '../../../../src/core/policies/fugu';
import type { PolicyInput } from '../../../../src/core/policies/types';
import { validateWorkflow } from '../../../../src/core/workflow/validateWorkflow';
import { configWith, standardPool } from '../../../support/pool';

const input = (task: string, policy: Partial<PolicyInput['config']['policy']> = {}): PolicyInput => ({
  task,
  config: configWith(standardPool(), { policy: { backend: 'fugu', timeoutMs: 60_000, ...policy } }),
  conductorMayReview: true,
  signal: new AbortController().signal,
  getWorker: () => Promise.reject(new Error('fugu uses no pool worker')),
});

describe('fugu policy', () => {
  it('sends the whole task as one step on an extra worker with Sakana defaults', async () => {
    const plan = await createFuguPolicy().plan(input('What is the capital of Australia?'));
    assert.deepEqual(plan.extraWorkers, [
      {
        id: 'fugu',
        provider: 'openai-compatible',
        baseUrl: 'https://api.sakana.ai/v1',
        model: 'fugu',
        apiKeyEnv: 'FUGU_API_KEY',
        role: 'any',
        description: 'hosted multi-model orchestration',
        timeoutMs: 600_000,
      },
    ]);
    // The pool has 4 workers, so the extra worker is model 4 and the conductor would be 5.
    assert.deepEqual(plan.workflow.model_id, [4]);
    assert.deepEqual(plan.workflow.access_list, [[]]);
    assert.ok(validateWorkflow(plan.workflow, { poolSize: 5, allowConductorStep: true }).ok);
    assert.doesNotMatch(plan.workflow.subtasks[0], /SEARCH/);
    assert.equal(plan.record.backend, 'fugu');
  });

  it('honours policy.baseUrl, model and apiKeyEnv (e.g. fugu-ultra)', async () => {
    const plan = await createFuguPolicy().plan(input('q?', { baseUrl: 'http://127.0.0.1:1/v1', model: 'fugu-ultra', apiKeyEnv: 'MY_FUGU' }));
    const w = plan.extraWorkers![0];
    assert.equal(w.baseUrl, 'http://127.0.0.1:1/v1');
    assert.equal(w.model, 'fugu-ultra');
    assert.equal(w.apiKeyEnv, 'MY_FUGU');
  });

  it('asks for edit blocks on a coding task', async () => {
    const plan = await createFuguPolicy().plan(input('Fix the off-by-one in src/range.ts'));
    assert.ok(plan.workflow.subtasks[0].includes(EDIT_FORMAT_INSTRUCTIONS));
  });

  it('asks for edit blocks whatever the wording when the caller asked for edits', async () => {
    assert.ok(!(await createFuguPolicy().plan(input('Make the change.'))).workflow.subtasks[0].includes(EDIT_FORMAT_INSTRUCTIONS));
    const plan = await createFuguPolicy().plan({ ...input('Make the change.'), coding: true });
    assert.ok(plan.workflow.subtasks[0].includes(EDIT_FORMAT_INSTRUCTIONS));
  });

  it('recursion has nothing to review: accept', async () => {
    const plan = await createFuguPolicy().recurse({ ...input('x'), previous: [], lastResponse: '', outputs: [] });
    assert.deepEqual(plan.workflow, { model_id: [], subtasks: [], access_list: [] });
  });
});

describe('createPolicy', () => {
  it('maps each backend to its policy', () => {
    for (const backend of ['builtin', 'conductor', 'fugu'] as const) {
      assert.equal(createPolicy(configWith(standardPool(), { policy: { backend, timeoutMs: 1 } })).name, backend);
    }
  });
});
