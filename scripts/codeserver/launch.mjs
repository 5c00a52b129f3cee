// The code-server toolkit in one import, and `npm start`: build the extension, then open it in a real
// VS Code (code-server on 127.0.0.1) on a scratch copy of the sample workspace until Ctrl-C.
//
//   node scripts/codeserver/launch.mjs [--port N] [--workspace DIR] [--no-build] [--demo]
//   (--demo: fake providers answer, so it works without keys)
//
// For browser tests:
//   const server = await startCodeServer({ workspace: SAMPLE_WORKSPACE });
//   const { page, close } = await launchChromium();
//   await openVsCode(page, server, { folder: server.workspace, extensionDevelopmentPath: ROOT });
//   await runCommand(page, 'Fugu: Show Trace');
//   await webviewFrame(page).locator('button').click();
//   await page.screenshot({ path: 'trace.png' });
//   await close(); await server.stop();
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { ROOT, ensureCodeServer } from './install.mjs';
import { SAMPLE_WORKSPACE } from './run-tests.mjs';
import { startCodeServer } from './server.mjs';
import { startDemoFakes } from './demo.mjs';

export { ROOT, ensureCodeServer } from './install.mjs';
export { freePort, startCodeServer } from './server.mjs';
export { automationExit, driveQuickPick, launchChromium, openFile, openVsCode, runCommand, webviewFrame, workbenchUrl } from './browser.mjs';
export { SAMPLE_WORKSPACE, TESTS_ENTRY, runIntegrationTests } from './run-tests.mjs';
export { DEMO_TASK, openDemo, startDemoFakes, TEST_OUTPUT, withDemoWorkbench } from './demo.mjs';

async function main(argv) {
  const opts = { build: true, workspace: SAMPLE_WORKSPACE };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--port') opts.port = Number(argv[++i]);
    else if (argv[i] === '--workspace') opts.workspace = argv[++i];
    else if (argv[i] === '--no-build') opts.build = false;
    else if (argv[i] === '--demo') opts.demo = true;
    else throw new Error(`unknown argument ${argv[i]}`);
  }
  if (opts.build) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: ROOT, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the build failed (see above)');
  }
  ensureCodeServer();
  const demo = opts.demo ? await startDemoFakes() : null;
  // A person is at the keyboard: no test driver (it hides notifications); the repo is linked as an
  // installed extension instead of loaded through the test driver's payload.
  const server = await startCodeServer({ workspace: opts.workspace, port: opts.port, testDriver: false, linkExtension: ROOT, env: demo?.env });
  if (demo) demo.configure(server.workspace);
  const url = `${server.url}/?folder=${encodeURIComponent(server.workspace)}`;
  console.log(`Fugu is running in VS Code (code-server ${server.url}), workspace ${server.workspace}`);
  console.log(`Open: ${url}`);
  console.log('Reload the window (Developer: Reload Window) after `npm run build` to pick up changes. Ctrl-C stops.');
  await new Promise((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await server.stop();
  await demo?.fakes.close();
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(`[start] ${err.message}`);
    process.exit(1);
  });
}
