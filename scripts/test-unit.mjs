// `npm run test:unit [-- --under-load] [-- --no-build] [-- <mocha arguments>]`: build and compile,
// then the unit tests in Node (mocha, .mocharc.json), with a temp folder of their own as TMPDIR.
// Test files named after the options (`out/test/unit/core/budgetAdmission.test.js`) run alone.
//
// --under-load keeps two CPU-bound processes running beside the suite the whole time, as on a busy
// 2-core CI machine: a test that needs a quiet machine (a wall-clock bound too tight, a shared temp
// folder) fails here first. Prints how long the suite took.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const argv = process.argv.slice(2);
const underLoad = argv.includes('--under-load');
const build = !argv.includes('--no-build');
const passed = argv.filter((a) => a !== '--under-load' && a !== '--no-build');
// Mocha adds spec files named on the command line to the config's spec (every test). Named files run
// alone: the config's other settings are passed as options and the config itself is left out.
const named = passed.some((a) => !a.startsWith('-') && /\.(c|m)?js$/.test(a));
const config = JSON.parse(readFileSync('.mocharc.json', 'utf8'));
const mochaArgs = named
  ? ['--no-config', '--timeout', String(config.timeout), ...(config['enable-source-maps'] ? ['--enable-source-maps'] : []), ...passed]
  : passed;

function step(name, args) {
  const r = spawnSync(process.execPath, args, { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`test:unit: ${name} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status || 1);
  }
}
if (build) {
  step('build', ['scripts/build.mjs']);
  step('compile', ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json']);
}

// Busy loops that never yield, one per core the CI machine has.
const load = underLoad ? [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' })) : [];
const stopLoad = () => {
  for (const p of load) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
};
process.on('exit', stopLoad);
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => process.exit(130));
if (underLoad) console.error(`test:unit: two CPU-bound processes (pids ${load.map((p) => p.pid).join(', ')}) run beside the suite`);

const tmp = mkdtempSync(join(os.tmpdir(), 'fugu-unit-'));
const started = Date.now();
const mocha = spawn(process.execPath, ['node_modules/mocha/bin/mocha.js', ...mochaArgs], { stdio: 'inherit', env: { ...process.env, TMPDIR: tmp } });
mocha.on('close', (code, signal) => {
  stopLoad();
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  // Tests clean up after themselves: anything left in the suite's temp folder fails it, named.
  const left = readdirSync(tmp);
  if (left.length) console.error(`test:unit: the suite left ${left.length === 1 ? '1 entry' : `${left.length} entries`} in its temp folder: ${left.slice(0, 10).join(', ')}${left.length > 10 ? ', …' : ''}`);
  rmSync(tmp, { recursive: true, force: true });
  const status = code !== 0 || signal ? code || 1 : left.length ? 1 : 0;
  console.error(`test:unit: ${status === 0 ? 'passed' : 'failed'} in ${seconds} s${underLoad ? ' under load (two CPU-bound processes beside it)' : ''}`);
  process.exit(status);
});
