// Continuations kept in a folder (server.traceDir): memory first, then one JSON file per key, bounded,
// shared by every instance on the folder; a bad file or an unsafe key is a miss, never an error.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { continuationKey, FolderContinuations, MemoryContinuations } from '../../../../src/core/agent/continuations';
import { JsonFolder } from '../../../../src/core/jsonFolder';
import type { WorkerConfig } from '../../../../src/core/config';
import { pendingSteps } from '../../../../src/core/executor';
import type { ResumePoint } from '../../../../src/core/runTypes';
import { emptyTrace } from '../../../../src/core/trace/reduce';
import { tempDir } from '../../../support/tempDir';

/** A run stopped at its step 2 for a client's tool, with the trace it had then. */
function point(traceId: string): ResumePoint {
  const workflow = { model_id: [0, 1, 2], subtasks: ['plan', 'plan', 'answer'], access_list: [[], [], [0, 1]] };
  const trace = emptyTrace();
  trace.id = traceId;
  const calls = [{ id: 'call_1', name: 'run_tests', arguments: '{}' }];
  const pool: WorkerConfig[] = [
    { id: 'gemini', provider: 'google', model: 'gemini-2.5-pro', role: 'planner' },
    { id: 'claude', provider: 'anthropic', model: 'claude-sonnet-4', role: 'planner' },
    { id: 'gpt', provider: 'openai', model: 'gpt-5', role: 'coder' },
  ];
  trace.rounds = [{ index: 0, kind: 'initial', workflow, policy: { backend: 'builtin', rawAnswers: [], rejections: [], fallback: null, usage: { inputTokens: 0, outputTokens: 0 }, costUsd: 0 }, steps: pendingSteps(workflow, pool), note: null }];
  trace.rounds[0].steps[2].toolCalls = calls;
  trace.status = 'succeeded';
  trace.final = { text: '', edits: [], toolCalls: calls, check: null };
  return { traceId, round: 0, workflow, outputs: ['plan A', 'plan B', ''], answerIndex: 2, trace };
}

describe('core/agent: continuations kept in a folder', () => {
  const storeOn = async (dir: string, memory = 0, maxFiles = 100) => {
    const folder = new JsonFolder(dir, maxFiles);
    await folder.open();
    return new FolderContinuations(new MemoryContinuations(memory), folder);
  };
  const key = (n: number) => continuationKey('fugu', [], [], [{ role: 'user', content: `task ${n}` }], {});

  it('two stores on one folder (two instances, or one restarted) see each other’s points, whole', async () => {
    const dir = tempDir('fugu-cont-');
    const a = await storeOn(dir, 16);
    const b = await storeOn(dir, 16);
    const kept = { ...point('run-1'), extraWorkers: [{ id: 'fugu', provider: 'openai' as const, model: 'fugu', role: 'any' as const }], futureField: { kept: true } };
    await a.set(key(1), kept);
    assert.deepEqual(await b.get(key(1)), kept, 'fields this version does not know are kept as written');
    assert.equal(await b.get(key(2)), undefined);
    assert.deepEqual(readdirSync(dir), [`${key(1)}.json`], 'one file, no temporary file left');
  });

  it('memory comes first: a point still in memory is used even when its file is gone', async () => {
    const dir = tempDir('fugu-cont-');
    const store = await storeOn(dir, 4);
    await store.set(key(1), point('run-1'));
    writeFileSync(join(dir, `${key(1)}.json`), 'not json');
    assert.equal((await store.get(key(1)))?.traceId, 'run-1');
  });

  it('the folder keeps the newest files only (oldest removed)', async () => {
    const dir = tempDir('fugu-cont-');
    const store = await storeOn(dir, 0, 2);
    for (const n of [1, 2, 3]) {
      await store.set(key(n), point(`run-${n}`));
      // File times decide which is oldest; make the order unambiguous on coarse clocks.
      utimesSync(join(dir, `${key(n)}.json`), n, n);
    }
    assert.deepEqual(readdirSync(dir).sort(), [`${key(2)}.json`, `${key(3)}.json`].sort());
    assert.equal(await store.get(key(1)), undefined);
    assert.equal((await store.get(key(3)))?.traceId, 'run-3');
  });

  it('a file that is unreadable or not a resume point is a miss', async () => {
    const dir = tempDir('fugu-cont-');
    const store = await storeOn(dir);
    const bad = {
      truncated: '{"traceId":"run-1","workflow":{"model_id":[0',
      noWorkflow: JSON.stringify({ traceId: 'run-1', outputs: [], answerIndex: 0 }),
      wrongOutputs: JSON.stringify({ ...point('run-1'), outputs: [1, 2] }),
      answerPastTheEnd: JSON.stringify({ ...point('run-1'), answerIndex: 3 }),
      outputsNotPerStep: JSON.stringify({ ...point('run-1'), outputs: ['plan A'] }),
      noTrace: JSON.stringify({ ...point('run-1'), trace: undefined }),
      traceWithoutTheStep: JSON.stringify({ ...point('run-1'), round: 1 }),
      badTrace: JSON.stringify({ ...point('run-1'), trace: { ...point('run-1').trace, status: 'finished-ish' } }),
      notAnObject: '[]',
    };
    for (const [name, text] of Object.entries(bad)) writeFileSync(join(dir, `${name}.json`), text);
    for (const name of Object.keys(bad)) assert.equal(await store.get(name), undefined, name);
  });

  it('a key that is not a safe file name never touches the disk', async () => {
    const root = tempDir('fugu-cont-');
    const dir = join(root, 'continuations');
    const store = await storeOn(dir);
    writeFileSync(join(root, 'outside.json'), JSON.stringify(point('planted')));
    for (const k of ['../outside', '..', '', 'a/b', '.hidden', 'x'.repeat(500)]) {
      await store.set(k, point('run-x'));
      assert.equal(await store.get(k), undefined, `'${k.slice(0, 20)}' is a miss`);
    }
    assert.deepEqual(readdirSync(dir), [], 'nothing written in the folder');
    assert.deepEqual(readdirSync(root).sort(), ['continuations', 'outside.json'], 'nor beside it');
    assert.equal(existsSync(join(root, '.json')), false);
  });

  it('keys differ by profile, pool, instructions, conversation and offered tools', () => {
    const turns = [{ role: 'user' as const, content: 'fix it' }];
    const pool = [{ id: 'gpt', provider: 'openai' as const, model: 'gpt-5', role: 'coder' as const }];
    const base = continuationKey('fugu', pool, ['be brief'], turns, { tools: [{ name: 'shell', parameters: {} }] });
    assert.match(base, /^[0-9a-f]{64}$/, 'a key is always a safe file name');
    assert.equal(continuationKey('fugu', pool, ['be brief'], turns, { tools: [{ name: 'shell', parameters: {} }] }), base);
    assert.notEqual(continuationKey('fugu-ultra', pool, ['be brief'], turns, { tools: [{ name: 'shell', parameters: {} }] }), base);
    assert.notEqual(continuationKey('fugu', [{ ...pool[0], model: 'gpt-6' }], ['be brief'], turns, { tools: [{ name: 'shell', parameters: {} }] }), base, 'a restart with another pool misses');
    assert.notEqual(continuationKey('fugu', pool, [], turns, { tools: [{ name: 'shell', parameters: {} }] }), base);
    assert.notEqual(continuationKey('fugu', pool, ['be brief'], turns, {}), base);
  });
});
