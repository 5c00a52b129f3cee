// `fugu learn`: import eval results into the user's outcome log, and explain a pick.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLI_TEST_KEYS, ensureCliBuilt, runCli } from '../../support/cli';
import { freshOutcomeLog } from '../../support/outcomeLog';
import { standardPool } from '../../support/pool';
import { tempDir } from '../../support/tempDir';

describe('fugu learn', function () {
  this.timeout(60_000);
  before(() => ensureCliBuilt());

  it('--from imports the results of fixed workflows; --explain then shows what the policy learned', async () => {
    const dir = tempDir('fugu-learn-');
    const config = join(dir, 'fugu.json');
    writeFileSync(config, JSON.stringify({ workers: standardPool() }));
    writeFileSync(join(dir, 'suite.jsonl'), ['What is the capital of Australia?', 'What is the capital of Peru?'].map((p, i) => JSON.stringify({ id: `t${i}`, prompt: p, answer: 'x' })).join('\n'));
    const rows = ['t0', 't1'].flatMap((task) => [
      { task, arm: 'single:gpt', repeat: 0, pass: true, costUsd: 0.001, wallMs: 100, errorKind: null },
      { task, arm: 'builtin', repeat: 0, pass: false, costUsd: 0.01, wallMs: 100, errorKind: null },
      { task, arm: 'fugu', repeat: 0, pass: true, costUsd: 0.01, wallMs: 100, errorKind: null },
    ]);
    writeFileSync(join(dir, 'results.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n'));
    const log = freshOutcomeLog();
    const env = { ...CLI_TEST_KEYS, FUGU_OUTCOME_LOG: log };
    const r = await runCli(['learn', '--config', config, '--from', join(dir, 'results.jsonl'), '--suite', join(dir, 'suite.jsonl')], { env });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /fugu learn: 4 outcomes added to .*outcomes\.jsonl/);
    assert.match(r.stderr, /not a fixed workflow were skipped: fugu/);
    assert.equal(readFileSync(log, 'utf8').trim().split('\n').length, 4);

    const e = await runCli(['learn', '--config', config, '--explain', 'What is the capital of Chile?'], { env });
    assert.equal(e.code, 0, e.stderr);
    const [line, ...rest] = e.stdout.trim().split('\n');
    assert.match(line, /^policy learned: answer\(gpt\) p=0\.\d\d±0\.\d\d \$0\.\d+ \(2 outcomes; builtin would pick answer\(gemini\)\)$/);
    assert.ok(rest.some((l) => l.startsWith('  → answer(gpt)')));
  });

  it('fugu learn --cv K and fugu eval --learned-cv K score the learned policy by task folds beside each fixed workflow and the oracle, importing nothing', async () => {
    const dir = tempDir('fugu-learn-cv-');
    const config = join(dir, 'fugu.json');
    writeFileSync(config, JSON.stringify({ workers: standardPool() }));
    const prompts = ['What is the capital of Australia?', 'What is the capital of Peru?', 'What is the capital of Chile?', 'What is the capital of Kenya?'];
    writeFileSync(join(dir, 'suite.jsonl'), prompts.map((p, i) => JSON.stringify({ id: `t${i}`, prompt: p, answer: 'x' })).join('\n'));
    const rows = prompts.flatMap((_, i) => [
      { task: `t${i}`, arm: 'single:gpt', repeat: 0, pass: true, costUsd: 0.001, wallMs: 100, errorKind: null },
      { task: `t${i}`, arm: 'builtin', repeat: 0, pass: false, costUsd: 0.01, wallMs: 100, errorKind: null },
    ]);
    const results = join(dir, 'results.jsonl');
    writeFileSync(results, rows.map((r) => JSON.stringify(r)).join('\n'));
    const log = freshOutcomeLog();
    const env = { ...CLI_TEST_KEYS, FUGU_OUTCOME_LOG: log };
    const learn = await runCli(['learn', '--config', config, '--from', results, '--suite', join(dir, 'suite.jsonl'), '--cv', '2'], { env });
    assert.equal(learn.code, 0, learn.stderr);
    assert.match(learn.stdout, /^2-fold cross-validation by task/);
    const row = (name: string) => new RegExp(`^  ${name.replace(/[()]/g, '\\$&')}\\s+pass\\s+([\\d.]+)%`, 'm').exec(learn.stdout)?.[1];
    // The fixed workflow that always passes, builtin's that never does, and the learned policy that finds the first.
    assert.equal(row('oracle'), '100.0');
    assert.ok(Number(row('learned')) >= 50, learn.stdout);
    const evalCv = await runCli(['eval', '--learned-cv', '2', '--config', config, '--suite', join(dir, 'suite.jsonl'), results], { env });
    assert.equal(evalCv.code, 0, evalCv.stderr);
    assert.equal(evalCv.stdout, learn.stdout, 'the same report through fugu eval');
    assert.throws(() => readFileSync(log, 'utf8'), /ENOENT/, 'nothing was imported into the outcome log');
    const missing = await runCli(['eval', '--learned-cv', '2', '--config', config, '--suite', join(dir, 'suite.jsonl')], { env });
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--learned-cv K needs/);
  });

  it('refuses --from without --suite, and neither --from nor --explain', async () => {
    const dir = tempDir('fugu-learn-');
    const config = join(dir, 'fugu.json');
    writeFileSync(config, JSON.stringify({ workers: standardPool() }));
    const a = await runCli(['learn', '--config', config, '--from', 'x.jsonl'], { env: CLI_TEST_KEYS });
    assert.equal(a.code, 2);
    assert.match(a.stderr, /--from needs --suite/);
    const b = await runCli(['learn', '--config', config], { env: CLI_TEST_KEYS });
    assert.equal(b.code, 2);
  });
});
