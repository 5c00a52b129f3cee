import assert from 'node:assert/strict';
import { backoffMs, retryAfterFromGoogleBody, retryAfterFromHeaders } from '../../../../src/core/workers/retryDelay';

const headers = (h: Record<string, string>) => (n: string) => h[n];

describe('retry delay', () => {
  it('reads retry-after in seconds, with fractions', () => {
    assert.equal(retryAfterFromHeaders(headers({ 'retry-after': '2' })), 2000);
    assert.equal(retryAfterFromHeaders(headers({ 'retry-after': '0.25' })), 250);
  });

  it('reads retry-after as an HTTP date relative to now', () => {
    const now = Date.parse('Wed, 21 Oct 2026 07:28:00 GMT');
    assert.equal(retryAfterFromHeaders(headers({ 'retry-after': 'Wed, 21 Oct 2026 07:28:05 GMT' }), now), 5000);
    assert.equal(retryAfterFromHeaders(headers({ 'retry-after': 'Wed, 21 Oct 2026 07:27:00 GMT' }), now), 0, 'a date in the past means now');
  });

  it('prefers retry-after-ms and ignores garbage', () => {
    assert.equal(retryAfterFromHeaders(headers({ 'retry-after-ms': '120', 'retry-after': '9' })), 120);
    assert.equal(retryAfterFromHeaders(headers({ 'retry-after': 'soon' })), undefined);
    assert.equal(retryAfterFromHeaders(headers({})), undefined);
  });

  it("reads Gemini's RetryInfo from an error body", () => {
    const body = JSON.stringify({ error: { code: 429, details: [{ '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '37s' }] } });
    assert.equal(retryAfterFromGoogleBody(body), 37000);
    assert.equal(retryAfterFromGoogleBody('{"retryDelay": "1.5s"}'), 1500);
    assert.equal(retryAfterFromGoogleBody('{}'), undefined);
  });

  it('backs off exponentially with ±20% jitter', () => {
    assert.equal(backoffMs(1, 500, () => 0.5), 500);
    assert.equal(backoffMs(3, 500, () => 0.5), 2000);
    assert.equal(backoffMs(2, 500, () => 0), 800);
    assert.equal(backoffMs(2, 500, () => 1), 1200);
  });
});
