import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_EXCLUDES } from '../../../../src/core/context/defaultExcludes';
import { ConfigError, parseConfig } from '../../../../src/core/loadConfig';

const coder = { id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' };
const props = JSON.parse(readFileSync(join(__dirname, '../../../../../package.json'), 'utf8')).contributes.configuration.properties;

describe('context settings', () => {
  it('a config file without context gets the same defaults the extension declares', () => {
    const c = parseConfig({ workers: [coder] }).context!;
    assert.deepEqual(c, { maxChars: 60_000, exclude: DEFAULT_EXCLUDES, maxFileBytes: 1_000_000, embeddings: 'off' });
    assert.equal(props['fugu.context.maxChars'].default, c.maxChars);
    assert.equal(props['fugu.context.embeddings'].default, c.embeddings);
    assert.deepEqual(props['fugu.context.embeddings'].enum, ['off', 'openai', 'gemini']);
    assert.deepEqual(props['fugu.context.exclude'].default, c.exclude);
    assert.equal(props['fugu.context.maxFileBytes'].default, c.maxFileBytes);
  });

  it('takes context.* from a config file and rejects a bad value with where it is', () => {
    const c = parseConfig({ workers: [coder], context: { maxChars: 1000, exclude: ['dist'] } }).context!;
    assert.deepEqual(c, { maxChars: 1000, exclude: ['dist'], maxFileBytes: 1_000_000, embeddings: 'off' });
    const e = parseConfig({ workers: [coder], context: { embeddings: 'openai', embeddingsModel: 'text-embedding-3-large' } }).context!;
    assert.equal(e.embeddings, 'openai');
    assert.equal(e.embeddingsModel, 'text-embedding-3-large');
    assert.throws(() => parseConfig({ workers: [coder], context: { embeddings: 'cohere' } }), (e: unknown) => e instanceof ConfigError && /context\.embeddings/.test(e.message) && /off, openai, gemini/.test(e.message));
    assert.throws(() => parseConfig({ workers: [coder], context: { maxChars: -1 } }), (e: unknown) => e instanceof ConfigError && /context\.maxChars/.test(e.message));
    assert.throws(() => parseConfig({ workers: [coder], context: { exclude: 'dist' } }), (e: unknown) => e instanceof ConfigError && /context\.exclude/.test(e.message));
  });
});
