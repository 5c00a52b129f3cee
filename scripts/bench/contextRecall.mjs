// Context recall on real commits (`npm run bench -- --only context-recall`): each task of
// bench/context-recall/tasks.json is a public repository's commit, run as its subject on its parent
// tree (from the bundles beside it); the truth is the source files the commit modified and their
// changed lines. For Fugu's gathered context and for plain BM25 over file contents (the task as the
// query, whole files in rank order, the last one cut to a prefix) at the same character budget, at 1x
// and 4x the default cap, it reports: mean recall of the changed files, the share of tasks with at
// least one changed file sent, the share whose first sent file is a changed file, and the share of
// changed files sent cut whose changed lines were kept (any changed hunk inside the sent lines), and
// the share of all changed files whose changed lines were sent (whole or kept in a cut file: what a
// model sees of the change, which sending fewer cut files cannot raise).
// Figures are given for all tasks, the tuning tasks, and the held-out tasks (never tuned on); the
// development tasks (older commits, to decide changes on) run only with --split dev.
//
//   node scripts/bench/contextRecall.mjs [--out bench/context-recall.json] [--only click-01,fzf,...] [--split tuning|holdout|dev]
//
// Run alone, it prints the JSON and writes it (with every task's detail) to --out when given.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { isMain, loadBundled, repo } from './bundle.mjs';
import { percentile } from './stats.mjs';

const DATA = join(repo, 'bench', 'context-recall');
export const DEFAULT_CAP = 60_000;

/** Plain BM25 (k1 1.2, b 0.75) over file contents with plain lowercase words: the baseline. */
function plainBm25(docs, query) {
  const words = (t) => t.toLowerCase().match(/[a-z0-9_]+/g) ?? [];
  const N = docs.length;
  const tfs = docs.map((d) => {
    const m = new Map();
    const w = words(d.text);
    for (const x of w) m.set(x, (m.get(x) ?? 0) + 1);
    return { path: d.path, text: d.text, tf: m, len: w.length };
  });
  const avg = tfs.reduce((a, d) => a + d.len, 0) / Math.max(1, N);
  const df = new Map();
  for (const d of tfs) for (const x of d.tf.keys()) df.set(x, (df.get(x) ?? 0) + 1);
  const q = [...new Set(words(query))];
  return tfs
    .map((d) => {
      let s = 0;
      for (const x of q) {
        const tf = d.tf.get(x);
        if (!tf) continue;
        const n = df.get(x);
        s += Math.log(1 + (N - n + 0.5) / (n + 0.5)) * ((tf * 2.2) / (tf + 1.2 * (1 - 0.75 + (0.75 * d.len) / avg)));
      }
      return { path: d.path, text: d.text, s };
    })
    .filter((d) => d.s > 0)
    .sort((a, b) => b.s - a.s || (a.path < b.path ? -1 : 1));
}

/** Whole files in rank order until the budget; the first that does not fit is cut to a prefix. */
function sendInOrder(ranked, maxChars) {
  const out = [];
  let used = 0;
  for (const d of ranked) {
    const room = maxChars - used;
    if (room <= 0) break;
    if (d.text.length <= room) {
      out.push({ path: d.path });
      used += d.text.length;
    } else {
      const lines = d.text.slice(0, room).split('\n').length;
      out.push({ path: d.path, lines: [[1, lines]] });
      used = maxChars;
    }
  }
  return out;
}

/** One task's figures for one method: sent = [{path, lines?}] in order (map excluded). */
function score(task, sent) {
  const truth = new Map(task.changed.map((c) => [c.path, c.lines]));
  const got = sent.filter((f) => truth.has(f.path));
  const cut = got.filter((f) => f.lines);
  const kept = cut.filter((f) => truth.get(f.path).some(([a, b]) => f.lines.some(([x, y]) => x <= b && a <= y)));
  return {
    recall: new Set(got.map((f) => f.path)).size / truth.size,
    any: got.length > 0,
    first: sent.length > 0 && truth.has(sent[0].path),
    cut: cut.length,
    kept: kept.length,
    sent: sent.length,
    // Changed files whose changed lines were sent (whole, or cut with a hunk kept), of all changed files.
    regions: new Set([...got.filter((f) => !f.lines), ...kept].map((f) => f.path)).size,
    changed: truth.size,
  };
}

function summarize(rows) {
  const n = rows.length;
  const mean = (f) => (n ? rows.reduce((a, r) => a + f(r), 0) / n : null);
  const cut = rows.reduce((a, r) => a + r.cut, 0);
  return {
    tasks: n,
    mean_recall: mean((r) => r.recall),
    share_with_changed_file: mean((r) => Number(r.any)),
    share_first_file_changed: mean((r) => Number(r.first)),
    cut_changed_files: cut,
    share_cut_kept_region: cut ? rows.reduce((a, r) => a + r.kept, 0) / cut : null,
    share_changed_region_sent: rows.reduce((a, r) => a + r.regions, 0) / Math.max(1, rows.reduce((a, r) => a + r.changed, 0)),
  };
}

export async function measureContextRecall(api, { only, split } = {}) {
  const { tasks } = JSON.parse(readFileSync(join(DATA, 'tasks.json'), 'utf8'));
  const splitOf = (t) => (t.dev ? 'dev' : t.holdout ? 'holdout' : 'tuning');
  // The development tasks only when asked for: the bench's figures are the tuning and held-out tasks'.
  const chosen = tasks.filter((t) => (!only || only.includes(t.id) || only.includes(t.repo)) && (split ? splitOf(t) === split : !t.dev));
  const base = mkdtempSync(join(os.tmpdir(), 'fugu-bench-recall-'));
  const budgets = { '1x': DEFAULT_CAP, '4x': 4 * DEFAULT_CAP };
  const detail = [];
  const gatherMs = [];
  try {
    const repos = new Map();
    for (const t of chosen) {
      if (!repos.has(t.repo)) {
        const gitDir = join(base, `${t.repo}.git`);
        execFileSync('git', ['clone', '--quiet', '--bare', join(DATA, `${t.repo}.bundle`), gitDir]);
        repos.set(t.repo, gitDir);
      }
      const root = join(base, t.id);
      mkdirSync(root);
      const tar = execFileSync('git', ['--git-dir', repos.get(t.repo), 'archive', '--format=tar', `refs/tags/${t.id}`], { maxBuffer: 512 * 2 ** 20 });
      execFileSync('tar', ['-x', '-C', root], { input: tar });
      const index = await api.WorkspaceIndex.build({ root });
      await index.warm();
      const row = { id: t.id, repo: t.repo, holdout: t.holdout, ...(t.dev ? { dev: true } : {}), task: t.task, truth: t.changed.map((c) => c.path) };
      const docs = [];
      for (const f of index.files()) docs.push({ path: f.path, text: (await index.text(f.path)) ?? '' });
      const bm25 = plainBm25(docs, t.task);
      for (const [name, cap] of Object.entries(budgets)) {
        const t0 = performance.now();
        const ctx = await api.gatherRepoContext({ task: t.task, index, maxChars: cap });
        if (name === '1x') gatherMs.push(performance.now() - t0);
        const sent = ctx.files.filter((f) => f.path !== api.MAP_PATH).map((f) => ({ path: f.path, chars: f.text.length, reason: f.reason, ...(f.lines ? { lines: f.lines } : {}) }));
        const mapChars = ctx.files.filter((f) => f.path === api.MAP_PATH).reduce((a, f) => a + f.text.length, 0);
        row[`fugu_${name}`] = { ...score(t, sent), map_chars: mapChars, files: sent };
        const plain = sendInOrder(bm25, cap);
        row[`bm25_${name}`] = { ...score(t, plain), files: plain.map((f) => f.path) };
      }
      detail.push(row);
      rmSync(root, { recursive: true, force: true });
      process.stderr.write(`bench: context-recall ${t.id} fugu ${row.fugu_1x.recall.toFixed(2)} bm25 ${row.bm25_1x.recall.toFixed(2)}\n`);
    }
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
  const figures = (rows) => Object.fromEntries(['fugu_1x', 'bm25_1x', 'fugu_4x', 'bm25_4x'].map((k) => [k, summarize(rows.map((r) => r[k]))]));
  return {
    context_recall: {
      default_cap_chars: DEFAULT_CAP,
      repositories: [...new Set(chosen.map((t) => t.repo))],
      all: figures(detail),
      tuning: figures(detail.filter((r) => !r.holdout && !r.dev)),
      holdout: figures(detail.filter((r) => r.holdout)),
      ...(detail.some((r) => r.dev) ? { dev: figures(detail.filter((r) => r.dev)) } : {}),
      gather_ms_p50: percentile(gatherMs, 50),
    },
    detail,
  };
}

/** The stored form of a run: the figures indented, then one line per task. */
export function recallJson(run) {
  const { detail, ...rest } = run;
  const head = JSON.stringify(rest, null, 1).replace(/\n}$/, '');
  return `${head},\n "detail": [\n${detail.map((d) => `  ${JSON.stringify(d)}`).join(',\n')}\n ]\n}\n`;
}

if (isMain(import.meta.url)) {
  const argv = process.argv.slice(2);
  const opt = (n) => (argv.includes(n) ? argv[argv.indexOf(n) + 1] : undefined);
  const api = await loadBundled('scripts/bench/benchApi.ts');
  const r = await measureContextRecall(api, { only: opt('--only')?.split(','), split: opt('--split') });
  const out = { date: new Date().toISOString(), node: process.version, ...r };
  if (opt('--out')) writeFileSync(resolve(opt('--out')), recallJson(out));
  process.stdout.write(`${JSON.stringify(r.context_recall, null, 2)}\n`);
  process.exit(0);
}
