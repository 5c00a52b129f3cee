import assert from 'node:assert/strict';
import { parseArms, unpricedModels } from '../../../../src/core/eval/arms';
import { configWith, worker } from '../../../support/pool';

// Priced workers (the price table knows gpt-5 and claude-sonnet-4), one the table does not know.
const pool = () => [
  worker('gpt', 'coder', { model: 'gpt-5' }),
  worker('claude', 'planner', { model: 'claude-sonnet-4' }),
  worker('local', 'planner', { model: 'my-local-llama' }),
];
const unpriced = (arm: string, extra = {}) => {
  const config = configWith(pool(), { policy: { backend: 'builtin', timeoutMs: 1000, baseUrl: 'http://127.0.0.1:9/v1', model: 'fugu-ultra' }, ...extra });
  return unpricedModels(parseArms(arm, config)[0], config);
};

describe('eval arms: models whose cost would count as $0', () => {
  it('a policy arm names every worker of the pool without a price', () => {
    assert.deepEqual(unpriced('builtin'), ['my-local-llama']);
  });

  it('a single arm names only its own worker', () => {
    assert.deepEqual(unpriced('single:gpt'), []);
    assert.deepEqual(unpriced('single:local'), ['my-local-llama']);
  });

  it('the fugu arm names the hosted model, and the conductor arm its endpoint model, until the config prices them', () => {
    assert.deepEqual(unpriced('fugu'), ['my-local-llama', 'fugu-ultra']);
    assert.deepEqual(unpriced('conductor'), ['my-local-llama', 'fugu-ultra']);
    const prices = { 'fugu-ultra': { input: 1, output: 2 }, 'my-local-llama': { input: 0, output: 0 } };
    assert.deepEqual(unpriced('fugu', { prices }), []);
  });

  it('a worker billed by a subscription (VS Code language models) is not unpriced', () => {
    const config = configWith([{ id: 'copilot', provider: 'vscode-lm', model: 'some-copilot-family', role: 'coder' }]);
    assert.deepEqual(unpricedModels(parseArms('single:copilot', config)[0], config), []);
  });
});

describe('eval arms: workflow:<candidate>', () => {
  const config = () => configWith(pool());

  it('names one of the learned policy`s candidates, commas inside its label included; workflow:* names them all', () => {
    const arms = parseArms('single:gpt,workflow:planned(claude,local→gpt),workflow:single(gpt)', config());
    assert.deepEqual(arms.map((a) => a.name), ['single:gpt', 'workflow:planned(claude,local→gpt)', 'workflow:single(gpt)']);
    assert.deepEqual(arms[1], { name: 'workflow:planned(claude,local→gpt)', kind: 'workflow', candidate: 'planned(claude,local→gpt)' });
    const all = parseArms('workflow:*', config()).map((a) => a.name);
    assert.ok(all.includes('workflow:single(gpt)') && all.includes('workflow:planned(claude→gpt)') && all.includes('workflow:answer(gpt)'), all.join(' '));
    assert.equal(new Set(all).size, all.length);
    const coding = parseArms('workflow:*', config(), ['coding']).map((a) => a.name);
    assert.ok(coding.length > 0 && coding.every((a) => /^workflow:(single|planned)\(/.test(a)), 'a suite of coding tasks gets the coding candidates only');
  });

  it('refuses a label that is not a candidate of the pool, listing those that are', () => {
    assert.throws(() => parseArms('workflow:single(claude)', config()), /the workflow "single\(claude\)", which is not a candidate of this pool \(.*single\(gpt\)/);
    assert.throws(() => parseArms('workflow:', config()), /not a candidate/);
  });
});
