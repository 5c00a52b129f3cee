// The fingerprint of an attempt: what decides its outcome. A rerun whose fingerprint differs from the
// lines already in the results file is refused (stale results are never mixed in silently).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { FuguConfig } from '../config';
import { assembleMessages } from '../assembleMessages';
import { EDIT_FORMAT_INSTRUCTIONS } from '../edits';
import { builtinWorkflow } from '../policies/builtin';
import { conductorSystemPrompt, conductorTaskMessage, listsText } from '../policies/conductorPrompt';
import { endpointConductorConfig } from '../policies/conductor';
import { fuguWorkerConfig } from '../policies/fugu';
import { armConfig, type Arm } from './arms';
import type { Fingerprint } from './results';
import type { EvalTask } from './suite';

const hash = (parts: string[]) => {
  const h = createHash('sha256');
  for (const p of parts) h.update(`${p.length}:${p}`);
  return h.digest('hex').slice(0, 16);
};

async function filesUnder(root: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (dir: string) => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (e.isFile()) out.push(abs);
    }
  };
  await walk(root);
  return out;
}

/** A workspace's files, relative, with forward slashes. */
export async function workspaceFileList(root: string): Promise<string[]> {
  return (await filesUnder(root)).map((abs) => relative(root, abs).split(sep).join('/'));
}

/** The task's definition and, for a coding task, every file of its workspace (paths and bytes). */
export async function taskHash(task: EvalTask): Promise<string> {
  const parts = [JSON.stringify({ ...task, workspace: undefined })];
  if (task.kind === 'coding') {
    for (const abs of await filesUnder(task.workspace)) {
      parts.push(relative(task.workspace, abs).split(sep).join('/'), (await readFile(abs)).toString('base64'));
    }
  }
  return hash(parts);
}

const CANONICAL_POOL: FuguConfig['workers'] = [
  { id: 'a', provider: 'openai', model: 'm-a', role: 'planner' },
  { id: 'b', provider: 'anthropic', model: 'm-b', role: 'planner' },
  { id: 'c', provider: 'google', model: 'm-c', role: 'coder' },
];

/**
 * A hash of the words fugu itself sends, rendered for a fixed pool and task: the conductor's prompt,
 * the builtin policy's subtasks, a worker's messages and the edit format. Any change to them changes it.
 */
export function promptsVersion(): string {
  const config = { workers: CANONICAL_POOL, maxSteps: 5, maxRecursion: 1 } as unknown as FuguConfig;
  const task = 'Fix the bug in f.js.';
  const parts: string[] = [EDIT_FORMAT_INSTRUCTIONS, conductorTaskMessage(task)];
  for (const kind of ['coding', 'question', 'general'] as const) {
    parts.push(conductorSystemPrompt({ task, config, conductorMayReview: true, kind }));
    parts.push(listsText(builtinWorkflow(task, config, true, kind)));
  }
  parts.push(JSON.stringify(assembleMessages(task, [{ subtask: 'plan', output: 'the plan' }], 'write the code')));
  return hash(parts);
}

/** The models an arm calls (`id=provider/model`) and its policy. Base URLs are left out (a port changes nothing the models do). */
export function armSetup(arm: Arm, config: FuguConfig): { workers: string; policy: string } {
  const cfg = armConfig(arm, config);
  const workers = cfg.workers.map((w) => `${w.id}=${w.provider}/${w.model}${w.maxOutputTokens ? `@${w.maxOutputTokens}` : ''}`).join(',');
  let policy: string = cfg.policy.backend;
  if (arm.kind === 'policy' && arm.backend === 'conductor') policy = `conductor:${endpointConductorConfig(cfg)?.model ?? cfg.policy.worker ?? '?'}`;
  if (arm.kind === 'policy' && arm.backend === 'fugu') policy = `fugu:${fuguWorkerConfig(cfg).model}`;
  if (arm.kind === 'workflow') policy = `workflow:${arm.candidate}`;
  policy += `;maxSteps=${cfg.maxSteps};maxRecursion=${cfg.maxRecursion}`;
  return { workers, policy };
}

export function fingerprintOf(taskHashValue: string, arm: Arm, config: FuguConfig, prompts: string): Fingerprint {
  return { task: taskHashValue, arm: arm.name, ...armSetup(arm, config), prompts };
}
