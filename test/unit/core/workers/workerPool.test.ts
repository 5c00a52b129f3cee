import assert from 'node:assert/strict';
import type { WorkerConfig } from '../../../../src/core/config';
import { runTask } from '../../../../src/core/runTask';
import { createOpenAIWorker } from '../../../../src/core/workers/openaiWorker';
import type { Worker, WorkerFactories, WorkerOptions } from '../../../../src/core/workers/types';
import { WorkerPool } from '../../../../src/core/workers/workerPool';
import { reply, type FakeSet } from '../../../fakes';
import { useFakes } from '../../../support/suiteFakes';
import { configFor, TEST_KEY } from '../../../support/pool';

const cfg: WorkerConfig = { id: 'gpt', provider: 'openai', model: 'gpt-5', baseUrl: 'http://127.0.0.1:9/v1', role: 'coder' };
const opts: WorkerOptions = { apiKey: 'key-a', timeoutMs: 1000, maxRetries: 0 };
const fakeWorker = (n: number): Worker => ({ id: `w${n}`, provider: 'openai', model: 'gpt-5', call: async () => { throw new Error('not called'); } });

describe('WorkerPool: workers kept across runs', () => {
  it('builds a worker once per config and key, and again when the key or an option changes', () => {
    const pool = new WorkerPool();
    let made = 0;
    const make = () => fakeWorker(++made);
    const first = pool.get(cfg, opts, make);
    assert.equal(pool.get({ ...cfg }, { ...opts }, make), first);
    assert.equal(made, 1);
    // Another timeout is another worker, kept beside the first.
    const slower = pool.get(cfg, { ...opts, timeoutMs: 2000 }, make);
    assert.notEqual(slower, first);
    assert.equal(pool.size, 2);
    // A changed key replaces the worker built with the old one.
    const rotated = pool.get(cfg, { ...opts, apiKey: 'key-b' }, make);
    assert.notEqual(rotated, first);
    assert.equal(pool.size, 2);
    assert.equal(pool.get(cfg, { ...opts, apiKey: 'key-b' }, make), rotated);
    assert.equal(made, 3);
  });

  it('keeps at most its limit, dropping the worker unused longest', () => {
    const pool = new WorkerPool(2);
    let made = 0;
    const make = () => fakeWorker(++made);
    const a = pool.get({ ...cfg, id: 'a' }, opts, make);
    pool.get({ ...cfg, id: 'b' }, opts, make);
    assert.equal(pool.get({ ...cfg, id: 'a' }, opts, make), a); // a used again: b is now the oldest
    pool.get({ ...cfg, id: 'c' }, opts, make);
    assert.equal(pool.size, 2);
    assert.equal(pool.get({ ...cfg, id: 'a' }, opts, make), a);
    assert.equal(made, 3);
    pool.get({ ...cfg, id: 'b' }, opts, make); // b was dropped: built again
    assert.equal(made, 4);
  });

  describe('in runTask', () => {
    const fakes = useFakes();

    // The openai workers are built through a counting factory; the real SDK worker does the calls.
    const counting = () => {
      const built: string[] = [];
      const factories: WorkerFactories = {
        openai: (c, o) => {
          built.push(c.id);
          return createOpenAIWorker(c, o);
        },
      };
      return { built, factories };
    };
    const pool = (f: FakeSet): WorkerConfig[] => [
      { id: 'planner', provider: 'openai', model: 'gpt-5-mini', baseUrl: f.openai.url, role: 'planner' },
      { id: 'coder', provider: 'openai', model: 'gpt-5', baseUrl: f.openai.url, role: 'coder' },
    ];
    const task = 'Add a greet(name) function to src/greet.ts';

    it('two runs sharing a pool build each worker once; without one, every run builds its own', async () => {
      fakes.openai.setDefault(() => reply.text('Done.'));
      const config = configFor(fakes, { workers: pool(fakes), maxRecursion: 0 });
      const keys = async () => TEST_KEY;
      const shared = new WorkerPool();
      const withPool = counting();
      for (let i = 0; i < 2; i++) {
        const { trace } = await runTask({ task, config, keys, workerFactories: withPool.factories, workerPool: shared });
        assert.equal(trace.status, 'succeeded', trace.error ?? '');
      }
      assert.deepEqual(withPool.built.sort(), ['coder', 'planner']);
      const without = counting();
      for (let i = 0; i < 2; i++) await runTask({ task, config, keys, workerFactories: without.factories });
      assert.deepEqual(without.built.sort(), ['coder', 'coder', 'planner', 'planner']);
    });

    it('a key that changed between runs is the one the next run sends', async () => {
      fakes.openai.setDefault(() => reply.text('Done.'));
      const config = configFor(fakes, { workers: pool(fakes), maxRecursion: 0 });
      const shared = new WorkerPool();
      const { factories } = counting();
      await runTask({ task, config, keys: async () => 'sk-first-0000000000000000', workerFactories: factories, workerPool: shared });
      const before = fakes.openai.requests.length;
      const { trace } = await runTask({ task, config, keys: async () => 'sk-second-000000000000000', workerFactories: factories, workerPool: shared });
      assert.equal(trace.status, 'succeeded', trace.error ?? '');
      const later = fakes.openai.requests.slice(before);
      assert.ok(later.length >= 2);
      assert.deepEqual([...new Set(later.map((r) => r.apiKey))], ['sk-second-000000000000000']);
    });
  });
});
