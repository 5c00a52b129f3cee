import assert from 'node:assert/strict';
import { join } from 'node:path';
import { taskWithContext } from '../../../../../src/core/assembleMessages';
import type { FuguConfig } from '../../../../../src/core/config';
import { builtinWorkflow } from '../../../../../src/core/policies/builtin';
import { taskKindOf } from '../../../../../src/core/policies/classifyTask';
import { createPolicy } from '../../../../../src/core/policies/createPolicy';
import { describeChoice } from '../../../../../src/core/policies/learned/describeChoice';
import { createLearnedPolicy, inputFeatures } from '../../../../../src/core/policies/learned/learnedPolicy';
import { seededRandom } from '../../../../../src/core/policies/learned/model';
import { OutcomeStore } from '../../../../../src/core/policies/learned/outcomeLog';
import type { PolicyInput } from '../../../../../src/core/policies/types';
import { configWith, standardPool, worker } from '../../../../support/pool';
import { tempDir } from '../../../../support/tempDir';

const TASKS = [
  'Add a --verbose flag to src/cli/main.ts that prints each step as it runs.',
  'What is the capital of Australia?',
  `Write a long essay about the history of the printing press. ${'Cover each century in turn. '.repeat(20)}`,
  taskWithContext('fix the off-by-one', [{ path: 'src/range.py', text: 'def r(n):\n  return range(n+1)\n' }]),
];

function input(task: string, config: FuguConfig, over: Partial<PolicyInput> = {}): PolicyInput {
  return { task, config, conductorMayReview: config.maxRecursion > 0, signal: new AbortController().signal, getWorker: () => Promise.reject(new Error('no calls')), ...over };
}

describe('learned policy', () => {
  it("is the default backend, and with no outcomes writes exactly builtin's workflow", async () => {
    const pools = [standardPool(), [worker('gpt', 'coder'), worker('claude', 'any')], [worker('solo', 'any')]];
    for (const pool of pools) {
      for (const maxRecursion of [0, 1]) {
        const config = configWith(pool, { policy: { backend: 'learned', timeoutMs: 1000 }, maxRecursion });
        const policy = createPolicy(config);
        assert.equal(policy.name, 'learned');
        for (const task of TASKS) {
          for (const coding of [false, true]) {
            const plan = await policy.plan(input(task, config, { coding, outcomes: new OutcomeStore(join(tempDir('fugu-outcomes-'), 'o.jsonl')) }));
            assert.deepEqual(plan.workflow, builtinWorkflow(task, config, maxRecursion > 0, taskKindOf({ task, coding })));
            assert.equal(plan.record.backend, 'learned');
            assert.equal(plan.record.learned?.pick, plan.record.learned?.builtin);
            assert.equal(plan.record.learned?.outcomes, 0);
          }
        }
      }
    }
  });

  it("a client's housekeeping goes direct as with builtin: Codex's compaction prompt is one call to the coder, nothing learned from it", async () => {
    const config = configWith(standardPool(), { policy: { backend: 'learned', timeoutMs: 1000 } });
    const compaction = 'You are performing a CONTEXT CHECKPOINT COMPACTION. Create a handoff summary for another LLM that will resume the task.';
    const request = { question: compaction, instructions: [], tools: 9, earlierTurns: 8 };
    const plan = await createPolicy(config).plan(input(compaction, config, { request, outcomes: new OutcomeStore(join(tempDir('fugu-outcomes-'), 'o.jsonl')) }));
    assert.deepEqual(plan.workflow.model_id, [2]);
    assert.equal(plan.record.backend, 'learned');
    assert.match(plan.record.direct ?? '', /^compaction: Codex's context compaction prompt/);
    assert.equal(plan.record.learned, undefined);
  });

  it('the record lists every candidate with its estimate, interval, cost and evidence, and the CLI line reads it', async () => {
    const config = configWith(standardPool(), { policy: { backend: 'learned', timeoutMs: 1000 } });
    const plan = await createLearnedPolicy(seededRandom(1)).plan(input(TASKS[0], config));
    const r = plan.record.learned!;
    assert.equal(r.candidates.length, 5);
    for (const c of r.candidates) assert.ok(c.lo <= c.p && c.p <= c.hi && c.outcomes === 0, c.label);
    assert.equal(describeChoice(r), 'policy learned: planned(gemini,claude→gpt)+review(critic) p=0.50±0.41 $0.000 (0 outcomes; no outcomes yet: builtin’s pick)');
  });

  it('learns from recorded outcomes: Python tasks go to the coder that passes them; JavaScript stays with the cheaper one that passes too', async () => {
    const pool = [worker('gpt', 'coder'), worker('claude', 'any')];
    const config = configWith(pool, { policy: { backend: 'learned', timeoutMs: 1000, learned: { explore: 0, costWeight: 1 } }, maxRecursion: 0 });
    const store = new OutcomeStore(join(tempDir('fugu-outcomes-'), 'o.jsonl'));
    const py = input('fix the off-by-one in the range helper', config, { coding: true, signals: { contextPaths: ['src/range.py'], contextChars: 300, check: true } });
    const js = input('fix the off-by-one in the range helper', config, { coding: true, signals: { contextPaths: ['src/range.js'], contextChars: 300, check: true } });
    for (let i = 0; i < 12; i++) {
      if (i < 6) await store.record({ f: inputFeatures(py), c: 'single(gpt)', r: 0, cost: 0.01, ms: 100 }, config);
      await store.record({ f: inputFeatures(py), c: 'single(claude)', r: 1, cost: 0.1, ms: 100 }, config);
      await store.record({ f: inputFeatures(js), c: 'single(gpt)', r: 1, cost: 0.01, ms: 100 }, config);
      if (i < 2) await store.record({ f: inputFeatures(js), c: 'single(claude)', r: 1, cost: 0.1, ms: 100 }, config);
    }
    const policy = createLearnedPolicy(seededRandom(1));
    const pyPlan = await policy.plan({ ...py, outcomes: store });
    assert.equal(pyPlan.record.learned?.pick, 'single(claude)');
    assert.deepEqual(pyPlan.workflow.model_id, [1]);
    assert.match(describeChoice(pyPlan.record.learned!), /^policy learned: single\(claude\) p=0\.\d\d±0\.\d\d \$0\.0\d\d \(14 outcomes; builtin would pick single\(gpt\)\)$/);
    const jsPlan = await policy.plan({ ...js, outcomes: store });
    assert.equal(jsPlan.record.learned?.pick, 'single(gpt)');
  });

  it('reads whether a check will run (not its baseline, which runs after the pick): the same task with and without a check has different features', () => {
    const config = configWith(standardPool(), { policy: { backend: 'learned', timeoutMs: 1000 } });
    const at = (check: boolean) => inputFeatures(input('fix the off-by-one in the range helper', config, { coding: true, signals: { contextPaths: ['src/range.py'], contextChars: 300, check } }));
    const words = (f: number[]) => f.filter((i) => i < 4096);
    assert.notDeepEqual(at(true), at(false));
    assert.deepEqual(words(at(true)), words(at(false)), 'only the check signal differs');
    assert.equal(at(true).length, at(false).length);
  });
});
