import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { WorkspaceIndex } from '../../../../src/core/context/workspaceIndex';
import { makeWorkspace, type TempWorkspace } from '../../../support/tempWorkspace';

describe('workspace index', () => {
  let ws: TempWorkspace;
  afterEach(() => ws?.cleanup());

  it('honours nested .gitignore files (a deeper one re-includes) without a git repository', async () => {
    ws = await makeWorkspace({
      '.gitignore': '*.gen.ts\nbuild/\n',
      'src/a.ts': 'export const A = 1;\n',
      'src/a.gen.ts': 'x\n',
      'src/keep/.gitignore': '!wanted.gen.ts\nlocal.txt\n',
      'src/keep/wanted.gen.ts': 'y\n',
      'src/keep/local.txt': 'z\n',
      'other/local.txt': 'kept\n',
      'build/out.js': 'built\n',
    });
    const index = await WorkspaceIndex.build({ root: ws.root });
    assert.deepEqual(index.files().map((f) => f.path), ['.gitignore', 'other/local.txt', 'src/a.ts', 'src/keep/.gitignore', 'src/keep/wanted.gen.ts']);
  });

  it('leaves out files.exclude-style globs and node_modules by default', async () => {
    ws = await makeWorkspace({ 'a.ts': 'a\n', 'node_modules/x/index.js': 'x\n', 'gen/b.ts': 'b\n', 'c.min.js': 'c\n' });
    assert.deepEqual((await WorkspaceIndex.build({ root: ws.root })).files().map((f) => f.path), ['a.ts', 'c.min.js', 'gen/b.ts']);
    assert.deepEqual((await WorkspaceIndex.build({ root: ws.root, exclude: ['gen', '**/*.min.js'] })).files().map((f) => f.path), ['a.ts', 'node_modules/x/index.js']);
  });

  it('skips binary, non-UTF-8, oversized files, symlink loops and links out of the workspace, and lists the rest', async () => {
    ws = await makeWorkspace({ 'ok.ts': 'export function ok() {}\n', 'big.txt': 'x'.repeat(5_000), 'dir/inner.py': 'def inner():\n    pass\n' });
    await fs.writeFile(path.join(ws.root, 'nul.dat.txt'), Buffer.from('abc\0def'));
    await fs.writeFile(path.join(ws.root, 'latin1.txt'), Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    await fs.writeFile(path.join(ws.outside, 'secret.ts'), 'export const SECRET = 1;\n');
    await fs.symlink(path.join(ws.root, 'dir'), path.join(ws.root, 'dir', 'again')); // a loop
    await fs.symlink('self', path.join(ws.root, 'self')); // ELOOP
    await fs.symlink(ws.outside, path.join(ws.root, 'out'));
    await fs.symlink(path.join(ws.root, 'missing.ts'), path.join(ws.root, 'dangling.ts'));
    const index = await WorkspaceIndex.build({ root: ws.root, maxFileBytes: 1_000 });
    assert.deepEqual(index.files().map((f) => f.path), ['dir/inner.py', 'ok.ts']);
    assert.deepEqual(Object.fromEntries([...index.skipped()].sort()), {
      'big.txt': 'over the size cap',
      'dir/again': 'symlink loop',
      'latin1.txt': 'not UTF-8',
      'nul.dat.txt': 'binary',
      out: 'symlink outside the workspace',
      self: 'symlink loop',
    });
    assert.deepEqual((await index.outline('dir/inner.py'))!.symbols.map((s) => s.name), ['inner']);
  });

  it('follows a symlinked folder inside the workspace', async () => {
    ws = await makeWorkspace({ 'lib/util.ts': 'export function util() {}\n' });
    await fs.symlink(path.join(ws.root, 'lib'), path.join(ws.root, 'alias'));
    const index = await WorkspaceIndex.build({ root: ws.root });
    assert.deepEqual(index.files().map((f) => f.path), ['alias/util.ts', 'lib/util.ts']);
  });

  it('updates one changed, new or deleted file, and re-walks when a .gitignore changes', async () => {
    ws = await makeWorkspace({ 'src/price.ts': 'export function parsePrice() {}\n', 'src/cart.ts': 'export class Cart {}\n' });
    const index = await WorkspaceIndex.build({ root: ws.root });
    assert.deepEqual((await index.outline('src/price.ts'))!.symbols.map((s) => s.name), ['parsePrice']);

    await fs.writeFile(path.join(ws.root, 'src/price.ts'), 'export function parsePrice() {}\nexport function formatPrice() {}\n');
    await index.update('src/price.ts');
    assert.deepEqual((await index.outline('src/price.ts'))!.symbols.map((s) => s.name), ['parsePrice', 'formatPrice']);
    assert.deepEqual(await index.filesMentioning('formatPrice'), ['src/price.ts']);

    await fs.mkdir(path.join(ws.root, 'src/new/deep'), { recursive: true });
    await fs.writeFile(path.join(ws.root, 'src/new/deep/tax.ts'), 'export const TAX = 0.2;\n');
    await index.update('src/new/deep/tax.ts');
    assert.ok(index.has('src/new/deep/tax.ts'));

    await fs.rm(path.join(ws.root, 'src/cart.ts'));
    await index.update('src/cart.ts');
    assert.ok(!index.has('src/cart.ts'));

    await fs.writeFile(path.join(ws.root, '.gitignore'), 'src/new/\n');
    await index.update('.gitignore');
    assert.deepEqual(index.files().map((f) => f.path), ['.gitignore', 'src/price.ts']);
  });
});
