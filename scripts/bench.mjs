// `npm run bench`: measures on this machine and prints ONE JSON object on stdout (progress on
// stderr). Every figure carries its unit in its name and is the median of several runs.
//
//   node scripts/bench.mjs [--runs 5] [--no-build] [--no-vsix] [--only workflow,calls,...] [--loop-turns 30]
//
// Sections: workflow (overhead_ratio, parallel_speedup), calls (sdk_call_overhead_ms,
// fetch_call_overhead_ms), activate, bundles, vsix, edits, traceview, context (context_index_ms,
// context_update_ms, context_search_ms on a generated 5,000-file repository), check
// (check_copy_ms_worktree, check_copy_ms_plain, check_critical_path_ms), serve. A section that cannot
// run reports null and says why under "notes"; the others still run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { loadBundled, repo } from './bench/bundle.mjs';
import { measureAgentLoop } from './bench/agentLoop.mjs';
import { measureCalls } from './bench/calls.mjs';
import { measureContext } from './bench/context.mjs';
import { measureCheck } from './bench/check.mjs';
import { measureServe } from './bench/serve.mjs';
import { measureOverload } from './bench/serveOverload.mjs';
import { median, repeat, round } from './bench/stats.mjs';
import { measureWorkflow } from './bench/workflow.mjs';

process.chdir(repo);
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(name);
const option = (name, fallback) => {
  const i = argv.indexOf(name);
  return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback;
};
const runs = Math.max(1, Number(option('--runs', '5')));
const only = option('--only', '') ? new Set(option('--only', '').split(',')) : null;
const wanted = (section) => !only || only.has(section);
const progress = (line) => process.stderr.write(`bench: ${line}\n`);

const result = {
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memory_gb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  },
  runs,
  date: new Date().toISOString(),
};
const notes = {};

async function section(name, fn) {
  if (!wanted(name)) return;
  const t0 = performance.now();
  progress(`${name}...`);
  try {
    Object.assign(result, await fn());
  } catch (err) {
    notes[name] = `failed: ${err instanceof Error ? err.message : String(err)}`;
    progress(`${name} failed: ${err instanceof Error ? (err.stack ?? err.message) : err}`);
  }
  progress(`${name} done in ${Math.round(performance.now() - t0)} ms`);
}

if (!flag('--no-build')) {
  progress('building dist/ (node scripts/build.mjs)');
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: ['ignore', 'ignore', 'inherit'] });
}

// The current source, bundled once (SDKs stay in node_modules, as the extension loads them lazily).
const api = await loadBundled('scripts/bench/benchApi.ts');
const tmp = mkdtempSync(join(os.tmpdir(), 'fugu-bench-'));

try {
  await section('workflow', async () => {
    const r = await measureWorkflow(api, { runs });
    return r;
  });

  await section('calls', () => measureCalls(api, { calls: Math.max(20, runs * 10) }));

  await section('activate', async () => {
    if (!existsSync('dist/extension.js')) throw new Error('dist/extension.js is missing; build first');
    const samples = await repeat(runs, async () => {
      const r = spawnSync(process.execPath, ['scripts/bench/activate.cjs', 'dist/extension.js'], { encoding: 'utf8', timeout: 30_000 });
      if (r.status !== 0) throw new Error(r.stderr.trim().split('\n')[0] || `exit ${r.status}`);
      return JSON.parse(r.stdout);
    });
    const loaded = samples.flatMap((s) => s.sdk_files);
    if (loaded.length) notes.activate = `SDK modules loaded at activation: ${[...new Set(loaded)].join(', ')}`;
    return {
      activate_ms: median(samples.map((s) => s.activate_ms)),
      activate_require_ms: median(samples.map((s) => s.require_ms)),
      sdk_loaded_at_activate: samples.some((s) => s.sdk_loaded),
      tree_sitter_loaded_at_activate: samples.some((s) => s.tree_sitter_loaded),
    };
  });

  await section('bundles', async () => {
    const size = (f) => (existsSync(f) ? statSync(f).size : null);
    return { bundle_bytes_extension: size('dist/extension.js'), bundle_bytes_webview: size('dist/webview.js'), bundle_bytes_cli: size('dist/cli.js') };
  });

  await section('vsix', async () => {
    if (flag('--no-vsix')) {
      notes.vsix = 'skipped (--no-vsix)';
      return { vsix_bytes: null };
    }
    const out = join(tmp, 'fugu.vsix');
    const r = await run('npm', ['run', 'package', '--', '--out', out], 300_000);
    if (r.code !== 0 || !existsSync(out)) {
      notes.vsix = `npm run package failed (exit ${r.code}): ${r.stderr.trim().split('\n').slice(-3).join(' / ')}`;
      return { vsix_bytes: null };
    }
    return { vsix_bytes: statSync(out).size };
  });

  await section('edits', async () => {
    const { runEditBench } = await import('./bench/edits.mjs');
    return { edit_match_ms: (await runEditBench()).edit_match_ms };
  });

  await section('traceview', async () => {
    const { traceViewMs10kDeltas } = await import('./bench/traceView.mjs');
    return { trace_view_ms_10k_deltas: (await traceViewMs10kDeltas({ repeats: runs })).median };
  });

  await section('context', () => measureContext(api, { runs }));
  // [verify] issue 11
  await section('check', () => measureCheck(api, { runs }));

  await section('serve', async () => {
    const rounds = Math.max(3, Math.min(runs, 5));
    const many = await measureServe(api, { rounds, clients: 32, perClient: 16 });
    // The same with one client: the server's own cost without CPU queueing.
    const one = await measureServe(api, { rounds, clients: 1, perClient: 40 });
    return { ...many, serve_overhead_ms_p50_1_client: one.serve_overhead_ms_p50 };
  });

  await section('overload', async () => measureOverload(api, { slots: 8, clients: 24, perClient: 6 }));

  // issue 25: the learned policy in a simulator with ground truth, and its speed with 10,000 outcomes
  await section('learned', async () => (await import('./bench/learned.mjs')).measureLearned());

  await section('agentloop', () => measureAgentLoop(api, { runs, dir: join(tmp, 'agentloop'), turns: Math.max(3, Number(option('--loop-turns', '30'))) }));
} finally {
  rmSync(tmp, { recursive: true, force: true });
}

if (Object.keys(notes).length) result.notes = notes;
process.stdout.write(`${JSON.stringify(roundAll(result), null, 2)}\n`);
// Keep-alive sockets and SDK agents would hold the process open for a while.
process.exit(0);

function roundAll(v) {
  if (typeof v === 'number') return Number.isInteger(v) ? v : round(v);
  if (Array.isArray(v)) return v.map(roundAll);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, roundAll(x)]));
  return v;
}

function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}
