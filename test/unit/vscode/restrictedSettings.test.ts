import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Restricted Mode: VS Code ignores an untrusted workspace's values of the settings package.json lists
// in capabilities.untrustedWorkspaces.restrictedConfigurations. A misspelt name there restricts nothing.

const manifest = JSON.parse(readFileSync(join(__dirname, '../../../../package.json'), 'utf8'));
const untrusted = manifest.capabilities.untrustedWorkspaces;
const settings = Object.keys(manifest.contributes.configuration.properties);

describe('Restricted Mode in package.json', () => {
  it('runs Fugu in an untrusted workspace with limits, and says which', () => {
    assert.equal(untrusted.supported, 'limited');
    assert.match(untrusted.description, /never runs checks/);
  });

  it('restricts only settings Fugu contributes, each once', () => {
    const restricted: string[] = untrusted.restrictedConfigurations;
    for (const key of restricted) assert.ok(settings.includes(key), `${key} is not a contributed setting`);
    assert.equal(new Set(restricted).size, restricted.length);
  });

  it('restricts every setting that picks an endpoint, a key, the pool, the check command, a budget, a price, how the learned policy weighs cost or whether files go out for embeddings', () => {
    const mustRestrict = settings.filter((k) => /^fugu\.(policy\.(backend|baseUrl|model|apiKeyEnv|learned)|workers|verify\.command|budget\..+|prices|context\.embeddings(Model)?)$/.test(k));
    assert.equal(mustRestrict.length, 14, 'the pattern still names every such setting');
    assert.deepEqual([...untrusted.restrictedConfigurations].sort(), mustRestrict.sort());
  });
});
