import assert from 'node:assert/strict';
import { extraUsageItems, formatMs, formatTokens, formatUsd } from '../../../../media/webview/format';

describe('trace panel number formats', () => {
  it('shows a cost just over a small budget with enough digits to see that it is over', () => {
    assert.equal(formatUsd(0.0542), '$0.054');
    assert.equal(formatUsd(0.05), '$0.05');
    assert.equal(formatUsd(0.0025), '$0.0025');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(2), '$2.00');
  });

  it('writes tokens in one style for steps, totals and limits', () => {
    assert.equal(formatTokens(620), '620');
    assert.equal(formatTokens(1800), '1.8k');
    assert.equal(formatTokens(8000), '8k', 'a limit of 8,000 reads like the 11.9k used against it');
    assert.equal(formatTokens(11_870), '11.9k');
    assert.equal(formatTokens(400_000), '400k');
  });

  it('formats durations', () => {
    assert.equal(formatMs(420), '420 ms');
    assert.equal(formatMs(6100), '6.1 s');
    assert.equal(formatMs(94_000), '1 min 34 s');
  });

  it('names extra usage counters readably, nested ones by their last part', () => {
    assert.deepEqual(extraUsageItems({ orchestration_tokens: 48210, 'completion_tokens_details.reasoning_tokens': 12900 }), [
      { label: 'orchestration tokens', value: '48,210' },
      { label: 'reasoning tokens', value: '12,900' },
    ]);
    assert.deepEqual(extraUsageItems(undefined), []);
  });
});
