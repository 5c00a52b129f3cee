import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { fileUri, fuguApi, noticeMark, noticesSince, readDisk, writeDisk } from './fuguSupport';

describe('Learned policy outcomes: import and export', function () {
  this.timeout(30_000);

  it('Import adds the outcomes of a file (a line that is not one is skipped and counted); Export writes what the policy counts', async () => {
    const api = await fuguApi();
    const line = (c: string, r: number) => JSON.stringify({ f: [1, 4352], c, r, cost: 0.01, ms: 900 });
    await writeDisk('it/import.jsonl', [line('single(imported-a)', 1), 'not an outcome', line('single(imported-b)', 0)].join('\n') + '\n');
    const mark = noticeMark(api);
    await vscode.commands.executeCommand('fugu.importLearnedLog', fileUri('it/import.jsonl'));
    const imported = (await api.learnedOutcomes()).filter((o) => o.c.startsWith('single(imported-'));
    assert.deepEqual(imported.map((o) => [o.c, o.r]), [['single(imported-a)', 1], ['single(imported-b)', 0]]);
    assert.ok(noticesSince(api, mark).some((n) => /imported 2 outcomes \(1 line skipped/.test(n.text)), JSON.stringify(noticesSince(api, mark)));

    await vscode.commands.executeCommand('fugu.exportLearnedLog', fileUri('it/export.jsonl'));
    const exported = (await readDisk('it/export.jsonl'))!.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(exported.length, (await api.learnedOutcomes()).length);
    assert.ok(exported.some((o) => o.c === 'single(imported-b)' && o.r === 0));
  });
});
