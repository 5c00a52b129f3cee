import assert from 'node:assert/strict';
import { canonicalJson, FailureMemo, isLasting } from '../../../../src/cli/serve/failureMemo';

describe('fugu serve: the memory of failed requests', () => {
  it('keys a request by its content, whatever the order of its keys', () => {
    const a = { model: 'fugu', input: [{ role: 'user', content: 'x' }], client_metadata: { a: 1, b: [2, { c: 3, d: 4 }] } };
    const b = { client_metadata: { b: [2, { d: 4, c: 3 }], a: 1 }, input: [{ content: 'x', role: 'user' }], model: 'fugu' };
    assert.equal(canonicalJson(a), canonicalJson(b));
    assert.equal(FailureMemo.key('/v1/responses', a), FailureMemo.key('/v1/responses', b));
    assert.notEqual(FailureMemo.key('/v1/responses', a), FailureMemo.key('/v1/chat/completions', a), 'the route is part of the key');
    assert.notEqual(canonicalJson({ input: ['x', 'y'] }), canonicalJson({ input: ['y', 'x'] }), 'order within a list matters');
  });

  it('keeps a failure for its seconds, then forgets it; 0 keeps nothing', () => {
    let now = 1_000;
    const memo = new FailureMemo(120, 10, () => now);
    memo.remember('k', { status: 402, body: { error: 'over' }, headers: {} });
    assert.equal(memo.recall('k')?.status, 402);
    now += 119_000;
    assert.equal(memo.size, 1);
    now += 2_000;
    assert.equal(memo.size, 0);
    assert.equal(memo.recall('k'), undefined);
    const off = new FailureMemo(0);
    off.remember('k', { status: 402, body: {}, headers: {} });
    assert.equal(off.recall('k'), undefined);
  });

  it('holds at most its capacity, the oldest going first', () => {
    const memo = new FailureMemo(120, 2);
    for (const k of ['a', 'b', 'c']) memo.remember(k, { status: 500, body: k, headers: {} });
    assert.equal(memo.recall('a'), undefined);
    assert.equal(memo.recall('c')?.body, 'c');
  });

  it('remembers only what a retry cannot fix', () => {
    for (const k of ['budget', 'auth', 'bad_request', 'policy', 'provider', 'internal'] as const) assert.equal(isLasting(k), true, k);
    for (const k of ['rate_limit', 'timeout', 'network', 'cancelled', null] as const) assert.equal(isLasting(k), false, String(k));
  });
});
