import assert from 'node:assert/strict';
import { closestName, editDistance } from '../../../src/core/closestName';

describe('closestName', () => {
  const keys = ['id', 'provider', 'model', 'baseUrl', 'apiKeyEnv', 'role', 'timeoutMs', 'maxOutputTokens'];

  it('finds the setting a typo meant, whatever its case', () => {
    assert.equal(closestName('timeoutMS', keys), 'timeoutMs');
    assert.equal(closestName('baseURL', keys), 'baseUrl');
    assert.equal(closestName('modle', keys), 'model');
    assert.equal(closestName('maxOutputToken', keys), 'maxOutputTokens');
  });

  it('offers nothing for a word that is not near any setting', () => {
    assert.equal(closestName('temperature', keys), undefined);
    assert.equal(closestName('colour', keys), undefined);
    assert.equal(closestName('x', []), undefined);
  });

  it('counts insertions, deletions and substitutions', () => {
    assert.equal(editDistance('kitten', 'sitting'), 3);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('Role', 'role'), 0);
  });
});
