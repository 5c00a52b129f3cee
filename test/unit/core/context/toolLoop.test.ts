// Planners read the workspace through read_file, search and list_dir: whole runs through each
// provider's real SDK against its fake, with the calls and results checked in the trace's order.
import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { FuguConfig, WorkerConfig } from '../../../../src/core/config';
import { runReadOnlyTool } from '../../../../src/core/context/toolLoop';
import { WorkspaceIndex } from '../../../../src/core/context/workspaceIndex';
import { nodeWorkspaceFiles } from '../../../../src/core/edits/nodeWorkspaceFiles';
import { runTask } from '../../../../src/core/runTask';
import type { TraceDocument, TraceEvent } from '../../../../src/core/trace/types';
import type { Provider } from '../../../../src/core/workers/types';
import { reply, startFakes, type FakeProvider, type Fakes } from '../../../fakes';
import { configWith, testKeys } from '../../../support/pool';
import { makeWorkspace, type TempWorkspace } from '../../../support/tempWorkspace';

const TASK = 'Make parsePrice accept commas';
const PRICE = 'export function parsePrice(text: string): number {\n  return Number(text);\n}\n';
const PROVIDERS: { provider: Provider; fake: (f: Fakes) => FakeProvider }[] = [
  { provider: 'openai', fake: (f) => f.openai },
  { provider: 'anthropic', fake: (f) => f.anthropic },
  { provider: 'google', fake: (f) => f.gemini },
];

describe('read-only tools in a run: planners read the workspace', () => {
  let fakes: Fakes;
  let ws: TempWorkspace;
  before(async () => (fakes = await startFakes()));
  after(() => fakes.close());
  beforeEach(async () => {
    fakes.reset();
    ws = await makeWorkspace({ 'src/price.ts': PRICE, 'src/cart.ts': "import { parsePrice } from './price';\n", '.git/config': '[core] GIT-SECRET\n' });
    await fs.writeFile(path.join(ws.outside, 'x'), 'OUTSIDE-SECRET\n');
  });
  afterEach(() => ws.cleanup());

  const workerAt = (provider: Provider, role: WorkerConfig['role']): WorkerConfig => {
    const url = { openai: fakes.openai.url, 'openai-compatible': fakes.openai.url, anthropic: fakes.anthropic.url, google: fakes.gemini.url }[provider as 'openai'];
    return { id: `${provider}-${role}`, provider, model: `${provider}-model`, baseUrl: url, role };
  };
  /** One planner on `planner`'s fake and a coder on another provider's. */
  const config = (planner: Provider, over: Partial<FuguConfig> = {}) =>
    configWith([workerAt(planner, 'planner'), workerAt(planner === 'anthropic' ? 'openai' : 'anthropic', 'coder')], { maxRecursion: 0, ...over });
  const run = async (cfg: FuguConfig, withIndex = true) => {
    const events: TraceEvent[] = [];
    const index = withIndex ? await WorkspaceIndex.build({ root: ws.root }) : undefined;
    const { trace } = await runTask({ task: TASK, config: cfg, keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), index, wantsEdits: true, onEvent: (e) => events.push(e) });
    return { trace, events };
  };
  const planner = (trace: TraceDocument) => trace.rounds[0].steps[0];
  const coderFake = (p: Provider) => (p === 'anthropic' ? fakes.openai : fakes.anthropic);

  for (const c of PROVIDERS) {
    it(`${c.provider}: a planner reads a file through read_file, and the trace shows the call, then its result, inside the step`, async () => {
      const fake = c.fake(fakes);
      fake.enqueue(
        reply.toolCalls([{ id: 'call_1', name: 'read_file', arguments: { path: 'src/price.ts' } }], { text: 'Let me read it.' }),
        reply.text('Plan: parsePrice strips commas before Number.'),
      );
      coderFake(c.provider).enqueue(reply.text('No edits needed.'));
      const { trace, events } = await run(config(c.provider));
      assert.equal(trace.status, 'succeeded', trace.error ?? '');

      // The model got the three tools, then the file's text as the tool's result.
      assert.equal(fake.requests.length, 2);
      assert.deepEqual(fake.requests[0].tools.map((t) => t.name), ['read_file', 'search', 'list_dir']);
      assert.equal(fake.requests[1].toolResults.length, 1);
      assert.match(fake.requests[1].toolResults[0].content, /export function parsePrice\(text: string\): number \{/);
      assert.deepEqual(fake.requests[1].toolCalls.map((t) => [t.name, JSON.parse(t.arguments)]), [['read_file', { path: 'src/price.ts' }]]);

      const step = planner(trace);
      assert.equal(step.status, 'succeeded');
      assert.equal(step.output, 'Let me read it.\n\nPlan: parsePrice strips commas before Number.');
      assert.equal(step.toolUses?.length, 1);
      const use = step.toolUses![0];
      assert.equal(use.name, 'read_file');
      assert.deepEqual(JSON.parse(use.arguments), { path: 'src/price.ts' });
      assert.equal(use.ok, true);
      assert.match(use.result ?? '', /^src\/price\.ts, lines 1-3 of 3:\nexport function parsePrice/);
      // Two model calls for the planner, one for the coder; the coder was offered no tools.
      assert.equal(trace.calls, 3);
      assert.deepEqual(coderFake(c.provider).lastRequest!.tools, []);

      const order = events
        .filter((e) => 'round' in e && 'index' in e && e.index === 0 && e.type !== 'step-delta')
        .map((e) => e.type);
      assert.deepEqual(order, ['step-started', 'step-tool-call', 'step-tool-result', 'step-finished']);
    });
  }

  it('a path outside the workspace, into .git or absolute is refused with a reason the model reads, and nothing is read', async () => {
    fakes.openai.enqueue(
      reply.toolCalls([
        { id: 'c1', name: 'read_file', arguments: { path: '../outside/x' } },
        { id: 'c2', name: 'read_file', arguments: { path: '.git/config' } },
        { id: 'c3', name: 'read_file', arguments: { path: path.join(ws.outside, 'x') } },
        { id: 'c4', name: 'list_dir', arguments: { path: '..' } },
      ]),
      reply.text('Plan without those files.'),
    );
    const { trace } = await run(config('openai'));
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    const results = fakes.openai.requests[1].toolResults;
    assert.deepEqual(results.map((r) => r.id), ['c1', 'c2', 'c3', 'c4']);
    assert.match(results[0].content, /read_file refused: "\.\.\/outside\/x" leaves the workspace/);
    assert.match(results[1].content, /read_file refused: "\.git\/config" is inside a \.git folder/);
    assert.match(results[2].content, /read_file refused: ".*" is an absolute path/);
    assert.match(results[3].content, /list_dir refused: "\.\." leaves the workspace/);
    assert.ok(results.every((r) => !/SECRET/.test(r.content)), 'no refused file was read');
    const uses = planner(trace).toolUses!;
    assert.deepEqual(uses.map((u) => u.ok), [false, false, false, false]);
    assert.deepEqual(uses.map((u) => u.result), results.map((r) => r.content), 'the trace holds what the model read');
    assert.equal(planner(trace).output, 'Plan without those files.');
  });

  it('a planner that sends (a+)+$ gets an error it can read, and the run goes on', async () => {
    await fs.writeFile(path.join(ws.root, 'src/trap.txt'), `${'a'.repeat(10_000)}!\n`);
    fakes.openai.enqueue(reply.toolCalls([{ id: 'c1', name: 'search', arguments: { pattern: '/(a+)+$/' } }]), reply.text('Plan without that search.'));
    fakes.anthropic.enqueue(reply.text('No edits needed.'));
    const { trace } = await run(config('openai'));
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.match(fakes.openai.requests[1].toolResults[0].content, /took longer than 800 ms and was stopped/);
    assert.equal(planner(trace).toolUses![0].ok, false);
    assert.equal(planner(trace).output, 'Plan without that search.');
  });

  it('the tool-call bound is kept: a 9th call is refused, the next turn asks for the answer, and the step finishes', async () => {
    const list = (n: number) => reply.toolCalls([{ id: `call_${n}`, name: 'list_dir', arguments: { path: '.' } }]);
    fakes.openai.enqueue(...Array.from({ length: 9 }, (_, n) => list(n + 1)), reply.text('Plan after looking around.'));
    const { trace } = await run(config('openai'));
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    const uses = planner(trace).toolUses!;
    assert.equal(uses.length, 9);
    assert.ok(uses.slice(0, 8).every((u) => u.ok && /src\/ \(2 files\)/.test(u.result ?? '')));
    assert.equal(uses[8].ok, false);
    assert.match(uses[8].result ?? '', /list_dir refused: this step may make at most 8 tool calls; answer now/);
    assert.equal(fakes.openai.requests.length, 10);
    assert.deepEqual(fakes.openai.requests.map((r) => r.toolChoice), [...Array(9).fill('auto'), 'none']);
    assert.equal(planner(trace).status, 'succeeded');
    assert.equal(planner(trace).output, 'Plan after looking around.');
  });

  it('a model that keeps calling after it was asked to answer ends the loop; the step still finishes', async () => {
    fakes.openai.setDefault(() => ({ kind: 'tools', calls: [{ name: 'search', arguments: { pattern: 'parsePrice' } }], text: 'Searching.' }));
    const { trace } = await run(config('openai', { tools: { maxCalls: 2 } }));
    // 2 calls, then a refused one, then the turn asked for the answer: four model calls in all.
    assert.equal(fakes.openai.requests.length, 4);
    const step = planner(trace);
    assert.equal(step.status, 'succeeded');
    assert.deepEqual(step.toolUses!.map((u) => u.ok), [true, true, false, false]);
    assert.match(trace.rounds[0].note ?? '', /Step 0 \(openai-planner\) stopped calling workspace tools: it kept calling tools after its 2 calls/);
  });

  it('no tools are offered with tools.maxCalls 0, or without a workspace index', async () => {
    fakes.openai.enqueue(reply.text('Plan A.'));
    await run(config('openai', { tools: { maxCalls: 0 } }));
    assert.deepEqual(fakes.openai.requests[0].tools, []);
    fakes.reset();
    fakes.openai.enqueue(reply.text('Plan B.'));
    const { trace } = await run(config('openai'), false);
    assert.deepEqual(fakes.openai.requests[0].tools, []);
    assert.equal(planner(trace).toolUses, undefined);
  });

  it('an endpoint that rejects tools (400): the step runs again without them, and the trace says so', async () => {
    fakes.openai.on((r) => r.tools.length > 0, reply.status(400, { message: "'tools' is not supported by this server" }));
    fakes.openai.enqueue(reply.text('Plan from the task alone.'));
    const { trace } = await run(config('openai-compatible'));
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.equal(fakes.openai.requests.length, 2);
    assert.deepEqual(fakes.openai.requests[0].tools.map((t) => t.name), ['read_file', 'search', 'list_dir']);
    assert.deepEqual(fakes.openai.requests[1].tools, []);
    const step = planner(trace);
    assert.equal(step.status, 'succeeded');
    assert.equal(step.output, 'Plan from the task alone.');
    assert.match(trace.rounds[0].note ?? '', /Step 0 \(openai-compatible-planner\) ran without workspace tools: its endpoint refused them \(.*not supported/);
  });

  it('the coder of a repair round may read the file its failed edit was for', async () => {
    const block = (search: string) => `src/price.ts\n\`\`\`ts\n<<<<<<< SEARCH\n${search}\n=======\n  return Number(text.replace(/,/g, ''));\n>>>>>>> REPLACE\n\`\`\`\n`;
    const cfg = configWith([workerAt('anthropic', 'coder')], { maxRecursion: 0 });
    fakes.anthropic.enqueue(
      reply.text(block('  return parseFloat(text);')),
      reply.toolCalls([{ id: 'toolu_1', name: 'read_file', arguments: { path: 'src/price.ts', startLine: 2, endLine: 2 } }]),
      reply.text(block('  return Number(text);')),
    );
    const { trace } = await run(cfg);
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    assert.deepEqual(trace.rounds.map((r) => r.kind), ['initial', 'repair']);
    assert.equal(trace.rounds[0].steps[0].toolUses, undefined, 'a coder outside a repair round gets no tools');
    assert.deepEqual(fakes.anthropic.requests[0].tools, []);
    const use = trace.rounds[1].steps[0].toolUses![0];
    assert.equal(use.result, 'src/price.ts, lines 2-2 of 3:\n  return Number(text);');
    assert.deepEqual(trace.final.edits.map((e) => e.status), ['proposed']);
  });
});

describe('a read-only tool call the model got wrong is a refusal it can read', () => {
  let ws: TempWorkspace;
  beforeEach(async () => (ws = await makeWorkspace({ 'src/price.ts': PRICE })));
  afterEach(() => ws.cleanup());

  it('names bad JSON, a missing argument and an unknown tool, and runs a good call', async () => {
    const tools = { index: await WorkspaceIndex.build({ root: ws.root }), files: nodeWorkspaceFiles(ws.root) };
    const call = (name: string, args: string) => runReadOnlyTool(tools, { id: 'x', name, arguments: args });
    assert.deepEqual(await call('read_file', '{"path": src'), { ok: false, error: 'read_file: the arguments are not valid JSON.' });
    assert.deepEqual(await call('read_file', '[1]'), { ok: false, error: 'read_file: the arguments must be a JSON object.' });
    assert.deepEqual(await call('search', '{"glob":"*.ts"}'), { ok: false, error: 'search: "pattern" must be a string.' });
    assert.deepEqual(await call('write_file', '{}'), { ok: false, error: 'There is no tool write_file; the tools are read_file, search, list_dir.' });
    assert.deepEqual(await call('search', '{"pattern":"Number("}'), { ok: true, text: 'src/price.ts:2: return Number(text);', truncated: false });
    assert.equal(await fs.readFile(path.join(ws.root, 'src/price.ts'), 'utf8'), PRICE, 'nothing was written');
  });
});
