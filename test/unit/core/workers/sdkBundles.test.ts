// The SDK bundles in dist/ carry only the exports the workers take (scripts/build.mjs, SDK_EXPORTS):
// every name a worker destructures from its SDK must be there, or the worker's first call fails.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const ROOT = join(__dirname, '../../../../..');
const WORKERS: Record<string, string> = { 'openaiWorker.ts': 'sdk-openai.js', 'anthropicWorker.ts': 'sdk-anthropic.js', 'googleWorker.ts': 'sdk-google.js' };

describe('the SDK bundles in dist/', () => {
  for (const [worker, bundle] of Object.entries(WORKERS)) {
    it(`dist/${bundle} has every name ${worker} takes from its SDK`, async () => {
      const source = readFileSync(join(ROOT, 'src/core/workers', worker), 'utf8');
      const uses = [...source.matchAll(/loadSdk\(\)/g)].length;
      const taken = [...source.matchAll(/loadSdk\(\)\.then\(\s*\(\{([^}]*)\}\)/g)].flatMap((m) => m[1].split(',').map((n) => n.trim().split(':')[0].trim()).filter(Boolean));
      assert.ok(taken.length > 0, `${worker} takes its client class as loadSdk().then(({ Name }) => ...)`);
      assert.equal(uses, 1, `${worker} loads its SDK in one place, the one this test reads`);
      // A CommonJS bundle: its module.exports is the namespace's default.
      const mod = ((await import(pathToFileURL(join(ROOT, 'dist', bundle)).href)) as { default: Record<string, unknown> }).default;
      for (const name of taken) assert.equal(typeof mod[name], 'function', `dist/${bundle} exports ${name}`);
    });
  }
});
