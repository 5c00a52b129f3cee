// The learned policy end to end: 40 `fugu solve --verify` runs of the built CLI against the fake
// providers, with real test runners deciding pass or fail. The default coder (gpt) breaks Python
// tasks and fixes JavaScript ones; another worker (claude) fixes both, at a higher price. The runs
// share one outcome log, as one user's runs do.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { reply, startFakes, type Fakes } from '../../fakes';
import { CLI_TEST_KEYS as KEYS, ensureCliBuilt, runCli } from '../../support/cli';
import { freshOutcomeLog } from '../../support/outcomeLog';
import { poolFor } from '../../support/pool';
import { JS_PROJECT, PY_PROJECT, sampleWorkspace, type Sample } from '../../support/sampleWorkspace';
import { tempDir } from '../../support/tempDir';


const edit = (p: string, search: string, replace: string) => `${p}\n\`\`\`\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;
const PY_TASKS = ['Change the double function in calc.py to return 2 * x', 'In calc.py make double return 2 * x instead', 'calc.py: double should compute 2 * x', 'Rewrite double in calc.py as 2 * x'];
const JS_TASKS = ['Swap the operands in sum.js', 'In sum.js return b + a', 'sum.js: write the sum as b + a', 'Reorder the addition in sum.js to b + a'];

// Its own temp folder: the scratch copies of these runs, and no one else's, are looked for there. The
// runs share one outcome log: that is what the policy learns from.
const solve = (log: string, tmp: string, args: string[]) => runCli(['solve', ...args], { env: { HOME: process.env.HOME ?? '', TMPDIR: tmp, FUGU_OUTCOME_LOG: log, ...KEYS } });

const pickOf = (stderr: string) => /fugu: policy learned: (\S+)/.exec(stderr)?.[1] ?? null;

describe('the learned policy learns from verified runs (fugu solve --verify)', function () {
  this.timeout(600_000);
  let fakes: Fakes;
  const made: Sample[] = [];
  before(async () => {
    ensureCliBuilt();
    fakes = await startFakes();
  });
  const tmp = tempDir('fugu-learned-tmp-');
  after(async () => {
    await fakes.close();
    for (const s of made) await s.cleanup();
    assert.deepEqual(readdirSync(tmp).filter((n) => n.startsWith('fugu-check-')), [], 'every scratch copy is gone');
  });

  it('after 40 runs, Python tasks go to the worker that passes them and JavaScript tasks stay with the default coder', async () => {
    const py = await sampleWorkspace(PY_PROJECT, { git: true });
    const js = await sampleWorkspace(JS_PROJECT, { git: true });
    made.push(py, js);
    const [, , gpt] = poolFor(fakes);
    const claude = { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4', baseUrl: fakes.anthropic.url, role: 'any' };
    // Outside both workspaces (the runs would see it as a file), in a folder removed when the tests end.
    const config = join(tempDir('fugu-learned-config-'), 'fugu.json');
    // Greedy (explore 0) so the test is deterministic; the default samples a little of the uncertainty.
    writeFileSync(config, JSON.stringify({ workers: [gpt, claude], maxRetries: 0, timeoutMs: 5000, maxRecursion: 0, policy: { learned: { explore: 0 } } }));
    const isPython = (text: string) => text.includes('calc.py');
    fakes.openai.setDefault((req) => reply.text(isPython(req.lastUserText) ? edit('calc.py', 'x * 2', 'x * 3') : edit('sum.js', 'a + b', 'b + a')));
    fakes.anthropic.setDefault((req) => reply.text(isPython(req.lastUserText) ? edit('calc.py', 'x * 2', '2 * x') : edit('sum.js', 'a + b', 'b + a')));
    const log = freshOutcomeLog();

    const runs: { language: 'python' | 'javascript'; pick: string | null; code: number | null }[] = [];
    for (let i = 0; i < 40; i++) {
      const python = i % 2 === 0;
      const task = (python ? PY_TASKS : JS_TASKS)[Math.floor(i / 2) % 4];
      const ws = python ? py : js;
      const r = await solve(log, tmp, ['--config', config, '--workspace', ws.root, '--verify', python ? 'python3 -m unittest' : 'node --test', task]);
      assert.ok(r.code === 0 || r.code === 4, `run ${i}: exit ${r.code}\n${r.stderr}`);
      runs.push({ language: python ? 'python' : 'javascript', pick: pickOf(r.stderr), code: r.code });
    }
    const pyRuns = runs.filter((r) => r.language === 'python');
    const jsRuns = runs.filter((r) => r.language === 'javascript');
    // With no outcome the pick is builtin's: the coder, which breaks the Python task.
    assert.deepEqual(runs[0], { language: 'python', pick: 'single(gpt)', code: 4 });
    assert.deepEqual(pyRuns.slice(-5).map((r) => [r.pick, r.code]), Array(5).fill(['single(claude)', 0]), JSON.stringify(pyRuns));
    assert.deepEqual(jsRuns.slice(-5).map((r) => [r.pick, r.code]), Array(5).fill(['single(gpt)', 0]), JSON.stringify(jsRuns));
    // Every run had a verdict, so every run is one outcome in the user's log (and nothing of the tasks' words is).
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    assert.equal(lines.length, 40);
    assert.ok(!lines.some((l) => l.includes('calc') || l.includes('double')));
    assert.deepEqual(lines.map((l) => JSON.parse(l).r), runs.map((r) => (r.code === 0 ? 1 : 0)));
  });
});
