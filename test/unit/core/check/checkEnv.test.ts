import assert from 'node:assert/strict';
import { checkEnv } from '../../../../src/core/check/checkEnv';
import { parseConfig } from '../../../../src/core/loadConfig';

const config = (pass: string[]) =>
  parseConfig({ workers: [{ id: 'w', provider: 'openai-compatible', model: 'm', role: 'coder', baseUrl: 'http://127.0.0.1:1/v1', apiKeyEnv: 'MY_LLM_KEY' }], verify: { env: { pass } } });

describe("the check's environment", () => {
  const env = {
    PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', NODE_OPTIONS: '--max-old-space-size=4096',
    FUGU_SERVER_TOKEN: 't', FUGU_ANYTHING: 'x', AZURE_OPENAI_API_KEY: 'a', MISTRAL_API_KEY: 'm', OPENROUTER_API_KEY: 'o',
    AWS_SECRET_ACCESS_KEY: 's', GITHUB_TOKEN: 'g', npm_config__auth_token: 'n', DB_PASSWORD: 'p', APP_SECRET: 'c',
    MY_LLM_KEY: 'k', OPENAI_API_KEY: 'sk', NPM_TOKEN: 'keep-me', GIT_DIR: '/home/u/repo/.git', GIT_INDEX_FILE: '/home/u/repo/.git/index',
  };

  it('drops every secret-looking variable, FUGU_*, the configured key variables and git\'s location variables; keeps the rest', () => {
    const out = checkEnv(env, config([]));
    assert.deepEqual(Object.keys(out).sort(), ['HOME', 'LANG', 'NODE_OPTIONS', 'PATH']);
  });

  it('verify.env.pass keeps a listed variable, but never a provider key', () => {
    const out = checkEnv(env, config(['NPM_TOKEN', 'MY_LLM_KEY', 'OPENAI_API_KEY']));
    assert.equal(out.NPM_TOKEN, 'keep-me');
    assert.equal(out.MY_LLM_KEY, undefined);
    assert.equal(out.OPENAI_API_KEY, undefined);
    assert.equal(out.GITHUB_TOKEN, undefined);
  });
});
