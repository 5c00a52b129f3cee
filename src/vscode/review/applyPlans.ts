import * as vscode from 'vscode';
import { checkPath, rematchPlan } from '../../core/edits';
import type { FileEditPlan, WorkspaceFiles } from '../../core/edits/types';
import { openDocument, uriOf } from '../workspaceFiles';

export interface ApplyOutcome {
  applied: string[];
  failed: { path: string; reason: string }[];
  /** Paths whose blocks were matched again because the file changed after the run began. */
  rematched: string[];
  /** Files changed in place, with their document's URI and text before the edit (an Undo restores it). */
  before: { path: string; key: string; text: string }[];
}

interface Ready {
  plan: FileEditPlan;
  uri: vscode.Uri;
}

/**
 * Checks each plan against the file as it is now (the same rule as the CLI's disk apply). A file that
 * changed since the run began is matched again from the plan's blocks, so the user's newer text is
 * never overwritten blindly.
 */
async function prepare(plans: FileEditPlan[], root: vscode.Uri, ws: WorkspaceFiles, out: ApplyOutcome): Promise<Ready[]> {
  const ready: Ready[] = [];
  for (const plan of plans) {
    const check = await checkPath(ws, plan.path);
    if (!check.ok) {
      out.failed.push({ path: plan.path, reason: `Refused: ${check.reason}` });
      continue;
    }
    const r = rematchPlan(plan, await ws.read(check.rel));
    if (!r.ok) {
      out.failed.push({ path: plan.path, reason: r.reason });
      continue;
    }
    if (r.rematched) out.rematched.push(plan.path);
    ready.push({ plan: r.plan, uri: uriOf(root, plan.path) });
  }
  return ready;
}

/**
 * Applies the proposed plans as ONE WorkspaceEdit, so a single undo restores every file; files
 * that were saved before are saved again, unsaved ones stay unsaved.
 */
export async function applyPlans(plans: FileEditPlan[], root: vscode.Uri, ws: WorkspaceFiles): Promise<ApplyOutcome> {
  const out: ApplyOutcome = { applied: [], failed: [], rematched: [], before: [] };
  const ready = await prepare(plans, root, ws, out);
  if (ready.length === 0) return out;

  const edit = new vscode.WorkspaceEdit();
  const meta: vscode.WorkspaceEditEntryMetadata = { label: 'Fugu edit', needsConfirmation: false };
  const toSave: vscode.Uri[] = [];
  const before: ApplyOutcome['before'] = [];
  for (const { plan, uri } of ready) {
    if (plan.action === 'delete') {
      edit.deleteFile(uri, { ignoreIfNotExists: true }, meta);
    } else if (plan.original === null) {
      edit.createFile(uri, { ignoreIfExists: false, overwrite: false }, meta);
      edit.insert(uri, new vscode.Position(0, 0), plan.proposed ?? '', meta);
      toSave.push(uri);
    } else {
      const wasOpen = openDocument(uri);
      const doc = wasOpen ?? (await vscode.workspace.openTextDocument(uri));
      const text = doc.getText();
      const whole = new vscode.Range(doc.positionAt(0), doc.positionAt(text.length));
      edit.replace(uri, whole, plan.proposed ?? '', meta);
      before.push({ path: plan.path, key: doc.uri.toString(), text });
      if (!doc.isDirty) toSave.push(uri);
    }
  }
  const ok = await vscode.workspace.applyEdit(edit);
  if (!ok) {
    for (const { plan } of ready) out.failed.push({ path: plan.path, reason: `VS Code did not apply the edit to ${plan.path}.` });
    return out;
  }
  for (const uri of toSave) {
    const doc = openDocument(uri);
    if (doc?.isDirty) await doc.save();
  }
  for (const { plan } of ready) out.applied.push(plan.path);
  out.before = before;
  return out;
}
