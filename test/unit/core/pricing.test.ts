import assert from 'node:assert/strict';
import { costUsd, isPriceKnown, lookupPrice, PRICE_TABLE } from '../../../src/core/pricing';

describe('pricing', () => {
  it('prices a known model by exact name', () => {
    assert.deepEqual(lookupPrice('gpt-5'), { price: { input: 1.25, output: 10 }, known: true, source: 'table', matched: 'gpt-5' });
  });

  it('prices dated and tagged names by the longest known prefix', () => {
    assert.equal(lookupPrice('claude-sonnet-4-5-20250929').matched, 'claude-sonnet-4-5');
    assert.equal(lookupPrice('claude-opus-4-5-20251101').price.input, 5, 'Opus 4.5 is not priced as Opus 4');
    assert.equal(lookupPrice('claude-opus-4-20250514').matched, 'claude-opus-4');
    assert.equal(lookupPrice('gpt-5-mini-2025-08-07').matched, 'gpt-5-mini');
    assert.equal(lookupPrice('gpt-4o-mini-2024-07-18').matched, 'gpt-4o-mini');
    assert.equal(lookupPrice('models/gemini-2.5-flash').matched, 'gemini-2.5-flash');
    assert.equal(lookupPrice('openai/gpt-4.1').matched, 'gpt-4.1');
  });

  it('only matches a prefix at a separator', () => {
    assert.equal(lookupPrice('gpt-50').known, false);
    assert.equal(lookupPrice('gpt-4.1-mini').matched, 'gpt-4.1-mini');
  });

  it('lets config prices and then a worker price override the table', () => {
    const prices = { 'gpt-5': { input: 1, output: 2 } };
    assert.deepEqual(lookupPrice('gpt-5-2025-08-07', { prices }), { price: { input: 1, output: 2 }, known: true, source: 'config', matched: 'gpt-5' });
    assert.equal(lookupPrice('gpt-5', { prices, workerPrice: { input: 9, output: 9 } }).source, 'worker');
    assert.equal(lookupPrice('qwen2.5-coder:7b', { prices: { 'qwen2.5-coder': { input: 0, output: 0 } } }).known, true);
  });

  it('treats unknown models as free but flags them', () => {
    assert.deepEqual(lookupPrice('llama3.1:8b'), { price: { input: 0, output: 0 }, known: false, source: 'unknown' });
    assert.equal(isPriceKnown('llama3.1:8b'), false);
    assert.equal(isPriceKnown('gemini-2.5-pro'), true);
  });

  it('computes cost per million tokens', () => {
    assert.equal(costUsd({ inputTokens: 1_000_000, outputTokens: 0 }, PRICE_TABLE['claude-sonnet-4']), 3);
    assert.ok(Math.abs(costUsd({ inputTokens: 12_000, outputTokens: 3_000 }, PRICE_TABLE['gemini-2.5-pro']) - 0.045) < 1e-12);
  });
});
