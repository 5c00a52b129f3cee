import assert from 'node:assert/strict';
import type { FileEditPlan } from '../../../../src/core/edits/types';
import { emptyTrace } from '../../../../src/core/trace/reduce';
import type { TraceDocument } from '../../../../src/core/trace/types';
import { chatAnswer, type ChatAnswer } from '../../../../src/vscode/lm/chatAnswer';

function finished(over: Partial<TraceDocument> = {}): TraceDocument {
  return { ...emptyTrace(), id: 'run-1', status: 'succeeded', calls: 3, usage: { inputTokens: 1200, outputTokens: 300 }, costUsd: 0.01, ...over };
}

function plan(path: string, status: FileEditPlan['status'] = 'proposed', reason: string | null = null): FileEditPlan {
  return { path, action: 'modify', status, reason } as FileEditPlan;
}

/**
 * What VS Code's Chat still shows of a finished answer streamed as `answer` says (text, then each
 * button): it folds every part before the last unbroken run of text into "Completed N steps".
 */
function shownAfterFolding(answer: ChatAnswer): string[] {
  const parts = [{ kind: 'markdown', text: answer.markdown }, ...answer.buttons.map((b) => ({ kind: 'button', text: b.title }))];
  let start = parts.map((p) => p.kind === 'markdown' && p.text.length > 0).lastIndexOf(true);
  while (start > 0 && parts[start - 1].kind === 'markdown') start--;
  return parts.slice(start).map((p) => p.text);
}

describe('@fugu /solve: the answer in the Chat', () => {
  it('lists every proposed file in order, each with its Review button, none folded away', () => {
    const answer = chatAnswer(finished(), [plan('src/cart.js'), plan('src/cart.test.js')], 'review-1', []);
    assert.match(answer.markdown, /Fugu proposes changes to 2 files/);
    const entries = [...answer.markdown.matchAll(/^- `([^`]+)` \(modify\)$/gm)].map((m) => m[1]);
    assert.deepEqual(entries, ['src/cart.js', 'src/cart.test.js']);
    assert.deepEqual(answer.buttons.map((b) => [b.command, b.title, b.arguments]), [
      ['fugu.previewEdit', 'Review src/cart.js', ['review-1', 'src/cart.js']],
      ['fugu.previewEdit', 'Review src/cart.test.js', ['review-1', 'src/cart.test.js']],
      ['fugu.acceptAll', 'Accept All', ['review-1']],
      ['fugu.reviewEdits', 'Choose Files…', ['review-1']],
      ['fugu.showTrace', 'Show Trace', undefined],
    ]);
    const shown = shownAfterFolding(answer);
    assert.equal(shown[0], answer.markdown, 'the whole text stays in view');
    assert.deepEqual(shown.slice(1), answer.buttons.map((b) => b.title));
  });

  it('says the outcome first, then what was not sent, the checks\' verdict, and the edits; files that failed follow', () => {
    const trace = finished({ final: { text: '', edits: [], check: { command: 'npm test', outcome: 'passed' } as TraceDocument['final']['check'] } });
    const answer = chatAnswer(trace, [plan('a.js'), plan('b.js', 'failed', 'the search text is not in b.js')], 'r', ['x.png (not text)', 'x.png (not text)']);
    const at = (s: string) => answer.markdown.indexOf(s);
    assert.ok(at('**succeeded** · 3 calls') === 0, answer.markdown);
    assert.equal(answer.markdown.split('x.png (not text)').length, 2, 'a note is said once');
    assert.ok(at('Not sent:') < at('Checks pass') && at('Checks pass') < at('proposes changes to 1 file;'), answer.markdown);
    assert.ok(at('- `a.js` (modify)') < at('- `b.js` failed: the search text is not in b.js'), answer.markdown);
    assert.deepEqual(answer.buttons.map((b) => b.title), ['Review a.js', 'Accept All', 'Choose Files…', 'Show Trace']);
  });

  it('a run without edits gives its text; a failed run its error, with only the trace button', () => {
    assert.match(chatAnswer(finished({ final: { text: 'It adds.', edits: [], check: null } }), [], null, []).markdown, /It adds\./);
    const failed = chatAnswer(finished({ status: 'failed', error: 'Every planner failed.' }), [], null, []);
    assert.match(failed.markdown, /^\*\*failed\*\*[^]*Every planner failed\./);
    assert.deepEqual(failed.buttons.map((b) => b.command), ['fugu.showTrace']);
  });
});
