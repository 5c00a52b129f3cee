// Installs the real agent clients the tests run against `fugu serve` (Codex CLI and Claude Code, whose
// native binaries come in npm packages, ~800 MB) into .agent-clis/, a folder of its own, so that
// `npm install` for the extension never pulls them. The versions and every package's checksum are
// pinned by package.json and package-lock.json beside this script; `npm ci` refuses a package whose
// integrity differs. Idempotent: a marker records which lockfile was installed, and each binary must
// report its pinned version.
//
//   node scripts/agentclis/install.mjs            install if missing or stale
//   node scripts/agentclis/install.mjs --json     the same, then print {"codex": path, "claude": path}
//   node scripts/agentclis/install.mjs --force    reinstall
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
export const ROOT = join(HERE, '..', '..');
export const CLI_DIR = join(ROOT, '.agent-clis');
const MARKER = join(CLI_DIR, 'installed.json');
const MANIFEST = JSON.parse(readFileSync(join(HERE, 'package.json'), 'utf8'));

/** Each client: its package, its binary, and how its `--version` names the pinned version. */
const CLIENTS = {
  codex: { pkg: '@openai/codex', bin: 'codex', reports: (v) => new RegExp(`^codex-cli ${v.replaceAll('.', '\\.')}$`, 'm') },
  claude: { pkg: '@anthropic-ai/claude-code', bin: 'claude', reports: (v) => new RegExp(`^${v.replaceAll('.', '\\.')} \\(Claude Code\\)$`, 'm') },
};

export function agentCLIPaths() {
  return Object.fromEntries(Object.entries(CLIENTS).map(([name, c]) => [name, join(CLI_DIR, 'node_modules', '.bin', c.bin)]));
}

/** The pinned version of each client, from the manifest beside this script. */
export function pinnedVersions() {
  return Object.fromEntries(Object.entries(CLIENTS).map(([name, c]) => [name, MANIFEST.dependencies[c.pkg]]));
}

const lockHash = () => createHash('sha256').update(readFileSync(join(HERE, 'package.json'))).update(readFileSync(join(HERE, 'package-lock.json'))).digest('hex');

/** Why the install in CLI_DIR is not the pinned one, or undefined when it is. */
function staleReason() {
  let marker;
  try {
    marker = JSON.parse(readFileSync(MARKER, 'utf8'));
  } catch {
    return 'not installed';
  }
  if (marker.lock !== lockHash()) return 'the pinned versions changed';
  const paths = agentCLIPaths();
  for (const [name, version] of Object.entries(pinnedVersions())) {
    if (!existsSync(paths[name])) return `${paths[name]} is missing`;
    const r = spawnSync(paths[name], ['--version'], { encoding: 'utf8', env: cleanEnv(), timeout: 60_000 });
    if (r.status !== 0 || !CLIENTS[name].reports(version).test(r.stdout)) return `${name} --version said ${JSON.stringify((r.stdout + r.stderr).trim().slice(0, 200))}, not ${version}`;
  }
  return undefined;
}

// Under `npm test` the outer npm exports npm_config_* (and NODE); the nested npm would take them as
// its own settings, so it gets an environment without them.
function cleanEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
}

export function ensureAgentCLIs({ log = (line) => console.error(line), force = false } = {}) {
  const reason = force ? 'reinstall asked for' : staleReason();
  if (!reason) return agentCLIPaths();
  const versions = pinnedVersions();
  log(`[agent-clis] installing Codex CLI ${versions.codex} and Claude Code ${versions.claude} into ${CLI_DIR} (${reason}; about 800 MB)`);
  const started = Date.now();
  rmSync(join(CLI_DIR, 'node_modules'), { recursive: true, force: true });
  rmSync(MARKER, { force: true });
  mkdirSync(CLI_DIR, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) copyFileSync(join(HERE, f), join(CLI_DIR, f));
  // npm ci installs exactly the lockfile and checks each tarball against its integrity; the one
  // install script allowed (package.json's allowScripts) is Claude Code's, which links its native binary.
  // npm turns on Node's compile cache, which by default stays behind in $TMPDIR/node-compile-cache: the
  // unit suite installs through here with its own temp folder as TMPDIR, and that folder must end empty.
  const env = { ...cleanEnv(), NODE_DISABLE_COMPILE_CACHE: '1' };
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--engine-strict=false'], { cwd: CLI_DIR, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`npm ci failed in ${CLI_DIR}:\n${(r.stdout + r.stderr).trim().split('\n').slice(-30).join('\n')}`);
  writeFileSync(MARKER, JSON.stringify({ lock: lockHash(), ...versions, seconds: Math.round((Date.now() - started) / 1000) }) + '\n');
  const still = staleReason();
  if (still) throw new Error(`the install in ${CLI_DIR} does not work: ${still}`);
  log(`[agent-clis] installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return agentCLIPaths();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const paths = ensureAgentCLIs({ force: process.argv.includes('--force') });
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify(paths) + '\n');
    else console.error(`[agent-clis] Codex CLI ${pinnedVersions().codex} and Claude Code ${pinnedVersions().claude} ready in ${CLI_DIR}`);
  } catch (err) {
    console.error(`[agent-clis] ${err.message}`);
    process.exit(1);
  }
}
