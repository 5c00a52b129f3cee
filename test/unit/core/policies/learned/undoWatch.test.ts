import assert from 'node:assert/strict';
import { UNDO_WINDOW_MS } from '../../../../../src/core/policies/learned/rewards';
import { UndoWatch, reviewCounts } from '../../../../../src/core/policies/learned/undoWatch';

const file = (path: string, before = `old ${path}`) => ({ path, key: `file:///ws/${path}`, before });

describe('learned rewards: Undo of accepted edits', () => {
  it('an Undo that restores the text from before the edit, within two minutes, reverts that file once', () => {
    const w = new UndoWatch();
    w.accepted('run1', [file('a.py'), file('b.py')], 1000);
    assert.equal(w.undo('file:///ws/a.py', 'something else', 2000), null, 'an Undo of the user`s own typing is not a revert');
    assert.deepEqual(w.undo('file:///ws/a.py', 'old a.py', 3000), { runId: 'run1', path: 'a.py' });
    assert.equal(w.undo('file:///ws/a.py', 'old a.py', 4000), null, 'counted once');
    assert.deepEqual([...w.undonePaths('run1')], ['a.py']);
    assert.equal(w.watching(5000), true, 'b.py is still inside its window');
  });

  it('after the window the accept stands, and nothing is watched any more', () => {
    const w = new UndoWatch();
    w.accepted('run1', [file('a.py')], 1000);
    assert.equal(w.undo('file:///ws/a.py', 'old a.py', 1001 + UNDO_WINDOW_MS), null);
    assert.deepEqual([...w.undonePaths('run1')], []);
    assert.equal(w.watching(1001 + UNDO_WINDOW_MS), false);
  });

  it('two runs editing the same document: an Undo steps back through the newest first', () => {
    const w = new UndoWatch();
    w.accepted('run1', [file('a.py', 'v0')], 1000);
    w.accepted('run2', [file('a.py', 'v1')], 2000);
    assert.deepEqual(w.undo('file:///ws/a.py', 'v1', 3000), { runId: 'run2', path: 'a.py' });
    assert.deepEqual(w.undo('file:///ws/a.py', 'v0', 3500), { runId: 'run1', path: 'a.py' });
  });

  it('the review`s reward counts undone files as rejected', () => {
    const edits = [
      { path: 'a.py', status: 'applied' },
      { path: 'b.py', status: 'applied' },
      { path: 'c.py', status: 'rejected' },
      { path: 'd.py', status: 'failed' },
    ];
    assert.deepEqual(reviewCounts(edits, new Set()), { accepted: 2, rejected: 1 });
    assert.deepEqual(reviewCounts(edits, new Set(['a.py'])), { accepted: 1, rejected: 2 });
    assert.deepEqual(reviewCounts(edits, new Set(['a.py', 'b.py'])), { accepted: 0, rejected: 3 });
  });
});
