import assert from 'node:assert/strict';
import { parseWorkflow } from '../../../../src/core/workflow/parseWorkflow';
import { validateWorkflow, visibleSteps } from '../../../../src/core/workflow/validateWorkflow';
import type { Workflow, WorkflowLimits } from '../../../../src/core/workflow/types';

const wf = (model_id: number[], access_list: Workflow['access_list'], subtasks?: string[]): Workflow => ({
  model_id,
  subtasks: subtasks ?? model_id.map((_, i) => `step ${i}`),
  access_list,
});

const pool3: WorkflowLimits = { poolSize: 3 };

describe('validateWorkflow', () => {
  const accepted: { name: string; wf: Workflow; limits: WorkflowLimits }[] = [
    { name: 'one step', wf: wf([0], [[]]), limits: pool3 },
    { name: 'planners then coder with all', wf: wf([1, 2, 0], [[], [], ['all']]), limits: pool3 },
    { name: 'explicit earlier indices', wf: wf([0, 1, 2], [[], [0], [0, 1]]), limits: pool3 },
    { name: 'five steps at the default limit', wf: wf([0, 1, 2, 0, 1], [[], [], [], [], ['all']]), limits: pool3 },
    { name: 'the conductor as the last step', wf: wf([1, 0, 3], [[], ['all'], ['all']]), limits: { poolSize: 3, allowConductorStep: true } },
    { name: 'the same model twice', wf: wf([0, 0], [[], [0]]), limits: pool3 },
  ];
  for (const c of accepted) {
    it(`accepts ${c.name}`, () => {
      assert.deepEqual(validateWorkflow(c.wf, c.limits), { ok: true, accept: false });
    });
  }

  const rejected: { name: string; wf: Workflow; limits: WorkflowLimits; error: string }[] = [
    {
      name: 'unequal lengths',
      wf: { model_id: [0, 1], subtasks: ['a'], access_list: [[], []] },
      limits: pool3,
      error: 'The three lists must have the same length, but model_id has 2 entries, subtasks has 1 and access_list has 2.',
    },
    {
      name: 'too many steps',
      wf: wf([0, 1, 2, 0, 1, 2], [[], [], [], [], [], []]),
      limits: pool3,
      error: 'The workflow has 6 steps, but at most 5 are allowed.',
    },
    {
      name: 'too many steps under a lower limit',
      wf: wf([0, 1, 2], [[], [], []]),
      limits: { poolSize: 3, maxSteps: 2 },
      error: 'The workflow has 3 steps, but at most 2 are allowed.',
    },
    {
      name: 'an out-of-range model id',
      wf: wf([0, 3], [[], []]),
      limits: pool3,
      error: 'model_id[1] is 3, but valid model numbers are 0 to 2.',
    },
    {
      name: 'a negative model id',
      wf: wf([-1], [[]]),
      limits: pool3,
      error: 'model_id[0] is -1, but valid model numbers are 0 to 2.',
    },
    {
      name: 'the conductor id when recursion is off',
      wf: wf([0, 3], [[], ['all']]),
      limits: pool3,
      error: 'model_id[1] is 3, but valid model numbers are 0 to 2.',
    },
    {
      name: 'an id beyond the conductor',
      wf: wf([0, 4], [[], ['all']]),
      limits: { poolSize: 3, allowConductorStep: true },
      error: 'model_id[1] is 4, but valid model numbers are 0 to 3 (3 is yourself, the conductor).',
    },
    {
      name: 'the conductor before the last step',
      wf: wf([3, 0], [[], ['all']]),
      limits: { poolSize: 3, allowConductorStep: true },
      error: 'model_id[0] is 3 (the conductor itself), which may only be the last step.',
    },
    {
      name: 'the conductor alone',
      wf: wf([3], [[]]),
      limits: { poolSize: 3, allowConductorStep: true },
      error: 'model_id[0] is 3 (the conductor itself), which needs at least one earlier step to review.',
    },
    {
      name: 'a forward reference',
      wf: wf([0, 1, 2], [[], [], [3]]),
      limits: pool3,
      error: 'access_list[2] refers to step 3, which is not earlier than step 2.',
    },
    {
      name: 'a self reference',
      wf: wf([0, 1], [[], [1]]),
      limits: pool3,
      error: 'access_list[1] refers to step 1, which is not earlier than step 1.',
    },
    {
      name: 'the first step seeing step 0',
      wf: wf([0], [[0]]),
      limits: pool3,
      error: 'access_list[0] refers to step 0, which is not earlier than step 0.',
    },
    {
      name: 'a duplicate access entry',
      wf: wf([0, 1, 2], [[], [], [0, 0]]),
      limits: pool3,
      error: 'access_list[2] lists step 0 twice.',
    },
    {
      name: 'a negative access entry',
      wf: wf([0, 1], [[], [-1]]),
      limits: pool3,
      error: 'access_list[1] contains -1, which is not a step number.',
    },
    {
      name: '"all" mixed with indices',
      wf: wf([0, 1, 2], [[], [], ['all', 0]]),
      limits: pool3,
      error: 'access_list[2] mixes "all" with other entries; use ["all"] alone.',
    },
    {
      name: 'an empty subtask',
      wf: wf([0, 1], [[], []], ['plan', '   ']),
      limits: pool3,
      error: 'subtasks[1] is empty; every step needs an instruction.',
    },
    {
      name: 'three empty lists outside a recursive call',
      wf: wf([], []),
      limits: pool3,
      error: 'The three lists are empty; a workflow needs at least one step (empty lists only accept an earlier result when reviewing it).',
    },
    {
      name: 'any id against an empty pool',
      wf: wf([0], [[]]),
      limits: { poolSize: 0 },
      error: 'model_id[0] is 0, but the pool is empty.',
    },
  ];
  for (const c of rejected) {
    it(`rejects ${c.name}`, () => {
      const r = validateWorkflow(c.wf, c.limits);
      assert.equal(r.ok, false);
      if (!r.ok) {
        assert.deepEqual(r.errors, [c.error]);
        assert.equal(r.error, c.error);
      }
    });
  }

  it('lists every problem at once', () => {
    const r = validateWorkflow(wf([0, 7, 1], [[], [2], []], ['a', '', 'c']), pool3);
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.deepEqual(r.errors, [
        'model_id[1] is 7, but valid model numbers are 0 to 2.',
        'subtasks[1] is empty; every step needs an instruction.',
        'access_list[1] refers to step 2, which is not earlier than step 1.',
      ]);
      assert.equal(r.error, r.errors.join(' '));
    }
  });

  it('treats three empty lists as accept in a recursive call', () => {
    assert.deepEqual(validateWorkflow(wf([], []), { poolSize: 3, allowAccept: true }), { ok: true, accept: true });
  });

  it('validates what the parser read, end to end', () => {
    const p = parseWorkflow('Reasoning.\nmodel_id = [1, 0]\nsubtasks = ["plan", "code"]\naccess_list = [[], [1]]');
    assert.ok(p.ok);
    if (p.ok) {
      const r = validateWorkflow(p.workflow, { poolSize: 2 });
      assert.equal(r.ok, false);
      if (!r.ok) assert.deepEqual(r.errors, ['access_list[1] refers to step 1, which is not earlier than step 1.']);
    }
  });
});

describe('visibleSteps', () => {
  it('resolves "all" to every earlier step and sorts explicit indices', () => {
    const w = wf([0, 1, 2, 0], [[], [], ['all'], [2, 0]]);
    assert.deepEqual(visibleSteps(w, 0), []);
    assert.deepEqual(visibleSteps(w, 2), [0, 1]);
    assert.deepEqual(visibleSteps(w, 3), [0, 2]);
  });
});
