import assert from 'node:assert/strict';
import { decideCheck, type CheckDecision, type VerifyAnswer } from '../../../../src/core/check/decideCheck';
import { toCommand } from '../../../../src/core/check/types';

function decision(over: Partial<CheckDecision>, answers: VerifyAnswer[] = []) {
  const asked: string[] = [];
  const remembered: string[] = [];
  let resolved = 0;
  const d: CheckDecision = {
    mode: 'ask', trusted: true, remembered: undefined,
    resolve: async () => (resolved++, { command: toCommand(['npm', 'test', '--silent']), timeoutMs: 1, maxOutputBytes: 1024, env: {}, detected: 'package.json has a test script' }),
    ask: async (cmd) => (asked.push(cmd), answers.shift()),
    remember: async (a) => void remembered.push(a),
    ...over,
  };
  return { d, asked, remembered, resolved: () => resolved };
}

describe('decideCheck', () => {
  it('an untrusted workspace never runs a check, in any mode, and nothing is asked or even detected', async () => {
    for (const mode of ['ask', 'on'] as const) {
      const t = decision({ mode, trusted: false, remembered: 'run' }, ['run']);
      const r = await decideCheck(t.d);
      assert.ok('skipped' in r && /not trusted/.test(r.skipped));
      assert.deepEqual(t.asked, []);
      assert.equal(t.resolved(), 0);
    }
  });

  it('ask mode shows the command once; "Run checks" is remembered for the workspace', async () => {
    const t = decision({}, ['run']);
    const first = await decideCheck(t.d);
    assert.ok('command' in first);
    assert.deepEqual(t.asked, ['npm test --silent']);
    assert.deepEqual(t.remembered, ['run']);
    const again = decision({ remembered: 'run' });
    assert.ok('command' in (await decideCheck(again.d)));
    assert.deepEqual(again.asked, [], 'asked once');
  });

  it('"Never for this workspace" is remembered; "Not now" is asked again next time', async () => {
    const never = decision({}, ['never']);
    assert.ok('skipped' in (await decideCheck(never.d)));
    assert.deepEqual(never.remembered, ['never']);
    const later = decision({ remembered: 'never' });
    assert.ok('skipped' in (await decideCheck(later.d)));
    assert.deepEqual(later.asked, []);
    const notNow = decision({}, ['not-now']);
    const r = await decideCheck(notNow.d);
    assert.ok('skipped' in r && /not to run checks this time/.test(r.skipped));
    assert.deepEqual(notNow.remembered, []);
  });

  it('mode on runs without asking; mode off never resolves a command', async () => {
    const on = decision({ mode: 'on' });
    assert.ok('command' in (await decideCheck(on.d)));
    assert.deepEqual(on.asked, []);
    const off = decision({ mode: 'off' });
    assert.ok('skipped' in (await decideCheck(off.d)));
    assert.equal(off.resolved(), 0);
  });
});
