import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalTask } from '../../../../../src/core/eval/suite';
import { armCandidate, outcomesFromResults, readResultLines } from '../../../../../src/core/policies/learned/fromResults';
import { configWith, standardPool } from '../../../../support/pool';
import { tempDir } from '../../../../support/tempDir';

describe('learned outcomes from fugu eval results', () => {
  it('reads pass or fail per task and arm, ignoring unknown fields and skipping attempts that did not run', async () => {
    const path = join(tempDir('fugu-results-'), 'results.jsonl');
    writeFileSync(path, [
      { task: 't1', arm: 'builtin', repeat: 0, pass: true, costUsd: 0.02, wallMs: 900, errorKind: null, fingerprint: 'abc', diagnostics: { x: 1 } },
      { task: 't1', arm: 'single:gpt', repeat: 0, pass: false, costUsd: 0.01, wallMs: 500, errorKind: null },
      { task: 't2', arm: 'single:gpt', repeat: 0, pass: false, costUsd: 0, wallMs: 0, errorKind: null, outcome: 'not-run' },
      { task: 't2', arm: 'builtin', repeat: 0, pass: false, costUsd: 0, wallMs: 10, errorKind: 'timeout' },
    ].map((o) => JSON.stringify(o)).join('\n') + '\n{"task": cut\n');
    const { lines, skipped } = await readResultLines(path);
    assert.deepEqual(lines, [
      { task: 't1', arm: 'builtin', pass: true, costUsd: 0.02, wallMs: 900 },
      { task: 't1', arm: 'single:gpt', pass: false, costUsd: 0.01, wallMs: 500 },
    ]);
    assert.equal(skipped, 3);
  });

  it('maps arms to candidates: single:<id>, builtin, workflow:<candidate>; other policies are not candidates', () => {
    const config = configWith(standardPool());
    assert.equal(armCandidate('single:gpt', 'coding', config), 'single(gpt)');
    assert.equal(armCandidate('single:gpt', 'question', config), 'answer(gpt)');
    assert.equal(armCandidate('builtin', 'coding', config), 'planned(gemini,claude→gpt)+review(critic)');
    assert.equal(armCandidate('workflow:planned(gemini→gpt)', 'coding', config), 'planned(gemini→gpt)');
    assert.equal(armCandidate('conductor', 'coding', config), null);
  });

  it('computes each task’s features once from its prompt and context, and names what it skipped', async () => {
    const config = configWith(standardPool());
    const tasks: EvalTask[] = [{ id: 't1', prompt: 'Fix the parser in p.py', kind: 'coding', workspace: '/nowhere', check: 'true' }];
    let asked = 0;
    const { outcomes, unknownTasks, otherArms } = await outcomesFromResults(
      [
        { task: 't1', arm: 'builtin', pass: true, costUsd: 0.02, wallMs: 900 },
        { task: 't1', arm: 'single:gpt', pass: false, costUsd: 0.01, wallMs: 500 },
        { task: 't1', arm: 'fugu', pass: true, costUsd: 0.1, wallMs: 500 },
        { task: 'gone', arm: 'builtin', pass: true, costUsd: 0, wallMs: 0 },
      ],
      tasks,
      config,
      async () => (asked++, { paths: ['p.py'], chars: 100 }),
    );
    assert.equal(asked, 1);
    assert.deepEqual(outcomes.map((o) => [o.c, o.r]), [['planned(gemini,claude→gpt)+review(critic)', 1], ['single(gpt)', 0]]);
    assert.deepEqual(outcomes[0].f, outcomes[1].f);
    assert.deepEqual(unknownTasks, ['gone']);
    assert.deepEqual(otherArms, ['fugu']);
  });
});
