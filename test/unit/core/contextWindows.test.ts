import assert from 'node:assert/strict';
import { contextWindowOf } from '../../../src/core/contextWindows';

describe('context windows of known models', () => {
  it('a model finds the longest family it starts with: snapshots and variants included', () => {
    assert.equal(contextWindowOf('gpt-5'), 272_000);
    assert.equal(contextWindowOf('gpt-5-mini'), 272_000);
    assert.equal(contextWindowOf('gpt-4o-mini'), 128_000);
    assert.equal(contextWindowOf('gpt-4.1-nano'), 1_047_576);
    assert.equal(contextWindowOf('claude-sonnet-4-5-20250929'), 200_000);
    assert.equal(contextWindowOf('gemini-2.5-flash-lite'), 1_048_576);
    assert.equal(contextWindowOf('o4-mini-2025-04-16'), 200_000);
  });

  it('an unknown model, or a name that only contains a known one, has no window', () => {
    assert.equal(contextWindowOf('qwen3-coder-30b'), undefined);
    assert.equal(contextWindowOf('my-gpt-5'), undefined);
    assert.equal(contextWindowOf(''), undefined);
  });
});
