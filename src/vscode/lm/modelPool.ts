// The worker pool written by "Fugu: Choose Models": one vscode-lm worker per chosen model.
import type { Role } from '../../core/workers/types';

export interface ChosenModel {
  vendor: string;
  id: string;
  family: string;
  name: string;
  role: Role;
}

/** A `fugu.workers` entry (the settings' shape, as parseConfig reads it). */
export interface LmWorkerSetting {
  id: string;
  provider: 'vscode-lm';
  vendor: string;
  model: string;
  role: Role;
  description: string;
}

const slug = (s: string) => s.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^-+|-+$/g, '') || 'model';

/**
 * Settings entries for the chosen models, in order. A model is named by its family (stable across
 * versions) unless two chosen models share vendor and family; ids are unique.
 */
export function poolFromChoices(chosen: ChosenModel[]): LmWorkerSetting[] {
  const families = new Map<string, number>();
  for (const c of chosen) families.set(`${c.vendor}/${c.family}`, (families.get(`${c.vendor}/${c.family}`) ?? 0) + 1);
  const ids = new Set<string>();
  return chosen.map((c) => {
    const model = (families.get(`${c.vendor}/${c.family}`) ?? 0) > 1 ? c.id : c.family;
    const base = slug(`${c.vendor}-${model}`);
    let id = base;
    for (let n = 2; ids.has(id); n++) id = `${base}-${n}`;
    ids.add(id);
    return { id, provider: 'vscode-lm', vendor: c.vendor, model, role: c.role, description: `${c.name}, through VS Code` };
  });
}
