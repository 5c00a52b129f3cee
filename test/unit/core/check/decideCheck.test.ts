import assert from 'node:assert/strict';
import { decideCheck, type CheckDecision } from '../../../../src/core/check/decideCheck';
import { toCommand } from '../../../../src/core/check/types';

function decision(over: Partial<CheckDecision>, remembered: Record<string, 'run' | 'never'> = {}) {
  let resolved = 0;
  const d: CheckDecision = {
    mode: 'ask', trusted: true,
    remembered: (command) => remembered[command],
    resolve: async () => (resolved++, { command: toCommand(['npm', 'test', '--silent']), timeoutMs: 1, maxOutputBytes: 1024, env: {}, detected: 'package.json has a test script' }),
    ...over,
  };
  return { d, resolved: () => resolved };
}

describe('decideCheck', () => {
  it('an untrusted workspace never runs a check, in any mode, and nothing is asked or even detected', async () => {
    for (const mode of ['ask', 'on'] as const) {
      const t = decision({ mode, trusted: false }, { 'npm test --silent': 'run' });
      const r = await decideCheck(t.d);
      assert.ok('skipped' in r && /not trusted/.test(r.skipped));
      assert.equal(t.resolved(), 0);
    }
  });

  it('ask mode with nothing remembered asks about the command (the caller does not wait for the answer)', async () => {
    const r = await decideCheck(decision({}).d);
    assert.ok('ask' in r);
    assert.equal(r.ask.command.display, 'npm test --silent');
    assert.equal(r.ask.detected, 'package.json has a test script');
  });

  it('an answer is remembered per command: "run" and "never" stand for that command, another command is asked again', async () => {
    const run = await decideCheck(decision({}, { 'npm test --silent': 'run' }).d);
    assert.ok('command' in run && !('ask' in run));
    const never = await decideCheck(decision({}, { 'npm test --silent': 'never' }).d);
    assert.ok('skipped' in never && /never/.test(never.skipped));
    const changed = await decideCheck(decision({}, { 'npm test': 'never', 'make check': 'run' }).d);
    assert.ok('ask' in changed, 'the detected command changed: asked again');
  });

  it('mode on runs without asking; mode off never resolves a command', async () => {
    const on = await decideCheck(decision({ mode: 'on' }).d);
    assert.ok('command' in on && !('ask' in on));
    const off = decision({ mode: 'off' });
    assert.ok('skipped' in (await decideCheck(off.d)));
    assert.equal(off.resolved(), 0);
  });
});
