// Checks that cannot reach your files: `fugu solve --verify` as a user runs it (the built CLI, the
// fake providers, real runners), once under the sandbox (bubblewrap) and once on the fallback (a
// full copy of the dependency folders). Each check tries to break the promise the way an ordinary
// tool would: a clean-up step, a formatter, a cache, git, a detached process, a signal.
import assert from 'node:assert/strict';
import { promises as fs, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sandboxEngine } from '../../../src/core/check/sandbox';
import { sweepStaleCopies } from '../../../src/core/check/scratchCopy';
import { reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { poolFor } from '../../support/pool';
import { useCheckFixture } from '../../support/checkFixture';
import { CLI_TEST_KEYS as KEYS, ensureCliBuilt, spawnCli } from '../../support/cli';
import { JS_PROJECT, checkCopies, noProcessWith, processAppears, processesWith } from '../../support/sampleWorkspace';

const EDITED = 'exports.sum = (a, b) => b + a;\n';
const edit = (p: string, search: string, replace: string) => `${p}\n\`\`\`\n<<<<<<< SEARCH\n${search}\n=======\n${replace}\n>>>>>>> REPLACE\n\`\`\`\n`;

/** Every file under `root` (its `.git` included when asked) as path → bytes, for byte-identical comparisons. */
async function tree(root: string, withGit: boolean): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  const walk = async (rel: string) => {
    for (const e of await fs.readdir(join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (!withGit && r === '.git') continue;
      if (e.isDirectory()) await walk(r);
      else out[r] = e.isSymbolicLink() ? `-> ${await fs.readlink(join(root, r))}` : (await fs.readFile(join(root, r))).toString('base64');
    }
  };
  await walk('');
  return out;
}

for (const mode of ['sandbox', 'fallback'] as const) {
  describe(`checks cannot reach your files (${mode === 'sandbox' ? 'bubblewrap sandbox' : 'fallback: full copies, no sandbox'})`, function () {
    this.timeout(60_000);
    const fx = useCheckFixture('fugu-isolation-tmp-');
    const isolation = mode === 'sandbox' ? 'bubblewrap' : 'copy';

    before(async function () {
      // The sandbox path needs bubblewrap (.ci/run installs it); its absence is a failure here, not a skip.
      if (mode === 'sandbox') assert.equal(await sandboxEngine(), 'bubblewrap', 'bubblewrap can start on this machine');
      ensureCliBuilt();
    });
    const fakes = useFakes();

    const setup = (files: Record<string, string>, verify: object = {}) =>
      fx.workspace({ ...files, '.gitignore': 'trace.json\nnode_modules/\ntarget/\n.env\n' }, {
        git: true,
        config: { workers: poolFor(fakes), maxRetries: 0, timeoutMs: 5000, maxRecursion: 0, verify: { sandbox: mode === 'sandbox' ? 'required' : 'off', ...verify } },
      });
    const start = (args: string[], env: Record<string, string> = {}) =>
      spawnCli(['solve', '--config', fx.config, '--workspace', fx.ws.root, '--trace', join(fx.ws.root, 'trace.json'), ...args], {
        env: { HOME: process.env.HOME ?? '', TMPDIR: fx.tmpRoot, ...KEYS, ...env },
      });
    const solve = (args: string[], env: Record<string, string> = {}) =>
      new Promise<{ code: number | null; stdout: string; stderr: string; trace: any }>((res) => {
        const child = start(args, env);
        let stdout = '';
        let stderr = '';
        child.stdout.on('data', (d) => (stdout += d));
        child.stderr.on('data', (d) => (stderr += d));
        child.on('close', (code) => res({ code, stdout, stderr, trace: JSON.parse(readFileSync(join(fx.ws.root, 'trace.json'), 'utf8')) }));
      });

    it('a check that deletes the edited file: --apply writes the coder\'s edit, the deletion is only named in touched', async () => {
      const w = await setup(JS_PROJECT);
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const r = await solve(['--apply', '--verify', 'node --test; rc=$?; rm -f sum.js; exit $rc', 'Swap the operands in sum.js']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /edit applied: sum\.js \(modify\)/);
      assert.equal(await w.read('sum.js'), EDITED, 'the user\'s sum.js holds the edit, and exists');
      assert.deepEqual(r.trace.final.edits.map((e: { path: string; action: string }) => [e.path, e.action]), [['sum.js', 'modify']]);
      assert.equal(r.trace.final.check.isolation, isolation);
      assert.deepEqual(r.trace.final.check.touched, ['sum.js']);
    });

    it('the same check with --diff: stdout shows the modification the trace reports, not a deletion', async () => {
      const w = await setup(JS_PROJECT);
      const before = await tree(w.root, true);
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const r = await solve(['--diff', '--verify', 'node --test; rc=$?; rm -f sum.js; exit $rc', 'Swap the operands in sum.js']);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^-exports\.sum = \(a, b\) => a \+ b;$/m);
      assert.match(r.stdout, /^\+exports\.sum = \(a, b\) => b \+ a;$/m);
      assert.doesNotMatch(r.stdout, /\/dev\/null/);
      assert.equal(r.trace.final.edits[0].action, 'modify');
      const after = await tree(w.root, true);
      delete after['trace.json'];
      assert.deepEqual(after, before, '--diff wrote nothing');
    });

    it('a check that appends to the edited file and creates another: only the coder\'s edit is applied', async () => {
      const w = await setup(JS_PROJECT);
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const r = await solve(['--apply', '--verify', 'node --test && echo "// formatted" >> sum.js && echo gen > generated.txt && rm package.json', 'Swap the operands in sum.js']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await w.read('sum.js'), EDITED);
      assert.equal(await w.read('generated.txt'), null);
      assert.equal(await w.read('package.json'), JS_PROJECT['package.json']);
      assert.deepEqual(r.trace.final.check.touched, ['generated.txt', 'package.json', 'sum.js']);
      // The baseline ran the same command on the unmodified copy, and what it did was put back before the edits' check.
      assert.equal(r.trace.final.check.outcome, 'passed');
    });

    it('writes into node_modules, node_modules/.cache and target/ leave the user\'s folders as they were', async () => {
      const w = await setup({ ...JS_PROJECT, 'node_modules/dep/index.js': 'module.exports = 1;\n', 'target/debug/app': 'built\n' });
      const before = await tree(w.root, true);
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const writes = [
        'echo changed > node_modules/dep/index.js',
        'mkdir -p node_modules/.cache/jest && echo cache > node_modules/.cache/jest/map',
        'echo rebuilt > target/debug/app',
        'mkdir -p node_modules/new-dep && echo x > node_modules/new-dep/index.js',
      ].map((c) => `{ ${c}; } 2>/dev/null; `).join('');
      // The cache write must work (jest, babel and eslint need it); in the sandbox, a write into an installed package must not.
      const cmd = `${writes} test -f node_modules/.cache/jest/map && test "$(cat target/debug/app)" = rebuilt && node --test`;
      const r = await solve(['--diff', '--verify', cmd, 'Swap the operands in sum.js']);
      assert.equal(r.code, 0, `${r.stderr}\n${r.trace.final.check?.outputTail}`);
      const after = await tree(w.root, true);
      delete after['trace.json'];
      assert.deepEqual(after, before, 'node_modules, target and the rest are byte-identical');
    });

    it('git branch, tag, config, stash and commit in the check leave the user\'s repository byte-identical', async () => {
      const w = await setup(JS_PROJECT);
      w.git('gc', '-q'); // packed refs, as a real repository has them
      await w.write('wip.js', 'uncommitted\n');
      const before = await tree(join(w.root, '.git'), true);
      const count = w.git('count-objects', '-v');
      const worktrees = w.git('worktree', 'list', '--porcelain');
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      // -f: the baseline ran the same commands in the copy first (the copy keeps its own git state between checks).
      const g = 'git -c user.email=c@example.com -c user.name=c -c commit.gpgsign=false';
      const cmd = `node --test; rc=$?; ${g} branch -f x && ${g} tag -f y && ${g} config a.b c && ${g} stash -q && ${g} commit -q --allow-empty -m z && ${g} gc -q --prune=now || exit 9; exit $rc`;
      const r = await solve(['--apply', '--verify', cmd, 'Swap the operands in sum.js']);
      assert.equal(r.code, 0, `${r.stderr}\n${r.trace.final.check?.outputTail}`);
      assert.equal(await w.read('sum.js'), EDITED);
      assert.equal(await w.read('wip.js'), 'uncommitted\n', 'git stash in the copy did not stash the user\'s work');
      assert.deepEqual(await tree(join(w.root, '.git'), true), before, 'refs, packed-refs, config, stash, objects and index are byte-identical');
      assert.equal(w.git('count-objects', '-v'), count);
      assert.equal(w.git('worktree', 'list', '--porcelain'), worktrees);
    });

    it('setsid descendants, with and without the pipes, neither hold up the verdict nor outlive the run', async () => {
      await setup(JS_PROJECT);
      const token = `fugu-escape-${mode}-${process.pid}-${Date.now()}`;
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const hang = (n: number) => `node -e "setInterval(() => {}, 1000)" ${token}-${n}`;
      const cmd = `setsid ${hang(1)} & setsid ${hang(2)} </dev/null >/dev/null 2>&1 & node --test`;
      const r = await solve(['--diff', '--verify', cmd, 'Swap the operands in sum.js']);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.trace.final.check.outcome, 'passed');
      // A descendant holding the pipes once made a 2 s check take 31 s; 15 s leaves a loaded machine room.
      assert.ok(r.trace.final.check && r.trace.rounds[0].steps.find((s: any) => s.check).check.durationMs < 15_000);
      assert.ok(await noProcessWith(token), `no escaped process is left (${processesWith(token).join(', ')})`);
    });

    for (const [sig, code] of [['SIGTERM', 143], ['SIGHUP', 129]] as const) {
      it(`${sig} mid-check ends the run like Ctrl-C: exit ${code}, the check killed, the copy removed, nothing applied`, async () => {
        const w = await setup(JS_PROJECT);
        const before = await tree(w.root, true);
        const token = `fugu-${sig}-${mode}-${process.pid}-${Date.now()}`;
        fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
        // The token reaches the check through the environment: fugu's own command line must not hold it.
        const child = start(['--apply', '--verify', 'grep -q "b + a" sum.js && node -e "setInterval(() => {}, 1000)" "$CHECK_TAG"; true', 'Swap the operands in sum.js'], { CHECK_TAG: token });
        let stderr = '';
        child.stderr.on('data', (d) => (stderr += d));
        const closed = new Promise<number | null>((r) => child.on('close', r));
        assert.ok((await processAppears(token)).length > 0, 'the edits\' check started');
        child.kill(sig);
        assert.equal(await closed, code, stderr);
        assert.match(stderr, new RegExp(`run cancelled by ${sig}`));
        assert.ok(await noProcessWith(token), 'the check is gone');
        assert.deepEqual(await checkCopies(fx.tmpRoot), []);
        const after = await tree(w.root, true);
        delete after['trace.json'];
        assert.deepEqual(after, before);
      });
    }

    it(`SIGKILL mid-check: ${mode === 'sandbox' ? 'the check dies with fugu' : 'the next start ends the orphaned check'}, then its copy is removed`, async () => {
      await setup(JS_PROJECT);
      const token = `fugu-kill-${mode}-${process.pid}-${Date.now()}`;
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const hang = 'node -e "setInterval(() => {}, 1000)"';
      const cmd = `grep -q "b + a" sum.js && { setsid ${hang} "$CHECK_TAG" & ${hang} "$CHECK_TAG-main"; }; true`;
      const child = start(['--apply', '--verify', cmd, 'Swap the operands in sum.js'], { CHECK_TAG: token });
      const closed = new Promise((r) => child.on('close', r));
      assert.ok((await processAppears(`${token}-main`)).length > 0);
      child.kill('SIGKILL');
      await closed;
      if (mode === 'sandbox') {
        assert.ok(await noProcessWith(token), '--die-with-parent and the PID namespace end every check process');
      } else {
        assert.ok(processesWith(token).length > 0, 'without a sandbox the check outlives a SIGKILLed fugu');
      }
      // The edited check's copy stays until the next start; so may the baseline's, when fugu died before
      // the baseline (a quick exit here) had removed its own copy, as on a busy machine.
      const left = await checkCopies(fx.tmpRoot);
      assert.ok(left.length >= 1 && left.length <= 2, `the copies stay until the next start (${left.length})`);
      const removed = await sweepStaleCopies(fx.tmpRoot);
      assert.equal(removed.length, left.length, 'the next start removes every copy it left');
      assert.equal((await checkCopies(fx.tmpRoot)).length, 0);
      assert.ok(await noProcessWith(token), 'the next start ended the orphan (its process group and marked descendants)');
    });

    it('the check sees no secret-looking variable unless verify.env.pass lists it', async () => {
      await setup(JS_PROJECT, { env: { pass: ['NPM_TOKEN'] } });
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const secrets = {
        FUGU_SERVER_TOKEN: 'srv-1', AZURE_OPENAI_API_KEY: 'az-1', MISTRAL_API_KEY: 'mi-1', OPENROUTER_API_KEY: 'or-1',
        AWS_SECRET_ACCESS_KEY: 'aws-1', DB_PASSWORD: 'pw-1', APP_SECRET: 'sec-1', NPM_TOKEN: 'npm-kept',
      };
      const r = await solve(['--diff', '--verify', 'env; node --test', 'Swap the operands in sum.js'], secrets);
      assert.equal(r.code, 0, r.stderr);
      const out: string = r.trace.final.check.outputTail;
      for (const [name, value] of Object.entries(secrets)) {
        if (name === 'NPM_TOKEN') assert.match(out, /^NPM_TOKEN=npm-kept$/m, 'a passed variable is kept');
        else assert.ok(!out.includes(value) && !out.includes(`${name}=`), `${name} reached the check`);
      }
      for (const value of Object.values(KEYS)) assert.ok(!out.includes(value), 'no provider key reaches the check');
    });

    it('a git-ignored file the check needs: a hint names verify.copyIgnored, and listing it copies it', async () => {
      const w = await setup(JS_PROJECT);
      await w.write('.env', 'API_URL=http://127.0.0.1\n');
      const cmd = 'test -f .env || { echo "Error: cannot open .env"; exit 1; }; node --test';
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const r = await solve(['--diff', '--verify', cmd, 'Swap the operands in sum.js']);
      assert.equal(r.code, 4, r.stderr);
      assert.match(r.trace.final.check.hint, /\.env.*verify\.copyIgnored/);
      assert.match(r.stderr, /verify\.copyIgnored/);
      await setup(JS_PROJECT, { copyIgnored: ['.env'] });
      await fx.ws.write('.env', 'API_URL=http://127.0.0.1\n');
      fakes.openai.enqueue(reply.text(edit('sum.js', 'a + b', 'b + a')));
      const listed = await solve(['--diff', '--verify', cmd, 'Swap the operands in sum.js']);
      assert.equal(listed.code, 0, listed.stderr);
    });
  });
}
