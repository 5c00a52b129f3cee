// `fugu solve --apply`: what was written reaches the trace as an event through the reducer, and the
// exit code follows the run's error kind.
import assert from 'node:assert/strict';
import { applyToWorkspace, exitCodeOf } from '../../../src/cli/solve';
import { nodeWorkspaceFiles } from '../../../src/core/edits';
import { runTask } from '../../../src/core/runTask';
import { applyEvent, emptyTrace } from '../../../src/core/trace/reduce';
import type { TraceEvent } from '../../../src/core/trace/types';
import { reply } from '../../fakes';
import { useFakes } from '../../support/suiteFakes';
import { configFor, poolFor, testKeys } from '../../support/pool';
import { blk } from '../../support/editCases';
import { makeWorkspace, type TempWorkspace } from '../../support/tempWorkspace';

describe('fugu solve --apply records through the reducer', () => {
  const fakes = useFakes({ resetEachTest: false });
  let ws: TempWorkspace;
  afterEach(async () => ws?.cleanup());

  it('the saved trace is exactly the fold of every event, the apply included', async () => {
    ws = await makeWorkspace({ 'a.ts': 'export const a = 1;\n', 'b.ts': 'export const b = 1;\n' });
    fakes.openai.enqueue(reply.text(blk('a.ts', 'export const a = 1;\n', 'export const a = 2;\n') + blk('b.ts', 'export const b = 1;\n', 'export const b = 2;\n')));
    const events: TraceEvent[] = [];
    const config = configFor(fakes, { workers: [poolFor(fakes)[2]], maxRecursion: 0 });
    const { trace, plans } = await runTask({ task: 'Set a and b to 2 in a.ts and b.ts', config, keys: testKeys, workspace: nodeWorkspaceFiles(ws.root), onEvent: (e) => events.push(e) });
    assert.equal(trace.status, 'succeeded', trace.error ?? '');
    // The user edits b.ts by hand before the apply, so that its block no longer matches.
    await (await import('node:fs/promises')).writeFile(`${ws.root}/b.ts`, 'export const b = 99;\n');

    const applied: TraceEvent[] = [];
    await applyToWorkspace(ws.root, trace, plans, (e) => {
      applied.push(e);
      applyEvent(trace, e);
    });
    assert.deepEqual(applied.map((e) => e.type), ['edits'], 'one event for the whole apply');
    assert.deepEqual(trace.final.edits.map((e) => [e.path, e.status]), [['a.ts', 'applied'], ['b.ts', 'failed']]);
    assert.match(trace.final.edits[1].reason!, /changed since the run began/);
    assert.deepEqual([...events, ...applied].reduce(applyEvent, emptyTrace()), trace, 'nothing reached the trace past the reducer');
    assert.equal(await ws.read('a.ts'), 'export const a = 2;\n');
  });

  it('exits 3 when the edits could not be made, 4 when they fail their check, 1 for any other failure', () => {
    assert.equal(exitCodeOf('edits'), 3);
    assert.equal(exitCodeOf('check'), 4);
    for (const kind of ['auth', 'rate_limit', 'timeout', 'network', 'bad_request', 'provider', 'policy', 'budget', 'cancelled', 'internal'] as const) {
      assert.equal(exitCodeOf(kind), 1, kind);
    }
  });
});
