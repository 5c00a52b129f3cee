import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { notSent } from '../../../../src/core/context/attachments';
import { gatherRepoContext, MAP_PATH } from '../../../../src/core/context/gatherRepoContext';
import { repositoryMap } from '../../../../src/core/context/repoMap';
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
    // Each file lists every reason it was ranked for, the symbol first.
    assert.equal(reasons['src/price.ts']?.split('; ')[0], 'defines `parsePrice`');
    assert.equal(reasons['src/checkout.ts'], 'open');
    // The open editor outranks the definition; price.ts's importer comes after both.
    const order = ctx.files.map((f) => f.path);
    assert.ok(order.indexOf('src/checkout.ts') < order.indexOf('src/price.ts'), order.join(', '));
    assert.ok(reasons['src/cart.ts']?.split('; ').includes('imported by src/checkout.ts'), reasons['src/cart.ts']);
    assert.equal(ctx.files.find((f) => f.path === 'src/price.ts')!.text, SHOP['src/price.ts']);
  });

  it('ranks a file the task names by path first, then its imports and importers', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const ctx = await gatherRepoContext({ task: 'fix the rounding bug in src/cart.ts', index, maxChars: 60_000 });
    const list = ctx.files.map((f) => `${f.path}: ${f.reason}`);
    assert.equal(list[0], 'src/cart.ts: named in the task');
    const reasons = (p: string) => ctx.files.find((f) => f.path === p)?.reason?.split('; ') ?? [];
    assert.ok(reasons('src/price.ts').includes('imported by src/cart.ts'), list.join('\n'));
    assert.ok(reasons('src/checkout.ts').includes('imports src/cart.ts'), list.join('\n'));
    // A file with no tie to the task or to cart.ts is not sent as a file (only listed in the map).
    assert.ok(!list.some((l) => l.startsWith('src/unrelated.ts')), list.join('\n'));
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

  it("gives the files the room a small repository's map leaves: a file cut for want of room is sent whole", async () => {
    // Four files of about 4,000 characters calling parsePrice: at 20,000 characters the files' three
    // quarters hold three of them and part of the fourth, and the map of these few files needs far
    // less than its quarter.
    const big = (tag: string) =>
      `import { parsePrice } from './price';\n\n${Array.from({ length: 80 }, (_, i) => `export const ${tag}${i} = (s: string) => parsePrice(s) + ${i};\n`).join('')}`;
    const files = { 'src/price.ts': `export function parsePrice(text: string): number {\n  return Number(text);\n}\n${'// price\n'.repeat(400)}`, 'src/a.ts': big('a'), 'src/b.ts': big('b'), 'src/c.ts': big('c') };
    const small = await makeWorkspace(files);
    try {
      const index = await WorkspaceIndex.build({ root: small.root });
      const ctx = await gatherRepoContext({ task: 'make parsePrice accept commas', index, maxChars: 20_000 });
      const sent = ctx.files.filter((f) => f.path !== MAP_PATH);
      assert.deepEqual(sent.map((f) => f.path).sort(), Object.keys(files).sort(), ctx.files.map((f) => `${f.path} ${f.text.length}`).join('\n'));
      for (const f of sent) assert.equal(f.text, files[f.path as keyof typeof files], f.path);
      assert.equal(ctx.files[ctx.files.length - 1].path, MAP_PATH);
      assert.ok(ctx.chars <= 20_000 && ctx.chars === ctx.files.reduce((a, f) => a + f.text.length, 0), `${ctx.chars}`);
    } finally {
      await small.cleanup();
    }
  });

  it("sends in a long file's excerpt the line holding an identifier the task names verbatim", async () => {
    // env.ts is far longer than its share; many of its lines hold "skip", "item" and "contain", and line
    // 301, the only one holding `FZF_CURRENT_ITEM`, comes after them.
    const body = Array.from({ length: 400 }, (_, i) => (i === 300 ? '  env.push("FZF_CURRENT_ITEM=" + item);' : `  skipItemContains${i}(env, item);`));
    const files = { 'src/env.ts': body.join('\n') + '\n' };
    const small = await makeWorkspace(files);
    try {
      const index = await WorkspaceIndex.build({ root: small.root });
      const ctx = await gatherRepoContext({ task: 'Skip FZF_CURRENT_ITEM export when item contains NUL', index, maxChars: 8_000 });
      const env = ctx.files.find((f) => f.path === 'src/env.ts')!;
      assert.ok(env.lines?.some(([a, b]) => a <= 301 && 301 <= b), JSON.stringify(env.lines));
      assert.match(env.note ?? '', /names `FZF_CURRENT_ITEM`/);
    } finally {
      await small.cleanup();
    }
  });

  it('finds in a long file two adjacent words of the task that the code writes as one ("env var": `show_envvar`)', async () => {
    // Line 120 holds "show" and `envvar`; the 400 lines from 150 each hold "show" and "error" (as many
    // words, later in the file) and fill far more than the budget.
    const body = Array.from({ length: 550 }, (_, i) => (i === 119 ? '  if (opt.show_envvar) note(opt);' : i >= 149 ? `  showError${i}(ctx);` : `  filler${i}();`));
    const files = { 'src/options.ts': body.join('\n') + '\n' };
    const small = await makeWorkspace(files);
    try {
      const index = await WorkspaceIndex.build({ root: small.root });
      const ctx = await gatherRepoContext({ task: 'show env var in error hint', index, maxChars: 8_000 });
      const sent = ctx.files.find((f) => f.path === 'src/options.ts')!;
      assert.ok(sent.lines?.some(([a, b]) => a <= 120 && 120 <= b), JSON.stringify(sent.lines));
      assert.match(sent.note ?? '', /matches "envvar"|matches "\w+", "envvar"/);
      assert.ok(!sent.lines?.some(([a, b]) => a <= 549 && 549 <= b), JSON.stringify(sent.lines));
    } finally {
      await small.cleanup();
    }
  });

  it('draws first in the map the symbols of the files ranked for the task that the budget left out', async () => {
    // Twelve files in src/ beside the one sent fill a small map; lib/far.ts is far from it.
    const files: Record<string, string> = { 'lib/far.ts': 'export function farAwayHelper(): number {\n  return 1;\n}\n' };
    for (let i = 0; i < 12; i++) files[`src/near${i}.ts`] = `export function nearHelper${i}(value: string): string {\n  return value;\n}\n`;
    const small = await makeWorkspace(files);
    try {
      const index = await WorkspaceIndex.build({ root: small.root });
      const plain = await repositoryMap(index, 400, ['src/near0.ts']);
      assert.doesNotMatch(plain.text, /farAwayHelper/, plain.text);
      const ahead = await repositoryMap(index, 400, ['src/near0.ts'], ['lib/far.ts']);
      assert.match(ahead.text, /^lib\/far\.ts\n {2}function farAwayHelper\(\): number$/m, ahead.text);
      assert.ok(ahead.text.length <= 400, `${ahead.text.length}`);
    } finally {
      await small.cleanup();
    }
  });

  it('keeps the cap when the map has too little room, listing what it could not fit', async () => {
    for (let i = 0; i < 40; i++) await fs.writeFile(path.join(ws.root, `src/extra${i}.ts`), `export function extra${i}(): number { return ${i}; }\n`);
    const index = await WorkspaceIndex.build({ root: ws.root });
    const ctx = await gatherRepoContext({ task: 'tidy up', index, maxChars: 250 });
    assert.ok(ctx.chars <= 250, `${ctx.chars} characters`);
    const map = ctx.files.find((f) => f.path === MAP_PATH);
    assert.ok(map && /more files/.test(map.text), map?.text);
  });

  describe('attached in chat', () => {
    const ATTACHED = 'attached in chat';

    it('sends what the user attached first, above the files the task names and the open editors, in the order attached', async () => {
      const index = await WorkspaceIndex.build({ root: ws.root });
      const attached = {
        files: [
          { path: 'src/unrelated.ts', text: 'export const GREETING = "hi"; // unsaved\n', reason: ATTACHED },
          { path: 'src/price.ts', text: 'export function parsePrice(text: string): number {', reason: ATTACHED, note: 'line 1' },
        ],
        folders: [],
        notes: [],
      };
      const open = [{ path: 'src/checkout.ts', text: SHOP['src/checkout.ts'], reason: 'open, active' }];
      const ctx = await gatherRepoContext({ task: 'fix the rounding bug in src/cart.ts using `src/price.ts`', index, maxChars: 60_000, attached, open });
      const list = ctx.files.map((f) => `${f.path}: ${f.reason}${f.note ? ` (${f.note})` : ''}`);
      assert.deepEqual(list.slice(0, 4), [
        'src/unrelated.ts: attached in chat',
        'src/price.ts: attached in chat (line 1)',
        'src/cart.ts: named in the task',
        'src/checkout.ts: open, active',
      ]);
      // The task names price.ts because a part of it was attached: that part stands for it (an import may still bring it whole).
      assert.ok(!list.includes('src/price.ts: named in the task'), list.join('\n'));
      assert.equal(ctx.files[0].text, attached.files[0].text, "the attachment's text is sent, not the disk's");
      assert.deepEqual(ctx.notes, []);
    });

    it('a whole file attached is sent once, with its attached reason, though the task names it and an editor has it open', async () => {
      const index = await WorkspaceIndex.build({ root: ws.root });
      const attached = { files: [{ path: 'src/cart.ts', text: SHOP['src/cart.ts'], reason: ATTACHED }], folders: [], notes: [] };
      const open = [{ path: 'src/cart.ts', text: SHOP['src/cart.ts'], reason: 'open, active' }];
      const ctx = await gatherRepoContext({ task: 'fix `src/cart.ts`', index, maxChars: 60_000, attached, open });
      assert.deepEqual(ctx.files.filter((f) => f.path === 'src/cart.ts').map((f) => f.reason), [ATTACHED]);
      // It still leads to its neighbours.
      assert.ok(ctx.files.some((f) => f.path === 'src/price.ts' && f.reason?.split('; ').includes('imported by src/cart.ts')));
    });

    it("sends an attached folder's indexed files (never its ignored ones) and notes what the cap left out", async () => {
      for (let i = 0; i < 22; i++) await fs.writeFile(path.join(ws.root, `src/extra${String(i).padStart(2, '0')}.ts`), `export const E${i} = ${i};\n`);
      const index = await WorkspaceIndex.build({ root: ws.root });
      const ctx = await gatherRepoContext({ task: 'tidy up', index, maxChars: 60_000, attached: { files: [], folders: ['src', 'secrets'], notes: ['/tmp/x (attached in chat; not sent: it is outside the workspace folder)'] } });
      const fromFolder = ctx.files.filter((f) => f.reason === `${ATTACHED}: folder src/`);
      assert.equal(fromFolder.length, 20);
      assert.deepEqual(ctx.files.slice(0, 20), fromFolder, 'the folder files come first');
      assert.deepEqual(ctx.notes, [
        '/tmp/x (attached in chat; not sent: it is outside the workspace folder)',
        notSent('src/', '6 more of its files (the first 20 are sent)'),
        notSent('secrets/', 'no text files of the workspace index are in it'),
      ]);
    });

    it('without the index, sends the attachments then the open editors, and says a folder could not be listed', async () => {
      const attached = { files: [{ path: 'src/cart.ts', text: 'attached text', reason: ATTACHED }], folders: ['src'], notes: [] };
      const open = [
        { path: 'src/cart.ts', text: 'attached text', reason: 'open, active' },
        { path: 'src/checkout.ts', text: 'open text', reason: 'open' },
      ];
      const ctx = await gatherRepoContext({ task: 'fix src/price.ts', index: undefined, maxChars: 60_000, attached, open });
      assert.deepEqual(ctx.files.map((f) => `${f.path}: ${f.reason}`), ['src/cart.ts: attached in chat', 'src/checkout.ts: open']);
      assert.deepEqual(ctx.notes, [notSent('src/', 'the workspace index is not ready yet to list the folder')]);
    });
  });
});
