import assert from 'node:assert/strict';
import { EDIT_FORMAT_INSTRUCTIONS } from '../../../../src/core/edits/editFormat';
import { builtinRecurse, builtinWorkflow, createBuiltinPolicy, poolRoles } from '../../../../src/core/policies/builtin';
import { parseVerdict } from '../../../../src/core/policies/builtinSubtasks';
import { classifyTask, type TaskKind } from '../../../../src/core/policies/classifyTask';
import type { RecursionInput } from '../../../../src/core/policies/types';
import { taskWithContext } from '../../../../src/core/assembleMessages';
import type { Role } from '../../../../src/core/workers/types';
import type { Workflow } from '../../../../src/core/workflow/types';
import { validateWorkflow } from '../../../../src/core/workflow/validateWorkflow';
import { configWith, standardPool, worker } from '../../../support/pool';

const CODING = 'Add a --verbose flag to src/cli/main.ts that prints each step as it runs.';
const QUESTION = 'What is the capital of Australia?';

describe('classifyTask', () => {
  const table: [string, TaskKind][] = [
    [QUESTION, 'question'],
    ['How many moons does Mars have?', 'question'],
    ['What is a closure in JavaScript?', 'question'],
    ['Explain what src/core/executor.ts does.', 'question'],
    ['Summarise the French revolution in one paragraph.', 'question'],
    [CODING, 'coding'],
    ['Fix the bug in parseConfig where an empty file crashes.', 'coding'],
    ['Refactor the retry logic into its own module', 'coding'],
    ['Implement binary search', 'coding'],
    ['The build fails with "Cannot find module ./foo"', 'coding'],
    ['How do I fix the null pointer in UserService.getName()?', 'coding'],
    ['rename fetchData to loadData everywhere', 'coding'],
    ['Write unit tests for the date formatter', 'coding'],
    ['Compare the economic policies of three post-war governments, with their causes, their results and what historians still disagree about. Cover trade, labour and monetary policy, give at least two sources of evidence for each claim, and end with a balanced judgement of which approach worked best and under which conditions.', 'general'],
  ];
  for (const [task, kind] of table) {
    it(`${kind}: ${task.slice(0, 50)}`, () => assert.equal(classifyTask(task), kind));
  }

  it('reads only the user\'s words, not the attached files', () => {
    const files = [{ path: 'src/user.ts', text: 'export function update(user: User) {\n  // add the handler, fix later\n  return save(user);\n}' }];
    assert.equal(classifyTask(taskWithContext('What does this function do?', files)), 'question');
    assert.equal(classifyTask(taskWithContext('Make it return a promise', files)), 'coding');
    assert.equal(classifyTask(taskWithContext('Tidy this up', files)), 'coding');
  });
});

describe('builtin policy: topology', () => {
  it('answers a short question in one step with a general-purpose worker', () => {
    const cfg = configWith([worker('p', 'planner'), worker('c', 'coder'), worker('a', 'any')]);
    const wf = builtinWorkflow(QUESTION, cfg, true);
    assert.deepEqual(wf.model_id, [2]);
    assert.deepEqual(wf.access_list, [[]]);
    assert.match(wf.subtasks[0], /Answer the question/);
  });

  it('for coding: planners in parallel, coder with all plans, reviewer, then the conductor', () => {
    const cfg = configWith(standardPool());
    const wf = builtinWorkflow(CODING, cfg, true);
    assert.deepEqual(wf.model_id, [0, 1, 2, 3, 4]);
    assert.deepEqual(wf.access_list, [[], [], ['all'], ['all'], ['all']]);
    assert.match(wf.subtasks[0], /Files to touch/);
    assert.match(wf.subtasks[0], /Risks/);
    assert.match(wf.subtasks[0], /Do not write the implementation/);
    assert.match(wf.subtasks[0], /1 other planner is planning/);
    assert.ok(wf.subtasks[2].includes(EDIT_FORMAT_INSTRUCTIONS), 'the coder is told the edit format');
    assert.match(wf.subtasks[2], /independent plans/);
    assert.match(wf.subtasks[3], /VERDICT: PASS/);
    assert.match(wf.subtasks[3], /VERDICT: FAIL/);
    assert.deepEqual(validateWorkflow(wf, { poolSize: 4, allowConductorStep: true }), { ok: true, accept: false });
  });

  it('without recursion, the coder is last (no review that nobody would act on)', () => {
    const wf = builtinWorkflow(CODING, configWith(standardPool()), false);
    assert.deepEqual(wf.model_id, [0, 1, 2]);
  });

  it('without a reviewer, no review or conductor step', () => {
    const wf = builtinWorkflow(CODING, configWith(standardPool().slice(0, 3)), true);
    assert.deepEqual(wf.model_id, [0, 1, 2]);
  });

  it('without planners, the coder works alone and sees nothing earlier', () => {
    const wf = builtinWorkflow(CODING, configWith([worker('c', 'coder')]), true);
    assert.deepEqual(wf.model_id, [0]);
    assert.deepEqual(wf.access_list, [[]]);
    assert.doesNotMatch(wf.subtasks[0], /independent plans/);
    assert.ok(wf.subtasks[0].includes(EDIT_FORMAT_INSTRUCTIONS));
  });

  it('without a coder, an "any" worker codes', () => {
    const wf = builtinWorkflow(CODING, configWith([worker('p', 'planner'), worker('a', 'any')]), true);
    assert.deepEqual(wf.model_id, [0, 1]);
    assert.deepEqual(wf.access_list, [[], ['all']]);
  });

  it('without a coder or "any" worker, the first worker codes', () => {
    const wf = builtinWorkflow(CODING, configWith([worker('p1', 'planner'), worker('p2', 'planner')]), true);
    assert.deepEqual(wf.model_id, [0, 1, 0]);
  });

  it('drops planners before the review when the step limit is tight', () => {
    assert.deepEqual(builtinWorkflow(CODING, configWith(standardPool(), { maxSteps: 4 }), true).model_id, [0, 2, 3, 4]);
    assert.deepEqual(builtinWorkflow(CODING, configWith(standardPool(), { maxSteps: 3 }), true).model_id, [2, 3, 4]);
    assert.deepEqual(builtinWorkflow(CODING, configWith(standardPool(), { maxSteps: 2 }), true).model_id, [0, 2]);
    assert.deepEqual(builtinWorkflow(CODING, configWith(standardPool(), { maxSteps: 1 }), true).model_id, [2]);
  });

  it('for a long non-coding task, planners analyse and one worker writes the answer', () => {
    const task = 'Compare the economic policies of three post-war governments, with their causes, their results and what historians still disagree about. Cover trade, labour and monetary policy, give at least two sources of evidence for each claim, and end with a balanced judgement of which approach worked best and under which conditions.';
    const wf = builtinWorkflow(task, configWith([worker('p1', 'planner'), worker('p2', 'planner'), worker('a', 'any')]), true);
    assert.deepEqual(wf.model_id, [0, 1, 2]);
    assert.deepEqual(wf.access_list, [[], [], ['all']]);
    assert.doesNotMatch(wf.subtasks.join('\n'), /SEARCH/);
  });

  it('refuses an empty pool with a clear message', () => {
    assert.throws(() => builtinWorkflow(QUESTION, configWith([]), true), /No workers are configured/);
  });

  it('every pool of roles gives a valid workflow for every kind of task', () => {
    const roles: Role[] = ['planner', 'coder', 'reviewer', 'any'];
    let checked = 0;
    for (let n = 1; n <= 4; n++) {
      const combos = Math.pow(4, n);
      for (let c = 0; c < combos; c++) {
        const pool = Array.from({ length: n }, (_, i) => worker(`w${i}`, roles[Math.floor(c / Math.pow(4, i)) % 4]));
        for (const maxSteps of [1, 2, 3, 5]) {
          for (const kind of ['question', 'coding', 'general'] as TaskKind[]) {
            for (const rec of [true, false]) {
              const wf = builtinWorkflow('task', configWith(pool, { maxSteps }), rec, kind);
              const check = validateWorkflow(wf, { poolSize: n, maxSteps, allowConductorStep: rec });
              assert.ok(check.ok, `${JSON.stringify(pool.map((w) => w.role))} ${kind}: ${check.ok ? '' : check.error}`);
              checked++;
            }
          }
        }
      }
    }
    assert.ok(checked > 2000);
  });

  it('the Policy object plans with an empty record', async () => {
    const policy = createBuiltinPolicy();
    const plan = await policy.plan({
      task: CODING,
      config: configWith(standardPool()),
      conductorMayReview: true,
      signal: new AbortController().signal,
      getWorker: () => Promise.reject(new Error('the builtin policy calls no worker')),
    });
    assert.equal(policy.name, 'builtin');
    assert.equal(plan.workflow.model_id.length, 5);
    assert.deepEqual(plan.record, { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 });
  });

  it('plans a coding workflow for any wording when the caller asked for edits', async () => {
    const input = (coding?: boolean) => ({
      task: 'Make the change.',
      config: configWith(standardPool()),
      conductorMayReview: true,
      coding,
      signal: new AbortController().signal,
      getWorker: () => Promise.reject(new Error('the builtin policy calls no worker')),
    });
    assert.deepEqual((await createBuiltinPolicy().plan(input())).workflow.model_id.length, 1, 'worded like a short question');
    const wf = (await createBuiltinPolicy().plan(input(true))).workflow;
    assert.deepEqual(wf, builtinWorkflow('Make the change.', configWith(standardPool()), true, 'coding'));
    assert.ok(wf.subtasks[2].includes(EDIT_FORMAT_INSTRUCTIONS), 'the coder is asked for edit blocks');
  });

  it('poolRoles never picks the coder as its own reviewer', () => {
    assert.deepEqual(poolRoles([worker('r', 'reviewer')]), { planners: [], coder: 0, reviewer: null, answerer: 0 });
  });
});

describe('builtin policy: recursion', () => {
  const cfg = configWith(standardPool());
  const first: Workflow = builtinWorkflow(CODING, cfg, true);
  const code = 'src/cli/main.ts\n```ts\n<<<<<<< SEARCH\nconst verbose = false;\n=======\nconst verbose = argv.includes("--verbose");\n>>>>>>> REPLACE\n```';
  const input = (review: string, extra: Partial<RecursionInput> = {}): RecursionInput => ({
    task: CODING,
    config: cfg,
    conductorMayReview: true,
    signal: new AbortController().signal,
    getWorker: () => Promise.reject(new Error('unused')),
    previous: [first],
    lastResponse: review,
    outputs: ['plan A', 'plan B', code, review],
    ...extra,
  });

  it('accepts on PASS and names the coder step as the result', () => {
    const plan = builtinRecurse(input('Looks right.\nVERDICT: PASS'));
    assert.deepEqual(plan.workflow, { model_id: [], subtasks: [], access_list: [] });
    assert.equal(plan.resultStep, 2);
  });

  it('on FAIL, the coder gets one corrective step with the review and its earlier code', () => {
    const review = 'src/cli/main.ts: the flag is read before argv is parsed; move it after parseArgs().\nVERDICT: FAIL';
    const plan = builtinRecurse(input(review));
    assert.deepEqual(plan.workflow.model_id, [2]);
    assert.deepEqual(plan.workflow.access_list, [[]]);
    const s = plan.workflow.subtasks[0];
    assert.ok(s.includes('the flag is read before argv is parsed'), 'the review is in the subtask');
    assert.ok(s.includes('const verbose = argv.includes("--verbose");'), 'the earlier code is in the subtask');
    assert.ok(s.includes(EDIT_FORMAT_INSTRUCTIONS), 'the edit format is in the subtask');
    assert.match(s, /NOT applied/);
    assert.equal(plan.resultStep, undefined);
    assert.ok(validateWorkflow(plan.workflow, { poolSize: 4, allowConductorStep: true, allowAccept: true }).ok);
  });

  it('with depth left (maxRecursion 2), the correction is reviewed again', () => {
    const deep = configWith(standardPool(), { maxRecursion: 2 });
    const plan = builtinRecurse(input('VERDICT: FAIL', { config: deep }));
    assert.deepEqual(plan.workflow.model_id, [2, 3, 4]);
    assert.deepEqual(plan.workflow.access_list, [[], ['all'], ['all']]);
  });

  it('the second review reads the corrected code from the corrective round', () => {
    const deep = configWith(standardPool(), { maxRecursion: 2 });
    const round1 = builtinRecurse(input('VERDICT: FAIL', { config: deep })).workflow;
    const plan = builtinRecurse(input('VERDICT: PASS', { config: deep, previous: [first, round1], outputs: ['fixed code', 'VERDICT: PASS'] }));
    assert.equal(plan.workflow.model_id.length, 0);
    assert.equal(plan.resultStep, 0);
  });

  it('a review without a verdict line accepts the code (not the review) as the result', () => {
    const plan = builtinRecurse(input('The code is fine, I think.'));
    assert.equal(plan.workflow.model_id.length, 0);
    assert.equal(plan.resultStep, 2);
  });

  it('reads the last verdict, in common markdown dress', () => {
    assert.equal(parseVerdict('VERDICT: FAIL\nafter second look:\n**VERDICT: PASS**'), 'PASS');
    assert.equal(parseVerdict('- verdict: fail'), 'FAIL');
    assert.equal(parseVerdict('`VERDICT: PASS`'), 'PASS');
    assert.equal(parseVerdict('The verdict is up to you: PASS'), null);
    assert.equal(parseVerdict(''), null);
  });
});
