// Builds the context-recall benchmark's data from local git mirrors of public repositories (not run
// by `npm run bench`; run once, its output is committed):
//
//   node scripts/bench/contextRecallBuild.mjs <name>=<owner/repo>=<git dir> [...] [--per-repo 60] [--dev 100]
//
// For each repository, the newest commits (no merges) whose subject is in words and that modify 1–4
// source files (tests, docs and changelogs do not count) become tasks: the subject is the task, the
// parent commit is the workspace, the modified source files are the truth, and each file's changed
// lines (old side) are its changed region. Every parent tree (text files up to 1 MB) is written as one
// synthetic commit, tagged by task id, into bench/context-recall/<name>.bundle (trees share objects,
// so the bundle stays small); bench/context-recall/tasks.json lists the tasks. Every third task of a
// repository is held out: it is reported separately and never used to tune the ranking.
//
// The selection walks each repository's history newest first, so a larger --per-repo keeps every task
// of a smaller one (same ids, commits, hold-out flags) and appends older commits after them, as long as
// the mirrors' heads have not moved. The committed data is --per-repo 60: the first 15 of each
// repository were the first version of the benchmark, the next 15 were added before the excerpts were
// tuned again, and the 30 after them were added (checked first: --per-repo 30 from the same mirrors
// gave byte-identical data) before any of them was looked at.
//
// --dev N appends the next N older qualifying commits of each repository as development tasks
// (`"dev": true`, never held out): a larger set to decide changes on than the tuning tasks, which
// rounds of tuning have fitted (`contextRecall.mjs --split dev`; `npm run bench` does not run them).
// The committed data has --dev 100; a later extension of the benchmark must draw past them.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

const args = process.argv.slice(2);
const perRepo = Number(args.includes('--per-repo') ? args[args.indexOf('--per-repo') + 1] : 60);
const dev = Number(args.includes('--dev') ? args[args.indexOf('--dev') + 1] : 0);
const sources = args.filter((a) => a.includes('='));
const outDir = join(repo, 'bench', 'context-recall');

const SOURCE = /\.(py|go|ts|tsx|mts|js|jsx|mjs|cjs|rs|java)$/;
const TEST = /(^|\/)(tests?|__tests__|testdata|testing|fixtures?)\/|(^|\/)test_[^/]*\.py$|_test\.(py|go)$|\.(test|spec)\.[cm]?[jt]sx?$|(^|\/)conftest\.py$/;
const NOT_WORDS = /^(merge|revert|bump|release|version|v?\d+\.\d+|update changelog|chore|ci|docs?|test|style|build)\b|^\W/i;
const BINARY = /\.(png|jpe?g|gif|ico|webp|pdf|zip|gz|tgz|xz|7z|jar|wasm|woff2?|ttf|otf|eot|mp[34]|mov|pxm|psd|sqlite|db|bin|exe|so|dll|dylib)$/i;

const git = (dir, ...a) => execFileSync('git', ['--git-dir', dir, ...a], { encoding: 'utf8', maxBuffer: 256 * 2 ** 20 });

/** The task a subject makes: the PR number at its end dropped. */
function taskOf(subject) {
  return subject.replace(/\s*\(#\d+\)\s*$/, '').trim();
}

function inWords(subject) {
  const s = taskOf(subject);
  if (NOT_WORDS.test(s)) return false;
  const body = s.replace(/^\w+(\([^)]*\))?!?:\s*/, '');
  return (body.match(/[A-Za-z]{2,}/g) ?? []).length >= 3;
}

/** Changed line ranges of `file` on the parent's side (a pure insertion: the lines around it). */
function hunks(dir, parent, commit, file) {
  const diff = git(dir, 'diff', '-U0', '--no-color', parent, commit, '--', file);
  const out = [];
  for (const m of diff.matchAll(/^@@ -(\d+)(?:,(\d+))? \+\d+(?:,\d+)? @@/gm)) {
    const start = Number(m[1]);
    const len = m[2] === undefined ? 1 : Number(m[2]);
    out.push(len > 0 ? [start, start + len - 1] : [Math.max(1, start), start + 1]);
  }
  return out;
}

const tasks = [];
for (const spec of sources) {
  const [name, upstream, dir] = spec.split('=');
  const log = git(dir, 'log', '--no-merges', '--first-parent', '--format=%x00%H %P%x01%s', '--name-status', '-n', '3000');
  const picked = [];
  for (const rec of log.split('\0').slice(1)) {
    if (picked.length >= perRepo + dev) break;
    const [head, rest] = rec.split('\x01');
    const [commit, parent, ...more] = head.split(' ');
    if (!parent || more.length) continue;
    const lines = rest.split('\n');
    const subject = lines[0];
    const changes = lines.slice(1).filter(Boolean).map((l) => l.split('\t'));
    if (!inWords(subject) || changes.length > 12) continue;
    const source = changes.filter(([, p]) => SOURCE.test(p) && !TEST.test(p));
    const modified = source.filter(([st]) => st === 'M').map(([, p]) => p);
    if (source.length < 1 || source.length > 4 || modified.length === 0) continue;
    picked.push({ commit, parent, subject, modified });
  }
  const base = mkdtempSync(join(os.tmpdir(), 'fugu-recall-build-'));
  try {
    const work = join(base, 'work.git');
    // An empty repository borrowing the mirror's objects: only the synthetic commits get refs.
    execFileSync('git', ['init', '--quiet', '--bare', work]);
    writeFileSync(join(work, 'objects', 'info', 'alternates'), `${join(realpathSync(dir), 'objects')}\n`);
    let prev = null;
    picked.forEach((p, i) => {
      const id = `${name}-${String(i + 1).padStart(2, '0')}`;
      // The parent's tree without binary files and files over 1 MB.
      const entries = git(work, 'ls-tree', '-r', '-l', '--full-tree', p.parent)
        .split('\n')
        .filter(Boolean)
        .map((l) => /^(\d+) (\w+) (\w+)\s+(\S+)\t(.*)$/.exec(l))
        .filter((m) => m && m[2] === 'blob' && m[1] !== '120000' && m[1] !== '160000' && !BINARY.test(m[5]) && Number(m[4]) <= 1_000_000);
      const index = join(base, 'index');
      rmSync(index, { force: true });
      execFileSync('git', ['--git-dir', work, 'update-index', '--add', '--index-info'], {
        input: entries.map((m) => `${m[1]} ${m[3]}\t${m[5]}\n`).join(''),
        env: { ...process.env, GIT_INDEX_FILE: index },
      });
      const tree = execFileSync('git', ['--git-dir', work, 'write-tree'], { encoding: 'utf8', env: { ...process.env, GIT_INDEX_FILE: index } }).trim();
      const env = { ...process.env, GIT_AUTHOR_NAME: 'bench', GIT_AUTHOR_EMAIL: 'bench@example.invalid', GIT_COMMITTER_NAME: 'bench', GIT_COMMITTER_EMAIL: 'bench@example.invalid', GIT_AUTHOR_DATE: '2026-01-01T00:00:00Z', GIT_COMMITTER_DATE: '2026-01-01T00:00:00Z' };
      const c = execFileSync('git', ['--git-dir', work, 'commit-tree', tree, ...(prev ? ['-p', prev] : []), '-m', `${id}: parent ${p.parent} of ${p.commit}`], { encoding: 'utf8', env }).trim();
      git(work, 'tag', '-f', id, c);
      prev = c;
      tasks.push({
        id,
        repo: name,
        upstream: `https://github.com/${upstream}`,
        commit: p.commit,
        parent: p.parent,
        task: taskOf(p.subject),
        holdout: i < perRepo && i % 3 === 2,
        ...(i >= perRepo ? { dev: true } : {}),
        changed: p.modified.map((f) => ({ path: f, lines: hunks(dir, p.parent, p.commit, f) })),
      });
    });
    const bundle = join(outDir, `${name}.bundle`);
    execFileSync('git', ['--git-dir', work, 'repack', '-a', '-d', '-f', '-q', '--window=250', '--depth=50']);
    execFileSync('git', ['--git-dir', work, 'bundle', 'create', bundle, '--tags'], { stdio: ['ignore', 'ignore', 'inherit'] });
    process.stderr.write(`${name}: ${picked.length} tasks, ${statSync(bundle).size} bytes\n`);
  } finally {
    rmSync(base, { recursive: true, force: true });
  }
}
writeFileSync(join(outDir, 'tasks.json'), `${JSON.stringify({ tasks }, null, 1)}\n`);
