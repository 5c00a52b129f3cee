// Runs the integration tests (out/test/integration) inside code-server's extension host, driven by Chromium.
// Builds nothing: run `npm run build` and `npx tsc -p .` first.
//
//   node scripts/codeserver/run-tests.mjs [--restricted] [--grep TEXT] [--env KEY=VALUE]... [--timeout SECONDS] [--headed]
//
// --restricted runs the Restricted Mode suite (out/test/integration/restricted) instead of the others:
// workspace trust on, and its own sample workspace, untrusted, whose .vscode/settings.json tries to
// redirect Fugu's providers.
//
// A test may ask the runner to do in the browser what only a person can (click, type): it appends a
// JSON line {id, action, ...} to FUGU_TEST_REQUESTS and waits for {id, result} or {id, error} in
// FUGU_TEST_REPLIES (test/integration/askRunner.ts). Requests are served one at a time, in order;
// the actions are in RUNNER_ACTIONS below.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { automationExit, driveQuickPick, grantWorkspaceTrust, launchChromium, openVsCode } from './browser.mjs';
import { ROOT, ensureCodeServer, missingSystemPackages } from './install.mjs';
import { startCodeServer } from './server.mjs';

export const TESTS_ENTRY = join(ROOT, 'out', 'test', 'integration', 'index');
export const SAMPLE_WORKSPACE = join(ROOT, 'test', 'fixtures', 'workspace');
export const RESTRICTED_WORKSPACE = join(ROOT, 'test', 'fixtures', 'restricted-workspace');
// A test-only language-model provider (vendors fugu-test and fugu-test-alt), installed beside the extension under test.
export const LM_TEST_EXTENSION = join(ROOT, 'test', 'fixtures', 'lm-test-extension');

/**
 * What a test may ask the runner to do, by `action`; each returns what the test gets back.
 * - `grant-trust`: trust the open folder in the Workspace Trust editor (the Restricted Mode suite).
 * - `quick-pick` {title, check?, type?, press?}: wait for the quick pick with that title, then check
 *   exactly the rows labelled `check` and click OK, or type `type` into its filter, then press `press`;
 *   returns what it showed ({title, rows: [{label, description, separator, checked?}]}).
 * @type {Record<string, (page: import('playwright-core').Page, request: any) => Promise<unknown>>}
 */
export const RUNNER_ACTIONS = {
  'grant-trust': (page) => grantWorkspaceTrust(page),
  'quick-pick': (page, { title, check, type, press }) => {
    if (typeof title !== 'string' || !title) throw new Error('a quick-pick request needs the title of the quick pick to wait for');
    return driveQuickPick(page, { title, check, type, press });
  },
};

// Workbench console messages carry minified stacks; their first lines say what happened.
function firstLines(text, n = 3) {
  return text.replace(/%c|color: #[0-9a-f]+/gi, '').trim().split('\n').slice(0, n).join('\n');
}

/**
 * @param {{env?: Record<string,string>, grep?: string, timeoutMs?: number, headless?: boolean, workspace?: string, restricted?: boolean, log?: (s: string) => void}} [opts]
 * @returns {Promise<number>} the exit code VS Code reported (0 = all passed)
 */
export async function runIntegrationTests(opts = {}) {
  const log = opts.log ?? ((s) => process.stderr.write(s + '\n'));
  const out = (s) => process.stdout.write(s);
  for (const [file, fix] of [
    [join(ROOT, 'dist', 'extension.js'), 'npm run build'],
    [TESTS_ENTRY + '.js', 'npx tsc -p .'],
  ]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run \`${fix}\` first`);
  }
  const missing = missingSystemPackages({ needKrb5: false });
  if (missing.length) throw new Error(`missing Debian package(s): run \`sudo apt-get install -y ${missing.join(' ')}\``);
  ensureCodeServer({ log });

  const timeoutMs = opts.timeoutMs ?? 10 * 60_000;
  const t0 = Date.now();
  const server = await startCodeServer({
    workspace: opts.workspace ?? (opts.restricted ? RESTRICTED_WORKSPACE : SAMPLE_WORKSPACE),
    linkExtension: LM_TEST_EXTENSION,
    workspaceTrust: opts.restricted === true,
  });
  const tStarted = Date.now();
  const resultsFile = join(server.scratch, 'test-results.log');
  writeFileSync(resultsFile, '');
  // What only a person can do, asked for by a test (see the top of this file).
  const requestsFile = join(server.scratch, 'test-requests');
  const repliesFile = join(server.scratch, 'test-replies');
  writeFileSync(requestsFile, '');
  writeFileSync(repliesFile, '');
  let seenRequests = 0;
  let serving = Promise.resolve();
  let browser;
  let printed = 0;
  const serveRequests = () => {
    let lines;
    try {
      lines = readFileSync(requestsFile, 'utf8').split('\n');
    } catch {
      return; // the scratch folder is gone: interrupted
    }
    // The last piece may be a line still being written; only whole lines count.
    const complete = lines.slice(0, -1).filter(Boolean);
    if (!browser || complete.length <= seenRequests) return;
    for (const line of complete.slice(seenRequests)) {
      serving = serving.then(async () => {
        let request;
        let reply;
        try {
          request = JSON.parse(line);
          const act = RUNNER_ACTIONS[request.action];
          if (!act) throw new Error(`unknown action ${JSON.stringify(request.action)}; the runner knows ${Object.keys(RUNNER_ACTIONS).join(', ')}`);
          reply = { id: request.id, result: (await act(browser.page, request)) ?? null };
        } catch (err) {
          reply = { id: request?.id ?? null, error: firstLines(err instanceof Error ? err.message : String(err)) };
          log(`[integration] could not do what a test asked (${line}): ${reply.error}`);
        }
        try {
          appendFileSync(repliesFile, JSON.stringify(reply) + '\n');
        } catch {
          // the scratch folder is gone: interrupted
        }
      });
    }
    seenRequests = complete.length;
  };
  // Tails the reporter's file so test results stream to this terminal while they run.
  const flush = () => {
    let text;
    try {
      text = readFileSync(resultsFile, 'utf8');
    } catch {
      return; // the scratch folder is gone: interrupted
    }
    if (text.length > printed) {
      out(text.slice(printed));
      printed = text.length;
    }
  };
  const ticker = setInterval(() => {
    flush();
    serveRequests();
  }, 200);
  const cleanup = async () => {
    clearInterval(ticker);
    await browser?.close();
    await server.stop();
  };
  let interrupted = false;
  const onSignal = (signal) => {
    interrupted = true;
    log(`\n[integration] ${signal}: stopping code-server and Chromium`);
    cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let code = 1;
  // Failing tests explain themselves; the server log only helps when the run itself broke.
  let showServerLog = true;
  try {
    browser = await launchChromium({ headless: opts.headless ?? true });
    const { page } = browser;
    // Workbench errors (e.g. the extension failing to load) only show in the browser console.
    page.on('console', (msg) => {
      if (msg.type() === 'error' && /extension|activat/i.test(msg.text())) log(`[workbench] ${firstLines(msg.text())}`);
    });
    page.on('pageerror', (err) => log(`[workbench] ${firstLines(err.message)}`));
    const { exited } = await automationExit(page);
    const env = {
      FUGU_TEST_RESULTS: resultsFile,
      FUGU_TEST_COLORS: process.stdout.isTTY ? '1' : '0',
      ...(opts.grep ? { FUGU_TEST_GREP: opts.grep } : {}),
      FUGU_TEST_REQUESTS: requestsFile,
      FUGU_TEST_REPLIES: repliesFile,
      ...(opts.restricted ? { FUGU_TEST_SUITE: 'restricted' } : {}),
      ...opts.env,
    };
    await openVsCode(page, server, {
      folder: server.workspace,
      extensionDevelopmentPath: ROOT,
      extensionTestsPath: TESTS_ENTRY,
      extensionEnvironment: env,
    });
    const tOpened = Date.now();
    let timer;
    const timedOut = new Promise((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs - (Date.now() - t0))));
    const result = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    flush();
    if (result === 'timeout') {
      log(`[integration] no result after ${Math.round(timeoutMs / 1000)} s; giving up`);
    } else {
      code = result;
      showServerLog = printed === 0;
    }
    const took = result === 'timeout' ? 'no result' : `tests done after ${Date.now() - tOpened} ms`;
    log(`[integration] exit ${code}; code-server up in ${tStarted - t0} ms, workbench in ${tOpened - tStarted} ms, ${took} (total ${Date.now() - t0} ms)`);
    if (printed === 0) log('[integration] the extension host wrote no test output: did index.js load? See the server log below.');
  } finally {
    if (showServerLog && !interrupted) {
      const text = existsSync(server.logFile) ? readFileSync(server.logFile, 'utf8') : '(gone)';
      log(`[integration] code-server log (${server.logFile}):\n${text.trim().split('\n').slice(-30).join('\n')}`);
    }
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
  return code;
}

function parseArgs(argv) {
  const opts = { env: {} };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--grep') opts.grep = argv[++i];
    else if (a === '--timeout') opts.timeoutMs = Number(argv[++i]) * 1000;
    else if (a === '--headed') opts.headless = false;
    else if (a === '--restricted') opts.restricted = true;
    else if (a === '--env') {
      const [k, ...v] = argv[++i].split('=');
      opts.env[k] = v.join('=');
    } else throw new Error(`unknown argument ${a}`);
  }
  return opts;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    process.exitCode = await runIntegrationTests(parseArgs(process.argv.slice(2)));
  } catch (err) {
    console.error(`[integration] ${err.message}`);
    process.exitCode = 1;
  }
}
