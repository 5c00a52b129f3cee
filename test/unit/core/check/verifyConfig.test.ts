import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VERIFY_DEFAULTS } from '../../../../src/core/check/types';
import { ConfigError, parseConfig } from '../../../../src/core/loadConfig';

const workers = [{ id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' }];

describe('the verify section of the configuration', () => {
  it('defaults: mode ask, 300 s timeout, 64 KiB of output, command detected, a sandbox where one can start, network on, tests not protected', () => {
    const defaults = { mode: 'ask', timeoutMs: 300_000, maxOutputBytes: 65_536, sandbox: 'auto', network: true, env: { pass: [] }, copyIgnored: [], protect: false };
    assert.deepEqual(parseConfig({ workers, verify: {} }).verify, defaults);
    // An absent section stands for the same defaults (hand-built configs need not spell it out).
    assert.equal(parseConfig({ workers }).verify, undefined);
    assert.deepEqual(VERIFY_DEFAULTS, defaults);
  });

  it('takes a command line or an argv array', () => {
    assert.equal(parseConfig({ workers, verify: { command: 'npm test', mode: 'on' } }).verify?.command, 'npm test');
    assert.deepEqual(parseConfig({ workers, verify: { command: ['pytest', '-x'] } }).verify?.command, ['pytest', '-x']);
  });

  it('refuses a bad mode and an empty argv with a sentence that says where', () => {
    assert.throws(() => parseConfig({ workers, verify: { mode: 'always' } }), (e: Error) => e instanceof ConfigError && /verify\.mode/.test(e.message));
    assert.throws(() => parseConfig({ workers, verify: { command: [] } }), (e: Error) => e instanceof ConfigError && /verify\.command/.test(e.message));
  });

  it('refuses an unknown sandbox choice and a pass list that is not a list of names', () => {
    assert.throws(() => parseConfig({ workers, verify: { sandbox: 'docker' } }), (e: Error) => e instanceof ConfigError && /verify\.sandbox/.test(e.message));
    assert.throws(() => parseConfig({ workers, verify: { env: { pass: 'NPM_TOKEN' } } }), (e: Error) => e instanceof ConfigError && /verify\.env\.pass/.test(e.message));
    assert.deepEqual(parseConfig({ workers, verify: { env: { pass: ['NPM_TOKEN'] }, copyIgnored: ['.env'] } }).verify?.env.pass, ['NPM_TOKEN']);
  });

  it('every verify setting in package.json is a key of the section', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../../../../package.json'), 'utf8'));
    const keys = Object.keys(pkg.contributes.configuration.properties ?? pkg.contributes.configuration[0].properties).filter((k) => k.startsWith('fugu.verify.'));
    assert.deepEqual(keys.map((k) => k.slice('fugu.verify.'.length)).sort(), ['command', 'copyIgnored', 'env', 'maxOutputBytes', 'mode', 'network', 'protect', 'sandbox', 'timeoutMs']);
  });
});
