// `fugu eval` as a user runs it: the built CLI in a child process, the fake providers as the pool,
// real test runners (`node --test`) as the checks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reply, type FakeRequest } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
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
  before(() => ensureCliBuilt());
  const fakes = useFakes();
  let dir: string;

  const writeSuite = (tasks: object[]) => writeFileSync(join(dir, 'suite.jsonl'), tasks.map((t) => JSON.stringify(t)).join('\n') + '\n');
  const writeConfig = (extra: object = {}) =>
    writeFileSync(join(dir, 'config.json'), JSON.stringify({ workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, ...extra }));
  const base = () => ['--config', join(dir, 'config.json'), '--suite', dir];

  beforeEach(() => {
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
    assert.match(r.stdout, /^2 tasks × 2 repeats/);
    assert.match(r.stdout, /builtin\s+2\s+4\s+100\.0%/);
    assert.match(r.stdout, /single:claude\s+2\s+4\s+0\.0%/);
    assert.match(r.stdout, /best single model: single:gpt/);
    // Two tasks: even winning both is p = 0.5 (repeats are not extra tasks).
    assert.match(r.stdout, /^builtin\s+single:claude\s+2\s+0\s+0\s+\+100\.0 pt\s+sign-flip\s+0\.500\s+1\.000$/m);
    const fix = results.find((x) => x.task === 'fix-value' && x.arm === 'single:claude');
    assert.deepEqual([fix.check.outcome, fix.check.exitCode], ['failed', 1], 'the check`s diagnostics are kept');
    assert.match(fix.check.outputTail, /value is 2/);
    assert.equal(fix.status, 'scored');
    assert.deepEqual(Object.keys(fix.fingerprint), ['task', 'arm', 'workers', 'policy', 'prompts']);
    assert.match(fix.fingerprint.workers, /^claude=anthropic\/claude-sonnet-4/);
    const html = readFileSync(report, 'utf8');
    assert.match(html, /<svg[^>]*aria-label="pass rate against cost per task"/);
    assert.doesNotMatch(html, /<script|https?:\/\/(?!www\.w3\.org)/, 'the report is self-contained');
    // The per-task table links every attempt's trace, relative to the report.
    for (const x of results) assert.ok(html.includes(`href="results.traces/${x.traceId}.json"`), `a link to ${x.traceId}`);
    const sidecar = JSON.parse(readFileSync(join(dir, 'report.json'), 'utf8'));
    assert.deepEqual(sidecar.meta.arms.map((a: { name: string }) => a.name), ['builtin', 'single:gpt', 'single:claude']);
    assert.match(sidecar.meta.arms[1].workers, /^gpt=openai\/gpt-5$/);
    assert.equal(sidecar.meta.demo, false);
  });

  it('bad input names the line or the name and exits 2 before any model call', async () => {
    const cases: [string[], RegExp][] = [
      [['--arms', 'builtin,single:nobody'], /worker "nobody", which is not in the config/],
      [['--arms', 'best'], /"best"; expected builtin, conductor, fugu, single:<worker id>, single:<worker id>\+fix, workflow:<candidate> or workflow:\*/],
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
    const table = (s: string) => s.split('\n').filter((l) => /^(builtin|single:)/.test(l)).map((l) => l.replace(/\s\S+s\s+\d+\s+\d+$/, ''));
    assert.deepEqual(table(merged.stdout), table(whole.stdout), 'the same summary (wall times aside)');
  });

  it('--max-cost-usd at --concurrency 4: spent never passes the cap; attempts not run are listed and run on resume', async () => {
    // gpt at $100 per million tokens: each attempt costs a few cents; a run's tokens bound its first attempt.
    writeConfig({ prices: { 'gpt-5': { input: 100, output: 100 } }, budget: { maxTokens: 2000 } });
    const out = join(dir, 'results.jsonl');
    const args = [...base(), '--arms', 'single:gpt', '--repeat', '10', '--concurrency', '4', '--out', out];
    const r = await run([...args, '--max-cost-usd', '0.3']);
    assert.equal(r.code, 1, r.stderr);
    const results = lines(out);
    const spent = results.reduce((s, x) => s + x.costUsd, 0);
    assert.ok(spent <= 0.3, `spent ${spent}`);
    const scored = results.filter((x) => x.status === 'scored');
    assert.ok(scored.length >= 2 && scored.length < 20, `${scored.length} attempts scored`);
    assert.match(r.stderr, /stopped before --max-cost-usd 0\.3 would be exceeded/);
    assert.match(r.stdout, /spent \$0\.\d+ of the --max-cost-usd cap \$0\.3000/);
    const listed = r.stderr.split('\n').filter((l) => /^\s+\S+ × single:gpt \(repeat \d+\): /.test(l));
    assert.equal(listed.length, 20 - scored.length, 'every attempt not run is listed');
    // The rest run when the same eval is resumed without the cap.
    const again = await run(args);
    assert.equal(again.code, 0, again.stderr);
    const cells = new Set(lines(out).filter((x) => x.status === 'scored').map((x) => `${x.task}/${x.repeat}`));
    assert.equal(cells.size, 20);
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
    assert.deepEqual([conductor.right.label, conductor.wrong.label, conductor.garbled.label], [true, false, false], 'KTO labels');
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
      assert.match(r.stdout, /^fugu\s+2\s+4\s+100\.0%/m);
      assert.match(r.stdout, /best single model: single:claude/);
      assert.match(r.stdout, /^fugu\s+single:claude\s+2\s+0\s+0\s+\+100\.0 pt\s+sign-flip\s+0\.500\s+0\.500$/m, '2 tasks won: p = 2 × 0.5²; repeats are not tasks');
      const html = readFileSync(report, 'utf8');
      assert.match(html, /<title>fugu: 100\.0% at \$0\.00\d+ per task<\/title>/, 'the chart places the fugu arm at its cost');
      assert.match(html, /<tr><th scope="row">fugu<\/th><td class="l">single:claude<\/td><td>2<\/td><td>0<\/td><td>0<\/td><td>\+100\.0 pt<\/td><td>sign-flip<\/td><td>0\.500<\/td>/);
      assert.equal(readFileSync(join(dir, 'ws', 'value.js'), 'utf8'), 'module.exports = 1;\n', 'the user`s files stay as they were');
    });

    it('without FUGU_API_KEY the fugu arm is refused before any call (exit 2), naming the key', async () => {
      fuguConfig();
      const r = await run([...base(), '--arms', 'fugu,single:claude', '--out', join(dir, 'results.jsonl')]);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, /arm "fugu": missing key: set FUGU_API_KEY for the hosted Fugu policy\./);
      assert.equal(fakes.all.reduce((n, f) => n + f.stats.requests, 0), 0);
    });

    it('a hosted Fugu that fails: a 500 is scored as a failure of its kind; a cut stream is not run (no verdict), and the eval goes on', async () => {
      fuguConfig({});
      fakes.openai.on((req) => isFugu(req) && asksForEdits(req), reply.status(500, { message: 'orchestrator unavailable' }));
      fakes.openai.on(isFugu, reply.cut('The answer is 4 and', 2));
      const out = join(dir, 'results.jsonl');
      const r = await runFugu(out);
      assert.equal(r.code, 1, r.stderr);
      const results = lines(out);
      assert.equal(results.length, 8, 'every attempt has its line');
      assert.match(r.stderr, /not run \(a rerun of the same command runs them\):\n {2}add × fugu \(repeat \d\): network\n {2}add × fugu \(repeat \d\): network\n/);
      const fugu = results.filter((x) => x.arm === 'fugu');
      assert.equal(fugu.length, 4);
      for (const x of fugu) {
        assert.equal(x.pass, false);
        // The 500 is the provider's failure; a stream cut mid-way is a network failure.
        const kind = x.task === 'fix-value' ? 'provider' : 'network';
        assert.equal(x.errorKind, kind, `${x.task}: ${x.errorKind}`);
        assert.equal(x.status, kind === 'network' ? 'not-run' : 'scored');
        const trace = traceOf(x);
        assert.equal(trace.status, 'failed');
        assert.equal(trace.errorKind, kind);
        assert.match(trace.error, x.task === 'fix-value' ? /HTTP 500/ : /lost the connection mid-answer/);
        assert.doesNotMatch(JSON.stringify(trace), new RegExp(FUGU_KEY), 'the key is not in the trace');
      }
      assert.match(r.stdout, /^fugu\s+1\s+2\s+0\.0%.*\s2\s+2$/m, 'one task scored twice (two errors), two attempts not run');
      // Hosted Fugu is in no price table: the user is told its cost shows as $0 (claude's price is known).
      assert.match(r.stderr, /arm "fugu": no price is known for fugu-ultra; its cost counts as \$0 \(set "prices" in the config\)\./);
      assert.doesNotMatch(r.stderr, /arm "single:claude": no price/);
      assert.doesNotMatch(r.stderr, new RegExp(FUGU_KEY));
    });
  });

  it('--demo says it is scripted before anything else, in its output and its report, and names its models as fakes', async () => {
    const r = await run(['--demo', '--concurrency', '4', '--quiet'], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const label = 'scripted demo: the outcomes are written in eval/sample/demo.json, they measure nothing';
    assert.ok(r.stdout.startsWith(`${label}\n`), r.stdout.slice(0, 200));
    const results = lines(join(dir, 'fugu-eval-demo', 'results.jsonl'));
    assert.equal(results.length, 80, '20 tasks × (builtin + 3 single models)');
    for (const x of results) assert.doesNotMatch(x.fingerprint.workers, /=(google|anthropic|openai)\/(?!fake-scripted-)/, 'every model is named as a fake');
    const html = readFileSync(join(dir, 'fugu-eval-demo', 'report.html'), 'utf8');
    const body = html.slice(html.indexOf('<body>'));
    assert.ok(body.indexOf(label) > 0 && body.indexOf(label) < body.indexOf('<h1>'), 'the label comes before the title');
    assert.match(html, /<title>Scripted demo · /);
    assert.match(html, /<svg/);
    const sidecar = JSON.parse(readFileSync(join(dir, 'fugu-eval-demo', 'report.json'), 'utf8'));
    assert.equal(sidecar.meta.demo, true);
    assert.equal(sidecar.summary.tasks, 20);
    assert.ok(lines(join(dir, 'fugu-eval-demo', 'rollouts.jsonl')).length === 20);
  });

  it('a rerun with another model refuses the stale results, naming the field; --keep-stale keeps them, --restart moves them aside', async () => {
    const out = join(dir, 'results.jsonl');
    const args = [...base(), '--arms', 'single:gpt', '--out', out];
    assert.equal((await run(args)).code, 0);
    const first = readFileSync(out, 'utf8');
    writeConfig({ workers: poolFor(fakes).map((w) => (w.id === 'gpt' ? { ...w, model: 'gpt-5-mini' } : w)) });
    const requestsBefore = fakes.openai.requests.length;
    const refused = await run(args);
    assert.equal(refused.code, 2, refused.stderr);
    assert.match(refused.stderr, /holds results made with a different setup: line 1 \(\S+ × single:gpt\) has workers gpt=openai\/gpt-5, this run has gpt=openai\/gpt-5-mini\. Pass --restart .* or --keep-stale/);
    assert.equal(fakes.openai.requests.length, requestsBefore, 'no call');
    assert.equal(readFileSync(out, 'utf8'), first, 'the file is untouched');
    const kept = await run([...args, '--keep-stale']);
    assert.equal(kept.code, 0, kept.stderr);
    assert.match(kept.stderr, /resuming: 2 of 2 attempts/);
    const restarted = await run([...args, '--restart']);
    assert.equal(restarted.code, 0, restarted.stderr);
    assert.match(restarted.stderr, /--restart: the earlier results are now .*results\.jsonl\..*\.old/);
    assert.ok(lines(out).every((x) => x.fingerprint.workers.includes('gpt-5-mini')));
    const aside = readdirSync(dir).find((f) => f.startsWith('results.jsonl.') && f.endsWith('.old'))!;
    assert.equal(readFileSync(join(dir, aside), 'utf8'), first, 'nothing is lost');
    // A changed test file is a changed task, too.
    writeFileSync(join(dir, 'ws', 'value.test.js'), readFileSync(join(dir, 'ws', 'value.test.js'), 'utf8') + '\n');
    const changed = await run(args);
    assert.equal(changed.code, 2);
    assert.match(changed.stderr, /\(fix-value × single:gpt\) has task [0-9a-f]{16}, this run has [0-9a-f]{16}/);
  });

  it('an answer that rewrites the test scores "tampered"; the check runs on the original test', async () => {
    const weakened = `value.test.js\n\`\`\`js\n<<<<<<< SEARCH\ntest('value is 2', () => assert.equal(require('./value'), 2));\n=======\ntest('value is 2', () => assert.ok(true));\n>>>>>>> REPLACE\n\`\`\`\n`;
    fakes.openai.setDefault((req) => reply.text(asksForEdits(req) ? weakened : '4'));
    writeSuite([{ id: 'fix-value', prompt: 'Fix value.js so that the test in value.test.js passes.', workspace: 'ws', check: 'node --test' }]);
    const out = join(dir, 'results.jsonl');
    const r = await run([...base(), '--arms', 'single:gpt', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const [x] = lines(out);
    assert.equal(x.pass, false);
    assert.equal(x.errorKind, 'tampered');
    assert.deepEqual(x.tampered, ['value.test.js']);
    assert.equal(x.check.outcome, 'failed', 'the original test still fails: value.js was not fixed');
    // Protection follows the task: with "protect": [] the same edit is applied and passes.
    writeSuite([{ id: 'fix-value', prompt: 'Fix value.js so that the test in value.test.js passes.', workspace: 'ws', check: 'node --test', protect: [] }]);
    const open = await run([...base(), '--arms', 'single:gpt', '--out', join(dir, 'open.jsonl')]);
    assert.equal(open.code, 0, open.stderr);
    assert.equal(lines(join(dir, 'open.jsonl'))[0].pass, true);
  });

  it('single:<id>+fix makes one repair call with the failing check`s output, and is paired against the single models', async () => {
    const repair = `value.js\n\`\`\`js\n<<<<<<< SEARCH\nmodule.exports = 3;\n=======\nmodule.exports = 2;\n>>>>>>> REPLACE\n\`\`\`\n`;
    fakes.anthropic.setDefault((req) => reply.text(req.lastUserText.includes('An earlier attempt has already changed') ? repair : asksForEdits(req) ? edit(3) : 'It is 5'));
    writeSuite([
      { id: 'fix-value', prompt: 'Fix value.js so that the test in value.test.js passes.', workspace: 'ws', check: 'node --test' },
      { id: 'add', prompt: 'What is 2 + 2? Give the number.', answer: '4', match: 'number' },
    ]);
    const out = join(dir, 'results.jsonl');
    const r = await run([...base(), '--arms', 'single:claude+fix,single:claude', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const rs = lines(out);
    const fixed = rs.find((x) => x.arm === 'single:claude+fix' && x.task === 'fix-value');
    assert.equal(fixed.pass, true);
    assert.equal(fixed.calls, 2);
    assert.ok(existsSync(join(dir, 'results.traces', `${fixed.repairTraceId}.json`)));
    const repairAsk = fakes.anthropic.requests.find((q) => q.lastUserText.includes('An earlier attempt'))!;
    assert.match(repairAsk.lastUserText, /value is 2/, 'the repair call sees the failing output');
    assert.equal(rs.find((x) => x.arm === 'single:claude' && x.task === 'fix-value').pass, false);
    // A text task gets no repair call: nothing ran to give feedback.
    assert.equal(rs.find((x) => x.arm === 'single:claude+fix' && x.task === 'add').calls, 1);
    assert.match(r.stdout, /^single:claude\+fix\s+single:claude\s+1\s+0\s+1/m);
  });

  it('fugu reward runs a sampled workflow on its task with the task`s check: passing 1, failing 0.5, unparsable 0 (no call)', async () => {
    const reward = (completion: string, task = 'fix-value') =>
      runCli(['reward', '--config', join(dir, 'config.json'), '--suite', dir], {
        env: { TMPDIR: evalTmp, ...CLI_TEST_KEYS },
        stdin: JSON.stringify({ prompt: [], completion: [{ role: 'assistant', content: completion }], task }) + '\n',
      });
    writeSuite([{ id: 'fix-value', prompt: 'Fix value.js so that the test in value.test.js passes.', workspace: 'ws', check: 'node --test' }]);
    // Pool: 0 gemini, 1 claude (writes value 3 alone), 2 gpt (writes value 2).
    const lists = (ids: string, access: string) => `Plan first.\nmodel_id = [${ids}]\nsubtasks = ["Plan the fix.", "Fix value.js with SEARCH/REPLACE blocks."]\naccess_list = ${access}`;
    const good = await reward(lists('0, 2', '[[], ["all"]]'));
    assert.equal(good.code, 0, good.stderr);
    assert.equal(good.stdout, '1\n', good.stderr);
    assert.match(good.stderr, /fix-value: passed, check passed \(exit 0\); 2 call\(s\)/);
    const bad = await reward('Claude alone.\nmodel_id = [1]\nsubtasks = ["Fix value.js with SEARCH/REPLACE blocks."]\naccess_list = [[]]');
    assert.equal(bad.code, 0, bad.stderr);
    assert.equal(bad.stdout, '0.5\n');
    assert.match(bad.stderr, /failed, check failed \(exit 1\)/);
    const before = fakes.all.reduce((n, f) => n + f.stats.requests, 0);
    const garbled = await reward('I would ask someone.');
    assert.equal(garbled.stdout, '0\n');
    assert.equal(fakes.all.reduce((n, f) => n + f.stats.requests, 0), before, 'an unparsable completion costs no call');
    const unknown = await reward(lists('2', '[[]]'), 'nope');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /the suite has no task "nope"/);
    assert.equal(readFileSync(join(dir, 'ws', 'value.js'), 'utf8'), 'module.exports = 1;\n', 'the task`s files stay as they were');
  });

  it('workflow:* runs every candidate workflow of the pool; fugu learn --from files each result under its candidate', async () => {
    writeSuite([{ id: 'fix-value', prompt: 'Fix value.js so that the test in value.test.js passes.', workspace: 'ws', check: 'node --test' }]);
    // claude's plan ("It is 5") misleads gpt; gemini's plan and no plan do not.
    fakes.openai.setDefault((req) => reply.text(req.messages.some((m) => m.text.includes('It is 5')) ? edit(3) : edit(2)));
    const out = join(dir, 'results.jsonl');
    const r = await run([...base(), '--arms', 'workflow:*', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    const byArm = new Map(lines(out).map((x) => [x.arm, x]));
    assert.deepEqual(
      [...byArm.keys()].sort(),
      ['workflow:planned(claude→gpt)', 'workflow:planned(gemini,claude→gpt)', 'workflow:planned(gemini→gpt)', 'workflow:single(gpt)'],
    );
    const outcome = (arm: string) => [byArm.get(arm).pass, byArm.get(arm).calls, byArm.get(arm).errorKind];
    assert.deepEqual(outcome('workflow:single(gpt)'), [true, 1, null]);
    assert.deepEqual(outcome('workflow:planned(gemini→gpt)'), [true, 2, null]);
    assert.deepEqual(outcome('workflow:planned(claude→gpt)'), [false, 2, null]);
    assert.deepEqual(outcome('workflow:planned(gemini,claude→gpt)'), [false, 3, null]);
    assert.match(byArm.get('workflow:single(gpt)').fingerprint.policy, /^workflow:single\(gpt\);/);

    // A label with a comma, named alone; a label the pool does not have is refused before any call.
    const one = await run([...base(), '--arms', 'workflow:planned(gemini,claude→gpt),single:gpt', '--out', join(dir, 'one.jsonl')]);
    assert.equal(one.code, 0, one.stderr);
    assert.deepEqual(lines(join(dir, 'one.jsonl')).map((x) => x.arm).sort(), ['single:gpt', 'workflow:planned(gemini,claude→gpt)']);
    const unknown = await run([...base(), '--arms', 'workflow:single(claude)', '--out', join(dir, 'no.jsonl')]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /the workflow "single\(claude\)", which is not a candidate of this pool \(.*single\(gpt\)/);

    const log = join(dir, 'outcomes.jsonl');
    const learn = await runCli(['learn', '--config', join(dir, 'config.json'), '--from', out, '--suite', dir], { env: { ...CLI_TEST_KEYS, FUGU_OUTCOME_LOG: log } });
    assert.equal(learn.code, 0, learn.stderr);
    const logged = readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(
      logged.map((o) => [o.c, o.r]).sort(),
      [['planned(claude→gpt)', 0], ['planned(gemini,claude→gpt)', 0], ['planned(gemini→gpt)', 1], ['single(gpt)', 1]],
    );
  });

  it('--merge refuses junk, conflicting duplicates and missing shards, naming them', async () => {
    const args = [...base(), '--arms', 'single:gpt,single:claude', '--repeat', '2'];
    for (const i of [1, 2, 3]) assert.equal((await run([...args, '--shard', `${i}/3`, '--out', join(dir, `s${i}.jsonl`)])).code, 0);
    const s = (i: number) => join(dir, `s${i}.jsonl`);
    writeFileSync(join(dir, 'page.html'), '<html><body>not results</body></html>\n');
    let r = await run(['--merge', s(1), join(dir, 'page.html')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /page\.html line 1 is not a results line \(not JSON/);
    r = await run(['--merge', s(1), s(3)]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /no results from shard 2\/3; add their files, or pass --partial/);
    r = await run(['--merge', s(1), s(3), '--partial']);
    assert.equal(r.code, 0, r.stderr);
    const [x] = lines(s(1));
    writeFileSync(join(dir, 'flipped.jsonl'), JSON.stringify({ ...x, pass: !x.pass, traceId: 'other' }) + '\n');
    r = await run(['--merge', s(1), s(2), s(3), join(dir, 'flipped.jsonl')]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /is in .*s1\.jsonl and .*flipped\.jsonl with different outcomes/);
    r = await run(['--merge', s(1), s(2), s(3), s(1), '--out', join(dir, 'all.jsonl')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(lines(join(dir, 'all.jsonl')).length, 2 * 2 * 2, 'identical copies count once');
  });
});
