// `npm run bench`: measures on this machine and prints ONE JSON object on stdout (progress on
// stderr). Every figure carries its unit in its name and is the median of several runs.
//
//   node scripts/bench.mjs [--runs 5] [--no-build] [--no-vsix] [--only workflow,calls,...] [--loop-turns 30] [--write]
//
// --write stores the run in bench/latest.json and regenerates README's benchmark table from it (a whole
// run only: no --only). --table only regenerates the table from the stored run (after editing
// bench/goals.json), measuring nothing. Every run ends by listing on stderr the figures that miss their goal in
// bench/goals.json (exit 0 all the same: a report, not a test).
//
// Sections: workflow (overhead_ratio, parallel_speedup), calls (sdk_call_overhead_ms,
// fetch_call_overhead_ms), activate, bundles, vsix, edits, traceview, context (context_index_ms,
// context_update_ms, context_search_ms on a generated 5,000-file repository), context-recall (recall of
// the files real commits changed, against plain BM25, at 1x and 4x the default cap), check
// (check_copy_ms_git, check_copy_ms_plain, check_run_wall_ms with and without the sandbox), serve. A section that cannot
// run reports null and says why under "notes"; the others still run.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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
const write = flag('--write');
if (flag('--table')) {
  // Only the table: README regenerated from the stored run, after an edit of bench/goals.json.
  const table = await loadBundled('scripts/bench/benchTable.ts');
  const stored = JSON.parse(readFileSync('bench/latest.json', 'utf8'));
  writeFileSync('README.md', table.replaceTable(readFileSync('README.md', 'utf8'), table.renderTable(stored, JSON.parse(readFileSync('bench/goals.json', 'utf8')))));
  progress('wrote the table in README.md from bench/latest.json and bench/goals.json');
  process.exit(0);
}
if (write && only) {
  process.stderr.write('bench: --write stores a whole run (every section); drop --only.\n');
  process.exit(2);
}

const result = {
  machine: {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    memory_gb: round(os.totalmem() / 2 ** 30, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    // How busy the machine was when the run began (1, 5 and 15 minutes): figures on a busy machine are slower.
    load_average: os.loadavg().map((x) => round(x, 1)),
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
      // What require.cache holds after activation (the chunks' names carry content hashes).
      activate_loaded_files: samples[0].loaded_files.map((f) => f.file.replace(/-[A-Z0-9]{8}\.js$/, '-*.js')),
      sdk_loaded_at_activate: samples.some((s) => s.sdk_loaded),
      tree_sitter_loaded_at_activate: samples.some((s) => s.tree_sitter_loaded),
    };
  });

  await section('bundles', async () => {
    const size = (f) => (existsSync(f) ? statSync(f).size : null);
    const sum = (files) => files.reduce((n, f) => n + f.bytes, 0);
    // Before their lazy parts: what activation, and `fugu --help`, load from dist/.
    const activation = spawnSync(process.execPath, ['scripts/bench/activate.cjs', 'dist/extension.js'], { encoding: 'utf8', timeout: 30_000 });
    if (activation.status !== 0) throw new Error(activation.stderr.trim().split('\n')[0] || `activation exit ${activation.status}`);
    const help = spawnSync(process.execPath, ['-r', './scripts/bench/loadedFiles.cjs', 'dist/cli.js', '--help'], { encoding: 'utf8', timeout: 30_000 });
    const helpFiles = JSON.parse(/^loaded-files: (.*)$/m.exec(help.stderr)?.[1] ?? 'null');
    if (!helpFiles) throw new Error(`fugu --help did not report its files: ${help.stderr.trim().split('\n')[0]}`);
    const all = (entry, prefix) => size(entry) + sum(readdirSync('dist').filter((f) => f.startsWith(prefix)).map((f) => ({ bytes: statSync(join('dist', f)).size })));
    return {
      bundle_bytes_extension: sum(JSON.parse(activation.stdout).loaded_files),
      bundle_bytes_extension_all: all('dist/extension.js', 'ext-'),
      bundle_bytes_webview: size('dist/webview.js'),
      bundle_bytes_cli: sum(helpFiles),
      bundle_bytes_cli_all: all('dist/cli.js', 'cli-'),
    };
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
  // Context recall on real commits (bench/context-recall/); --recall-out writes every task's detail.
  await section('context-recall', async () => {
    const { measureContextRecall, recallJson } = await import('./bench/contextRecall.mjs');
    const r = await measureContextRecall(api);
    if (option('--recall-out', '')) writeFileSync(option('--recall-out', ''), recallJson({ date: result.date, machine: result.machine, ...r }));
    // The table's figures: the held-out tasks (never tuned on) at 1x and 4x the default cap, Fugu beside plain BM25.
    const f = {};
    for (const [k, v] of Object.entries(r.context_recall.holdout)) {
      f[`context_recall_${k}`] = Number(v.mean_recall.toFixed(3));
      f[`context_recall_changed_sent_${k}`] = Number(v.share_with_changed_file.toFixed(3));
      f[`context_recall_first_changed_${k}`] = Number(v.share_first_file_changed.toFixed(3));
      f[`context_recall_region_kept_${k}`] = v.cut_changed_files ? Number(v.share_cut_kept_region.toFixed(3)) : null;
      f[`context_recall_region_sent_${k}`] = Number(v.share_changed_region_sent.toFixed(3));
    }
    f.context_recall_holdout_tasks = r.context_recall.holdout.fugu_1x.tasks;
    f.context_recall_gather_ms_p50 = r.context_recall.gather_ms_p50;
    return f;
  });
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
const rounded = roundAll(result);
process.stdout.write(`${JSON.stringify(rounded, null, 2)}\n`);
const table = await loadBundled('scripts/bench/benchTable.ts');
const goals = JSON.parse(readFileSync('bench/goals.json', 'utf8'));
const { machine, runs: runCount, date, notes: runNotes, ...figures } = rounded;
const misses = table.missedGoals(goals, figures);
progress(misses.length ? `figures that miss their goal (bench/goals.json):` : 'every figure measured meets its goal (bench/goals.json)');
for (const m of misses) progress(`  ${m.figure} = ${table.formatValue(m.value)}, goal ${m.goal}`);
const unknown = table.undescribed(goals, figures);
if (unknown.length) progress(`figures with no entry in bench/goals.json (add a goal or a description): ${unknown.join(', ')}`);
if (write) {
  const stored = { machine, date, runs: runCount, figures, ...(runNotes ? { notes: runNotes } : {}) };
  writeFileSync('bench/latest.json', `${JSON.stringify(stored, null, 2)}\n`);
  writeFileSync('README.md', table.replaceTable(readFileSync('README.md', 'utf8'), table.renderTable(stored, goals)));
  progress('wrote bench/latest.json and the table in README.md');
}
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
