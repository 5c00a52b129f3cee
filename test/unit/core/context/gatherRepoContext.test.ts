import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { gatherRepoContext, MAP_PATH } from '../../../../src/core/context/gatherRepoContext';
import { WorkspaceIndex } from '../../../../src/core/context/workspaceIndex';
import { makeWorkspace, type TempWorkspace } from '../../../support/tempWorkspace';

// A small shop: the bug is in price.ts, which no editor has open.
const SHOP: Record<string, string> = {
  'src/cart.ts': "import { parsePrice } from './price';\n\nexport class Cart {\n  private lines: string[] = [];\n  total(): number {\n    return this.lines.reduce((s, l) => s + parsePrice(l), 0);\n  }\n}\n",
  'src/price.ts': "export function parsePrice(text: string): number {\n  return Number(text.replace('$', ''));\n}\n",
  'src/checkout.ts': "import { Cart } from './cart';\n\nexport function checkout(cart: Cart): string {\n  return `total ${cart.total()}`;\n}\n",
  'src/unrelated.ts': 'export const GREETING = "hello";\n',
  'README.md': '# shop\n',
  '.gitignore': 'secrets/\n*.log\n',
  'secrets/keys.ts': 'export function parsePrice() { return "secret"; }\n',
  'debug.log': 'parsePrice called\n',
};

describe('gathered context', () => {
  let ws: TempWorkspace;
  beforeEach(async () => {
    ws = await makeWorkspace(SHOP);
    await fs.writeFile(path.join(ws.root, 'src/logo.bin'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 1, 2, 3]));
  });
  afterEach(() => ws.cleanup());

  it('sends the file that defines a function the task names, though no editor has it open, and says why', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const open = [{ path: 'src/checkout.ts', text: SHOP['src/checkout.ts'], reason: 'open' }];
    const ctx = await gatherRepoContext({ task: 'make parsePrice accept commas ("1,50")', index, maxChars: 60_000, open });
    const reasons = Object.fromEntries(ctx.files.map((f) => [f.path, f.reason]));
    assert.equal(reasons['src/price.ts'], 'defines `parsePrice`');
    assert.equal(reasons['src/checkout.ts'], 'open');
    // The open editor outranks the definition; price.ts's importer comes after both.
    const order = ctx.files.map((f) => f.path);
    assert.ok(order.indexOf('src/checkout.ts') < order.indexOf('src/price.ts'), order.join(', '));
    assert.equal(reasons['src/cart.ts'], 'imported by src/checkout.ts');
    assert.equal(ctx.files.find((f) => f.path === 'src/price.ts')!.text, SHOP['src/price.ts']);
  });

  it('ranks a file the task names by path first, then its imports and importers', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const ctx = await gatherRepoContext({ task: 'fix the rounding bug in src/cart.ts', index, maxChars: 60_000 });
    const list = ctx.files.map((f) => `${f.path}: ${f.reason}`);
    assert.deepEqual(list.slice(0, 3), ['src/cart.ts: named in the task', 'src/price.ts: imported by src/cart.ts', 'src/checkout.ts: imports src/cart.ts']);
    assert.equal(ctx.files[ctx.files.length - 1].path, MAP_PATH);
  });

  it('finds a file named by its base name alone', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const ctx = await gatherRepoContext({ task: 'add a docstring to checkout.ts', index, maxChars: 60_000 });
    assert.equal(ctx.files[0].path, 'src/checkout.ts');
    assert.equal(ctx.files[0].reason, 'named in the task');
  });

  it('never offers .gitignored or binary files, in the files or in the map', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const ctx = await gatherRepoContext({ task: 'make `parsePrice` accept commas; see debug.log and secrets/keys.ts', index, maxChars: 60_000 });
    const all = ctx.files.map((f) => `${f.path}\n${f.text}`).join('\n');
    for (const hidden of ['secrets/keys.ts', 'debug.log', 'logo.bin', '"secret"']) assert.ok(!all.includes(hidden), `${hidden} was offered`);
    assert.equal(index.skipped().get('src/logo.bin'), 'binary');
    assert.ok(!index.has('secrets/keys.ts') && !index.has('debug.log'));
  });

  it('fills what is left with the repository map: paths and signatures within the cap', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const ctx = await gatherRepoContext({ task: 'tidy up', index, maxChars: 2_000 });
    assert.ok(ctx.chars <= 2_000, `${ctx.chars} characters`);
    const map = ctx.files.find((f) => f.path === MAP_PATH)!;
    assert.equal(map.reason, 'map');
    assert.match(map.text, /^src\/price\.ts\n {2}function parsePrice\(text: string\): number$/m);
    assert.match(map.text, /^src\/cart\.ts\n {2}class Cart\n {4}total\(\): number$/m);
    assert.match(map.text, /^README\.md$/m);
  });

  it('keeps the cap when the map has too little room, listing what it could not fit', async () => {
    for (let i = 0; i < 40; i++) await fs.writeFile(path.join(ws.root, `src/extra${i}.ts`), `export function extra${i}(): number { return ${i}; }\n`);
    const index = await WorkspaceIndex.build({ root: ws.root });
    const ctx = await gatherRepoContext({ task: 'tidy up', index, maxChars: 250 });
    assert.ok(ctx.chars <= 250, `${ctx.chars} characters`);
    const map = ctx.files.find((f) => f.path === MAP_PATH);
    assert.ok(map && /more files/.test(map.text), map?.text);
  });
});
