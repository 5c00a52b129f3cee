import assert from 'node:assert/strict';
import { extraUsageItems } from '../../../../media/webview/format';

describe('trace panel number formats', () => {
  it('names extra usage counters readably, nested ones by their last part', () => {
    assert.deepEqual(extraUsageItems({ orchestration_tokens: 48210, 'completion_tokens_details.reasoning_tokens': 12900 }), [
      { label: 'orchestration tokens', value: '48,210' },
      { label: 'reasoning tokens', value: '12,900' },
    ]);
    assert.deepEqual(extraUsageItems(undefined), []);
  });
});
