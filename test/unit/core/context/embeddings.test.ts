import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { contentHash, EmbeddingCache } from '../../../../src/core/context/embeddings/embeddingCache';
import { startEmbeddings } from '../../../../src/core/context/embeddings/startEmbeddings';
import type { WorkspaceEmbeddingsOptions } from '../../../../src/core/context/embeddings/workspaceEmbeddings';
import { gatherRepoContext, MAP_PATH } from '../../../../src/core/context/gatherRepoContext';
import { workspaceContext } from '../../../../src/core/context/workspaceContext';
import { WorkspaceIndex } from '../../../../src/core/context/workspaceIndex';
import { parseConfig } from '../../../../src/core/loadConfig';
import type { KeyResolver } from '../../../../src/core/runTypes';
import { FakeEmbeddings, hashedWords } from '../../../fakes/embeddingsFake';
import { tempDir } from '../../../support/tempDir';
import { makeWorkspace, type TempWorkspace } from '../../../support/tempWorkspace';

// The task speaks of money; the file that handles it says "cents" and "tally", never a word of the task.
const TASK = 'fix how money is rounded when a refund is split';
const FILES: Record<string, string> = {
  'src/ledger.ts': 'export function tally(cents: number[]): number {\n  return cents.reduce((a, b) => a + b, 0) / 100;\n}\n',
  'src/router.ts': 'export function route(path: string): string {\n  return path.slice(1);\n}\n',
  'src/logger.ts': 'export function log(line: string): void {\n  console.log(line);\n}\n',
  'src/refund.ts': 'export function refund(order: string): string {\n  return `refund ${order}`;\n}\n',
};
const KEY = 'sk-embed-test-SECRET-1234567890';
const keys: KeyResolver = async () => KEY;

/** "Money" texts point one way, the rest another: the fake's idea of meaning. */
function meaning(text: string): number[] {
  const v = hashedWords(text).map((x) => x * 0.01);
  if (/\b(money|cents|tally)\b/i.test(text)) v[0] += 1;
  else v[1] += 1;
  return v;
}

describe('context embeddings', () => {
  let ws: TempWorkspace;
  let fake: FakeEmbeddings;
  let cacheDir: string;
  beforeEach(async () => {
    ws = await makeWorkspace(FILES);
    fake = await new FakeEmbeddings({ apiKey: KEY, vectorOf: meaning }).listen();
    cacheDir = tempDir('fugu-embed-cache-');
  });
  afterEach(async () => {
    await fake.close();
    await ws.cleanup();
  });

  const config = (provider: 'openai' | 'gemini') =>
    parseConfig({
      workers: [provider === 'openai' ? { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: fake.openaiUrl } : { id: 'gem', provider: 'google', model: 'gemini-2.5-pro', baseUrl: fake.geminiUrl }],
      context: { embeddings: provider },
    });
  const start = async (provider: 'openai' | 'gemini', index: WorkspaceIndex, options?: WorkspaceEmbeddingsOptions, resolver: KeyResolver = keys) => {
    const e = await startEmbeddings({ config: config(provider), keys: resolver, index, cacheDir, options });
    assert.ok(e);
    return e;
  };
  const sentPaths = (files: { path: string }[]) => files.map((f) => f.path).filter((p) => p !== MAP_PATH);

  it('finds through OpenAI embeddings a file the task shares no word with, and says so in its reason', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const without = await gatherRepoContext({ task: TASK, index, maxChars: 60_000 });
    assert.ok(!sentPaths(without.files).includes('src/ledger.ts'), 'the words alone do not find it');

    const embeddings = await start('openai', index);
    await embeddings.warm();
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings });
    const ledger = ctx.files.find((f) => f.path === 'src/ledger.ts');
    assert.ok(ledger, sentPaths(ctx.files).join(', '));
    assert.match(ledger.reason ?? "", /similar to the task \(embeddings, [01]\.\d\d\)/);
    // The nearest file ranks with the one the words found, above the rest.
    assert.deepEqual(sentPaths(ctx.files).slice(0, 2).sort(), ['src/ledger.ts', 'src/refund.ts'], sentPaths(ctx.files).join(', '));
    assert.deepEqual(ctx.notes, []);
    // The SDK asked for base64 (its default) and sent the key as a bearer token; files then the task.
    assert.ok(fake.requests.length >= 2);
    assert.ok(fake.requests.every((r) => r.format === 'base64' && r.apiKey === KEY && r.model === 'text-embedding-3-small'));
    assert.deepEqual(fake.requests.at(-1)!.inputs, [TASK]);
    assert.ok(fake.requests[0].inputs.some((t) => t.startsWith('src/ledger.ts\n')));
  });

  it('finds it through Gemini embeddings, with the retrieval task types and the key in its header', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const embeddings = await start('gemini', index);
    await embeddings.warm();
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings });
    assert.deepEqual(sentPaths(ctx.files).slice(0, 2).sort(), ['src/ledger.ts', 'src/refund.ts'], sentPaths(ctx.files).join(', '));
    assert.match(ctx.files[0].reason ?? "", /similar to the task \(embeddings, [01]\.\d\d\)/);
    const [files, query] = [fake.requests[0], fake.requests.at(-1)!];
    assert.equal(files.path, '/v1beta/models/gemini-embedding-001:batchEmbedContents');
    assert.ok(files.taskTypes.length === 4 && files.taskTypes.every((t) => t === 'RETRIEVAL_DOCUMENT'), files.taskTypes.join());
    assert.deepEqual(query.taskTypes, ['RETRIEVAL_QUERY']);
    assert.ok(fake.requests.every((r) => r.apiKey === KEY));
  });

  it('never embeds an unchanged file twice: a second index reads the cache and embeds only the task and the changed file', async () => {
    const first = await start('openai', await WorkspaceIndex.build({ root: ws.root }));
    await first.warm();
    const documents = fake.requests.flatMap((r) => r.inputs).length;
    assert.equal(documents, Object.keys(FILES).length);
    assert.ok(readdirSync(cacheDir).length > 0, 'the cache is on disk, in the folder given');

    await ws.cleanup();
    ws = await makeWorkspace({ ...FILES, 'src/logger.ts': 'export function log(line: string): void {\n  console.error(line);\n}\n' });
    fake.requests.length = 0;
    const index = await WorkspaceIndex.build({ root: ws.root });
    const second = await start('openai', index);
    await second.warm();
    assert.deepEqual(
      fake.requests.flatMap((r) => r.inputs.map((t) => t.split('\n')[0])),
      ['src/logger.ts'],
    );
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings: second });
    assert.ok(sentPaths(ctx.files).slice(0, 2).includes('src/ledger.ts'));
    assert.deepEqual(fake.requests.at(-1)!.inputs, [TASK]);
  });

  it('a provider error leaves the other signals to rank, with one note that never carries the key', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    fake.fail({ kind: 'status', status: 500 });
    const embeddings = await start('openai', index);
    await embeddings.warm();
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings });
    assert.equal(ctx.notes?.length, 1);
    assert.match(ctx.notes![0], /^embeddings not used: embedding the workspace failed \(500 .*\); the other signals ranked the files$/);
    assert.ok(sentPaths(ctx.files).includes('src/refund.ts'), 'the words still rank');
    assert.ok(!sentPaths(ctx.files).includes('src/ledger.ts'));
  });

  it('a refused key is not echoed into the note', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const wrong = 'sk-wrong-key-ABCDEFGHIJKLMNOP';
    const embeddings = await start('openai', index, undefined, async () => wrong);
    await embeddings.warm();
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings });
    assert.equal(fake.requests[0].apiKey, wrong, 'the key reached the provider');
    assert.equal(ctx.notes?.length, 1);
    assert.match(ctx.notes![0], /401/);
    assert.ok(!JSON.stringify(ctx).includes(wrong), ctx.notes![0]);
    assert.ok(!JSON.stringify(ctx).includes('ABCDEFGHIJKLMNOP'));
  });

  it('a task whose embedding does not come in time is ranked without it', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const embeddings = await start('openai', index, { queryTimeoutMs: 300 });
    await embeddings.warm();
    fake.fail({ kind: 'hang' });
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings });
    assert.deepEqual(ctx.notes, ['embeddings not used: embedding the task failed (the provider did not answer within 300 ms); the other signals ranked the files']);
    assert.ok(sentPaths(ctx.files).includes('src/refund.ts'));
    assert.ok(!sentPaths(ctx.files).includes('src/ledger.ts'));
  });

  it('an answer with a vector missing is refused, not half used', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    fake.fail({ kind: 'cut' });
    const embeddings = await start('openai', index);
    await embeddings.warm();
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings });
    assert.match(ctx.notes?.[0] ?? '', /embedding the workspace failed \(the response (carried 3 vectors for 4 inputs|is missing a vector)/);
    assert.equal(readdirSync(cacheDir).flatMap((d) => readdirSync(join(cacheDir, d))).length, 0, 'nothing cached from a refused answer');
  });

  it('without a key: no request at all, and a note naming which key is missing', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const embeddings = await start('openai', index, undefined, async () => undefined);
    const ctx = await gatherRepoContext({ task: TASK, index, maxChars: 60_000, embeddings });
    assert.deepEqual(ctx.notes, ['embeddings not used: no OpenAI key (the one OpenAI workers use); the other signals ranked the files']);
    assert.equal(fake.requests.length, 0);
  });

  it('off (the default): nothing starts', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const e = await startEmbeddings({ config: parseConfig({ workers: [{ id: 'gpt', provider: 'openai', model: 'gpt-5' }] }), keys, index, cacheDir });
    assert.equal(e, undefined);
  });

  it("the CLI's context notes that nothing is cached yet, and finds the file on its next run from the cache", async () => {
    // First run: nothing cached yet, so the task is ranked without embeddings and says so; the files embed meanwhile.
    const stop = new AbortController();
    const first = await workspaceContext(TASK, ws.root, config('openai'), { keys, cacheDir, signal: stop.signal });
    assert.equal(first.notes.length, 1);
    assert.match(first.notes[0], /^embeddings(: \d+ of 4 files embedded so far| not used: no file is embedded yet)/);
    // Let the background finish, then a second run finds the file.
    const cached = () => readdirSync(cacheDir).flatMap((d) => readdirSync(join(cacheDir, d)).filter((f) => f.endsWith('.f32'))).length;
    for (let i = 0; i < 500 && cached() < 4; i++) await new Promise((r) => setTimeout(r, 20));
    const second = await workspaceContext(TASK, ws.root, config('openai'), { keys, cacheDir, signal: stop.signal });
    stop.abort();
    assert.ok(sentPaths(second.context).slice(0, 2).includes('src/ledger.ts'), second.notes.join(' | '));
    assert.deepEqual(second.notes, []);
  });

  it('the cache stays within its bound, keeping the newest vectors, and a new process reads them back', async () => {
    const vector = (i: number) => Float32Array.from({ length: 64 }, (_, j) => i + j / 100); // 256 bytes
    const cache = new EmbeddingCache(cacheDir, 'm', 256 * 10);
    for (let i = 0; i < 25; i++) await cache.put(contentHash(`file ${i}`), vector(i));
    const onDisk = readdirSync(cacheDir).flatMap((d) => readdirSync(join(cacheDir, d)).filter((f) => f.endsWith('.f32')));
    assert.ok(onDisk.length <= 10 && onDisk.length > 0, `${onDisk.length} entries`);
    const fresh = new EmbeddingCache(cacheDir, 'm', 256 * 10);
    assert.deepEqual(await fresh.get(contentHash('file 24')), vector(24));
    assert.equal(await new EmbeddingCache(cacheDir, 'another model').get(contentHash('file 24')), undefined, 'each model has its own entries');
  });

  it('a file changed after it was embedded is embedded again once refreshed, and ranks by its new text', async () => {
    const index = await WorkspaceIndex.build({ root: ws.root });
    const embeddings = await start('openai', index);
    await embeddings.warm();
    assert.ok(!(await embeddings.similar(TASK)).hits.slice(0, 2).some((h) => h.path === 'src/router.ts'));
    // The router now handles cents: it should rank with the ledger.
    await writeFile(join(ws.root, 'src/router.ts'), 'export function route(cents: number): string {\n  return String(cents);\n}\n');
    await index.update('src/router.ts');
    fake.requests.length = 0;
    await embeddings.refresh!(['src/router.ts']);
    assert.deepEqual(
      fake.requests.flatMap((r) => r.inputs.map((t) => t.split('\n')[0])),
      ['src/router.ts'],
    );
    const { hits } = await embeddings.similar(TASK);
    assert.deepEqual(hits.slice(0, 2).map((h) => h.path).sort(), ['src/ledger.ts', 'src/router.ts']);
  });
});
