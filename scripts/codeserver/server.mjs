// Starts code-server on 127.0.0.1 in a scratch folder of its own and stops it by killing its process group.
import { spawn } from 'node:child_process';
import { cpSync, createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBundled } from '../bench/bundle.mjs';
import { codeServerPaths } from './install.mjs';

// The checks' own way to end the processes that carry a mark in their environment (loaded now: the
// exit handler below must call it synchronously).
const { killMarked } = await loadBundled('src/core/check/endProcesses.ts');

const USER_SETTINGS = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'update.mode': 'none',
  'telemetry.telemetryLevel': 'off',
  'workbench.enableExperiments': false,
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'chat.disableAIFeatures': true,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
};

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

// Every live server, so an exiting or interrupted process never leaves one behind.
const live = new Set();
const killAll = () => {
  for (const s of live) s.killNow();
};
process.once('exit', killAll);
// A signal skips 'exit' handlers. Kill the servers at once; exit only if nobody else handles the
// signal (the caller or Playwright may be closing things gracefully and will exit themselves).
for (const [signal, number] of [['SIGINT', 2], ['SIGTERM', 15], ['SIGHUP', 1]]) {
  process.on(signal, function onSignal() {
    killAll();
    if (process.listeners(signal).every((l) => l === onSignal)) process.exit(128 + number);
  });
}

function tail(file, lines = 25) {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/**
 * Starts code-server and resolves once it answers HTTP.
 * @param {object} [opts]
 * @param {string} [opts.workspace] a folder copied into the scratch dir and opened (the copy is `workspace` in the result)
 * @param {number} [opts.port] default: a free port
 * @param {Record<string,string>} [opts.env] extra environment for the server (and so for the extension host)
 * @param {boolean} [opts.testDriver] pass VS Code's smoke-test driver flag (default true): it makes the
 *   `payload` URL load an extension under development and run tests, but it also hides every
 *   notification toast, so a session meant for a person turns it off and links the extension instead
 * @param {string | string[]} [opts.linkExtension] a folder (or several) with an extension's package.json, linked into the
 *   extensions dir so VS Code loads it as installed
 * @param {Record<string, unknown>} [opts.userSettings] user settings over the quiet defaults (e.g. `chat.disableAIFeatures: false`)
 * @param {boolean} [opts.keepScratch] keep the scratch folder after stop() (also FUGU_KEEP_SCRATCH=1)
 * @param {boolean} [opts.workspaceTrust] turn workspace trust on (default off): the opened folder is then
 *   untrusted, i.e. in Restricted Mode, and no start-up prompt asks about it
 * @returns {Promise<{url: string, port: number, scratch: string, workspace: string|undefined, logFile: string, stop: () => Promise<void>}>}
 */
export async function startCodeServer(opts = {}) {
  const { node, entry } = codeServerPaths();
  const port = opts.port ?? (await freePort());
  const scratch = mkdtempSync(join(tmpdir(), 'fugu-code-server-'));
  const dirs = {
    home: join(scratch, 'home'),
    tmp: join(scratch, 'tmp'),
    data: join(scratch, 'user-data'),
    extensions: join(scratch, 'extensions'),
    // VS Code puts its IPC sockets here; it must exist and be private.
    runtime: join(scratch, 'runtime'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o700 });
  for (const folder of [opts.linkExtension ?? []].flat()) {
    const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8'));
    symlinkSync(folder, join(dirs.extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`));
  }
  // Quiet, offline-friendly defaults: no update checks, gallery queries, telemetry or welcome page.
  mkdirSync(join(dirs.data, 'User'), { recursive: true });
  const trust = opts.workspaceTrust
    ? { 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never', 'security.workspace.trust.emptyWindow': false }
    : {};
  writeFileSync(join(dirs.data, 'User', 'settings.json'), JSON.stringify({ ...USER_SETTINGS, ...trust, ...opts.userSettings }, null, 2));
  let workspace;
  if (opts.workspace) {
    workspace = join(scratch, 'workspace');
    cpSync(opts.workspace, workspace, { recursive: true });
  }

  const logFile = join(scratch, 'code-server.log');
  const log = createWriteStream(logFile);
  const env = {
    ...process.env,
    HOME: dirs.home,
    TMPDIR: dirs.tmp,
    XDG_CONFIG_HOME: join(dirs.home, '.config'),
    XDG_DATA_HOME: join(dirs.home, '.local', 'share'),
    XDG_CACHE_HOME: join(dirs.home, '.cache'),
    XDG_STATE_HOME: join(dirs.home, '.local', 'state'),
    XDG_RUNTIME_DIR: dirs.runtime,
    // No gallery at all: nothing here can reach open-vsx.org, and its failed queries are noise.
    EXTENSIONS_GALLERY: '{}',
    ...opts.env,
    // Every process this server starts inherits it, including a terminal's shell, which VS Code starts in a
    // session of its own (outside the group the stop kills): the stop ends those by this mark.
    [SCRATCH_MARK]: scratch,
  };
  // A password in the environment would switch auth back on behind our back.
  delete env.PASSWORD;
  delete env.HASHED_PASSWORD;
  const args = [
    entry,
    '--bind-addr', `127.0.0.1:${port}`,
    '--auth', 'none',
    '--user-data-dir', dirs.data,
    '--extensions-dir', dirs.extensions,
    '--disable-telemetry',
    '--disable-update-check',
    ...(opts.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--reconnection-grace-time', '5',
    ...(opts.testDriver === false ? [] : ['--vscode-option', 'enable-smoke-test-driver']),
  ];
  // detached = setsid: the server, its extension host and their children share one process group.
  // A small shell leads the group as a watchdog: it kills the group when our end of its stdin closes
  // (this process died, even by SIGKILL) or when the server itself exits.
  // (A background job's stdin is /dev/null in sh, hence the copy on fd 3.)
  const watchdog = 'exec 3<&0; "$@" 3<&- </dev/null & server=$!; (read _ <&3; kill -KILL 0) & wait "$server"; kill -KILL 0';
  const child = spawn('/bin/sh', ['-c', watchdog, 'code-server', node, ...args], {
    cwd: scratch,
    env,
    detached: true,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let exited = false;
  const exitPromise = new Promise((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const killGroup = (signal) => {
    try {
      process.kill(-child.pid, signal);
    } catch {
      // the group is already gone
    }
  };
  const keep = opts.keepScratch ?? process.env.FUGU_KEEP_SCRATCH === '1';
  const handle = {
    killNow: () => {
      killGroup('SIGKILL');
      killMarked(SCRATCH_MARK, scratch);
      if (!keep) rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
  live.add(handle);

  let stopping;
  const stop = () =>
    (stopping ??= (async () => {
      killGroup('SIGTERM');
      const timer = new Promise((r) => setTimeout(r, 3000).unref());
      await Promise.race([exitPromise, timer]);
      // SIGKILL the group even after the leader exits: the extension host may linger.
      killGroup('SIGKILL');
      await endMarked(scratch);
      live.delete(handle);
      log.end();
      // A process of the killed group may still be writing as it dies (ENOTEMPTY): retry a moment later.
      if (!keep) rmSync(scratch, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    })());

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (opts.startTimeoutMs ?? 30_000);
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`code-server exited during start-up:\n${tail(logFile)}`);
    }
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      const text = tail(logFile);
      await stop();
      throw new Error(`code-server did not answer on ${url} within ${opts.startTimeoutMs ?? 30_000} ms:\n${text}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, port, scratch, workspace, logFile, pid: child.pid, stop };
}

const SCRATCH_MARK = 'FUGU_CODE_SERVER_SCRATCH';

/** Ends every marked process left after the group (a terminal's shell writes its history as it hangs up), up to 5 s. */
async function endMarked(scratch) {
  const until = Date.now() + 5000;
  while (killMarked(SCRATCH_MARK, scratch).length > 0 && Date.now() <= until) await new Promise((r) => setTimeout(r, 50));
}
