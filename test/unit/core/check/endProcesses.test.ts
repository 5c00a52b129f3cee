import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { killMarked } from '../../../../src/core/check/endProcesses';
import { processAppears, processGone } from '../../../support/sampleWorkspace';

describe('killMarked', () => {
  const started: ChildProcess[] = [];
  afterEach(() => {
    for (const c of started.splice(0)) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  });
  const hang = (token: string, env: NodeJS.ProcessEnv) => {
    // setsid: in a session of its own, out of reach of any group kill, as a terminal's shell is.
    const child = spawn('setsid', [process.execPath, '-e', 'setInterval(() => {}, 1000)', token], { env: { ...process.env, ...env }, stdio: 'ignore' });
    started.push(child);
    return child;
  };

  it('ends, synchronously, the processes whose environment holds the mark, and no other', async () => {
    const token = `fugu-mark-${process.pid}-${Date.now()}`;
    hang(`${token}-a`, { FUGU_TEST_MARK: token });
    hang(`${token}-b`, { FUGU_TEST_MARK: `${token}-other` });
    const [marked] = await processAppears(`${token}-a`);
    const [other] = await processAppears(`${token}-b`);
    assert.ok(marked && other, 'both started');
    assert.deepEqual(killMarked('FUGU_TEST_MARK', token), [marked]);
    assert.ok(await processGone(marked), 'the marked process is gone');
    assert.ok(!(await processGone(other, 200)), 'a process with another value of the mark runs on');
    assert.deepEqual(killMarked('FUGU_TEST_MARK', token), [], 'nothing is left to end');
  });
});
