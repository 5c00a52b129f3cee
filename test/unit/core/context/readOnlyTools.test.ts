import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { nodeWorkspaceFiles } from '../../../../src/core/edits/nodeWorkspaceFiles';
import { listDirTool, readFileTool, searchTool, type ToolResult, type ToolWorkspace } from '../../../../src/core/context/readOnlyTools';
import { WorkspaceIndex } from '../../../../src/core/context/workspaceIndex';
import { makeWorkspace, type TempWorkspace } from '../../../support/tempWorkspace';

const text = (r: ToolResult) => {
  assert.ok(r.ok, r.ok ? '' : r.error);
  return r.text;
};
const error = (r: ToolResult) => {
  assert.ok(!r.ok, 'expected a refusal');
  return r.error;
};

describe('read-only workspace tools', () => {
  let ws: TempWorkspace;
  let tools: ToolWorkspace;
  const lines = Array.from({ length: 50 }, (_, i) => `line ${i + 1}`).join('\n');

  beforeEach(async () => {
    ws = await makeWorkspace({
      'src/price.ts': 'export function parsePrice(text: string): number {\n  return Number(text);\n}\n',
      'src/cart.ts': "import { parsePrice } from './price';\nexport const total = parsePrice('1');\n",
      'src/long.txt': lines,
      'docs/guide.md': 'Call parsePrice with a string.\n',
      '.gitignore': 'secret.ts\n',
      'secret.ts': 'export const parsePrice = "hidden";\n',
    });
    await fs.writeFile(path.join(ws.root, 'src/logo.png'), Buffer.from([0x89, 0x50, 0, 0]));
    await fs.writeFile(path.join(ws.outside, 'elsewhere.ts'), 'outside\n');
    await fs.symlink(path.join(ws.outside, 'elsewhere.ts'), path.join(ws.root, 'src/link.ts'));
    tools = { index: await WorkspaceIndex.build({ root: ws.root }), files: nodeWorkspaceFiles(ws.root) };
  });
  afterEach(() => ws.cleanup());

  it('read_file returns the file, or the lines asked for, with a header', async () => {
    assert.equal(text(await readFileTool(tools, { path: 'src/price.ts' })), 'src/price.ts, lines 1-3 of 3:\nexport function parsePrice(text: string): number {\n  return Number(text);\n}');
    assert.equal(text(await readFileTool(tools, { path: 'src/long.txt', startLine: 10, endLine: 12 })), 'src/long.txt, lines 10-12 of 50:\nline 10\nline 11\nline 12');
    assert.match(error(await readFileTool(tools, { path: 'src/long.txt', startLine: 60 })), /has 50 lines; startLine 60 is past the end/);
  });

  it('read_file cuts a long answer at the byte limit and says where to read on', async () => {
    const r = await readFileTool({ ...tools, maxBytes: 60 }, { path: 'src/long.txt' });
    assert.ok(r.ok && r.truncated);
    assert.ok(Buffer.byteLength(r.text.split('\n[')[0]) <= 60);
    const next = Number(/startLine (\d+)/.exec(r.text)![1]);
    const shown = r.text.split('\n').filter((l) => l.startsWith('line ')).pop();
    assert.equal(shown, `line ${next - 1}`);
  });

  it('refuses paths outside the workspace, into .git, through a symlink out, and ignored or binary files, with a reason', async () => {
    assert.match(error(await readFileTool(tools, { path: '../outside/elsewhere.ts' })), /^read_file refused: .*leaves the workspace/);
    assert.match(error(await readFileTool(tools, { path: '/etc/passwd' })), /absolute path/);
    assert.match(error(await readFileTool(tools, { path: '.git/config' })), /\.git folder/);
    assert.match(error(await readFileTool(tools, { path: 'src/link.ts' })), /symbolic link that leads outside/);
    assert.match(error(await readFileTool(tools, { path: 'secret.ts' })), /does not exist, or is ignored/);
    assert.match(error(await readFileTool(tools, { path: 'src/logo.png' })), /not readable as text \(binary\)/);
    assert.match(error(await readFileTool(tools, { path: 'src' })), /is a folder; use list_dir/);
    assert.match(error(await listDirTool(tools, { path: '../..' })), /^list_dir refused: .*leaves the workspace/);
  });

  it('search finds literal text in indexed files only, as path:line: text', async () => {
    const out = text(await searchTool(tools, { pattern: 'parsePrice(' }));
    assert.deepEqual(out.split('\n'), ['src/cart.ts:2: export const total = parsePrice(\'1\');', 'src/price.ts:1: export function parsePrice(text: string): number {']);
    assert.ok(!text(await searchTool(tools, { pattern: 'hidden' })).includes('secret.ts'));
  });

  it('search takes /regex/flags and a glob, and explains a bad regex', async () => {
    assert.deepEqual(text(await searchTool(tools, { pattern: '/^export (function|const) \\w+/', glob: 'src/**' })).split('\n'), [
      'src/cart.ts:2: export const total = parsePrice(\'1\');',
      'src/price.ts:1: export function parsePrice(text: string): number {',
    ]);
    assert.equal(text(await searchTool(tools, { pattern: '/PARSEPRICE/i', glob: '*.md' })), 'docs/guide.md:1: Call parsePrice with a string.');
    assert.match(error(await searchTool(tools, { pattern: '/(unclosed/' })), /not a valid regular expression/);
    assert.match(text(await searchTool(tools, { pattern: 'nowhere to be found' })), /^No match/);
  });

  it('search bounds its answer and counts what it left out', async () => {
    const r = await searchTool({ ...tools, maxBytes: 40 }, { pattern: 'line' });
    assert.ok(r.ok && r.truncated);
    assert.match(r.text, /\[\d+ more matches not shown/);
    assert.ok(Buffer.byteLength(r.text) < 120);
  });

  it('a backtracking regex, (a+)+$ on a 10,000-character line, is stopped with an error while the event loop runs on', async () => {
    await fs.writeFile(path.join(ws.root, 'src/trap.txt'), `${'a'.repeat(10_000)}!\n`);
    tools = { index: await WorkspaceIndex.build({ root: ws.root }), files: nodeWorkspaceFiles(ws.root) };
    // Ticks of a timer while the search runs: a regex on the main thread would allow none.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = Date.now();
    const r = await searchTool(tools, { pattern: '/(a+)+$/' });
    clearInterval(timer);
    assert.match(error(r), /^search: \/\(a\+\)\+\$\/ the search took longer than 800 ms and was stopped .*simpler pattern/);
    assert.ok(ticks >= 5, `the event loop ran during the search (${ticks} ticks)`);
    assert.ok(Date.now() - started < 10_000);
    // The next call works as before.
    assert.match(text(await searchTool(tools, { pattern: '/parse\\w+/', glob: '*.ts' })), /src\/price\.ts:1:/);
  });

  it('list_dir lists folders and files as the index sees them (no ignored or binary files)', async () => {
    assert.equal(text(await listDirTool(tools, { path: '.' })), '.: 2 folders, 1 files\ndocs/ (1 files)\nsrc/ (3 files)\n.gitignore (10 bytes)');
    const size = async (rel: string) => (await fs.stat(path.join(ws.root, rel))).size;
    assert.equal(
      text(await listDirTool(tools, { path: 'src/' })),
      `src: 0 folders, 3 files\ncart.ts (${await size('src/cart.ts')} bytes)\nlong.txt (${await size('src/long.txt')} bytes)\nprice.ts (${await size('src/price.ts')} bytes)`,
    );
    assert.match(error(await listDirTool(tools, { path: 'src/price.ts' })), /is a file; use read_file/);
    assert.match(error(await listDirTool(tools, { path: 'nope' })), /does not exist/);
  });
});
