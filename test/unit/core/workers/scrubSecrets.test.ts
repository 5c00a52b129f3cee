import assert from 'node:assert/strict';
import { scrubSecrets } from '../../../../src/core/workers/scrubSecrets';

describe('scrubSecrets', () => {
  it('removes the exact key wherever it appears', () => {
    assert.equal(scrubSecrets('bad key my-custom-key-42 given; my-custom-key-42 again', 'my-custom-key-42'), 'bad key *** given; *** again');
  });

  it('removes things shaped like provider keys even when the key is unknown', () => {
    const out = scrubSecrets('Incorrect API key provided: sk-proj-abcdefghijklmnop. Google: AIzaSyA1234567890abcdefghijklmnop');
    assert.equal(out, 'Incorrect API key provided: ***. Google: ***');
  });

  it('removes bearer tokens, key query parameters and key headers, keeping their names', () => {
    assert.equal(scrubSecrets('Authorization: Bearer abc.def'), 'Authorization: Bearer ***');
    assert.equal(scrubSecrets('GET /v1beta/models?alt=sse&key=xyz123&x=1'), 'GET /v1beta/models?alt=sse&key=***&x=1');
    assert.equal(scrubSecrets('{"x-api-key": "hunter2"}'), '{"x-api-key": "***"}');
  });

  it('leaves ordinary text alone and ignores very short keys', () => {
    assert.equal(scrubSecrets('The server had an error.', 'abc'), 'The server had an error.');
  });
});
