import assert from 'node:assert/strict';
import { formatAge, formatMs, formatTokens, formatUsd } from '../../../src/core/format';

describe('number formats (one rule for the panel, the status bar, the progress notification and the CLI)', () => {
  it('writes tokens exactly below 1,000, with one decimal of k below 100k, whole k below a million, then M', () => {
    assert.equal(formatTokens(0), '0');
    assert.equal(formatTokens(620), '620');
    assert.equal(formatTokens(999), '999');
    assert.equal(formatTokens(1000), '1k');
    assert.equal(formatTokens(1800), '1.8k');
    assert.equal(formatTokens(8000), '8k', 'a limit of 8,000 reads like the 11.9k used against it');
    assert.equal(formatTokens(11_870), '11.9k');
    assert.equal(formatTokens(12_345), '12.3k', 'the count the status bar used to show as 12k');
    assert.equal(formatTokens(99_949), '99.9k');
    assert.equal(formatTokens(99_950), '100k', 'no "100.0k"');
    assert.equal(formatTokens(123_456), '123k');
    assert.equal(formatTokens(400_000), '400k');
    assert.equal(formatTokens(999_499), '999k');
    assert.equal(formatTokens(999_500), '1M', 'no "1000k"');
    assert.equal(formatTokens(1_234_567), '1.2M');
    assert.equal(formatTokens(250_000_000), '250M');
  });

  it('shows a cost just over a small budget with enough digits to see that it is over', () => {
    assert.equal(formatUsd(0.0542), '$0.054');
    assert.equal(formatUsd(0.05), '$0.05');
    assert.equal(formatUsd(0.0025), '$0.0025');
    assert.equal(formatUsd(0.00123), '$0.0012');
    assert.equal(formatUsd(0), '$0');
    assert.equal(formatUsd(0.5), '$0.50');
    assert.equal(formatUsd(2), '$2.00');
  });

  it('formats durations', () => {
    assert.equal(formatMs(420), '420 ms');
    assert.equal(formatMs(6100), '6.1 s');
    assert.equal(formatMs(94_000), '1 min 34 s');
  });

  it('says how long ago a run began, then its date', () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const ago = (ms: number) => formatAge(new Date(now - ms).toISOString(), now);
    assert.equal(ago(20_000), 'just now');
    assert.equal(ago(3 * 60_000 + 5000), '3 min ago');
    assert.equal(ago(2 * 3_600_000), '2 h ago');
    assert.equal(ago(30 * 3_600_000), 'yesterday');
    assert.equal(ago(5 * 86_400_000), '5 days ago');
    assert.equal(ago(45 * 86_400_000), '2026-10-17');
    assert.equal(formatAge('not a date', now), '');
  });
});
