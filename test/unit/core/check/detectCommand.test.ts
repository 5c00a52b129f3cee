import assert from 'node:assert/strict';
import { detectCheckCommand } from '../../../../src/core/check/detectCommand';
import { sampleWorkspace, type Sample } from '../../../support/sampleWorkspace';

const cases: Array<[string, Record<string, string>, string | null]> = [
  ['package.json with a test script', { 'package.json': '{"scripts":{"test":"node --test"}}' }, 'npm test --silent'],
  ["npm's placeholder test script is no check", { 'package.json': '{"scripts":{"test":"echo \\"Error: no test specified\\" && exit 1"}}' }, null],
  ['pytest.ini', { 'pytest.ini': '[pytest]\n' }, 'python3 -m pytest -q'],
  ['pyproject.toml naming pytest', { 'pyproject.toml': '[tool.pytest.ini_options]\n' }, 'python3 -m pytest -q'],
  ['setup.cfg naming pytest', { 'setup.cfg': '[tool:pytest]\n' }, 'python3 -m pytest -q'],
  ['a tests/ folder of Python', { 'tests/test_a.py': '' }, 'python3 -m pytest -q'],
  ['Cargo.toml', { 'Cargo.toml': '[package]\n' }, 'cargo test'],
  ['go.mod', { 'go.mod': 'module x\n' }, 'go test ./...'],
  ['a Makefile with a test target', { Makefile: 'build:\n\tcc x.c\ntest: build\n\t./run\n' }, 'make test'],
  ['a Makefile without one', { Makefile: 'build:\n\tcc x.c\n' }, null],
  ['nothing to run', { 'README.md': '# hi\n' }, null],
];

describe('detectCheckCommand', () => {
  let ws: Sample | undefined;
  afterEach(async () => {
    await ws?.cleanup();
    ws = undefined;
  });
  for (const [name, files, expected] of cases) {
    it(`${name} → ${expected ?? 'no command'}`, async () => {
      ws = await sampleWorkspace(files);
      const found = await detectCheckCommand(ws.root, { hasPytest: async () => true });
      assert.equal(found?.command.display ?? null, expected);
    });
  }

  it('Python tests fall back to python3 -m unittest when pytest is missing', async () => {
    ws = await sampleWorkspace({ 'tests/test_a.py': '' });
    const found = await detectCheckCommand(ws.root, { hasPytest: async () => false });
    assert.deepEqual(found?.command, { argv: ['python3', '-m', 'unittest'], display: 'python3 -m unittest' });
  });
});
