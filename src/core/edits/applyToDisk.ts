// Writes accepted plans to disk for the CLI. Each file is re-read first: if it changed since the run
// began, its blocks are matched again against the current text (rematchPlan). Writes are atomic (temp + rename).
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { nodeWorkspaceFiles } from './nodeWorkspaceFiles';
import type { EditOutcome } from '../trace/editOutcomes';
import { rematchPlan } from './rematch';
import { checkPath } from './safePath';
import type { FileEditPlan } from './types';

export interface AppliedFile extends EditOutcome {
  status: 'applied' | 'failed' | 'refused';
  /** True when the file had changed since the run began and the blocks were matched again. */
  replanned?: boolean;
}

export async function applyPlansToDisk(root: string, plans: FileEditPlan[]): Promise<AppliedFile[]> {
  const ws = nodeWorkspaceFiles(root);
  const results: AppliedFile[] = [];
  for (const plan of plans) {
    if (plan.status !== 'proposed') {
      results.push({ path: plan.path, status: plan.status, reason: plan.reason ?? `${plan.path} was not applied.` });
      continue;
    }
    const check = await checkPath(ws, plan.path);
    if (!check.ok) {
      results.push({ path: plan.path, status: 'refused', reason: `Refused: ${check.reason}` });
      continue;
    }
    try {
      results.push(await applyOne(plan, check.abs, await ws.read(check.rel)));
    } catch (e) {
      results.push({ path: plan.path, status: 'failed', reason: `${plan.path} could not be written: ${(e as Error).message}` });
    }
  }
  return results;
}

async function applyOne(plan: FileEditPlan, abs: string, current: string | null): Promise<AppliedFile> {
  const r = rematchPlan(plan, current);
  if (!r.ok) return { path: plan.path, status: 'failed', reason: r.reason, replanned: true };
  const { plan: effective, rematched: replanned } = r;
  if (effective.action === 'delete') {
    await fs.rm(abs, { force: true });
    return { path: plan.path, status: 'applied', reason: null, replanned };
  }
  const text = effective.proposed;
  if (text === null || (text === '' && current !== null && current !== '')) {
    return { path: plan.path, status: 'failed', reason: `${plan.path} was not written: the plan has no content.`, replanned };
  }
  await writeAtomic(abs, text);
  return { path: plan.path, status: 'applied', reason: null, replanned };
}

/** Writes next to the target and renames over it, so a reader never sees a half-written file. */
export async function writeAtomic(abs: string, text: string): Promise<void> {
  // Write through a symlink to its target, so the link stays a link.
  const target = await fs.realpath(abs).catch(() => abs);
  const dir = path.dirname(target);
  await fs.mkdir(dir, { recursive: true });
  const mode = await fs.stat(target).then((s) => s.mode & 0o7777, () => undefined);
  const tmp = path.join(dir, `.${path.basename(target)}.fugu-${process.pid}-${randomBytes(4).toString('hex')}.tmp`);
  try {
    const fh = await fs.open(tmp, 'wx', mode ?? 0o666);
    try {
      await fh.writeFile(text, 'utf8');
      if (mode !== undefined) await fh.chmod(mode);
      await fh.sync();
    } finally {
      await fh.close();
    }
    await fs.rename(tmp, target);
  } catch (e) {
    await fs.rm(tmp, { force: true }).catch(() => undefined);
    throw e;
  }
}
