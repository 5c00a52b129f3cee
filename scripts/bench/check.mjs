// check_copy_ms (a generated 5,000-file repository: the git path, with dependency folders linked
// for the sandbox or copied whole for the fallback, and the plain-copy path),
// check_critical_path_ms (what a run with a check adds over the same run without one, beyond the
// edits' own check, when the baseline is faster than the models: the copy and the baseline should
// hide behind the model calls), check_run_wall_ms with the sandbox and without it (`_unsandboxed`),
// and check_sandbox_overhead_ms (one `true` check under bubblewrap minus the same unsandboxed).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { BENCH_KEY, poolFor } from './fakeCalls.mjs';
import { median, repeat } from './stats.mjs';

function generateRepo(root, files, git) {
  for (let i = 0; i < files; i++) {
    const dir = join(root, `pkg${i % 50}`, `mod${i % 10}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `file${i}.js`), `// file ${i}\nexports.value${i} = ${i};\n`);
  }
  writeFileSync(join(root, '.gitignore'), 'node_modules/\n*.log\n');
  mkdirSync(join(root, 'node_modules', 'dep'), { recursive: true });
  writeFileSync(join(root, 'node_modules', 'dep', 'index.js'), 'module.exports = 1;\n');
  if (!git) return;
  const g = (...a) => execFileSync('git', ['-c', 'user.email=b@example.com', '-c', 'user.name=b', '-c', 'commit.gpgsign=false', ...a], { cwd: root, stdio: 'ignore' });
  g('init', '-q');
  g('add', '-A');
  g('commit', '-q', '-m', 'bench');
  // What a working tree looks like mid-task: a few edits and new files.
  for (let i = 0; i < 20; i++) writeFileSync(join(root, `pkg${i % 50}`, `mod${i % 10}`, `file${i + 100}.js`), `// edited ${i}\n`);
  for (let i = 0; i < 10; i++) writeFileSync(join(root, `new${i}.js`), `// new ${i}\n`);
}

export async function measureCheck(api, { runs, files = 5000 }) {
  const base = mkdtempSync(join(os.tmpdir(), 'fugu-bench-check-'));
  try {
    const out = {};
    const variants = [['check_copy_ms_git', true, 'link'], ['check_copy_ms_git_fallback', true, 'copy'], ['check_copy_ms_plain', false, 'link']];
    for (const [name, git, dependencies] of variants) {
      const root = join(base, git ? 'git' : 'plain');
      if (!existsSync(root)) {
        mkdirSync(root);
        generateRepo(root, files, git);
      }
      out[name] = median(await repeat(runs, async () => {
        const t0 = performance.now();
        const copy = await api.createScratchCopy(root, { dependencies });
        const ms = performance.now() - t0;
        if (copy.kind !== (git ? 'git' : 'copy')) throw new Error(`expected a ${git ? 'git' : 'plain'} copy, got ${copy.kind}`);
        await copy.dispose();
        return ms;
      }));
    }
    out.check_sandbox_overhead_ms = await sandboxOverhead(api, { runs, cwd: join(base, 'plain') });
    Object.assign(out, await criticalPath(api, { runs, root: join(base, 'git'), sandbox: 'required' }));
    const bare = await criticalPath(api, { runs, root: join(base, 'git'), sandbox: 'off' });
    for (const [k, v] of Object.entries(bare)) out[`${k}_unsandboxed`] = v;
    return out;
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}

async function criticalPath(api, { runs, root, sandbox }) {
  const fakes = await api.startFakes();
  try {
    const plan = Array.from({ length: 40 }, (_, i) => `w${i}`).join(' ');
    const edit = 'pkg11/mod1/file11.js\n```js\n<<<<<<< SEARCH\nexports.value11 = 11;\n=======\nexports.value11 = 12;\n>>>>>>> REPLACE\n```\n';
    const slow = (text) => () => api.reply.text(text, { firstTokenDelayMs: 300, tokenDelayMs: 10 });
    fakes.gemini.setDefault(slow(plan));
    fakes.anthropic.setDefault(slow(plan));
    fakes.openai.setDefault(slow(edit));
    const config = {
      policy: { backend: 'builtin', timeoutMs: 30_000 }, workers: poolFor(fakes), maxSteps: 5, maxRecursion: 0,
      budget: { maxCalls: 20, maxTokens: 400_000, maxCostUsd: 2 }, timeoutMs: 30_000, maxRetries: 0,
    };
    const keys = async () => BENCH_KEY;
    const task = 'Change value11 in pkg11/mod1/file11.js to 12.';
    const check = { command: api.toCommand(['node', '-e', '']), timeoutMs: 60_000, maxOutputBytes: 65_536, env: process.env, sandbox };
    const once = async (withCheck) => {
      const t0 = performance.now();
      const { trace } = await api.runTask({ task, config, keys, workspace: api.nodeWorkspaceFiles(root), ...(withCheck ? { check } : {}) });
      const ms = performance.now() - t0;
      if (trace.status !== 'succeeded' || trace.final.edits.length !== 1) throw new Error(`bench run ${trace.status}: ${trace.error}`);
      if (withCheck && !trace.final.check?.passed) throw new Error(`the bench check did not pass: ${JSON.stringify(trace.final.check)}`);
      if (withCheck && trace.final.check.isolation !== (sandbox === 'off' ? 'copy' : 'bubblewrap')) throw new Error(`the bench check ran under ${trace.final.check.isolation}`);
      const steps = trace.rounds.flatMap((r) => r.steps);
      const baselineMs = steps.find((s) => s.check)?.check?.baseline?.durationMs ?? 0;
      // The edits' own check is work the user asked for; what should hide is the copy and the baseline.
      const editsCheckMs = steps.filter((s) => s.check).reduce((t, s) => t + s.check.durationMs, 0);
      return { ms, baselineMs, editsCheckMs };
    };
    await once(true); // SDKs loaded once
    const without = median(await repeat(runs, async () => (await once(false)).ms));
    const withRuns = await repeat(runs, () => once(true));
    const withMs = median(withRuns.map((r) => r.ms));
    const editsCheckMs = median(withRuns.map((r) => r.editsCheckMs));
    return {
      check_critical_path_ms: withMs - without - editsCheckMs,
      check_edits_ms: editsCheckMs,
      check_baseline_ms: median(withRuns.map((r) => r.baselineMs)),
      check_run_wall_ms: withMs,
      check_run_wall_ms_without_check: without,
    };
  } finally {
    await fakes.close();
  }
}

/** What bubblewrap adds to one check: `true` under the sandbox minus `true` without it (medians). */
async function sandboxOverhead(api, { runs, cwd }) {
  const engine = await api.sandboxEngine();
  if (engine !== 'bubblewrap') throw new Error('bubblewrap cannot start here: the sandbox figures need it');
  const once = async (sandboxed) => {
    const opts = { cwd, env: process.env, timeoutMs: 30_000, maxOutputBytes: 4096, drainMs: 0 };
    if (sandboxed) opts.sandbox = { engine, policy: { writable: cwd, readable: [], network: true } };
    const r = await api.runCheckCommand(api.toCommand(['true']), opts);
    if (r.outcome !== 'passed') throw new Error(`true did not pass: ${r.reason}`);
    return r.durationMs;
  };
  const n = Math.max(runs, 10);
  const on = median(await repeat(n, () => once(true)));
  const off = median(await repeat(n, () => once(false)));
  return on - off;
}
