import assert from 'node:assert/strict';
import * as vscode from 'vscode';

const EXTENSION_ID = 'fugu-dev.fugu-vscode';

describe('the extension inside a real VS Code', () => {
  it('is loaded under its publisher and name', () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not among ${vscode.extensions.all.length} loaded extensions`);
    assert.equal(ext.packageJSON.name, 'fugu-vscode');
  });

  it('activates without throwing', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    assert.equal(ext.isActive, true);
  });

  it('opens the sample workspace and reads its files', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder is open');
    const doc = await vscode.workspace.openTextDocument(vscode.Uri.joinPath(folder.uri, 'src', 'cart.js'));
    assert.match(doc.getText(), /function applyDiscount/);
  });

  it('receives the environment the runner passes to the extension host', () => {
    assert.ok(process.env.FUGU_TEST_RESULTS, 'FUGU_TEST_RESULTS did not reach the extension host');
  });
});
