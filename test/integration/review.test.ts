import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { Fakes } from '../fakes';
import { reply } from '../fakes';
import type { SolveOutcome } from '../../src/vscode/solve';
import { editBlock, openEditor, proposedDiffTabs, readDisk, useFakeProviders, waitFor, writeDisk } from './fuguSupport';

// The review as a keyboard user walks it: file after file, and across two runs.

const A = "'use strict';\nconst a = 1;\n";
const B = "'use strict';\nconst b = 1;\n";

function script(fakes: Fakes, coder: string): void {
  fakes.gemini.enqueue(reply.text('Plan: bump both constants.'));
  fakes.anthropic.enqueue(reply.text('Plan: set them to 2.'));
  fakes.openai.enqueue(reply.text(coder));
}

const BOTH = `Both to 2.\n\n${editBlock('rv/a.js', 'const a = 1;', 'const a = 2;')}\n${editBlock('rv/b.js', 'const b = 1;', 'const b = 2;')}`;

function solve(task: string): Thenable<SolveOutcome | undefined> {
  return vscode.commands.executeCommand<SolveOutcome | undefined>('fugu.solve', { task });
}

/** The Fugu diff whose modified side has keyboard focus, as "path" (or undefined). */
function focusedProposal(): string | undefined {
  const ed = vscode.window.activeTextEditor;
  return ed?.document.uri.scheme === 'fugu-proposed' ? ed.document.uri.path.replace(/^\//, '') : undefined;
}

describe('Review flow', function () {
  this.timeout(60_000);
  let fakes: Fakes;

  useFakeProviders((f) => (fakes = f), { beforeClose: () => vscode.commands.executeCommand('fugu.rejectAll') });
  beforeEach(async () => {
    await writeDisk('rv/a.js', A);
    await writeDisk('rv/b.js', B);
  });

  it('review keys: after Accept This File the next diff has the focus, so Reject This File acts on it', async () => {
    await openEditor('rv/a.js');
    script(fakes, BOTH);
    const out = await solve('Set both constants to 2');
    assert.equal(out?.trace.status, 'succeeded', out?.trace.error ?? '');
    await waitFor(() => focusedProposal() === 'rv/a.js', 'the first diff focused');

    await vscode.commands.executeCommand('fugu.acceptFile');
    assert.equal(await readDisk('rv/a.js'), "'use strict';\nconst a = 2;\n");
    // The keybindings' `when` needs a focused Fugu diff: focus must land on the next one.
    await waitFor(() => focusedProposal() === 'rv/b.js', `the next diff focused (active editor: ${vscode.window.activeTextEditor?.document.uri.toString()})`, 3000);

    await vscode.commands.executeCommand('fugu.rejectFile');
    assert.equal(await readDisk('rv/b.js'), B, 'the rejected file is untouched');
    assert.equal(proposedDiffTabs().length, 0, 'both diffs closed once decided');
    assert.deepEqual(out!.trace.final.edits.map((e) => [e.path, e.status]), [['rv/a.js', 'applied'], ['rv/b.js', 'rejected']]);
  });

  it('review supersede: a newer run on the same file replaces the older pending diff instead of opening a twin', async () => {
    await openEditor('rv/a.js');
    script(fakes, BOTH);
    const first = await solve('Set both constants to 2');
    assert.equal(first?.trace.status, 'succeeded', first?.trace.error ?? '');
    await waitFor(() => proposedDiffTabs().length === 2, 'the first review');

    script(fakes, `Only a.\n\n${editBlock('rv/a.js', 'const a = 1;', 'const a = 3;')}`);
    const second = await solve('Set a to 3');
    assert.equal(second?.trace.status, 'succeeded', second?.trace.error ?? '');
    await waitFor(() => proposedDiffTabs().length === 2, 'one diff per file');
    const titles = vscode.window.tabGroups.all.flatMap((g) => g.tabs).filter((t) => t.input instanceof vscode.TabInputTextDiff).map((t) => t.label);
    assert.equal(titles.filter((l) => l.startsWith('rv/a.js')).length, 1, `one diff of rv/a.js, not two: ${titles}`);
    // The older proposal for a.js is closed with its reason; b.js (not in the newer run) still waits.
    const older = first!.trace.final.edits.find((e) => e.path === 'rv/a.js')!;
    assert.equal(older.status, 'rejected');
    assert.match(older.reason ?? '', /newer Fugu run/);
    assert.equal(first!.trace.final.edits.find((e) => e.path === 'rv/b.js')!.status, 'proposed');

    await vscode.commands.executeCommand('fugu.acceptAll', second!.reviewId);
    assert.equal(await readDisk('rv/a.js'), "'use strict';\nconst a = 3;\n", 'the newer proposal is the one applied');
    await vscode.commands.executeCommand('fugu.rejectAll', first!.reviewId);
    assert.equal(await readDisk('rv/b.js'), B);
  });
});
