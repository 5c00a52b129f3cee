// Whatever a conductor answers (garbage, near-misses, huge text, HTTP errors), a run ends with a
// final status, never runs a step a validated workflow did not name, and leaves no step open.
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { FuguConfig } from '../../../src/core/config';
import { runTask } from '../../../src/core/runTask';
import { validateWorkflow } from '../../../src/core/workflow/validateWorkflow';
import { reply, type FakeRequest, type Reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { configFor, poolFor, testKeys } from '../../support/pool';
import { assertFinishedTrace } from '../../support/traceInvariants';

const isConductor = (r: FakeRequest) => r.model === 'conductor-7b';
const pyList = (xs: unknown[]): string => `[${xs.map((x) => (typeof x === 'string' ? JSON.stringify(x) : Array.isArray(x) ? pyList(x) : String(x))).join(', ')}]`;

const accessEntry = fc.oneof(fc.constant<unknown[]>([]), fc.constant<unknown[]>(['all']), fc.array(fc.oneof(fc.integer({ min: -2, max: 6 }), fc.constant('all'), fc.string({ maxLength: 3 })), { maxLength: 3 }));
/** Three lists that are often valid, often a little wrong (ids out of range, forward access, lengths). */
const lists = fc
  .record({
    ids: fc.array(fc.integer({ min: -1, max: 5 }), { maxLength: 7 }),
    subtasks: fc.array(fc.oneof(fc.constant('Do the part you are best at.'), fc.string({ maxLength: 20 })), { maxLength: 7 }),
    access: fc.array(accessEntry, { maxLength: 7 }),
    json: fc.boolean(),
    prose: fc.string({ maxLength: 40 }),
  })
  .map(({ ids, subtasks, access, json, prose }) =>
    json
      ? `${prose}\n${JSON.stringify({ model_id: ids, subtasks, access_list: access })}`
      : `${prose}\nmodel_id = ${pyList(ids)}\nsubtasks = ${pyList(subtasks)}\naccess_list = ${pyList(access)}`,
  );
// Random lists are rarely all valid at once (equal lengths, ids in range, backward access), so valid
// workflows get a weight of their own: without them a run of 40 could, by chance, never use the conductor.
const validLists = fc
  .constantFrom('model_id = [1, 0]\nsubtasks = ["Plan the change.", "Write it."]\naccess_list = [[], ["all"]]', 'model_id = [0]\nsubtasks = ["Answer."]\naccess_list = [[]]', '{"model_id": [1, 0, 3], "subtasks": ["Plan", "Code", "Review"], "access_list": [[], [0], ["all"]]}')
  .chain((t) => fc.string({ maxLength: 40 }).map((prose) => `${prose}\n${t}`));
const answer: fc.Arbitrary<Reply> = fc.oneof(
  { weight: 3, arbitrary: validLists.map((t) => reply.text(t)) },
  { weight: 4, arbitrary: lists.map((t) => reply.text(t)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 200, unit: 'binary' }).map((t) => reply.text(t)) },
  { weight: 1, arbitrary: fc.constantFrom('model_id = [', 'model_id = [0]\nsubtasks = ["x"', '{"model_id": [0], "subtasks": ["a"], "access_list": [[]]}', 'model_id = []\nsubtasks = []\naccess_list = []').map((t) => reply.text(t)) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 30 }).map((n) => reply.text(`model_id = [${'9, '.repeat(n * 1000)}0]\n`.repeat(3))) },
  { weight: 1, arbitrary: fc.constantFrom<Reply>(reply.status(500), reply.status(401), reply.status(400), reply.malformed(1), reply.noFinish('model_id = [0]'), reply.cut('model_id = [0] subtasks', 2)) },
);

describe('runTask against any conductor answer (property)', function () {
  this.timeout(120_000);
  const fakes = useFakes({ resetEachTest: false });

  it('always ends with a final status, a reason unless it succeeded, only validated steps, nothing open', async () => {
    // Coder (Model 0), planner (Model 1), reviewer (Model 2); Model 3 is the conductor. Its timeout is
    // generous, so a loaded machine does not turn answers into fallbacks.
    const pool = poolFor(fakes);
    const workers = [pool[2], pool[1], { ...pool[0], role: 'reviewer' as const }];
    const config: FuguConfig = configFor(fakes, {
      workers,
      maxRetries: 0,
      policy: { backend: 'conductor', baseUrl: fakes.openai.url, model: 'conductor-7b', timeoutMs: 10_000 },
    });
    const seen = { used: 0, fellBack: 0, corrective: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(answer, { minLength: 4, maxLength: 4 }), fc.constantFrom('Add a greet() function to src/a.ts', 'What is 2 + 2?'), async (answers, task) => {
        fakes.reset();
        fakes.openai.on(isConductor, (() => {
          let i = 0;
          return () => answers[i++ % answers.length];
        })());
        const { trace } = await runTask({ task, config, keys: testKeys });
        assertFinishedTrace(trace);
        if (trace.rounds[0]?.policy.fallback) seen.fellBack++;
        else if (trace.rounds[0]) seen.used++;
        if (trace.rounds.some((r) => r.kind === 'corrective')) seen.corrective++;
        for (const r of trace.rounds) {
          if (r.kind === 'repair') continue;
          const check = validateWorkflow(r.workflow, { poolSize: workers.length, maxSteps: config.maxSteps, allowConductorStep: true });
          assert.ok(check.ok, `round ${r.index} ran an invalid workflow: ${!check.ok && check.error}`);
        }
        const workerCalls = fakes.all.reduce((n, f) => n + f.requests.filter((q) => !isConductor(q)).length, 0);
        const ranSteps = trace.rounds.flatMap((r) => r.steps).filter((s) => s.provider !== 'conductor' && s.startMs !== null).length;
        assert.equal(workerCalls, ranSteps, 'every worker call is a traced step');
        // The server sees a client's close a moment after the client let go.
        for (let t = 0; t < 500 && fakes.all.some((f) => f.stats.open > 0); t++) await new Promise((r) => setTimeout(r, 10));
        assert.equal(fakes.all.reduce((n, f) => n + f.stats.open, 0), 0, 'no request left open');
      }),
      { numRuns: 40, timeout: 30_000 },
    );
    // The generators must reach both sides, or the property proves little.
    assert.ok(seen.used > 0 && seen.fellBack > 0, JSON.stringify(seen));
  });
});
