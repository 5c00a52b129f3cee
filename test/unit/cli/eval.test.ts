// `fugu eval` as a user runs it: the built CLI in a child process, the fake providers as the pool,
// real test runners (`node --test`) as the checks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reply, startFakes, type Fakes, type FakeRequest } from '../../fakes';
import { poolFor } from '../../support/pool';
import { CLI_TEST_KEYS, ensureCliBuilt, runCli, type CliOptions } from '../../support/cli';

// Each test gives the eval a temp folder of its own, so copies it leaves behind are seen (and other
// test runs on the machine do not count).
let evalTmp = '';

const run = (args: string[], opts: Pick<CliOptions, 'cwd' | 'onStderr' | 'env'> = {}) =>
  runCli(['eval', ...args], { ...opts, env: { TMPDIR: evalTmp, ...CLI_TEST_KEYS, ...opts.env } });

const lines = (path: string) => readFileSync(path, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const asksForEdits = (req: FakeRequest) => req.messages.some((m) => m.text.includes('<<<<<<< SEARCH'));
const hasPlans = (req: FakeRequest) => req.messages.some((m) => m.role === 'assistant' || m.role === 'model');
const edit = (to: number) => `value.js\n\`\`\`js\n<<<<<<< SEARCH\nmodule.exports = 1;\n=======\nmodule.exports = ${to};\n>>>>>>> REPLACE\n\`\`\`\n`;

describe('fugu eval (CLI end to end)', function () {
  // Whole suites with real checks (node, python3) in child processes: well over a minute on a busy machine.
  this.timeout(180_000);
  let fakes: Fakes;
  let dir: string;

  const writeSuite = (tasks: object[]) => writeFileSync(join(dir, 'suite.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const writeConfig = (extra: object = {}) =>
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, ...extra }));
  const base = () => ['--config', join(dir, 'config.json'), '--suite', dir];

  before(async () => {
    ensureCliBuilt();
    fakes = await startFakes();
  });
  after(() => fakes.close());
  beforeEach(() => {
    fakes.reset();
    dir = mkdtempSync(join(tmpdir(), 'fugu-evaltest-'));
    evalTmp = join(dir, 'tmp');
    mkdirSync(evalTmp);
    mkdirSync(join(dir, 'ws'));
    writeFileSync(join(dir, 'ws', 'value.js'), 'module.exports = 1;\n');
    // The check also proves the copy is fresh: a `seen` file left by another attempt fails it.
    writeFileSync(join(dir, 'ws', 'value.test.js'), "const test = require('node:test');\nconst assert = require('node:assert');\ntest('value is 2', () => assert.equal(require('./value'), 2));\n");
    writeSuite([
      { id: 'fix-value', prompt: 'Fix value.js so that the test in value.test.js passes.', workspace: 'ws', check: 'test ! -e seen && touch seen && node --test' },
      { id: 'add', prompt: 'What is 2 + 2? Give the number.', answer: '4', match: 'number' },
    ]);
    writeConfig();
    // gpt: right with or without plans; claude alone: a wrong edit and a wrong sum; gemini plans and answers.
    fakes.openai.setDefault((req) => reply.text(asksForEdits(req) ? edit(2) : '2 + 2 = 4'));
    fakes.anthropic.setDefault((req) => reply.text(asksForEdits(req) ? edit(3) : hasPlans(req) ? '4' : 'It is 5'));
    fakes.gemini.setDefault((req) => reply.text(asksForEdits(req) ? edit(2) : req.lastUserText.includes('2 + 2') ? '4' : 'Plan: set the value to 2.'));
  });
  afterEach(() => {
    const left = readdirSync(evalTmp);
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(left, [], 'every attempt removes its workspace copy');
  });

  it('scores coding tasks by their check in a fresh copy and text tasks by their answer; the user files stay as they were', async () => {
    const out = join(dir, 'results.jsonl');
    const report = join(dir, 'report.html');
    const r = await run([...base(), '--arms', 'builtin,single:gpt,single:claude', '--repeat', '2', '--out', out, '--report', report]);
    assert.equal(r.code, 0, r.stderr);
    const results = lines(out);
    assert.equal(results.length, 2 * 3 * 2);
    const passOf = (task: string, arm: string) => results.filter((x) => x.task === task && x.arm === arm).map((x) => x.pass);
    assert.deepEqual(passOf('fix-value', 'builtin'), [true, true], 'the second attempt did not see the first one`s copy');
    assert.deepEqual(passOf('fix-value', 'single:gpt'), [true, true]);
    assert.deepEqual(passOf('fix-value', 'single:claude'), [false, false]);
    assert.deepEqual(passOf('add', 'single:claude'), [false, false]);
    assert.deepEqual(passOf('add', 'single:gpt'), [true, true]);
    for (const x of results) {
      assert.equal(x.errorKind, null);
      assert.ok(existsSync(join(dir, 'results.traces', `${x.traceId}.json`)), 'each attempt keeps its trace');
    }
    const single = results.find((x) => x.arm === 'single:gpt' && x.task === 'fix-value');
    assert.equal(single.calls, 1, 'a single arm is one call');
    assert.equal(readFileSync(join(dir, 'ws', 'value.js'), 'utf8'), 'module.exports = 1;\n');
    assert.ok(!existsSync(join(dir, 'ws', 'seen')));
    assert.match(r.stdout, /builtin\s+4\s+100\.0%/);
    assert.match(r.stdout, /single:claude\s+4\s+0\.0%/);
    assert.match(r.stdout, /Paired against the best single model \(single:gpt\)/);
    const html = readFileSync(report, 'utf8');
    assert.match(html, /<svg[^>]*aria-label="pass rate against cost per task"/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/, 'the report is self-contained');
  });

  it('bad input names the line or the name and exits 2 before any model call', async () => {
    const cases: [string[], RegExp][] = [
      [['--arms', 'builtin,single:nobody'], /worker "nobody", which is not in the config/],
      [['--arms', 'best'], /"best"; expected builtin, conductor, fugu or single:<worker id>/],
      [['--shard', '3/2'], /--shard is "3\/2"/],
    ];
    for (const [args, re] of cases) {
      const r = await run([...base(), ...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, re);
    }
    writeFileSync(join(dir, 'suite.jsonl'), '{"id":"a","prompt":"p","answer":"1"}\n{"id": "b", "prompt": \n');
    let r = await run(base());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /suite\.jsonl line 2 is not valid JSON/);
    writeSuite([{ id: 'gone', prompt: 'p', workspace: 'missing', check: 'true' }]);
    r = await run(base());
    assert.equal(r.code, 2);
    assert.match(r.stderr, /Task "gone": its workspace .*missing is not a folder/);
    assert.equal(fakes.all.reduce((n, f) => n + f.stats.requests, 0), 0);
  });

  it('resumes after an interruption: attempts already written are not run again', async () => {
    const out = join(dir, 'results.jsonl');
    // Slow answers so Ctrl-C lands while attempts are in flight.
    fakes.openai.setDefault((req) => reply.text(asksForEdits(req) ? edit(2) : '2 + 2 = 4', { tokenDelayMs: 40 }));
    const args = [...base(), '--arms', 'builtin,single:gpt,single:gemini', '--repeat', '2', '--concurrency', '1', '--out', out];
    let killed = false;
    const first = await run(args, {
      onStderr: (s, kill) => {
        if (killed || !s.includes('#1: ')) return;
        killed = true;
        kill();
      },
    });
    assert.equal(first.code, 130, first.stderr);
    assert.match(first.stderr, /interrupted: \d+ attempt\(s\) not run; run the same command again to resume/);
    const before = lines(out);
    assert.ok(before.length >= 1 && before.length < 12, `${before.length} written before the interruption`);
    // A crash can also leave half a line: it is dropped and its attempt runs again.
    writeFileSync(out, readFileSync(out, 'utf8') + '{"task":"add","arm":"buil');
    const second = await run(args);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, new RegExp(`resuming: ${before.length} of 12 attempts are already in`));
    const after = lines(out).filter((x) => x.task);
    const keys = after.map((x) => `${x.task}/${x.arm}/${x.repeat}`);
    assert.equal(new Set(keys).size, 12, 'every attempt once');
    assert.deepEqual(after.slice(0, before.length), before, 'earlier lines are kept as they were');
  });

  it('shards run on their own and merged give the same results as one run', async () => {
    const args = [...base(), '--arms', 'builtin,single:claude,single:gpt', '--repeat', '2'];
    const whole = await run([...args, '--out', join(dir, 'whole.jsonl')]);
    assert.equal(whole.code, 0, whole.stderr);
    for (const i of [1, 2]) {
      const r = await run([...args, '--shard', `${i}/2`, '--out', join(dir, `shard${i}.jsonl`)]);
      assert.equal(r.code, 0, r.stderr);
    }
    const a = lines(join(dir, 'shard1.jsonl'));
    const b = lines(join(dir, 'shard2.jsonl'));
    assert.ok(a.length > 0 && b.length > 0 && a.length + b.length === 12);
    const merged = await run(['--merge', join(dir, 'shard1.jsonl'), join(dir, 'shard2.jsonl'), '--out', join(dir, 'all.jsonl')]);
    assert.equal(merged.code, 0, merged.stderr);
    const outcome = (xs: { task: string; arm: string; repeat: number; pass: boolean }[]) => xs.map((x) => `${x.task}/${x.arm}/${x.repeat}=${x.pass}`).sort();
    assert.deepEqual(outcome(lines(join(dir, 'all.jsonl'))), outcome(lines(join(dir, 'whole.jsonl'))));
    const table = (s: string) => s.split('\n').filter((l) => /^(builtin|single:)/.test(l)).map((l) => l.replace(/\s\S+s\s+\d+$/, ''));
    assert.deepEqual(table(merged.stdout), table(whole.stdout), 'the same summary (wall times aside)');
  });

  it('stops before --max-cost-usd would be exceeded and lists what was not run', async () => {
    // gpt at $100 per million tokens: each attempt costs a few cents.
    writeConfig({ prices: { 'gpt-5': { input: 100, output: 100 } } });
    const out = join(dir, 'results.jsonl');
    const r = await run([...base(), '--arms', 'single:gpt', '--repeat', '10', '--concurrency', '1', '--max-cost-usd', '0.5', '--out', out]);
    assert.equal(r.code, 1, r.stderr);
    const results = lines(out);
    const spent = results.reduce((s, x) => s + x.costUsd, 0);
    assert.ok(results.length >= 2 && results.length < 20, `${results.length} attempts ran`);
    assert.ok(spent <= 0.5, `spent ${spent}`);
    assert.match(r.stderr, /stopped before --max-cost-usd 0\.5 would be exceeded/);
    const listed = r.stderr.split('\n').filter((l) => /^\s+\S+ × single:gpt \(repeat \d+\)$/.test(l));
    assert.equal(listed.length, 20 - results.length, 'every attempt not run is listed');
  });

  it('a check that hangs is killed at its timeout and scored as a failure of kind check', async () => {
    writeSuite([{ id: 'hang', prompt: 'Fix value.js so that the test in value.test.js passes.', workspace: 'ws', check: 'sleep 47.25' }]);
    const out = join(dir, 'results.jsonl');
    const r = await run([...base(), '--arms', 'single:gpt', '--check-timeout-ms', '400', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const [x] = lines(out);
    assert.equal(x.pass, false);
    assert.equal(x.errorKind, 'check');
    const survivors = spawnSync('pgrep', ['-f', 'sleep 47.25'], { encoding: 'utf8' }).stdout.trim();
    assert.equal(survivors, '', 'the check`s process group is gone');
  });

  it('writes rollouts with the paper`s reward: unparsable 0, parsed but failed 0.5, passed 1', async () => {
    writeSuite([
      { id: 'garbled', prompt: 'Garbled: what is 2 + 2? Give the number.', answer: '4', match: 'number' },
      { id: 'wrong', prompt: 'Wrong: what is 2 + 2? Give the number.', answer: '4', match: 'number' },
      { id: 'right', prompt: 'Right: what is 2 + 2? Give the number.', answer: '4', match: 'number' },
    ]);
    writeConfig({ policy: { backend: 'builtin', baseUrl: fakes.openai.url, model: 'conductor-1' } });
    const lists = (worker: number) => `Reasoning.\nmodel_id = [${worker}]\nsubtasks = ["Answer the question with the number."]\naccess_list = [[]]`;
    fakes.openai.on((req) => req.model === 'conductor-1' && req.lastUserText.includes('Garbled'), reply.text('I would ask someone.'));
    fakes.openai.on((req) => req.model === 'conductor-1' && req.lastUserText.includes('Wrong'), reply.text(lists(1)));
    fakes.openai.on((req) => req.model === 'conductor-1', reply.text(lists(2)));
    const rollouts = join(dir, 'rollouts.jsonl');
    const r = await run([...base(), '--arms', 'conductor,builtin', '--out', join(dir, 'results.jsonl'), '--rollouts', rollouts]);
    assert.equal(r.code, 0, r.stderr);
    const rs = lines(rollouts);
    const conductor = Object.fromEntries(rs.filter((x) => x.arm === 'conductor').map((x) => [x.task, x]));
    assert.equal(conductor.garbled.reward, 0);
    assert.deepEqual(conductor.garbled.completion, [{ role: 'assistant', content: 'I would ask someone.' }]);
    assert.equal(conductor.wrong.reward, 0.5, 'claude alone answers 5');
    assert.equal(conductor.right.reward, 1);
    assert.equal(conductor.right.prompt[0].role, 'system');
    assert.match(conductor.right.prompt[0].content, /model_id/);
    assert.match(conductor.right.prompt[1].content, /Right: what is 2 \+ 2/);
    const builtin = rs.filter((x) => x.arm === 'builtin');
    assert.equal(builtin.length, 3);
    for (const b of builtin) {
      assert.match(b.completion[0].content, /^model_id = \[\d(, \d)*\]\nsubtasks = \[.*\]\naccess_list = \[.*\]$/s, 'the builtin policy`s workflow as three lists');
      assert.ok(b.reward === 1 || b.reward === 0.5);
    }
  });

  describe('the fugu arm (hosted Fugu, one call to its OpenAI-compatible endpoint)', () => {
    const FUGU_KEY = 'fugu-test-key-0000';
    const isFugu = (req: FakeRequest) => req.model === 'fugu-ultra';
    // Hosted Fugu's orchestration work, reported beside the usual counts.
    const hostedUsage = (inputTokens: number, outputTokens: number, orchestration: number) => ({
      inputTokens,
      outputTokens,
      extra: { orchestration_tokens: orchestration, completion_tokens_details: { reasoning_tokens: 7 } },
    });
    // The pool's own backend stays builtin: the arm switches to fugu at the configured endpoint.
    const fuguConfig = (prices: object = { 'fugu-ultra': { input: 10, output: 30 } }) =>
      writeConfig({ policy: { backend: 'builtin', baseUrl: fakes.openai.url, model: 'fugu-ultra' }, prices });
    const runFugu = (out: string) => run([...base(), '--arms', 'fugu,single:claude', '--repeat', '2', '--out', out], { env: { FUGU_API_KEY: FUGU_KEY } });
    const traceOf = (x: { traceId: string }) => JSON.parse(readFileSync(join(dir, 'results.traces', `${x.traceId}.json`), 'utf8'));

    it('scores its answers like any arm, keeps its trace with the orchestration counts, and is paired against the single arm', async () => {
      fuguConfig();
      fakes.openai.on(isFugu, (req) =>
        asksForEdits(req) ? reply.text(`Set the value to 2.\n\n${edit(2)}`, { usage: hostedUsage(900, 120, 5000) }) : reply.text('4', { usage: hostedUsage(300, 1, 2000) }),
      );
      const out = join(dir, 'results.jsonl');
      const rollouts = join(dir, 'rollouts.jsonl');
      const report = join(dir, 'report.html');
      const r = await run([...base(), '--arms', 'fugu,single:claude', '--repeat', '2', '--out', out, '--rollouts', rollouts, '--report', report], { env: { FUGU_API_KEY: FUGU_KEY } });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(!existsSync(rollouts), 'hosted Fugu is opaque: no workflow to learn from, no rollout');
      assert.doesNotMatch(r.stderr, /no price is known/, 'every model of both arms has a price');
      const results = lines(out);
      assert.equal(results.length, 2 * 2 * 2);
      const fugu = results.filter((x) => x.arm === 'fugu');
      assert.deepEqual(fugu.map((x) => `${x.task}#${x.repeat}=${x.pass}`).sort(), ['add#0=true', 'add#1=true', 'fix-value#0=true', 'fix-value#1=true']);
      assert.deepEqual(results.filter((x) => x.arm === 'single:claude').map((x) => x.pass), [false, false, false, false]);

      // One call per attempt, with the Fugu key, and nothing to the pool's providers.
      const hosted = fakes.openai.requests.filter(isFugu);
      assert.equal(hosted.length, 4);
      assert.ok(hosted.every((q) => q.apiKey === FUGU_KEY));
      assert.equal(fakes.openai.requests.length, 4, 'the gpt worker is not called by either arm');
      assert.equal(fakes.gemini.requests.length, 0);
      assert.equal(fakes.anthropic.requests.length, 4, 'claude only for its own arm');

      for (const x of fugu) {
        const coding = x.task === 'fix-value';
        assert.equal(x.errorKind, null);
        assert.equal(x.calls, 1);
        assert.deepEqual([x.inputTokens, x.outputTokens], coding ? [900, 120] : [300, 1]);
        // $10 and $30 per million tokens, as the config prices fugu-ultra.
        assert.ok(Math.abs(x.costUsd - (coding ? 900 * 10 + 120 * 30 : 300 * 10 + 30) / 1e6) < 1e-12, `cost ${x.costUsd}`);
        assert.deepEqual(x.extraUsage, { orchestration_tokens: coding ? 5000 : 2000, 'completion_tokens_details.reasoning_tokens': 7 });
        const trace = traceOf(x);
        assert.equal(trace.status, 'succeeded');
        assert.equal(trace.rounds.length, 1);
        const steps = trace.rounds[0].steps;
        assert.equal(steps.length, 1, 'one opaque step');
        assert.deepEqual([steps[0].worker, steps[0].model], ['fugu', 'fugu-ultra']);
        assert.deepEqual(steps[0].extraUsage, x.extraUsage);
        assert.equal(trace.costUsd, x.costUsd);
        if (coding) assert.equal(trace.final.edits[0].status, 'proposed');
      }
      // The single arm has no orchestration counts to report.
      assert.ok(results.filter((x) => x.arm === 'single:claude').every((x) => x.extraUsage === undefined));
      assert.match(r.stdout, /^fugu\s+4\s+100\.0%/m);
      assert.match(r.stdout, /Paired against the best single model \(single:claude\)/);
      assert.match(r.stdout, /^fugu\s+4\s+0\s+0\s+0\.125$/m, '4 wins, no loss, no tie: McNemar p = 2 × 0.5⁴');
      const html = readFileSync(report, 'utf8');
      assert.match(html, /<title>fugu: 100\.0% at \$0\.00\d+ per task<\/title>/, 'the chart places the fugu arm at its cost');
      assert.match(html, /<tr><th scope="row">fugu<\/th><td>4<\/td><td>0<\/td><td>0<\/td><td>0\.125<\/td><\/tr>/);
      assert.equal(readFileSync(join(dir, 'ws', 'value.js'), 'utf8'), 'module.exports = 1;\n', 'the user`s files stay as they were');
    });

    it('without FUGU_API_KEY the fugu arm is refused before any call (exit 2), naming the key', async () => {
      fuguConfig();
      const r = await run([...base(), '--arms', 'fugu,single:claude', '--out', join(dir, 'results.jsonl')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /arm "fugu": missing key: set FUGU_API_KEY for the hosted Fugu policy\./);
      assert.equal(fakes.all.reduce((n, f) => n + f.stats.requests, 0), 0);
    });

    it('a hosted Fugu that fails (a 500, a cut stream) scores the attempt as a failure of its kind, and the eval goes on', async () => {
      fuguConfig({});
      fakes.openai.on((req) => isFugu(req) && asksForEdits(req), reply.status(500, { message: 'orchestrator unavailable' }));
      fakes.openai.on(isFugu, reply.cut('The answer is 4 and', 2));
      const out = join(dir, 'results.jsonl');
      const r = await runFugu(out);
      assert.equal(r.code, 0, r.stderr);
      const results = lines(out);
      assert.equal(results.length, 8, 'every attempt has its line');
      const fugu = results.filter((x) => x.arm === 'fugu');
      assert.equal(fugu.length, 4);
      for (const x of fugu) {
        assert.equal(x.pass, false);
        // The 500 is the provider's failure; a stream cut mid-way is a network failure.
        const kind = x.task === 'fix-value' ? 'provider' : 'network';
        assert.equal(x.errorKind, kind, `${x.task}: ${x.errorKind}`);
        const trace = traceOf(x);
        assert.equal(trace.status, 'failed');
        assert.equal(trace.errorKind, kind);
        assert.match(trace.error, x.task === 'fix-value' ? /HTTP 500/ : /lost the connection mid-answer/);
        assert.doesNotMatch(JSON.stringify(trace), new RegExp(FUGU_KEY), 'the key is not in the trace');
      }
      assert.match(r.stdout, /^fugu\s+4\s+0\.0%.*\s4$/m, 'the summary counts four errors');
      // Hosted Fugu is in no price table: the user is told its cost shows as $0 (claude's price is known).
      assert.match(r.stderr, /arm "fugu": no price is known for fugu-ultra; its cost counts as \$0 \(set "prices" in the config\)\./);
      assert.doesNotMatch(r.stderr, /arm "single:claude": no price/);
      assert.doesNotMatch(r.stderr, new RegExp(FUGU_KEY));
    });
  });

  it('--demo runs the sample suite offline and writes the report', async () => {
    const r = await run(['--demo', '--concurrency', '4', '--quiet'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const results = lines(join(dir, 'fugu-eval-demo', 'results.jsonl'));
    assert.equal(results.length, 80, '20 tasks × (builtin + 3 single models)');
    const rate = (arm: string) => results.filter((x) => x.arm === arm && x.pass).length / 20;
    for (const single of ['single:gemini', 'single:claude', 'single:gpt']) assert.ok(rate('builtin') > rate(single), `${single} trails the workflow`);
    assert.match(readFileSync(join(dir, 'fugu-eval-demo', 'report.html'), 'utf8'), /<svg/);
    assert.ok(lines(join(dir, 'fugu-eval-demo', 'rollouts.jsonl')).length === 20);
  });
});
