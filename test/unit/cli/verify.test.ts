// `fugu solve --verify`: the built CLI against the fake providers, with real test runners.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { useCheckFixture } from '../../support/checkFixture';
import { JS_PROJECT, PY_PROJECT } from '../../support/sampleWorkspace';
import { CLI_TEST_KEYS as KEYS, ensureCliBuilt, runCli } from '../../support/cli';
import { poolFor } from '../../support/pool';

const edit = (p: string, search: string, replace: string) => `${p}\n\`\`\`\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;

describe('fugu solve --verify', function () {
  this.timeout(60_000);
  before(() => ensureCliBuilt());
  const fakes = useFakes();
  const fx = useCheckFixture('fugu-cli-verify-tmp-');
  // The CLI makes its scratch copies in the test's own temp folder (TMPDIR).
  const solve = (args: string[]) => runCli(['solve', ...args], { env: { HOME: process.env.HOME ?? '', TMPDIR: fx.tmpRoot, ...KEYS } });
  const setup = (files: Record<string, string>, extra: object = {}) =>
    fx.workspace(files, { git: true, config: { workers: poolFor(fakes), maxRetries: 0, timeoutMs: 30_000, ...extra } });

  it('--verify CMD: the check runs without provider keys and the verdict is on stderr; exit 0 when it passes', async () => {
    const w = await setup(JS_PROJECT);
    fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
    // The check fails if any provider key reached it.
    const r = await solve(['--config', fx.config, '--workspace', w.root, '--apply', '--verify', 'test -z "$OPENAI_API_KEY$ANTHROPIC_API_KEY$GEMINI_API_KEY" && node --test', 'Swap the operands in sum.js']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /fugu: check: test -z/);
    assert.match(r.stderr, /fugu: Checks pass \(test -z/);
    assert.equal(readFileSync(join(w.root, 'sum.js'), 'utf8'), 'exports.sum = (a, b) => b + a;\n', '--apply wrote the checked edits');
  });

  it('exit 4 when the final edits fail their check, saying the baseline failed too', async () => {
    const w = await setup({ ...JS_PROJECT, 'test/old.test.js': "require('node:test')('old', () => { throw new Error('old failure'); });\n" }, { maxRecursion: 0 });
    fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
    const r = await solve(['--config', fx.config, '--workspace', w.root, '--verify=node --test', 'Swap the operands in sum.js']);
    assert.equal(r.code, 4, r.stderr);
    assert.match(r.stderr, /fugu: Checks fail \(they failed before the edits too\): /);
  });

  it('--verify auto uses the detected command; --no-verify runs none', async () => {
    const w = await setup(PY_PROJECT);
    fakes.openai.enqueue(reply.text(edit('calc.py', 'x * 2', '2 * x')));
    const r = await solve(['--config', fx.config, '--workspace', w.root, '--verify', 'auto', 'Change the double function in calc.py to return 2 * x']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /fugu: check: python3 -m (pytest -q|unittest) \(detected: the workspace has Python tests/);
    assert.match(r.stderr, /Checks pass/);
    fakes.openai.enqueue(reply.text(edit('calc.py', 'x * 2', '2 * x')));
    const off = await solve(['--config', fx.config, '--workspace', w.root, '--no-verify', 'Change the double function in calc.py to return 2 * x']);
    assert.equal(off.code, 0, off.stderr);
    assert.doesNotMatch(off.stderr, /fugu: check:|Checks/);
  });
});
