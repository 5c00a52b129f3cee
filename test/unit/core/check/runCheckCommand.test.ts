import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkEnv } from '../../../../src/core/check/checkEnv';
import { runCheckCommand } from '../../../../src/core/check/runCheckCommand';
import { toCommand } from '../../../../src/core/check/types';
import { JS_PROJECT, PY_PROJECT, processGone, sampleWorkspace, type Sample } from '../../../support/sampleWorkspace';

const opts = (cwd: string, over: Partial<Parameters<typeof runCheckCommand>[1]> = {}) => ({
  cwd, env: process.env, timeoutMs: 60_000, maxOutputBytes: 64 * 1024, ...over,
});

describe('runCheckCommand (real runners)', () => {
  let ws: Sample | undefined;
  afterEach(async () => {
    await ws?.cleanup();
    ws = undefined;
  });

  it('node --test passes on a passing JavaScript project', async () => {
    ws = await sampleWorkspace(JS_PROJECT);
    const r = await runCheckCommand(toCommand(['node', '--test']), opts(ws.root));
    assert.equal(r.outcome, 'passed', r.outputTail);
    assert.equal(r.exitCode, 0);
    assert.equal(r.command, 'node --test');
    assert.match(r.outputTail, /pass 1/);
  });

  it('node --test fails, with the failing test in the output tail', async () => {
    ws = await sampleWorkspace({ ...JS_PROJECT, 'sum.js': 'exports.sum = (a, b) => a - b;\n' });
    const r = await runCheckCommand(toCommand(['node', '--test']), opts(ws.root));
    assert.equal(r.outcome, 'failed');
    assert.equal(r.exitCode, 1);
    assert.match(r.outputTail, /sum adds/);
    assert.match(r.outputTail, /fail 1/);
  });

  it('python3 -m unittest fails on a broken Python project and passes on a sound one', async () => {
    ws = await sampleWorkspace({ ...PY_PROJECT, 'calc.py': 'def double(x):\n    return x + 2\n' });
    const bad = await runCheckCommand(toCommand(['python3', '-m', 'unittest']), opts(ws.root));
    assert.equal(bad.outcome, 'failed');
    assert.match(bad.outputTail, /FAILED \(failures=1\)/);
    await ws.write('calc.py', 'def double(x):\n    return x * 2\n');
    const good = await runCheckCommand(toCommand(['python3', '-m', 'unittest']), opts(ws.root));
    assert.equal(good.outcome, 'passed', good.outputTail);
    assert.match(good.outputTail, /Ran 1 test/);
  });

  it('keeps only the capped tail of the output, with ANSI codes stripped', async () => {
    ws = await sampleWorkspace({});
    const script = "for (let i = 0; i < 5000; i++) console.log('\\x1b[31mline ' + i + '\\x1b[0m'); process.exitCode = 3";
    const r = await runCheckCommand(toCommand(['node', '-e', script]), opts(ws.root, { maxOutputBytes: 1000 }));
    assert.equal(r.outcome, 'failed');
    assert.equal(r.exitCode, 3);
    assert.ok(!r.outputTail.includes('\x1b'), 'no escape codes');
    assert.match(r.outputTail, /line 4999\n$/);
    assert.ok(!r.outputTail.includes('line 10\n'), 'the head is cut');
    assert.ok(Buffer.byteLength(r.outputTail) < 1100);
  });

  it('a command that does not exist could not run (argv and shell alike)', async () => {
    ws = await sampleWorkspace({});
    const argv = await runCheckCommand(toCommand(['fugu-no-such-runner-xyz']), opts(ws.root));
    assert.equal(argv.outcome, 'could-not-run');
    assert.match(argv.reason ?? '', /not found/);
    const shell = await runCheckCommand(toCommand('fugu-no-such-runner-xyz --all'), opts(ws.root));
    assert.equal(shell.outcome, 'could-not-run');
    assert.equal(shell.exitCode, 127);
  });

  it('a hanging check is killed at its timeout, its whole process group with it', async () => {
    ws = await sampleWorkspace({});
    // The shell starts a child that ignores SIGTERM, then waits: both must die.
    const cmd = `node -e "process.on('SIGTERM',()=>{}); require('fs').writeFileSync('child.pid', String(process.pid)); setInterval(()=>{},1000)" & echo $$ > shell.pid; wait`;
    // 3 s: on a loaded machine node may take over a second to start and write its pid.
    const r = await runCheckCommand(toCommand(cmd), opts(ws.root, { timeoutMs: 3000, graceMs: 300 }));
    assert.equal(r.outcome, 'timeout');
    assert.equal(r.exitCode, null);
    assert.match(r.reason ?? '', /did not finish within 3 s/);
    for (const f of ['shell.pid', 'child.pid']) {
      const pid = Number(readFileSync(path.join(ws.root, f), 'utf8'));
      assert.ok(pid > 0);
      assert.ok(await processGone(pid), `${f} ${pid} survived`);
    }
  });

  it('cancel kills the process group', async () => {
    ws = await sampleWorkspace({});
    const ac = new AbortController();
    const cmd = `node -e "require('fs').writeFileSync('child.pid', String(process.pid)); setInterval(()=>{},1000)" & wait`;
    const pending = runCheckCommand(toCommand(cmd), opts(ws.root, { signal: ac.signal }));
    const file = path.join(ws.root, 'child.pid');
    while (!(readFileSync(file, { flag: 'a+' }).length > 0)) await new Promise((r) => setTimeout(r, 20));
    ac.abort();
    const r = await pending;
    assert.equal(r.outcome, 'cancelled');
    assert.ok(await processGone(Number(readFileSync(file, 'utf8'))));
  });

  it('the check runs with no provider key in its environment', async () => {
    ws = await sampleWorkspace({});
    const env = checkEnv(
      { ...process.env, OPENAI_API_KEY: 'k1', ANTHROPIC_API_KEY: 'k2', GEMINI_API_KEY: 'k3', FUGU_API_KEY: 'k4', MY_LOCAL_KEY: 'k5', KEEP_ME: 'yes' },
      { policy: { backend: 'builtin', timeoutMs: 1 }, workers: [{ id: 'local', provider: 'openai-compatible', model: 'm', role: 'any', apiKeyEnv: 'MY_LOCAL_KEY' }] },
    );
    const r = await runCheckCommand(toCommand(['node', '-e', 'console.log(JSON.stringify(process.env))']), opts(ws.root, { env }));
    const seen = JSON.parse(r.outputTail) as Record<string, string>;
    for (const k of ['OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'GEMINI_API_KEY', 'FUGU_API_KEY', 'MY_LOCAL_KEY']) assert.equal(seen[k], undefined, k);
    assert.ok(!/k[1-5]"/.test(r.outputTail));
    assert.equal(seen.KEEP_ME, 'yes');
  });
});
