// The context a task is sent with, ranked: what the user attached in chat > files the task names >
// open editors > files defining the identifiers it names > files those import or are imported by; cut
// to maxChars; the repository map fills what is left. Each file says why it was sent.
import { ATTACHED, folderFiles, notSent, type Attachments } from './attachments';
import { capContext, type CappedContext, type ContextCandidate } from './capContext';
import { repositoryMap } from './repoMap';
import { importWord, PathLookup, resolveImport } from './resolveImports';
import { taskTerms } from './taskTerms';
import type { CodeSymbol } from './types';
import type { WorkspaceIndex } from './workspaceIndex';

export interface RepoContextRequest {
  task: string;
  /** Without it (still being built) only the attachments and the open editors are sent. */
  index: WorkspaceIndex | undefined;
  maxChars: number;
  /** What the user attached to a chat request: ranked above everything else. */
  attached?: Attachments;
  /** What the editor has open, best first (the selection, the active file, the other editors), with reasons. */
  open?: ContextCandidate[];
  /** Files already inside the task (inline generation's own file): their neighbours count, they are not sent. */
  anchors?: string[];
}

/** The map's entry in the context list. */
export const MAP_PATH = '(repository map)';

const MAX_IDENTIFIERS = 8;
const MAX_DEFINERS = 4;
const MAX_CANDIDATES = 200;
const MAX_SEEDS = 8;
const MAX_NEIGHBOURS = 12;

export async function gatherRepoContext(req: RepoContextRequest): Promise<CappedContext> {
  const { index } = req;
  const attached = req.attached?.files ?? [];
  const open = req.open ?? [];
  const notes = [...(req.attached?.notes ?? [])];
  const openText = new Map([...attached, ...open].filter((c) => !c.note).map((c) => [c.path, c.text]));
  const taken = new Set<string>(req.anchors ?? []);
  const candidates: ContextCandidate[] = [];
  const textOf = async (p: string) => openText.get(p) ?? (await index?.text(p)) ?? '';
  const take = async (p: string, reason: string) => {
    if (taken.has(p)) return;
    taken.add(p);
    candidates.push({ path: p, text: await textOf(p), reason });
  };
  // A whole file is sent once, at its best rank; a part of one (a selection, an attached range) as well as the whole.
  const keepRanked = (list: ContextCandidate[]) => {
    for (const c of list) {
      if (taken.has(c.path) && !c.note) continue;
      candidates.push(c);
      if (!c.note) taken.add(c.path);
    }
  };

  // 0. Attached in chat, in the user's order; then the files of attached folders.
  keepRanked(attached);
  for (const folder of req.attached?.folders ?? []) {
    if (!index) {
      notes.push(notSent(`${folder}/`, 'the workspace index is not ready yet to list the folder'));
      continue;
    }
    const inside = folderFiles(folder, index.files().map((f) => f.path));
    if (inside.files.length === 0) notes.push(notSent(`${folder}/`, 'no text files of the workspace index are in it'));
    for (const p of inside.files) await take(p, `${ATTACHED}: folder ${folder}/`);
    if (inside.more > 0) notes.push(notSent(`${folder}/`, `${inside.more} more of its files (the first ${inside.files.length} are sent)`));
  }

  if (!index) {
    keepRanked(open);
    return { ...capContext(candidates, req.maxChars), notes: [...new Set(notes)] };
  }
  const files = new PathLookup(index.files().map((f) => f.path));
  const terms = taskTerms(req.task);

  // 1. Named in the task: by path, path suffix, base name, or (for identifiers) stem. A file the user
  // attached a part of is named by that attachment; it is not sent whole for it.
  const attachedPaths = new Set(attached.map((c) => c.path));
  for (const p of namedFiles(terms.paths, terms.identifiers, files)) if (!attachedPaths.has(p)) await take(p, 'named in the task');

  // 2. Open editors, as the editor ranked them.
  keepRanked(open);

  // 3. Files defining the identifiers the task names.
  const ids = terms.identifiers.slice(0, MAX_IDENTIFIERS);
  const definers = await Promise.all(ids.map((id) => definersOf(index, id)));
  for (let i = 0; i < ids.length; i++) for (const p of definers[i]) await take(p, `defines \`${ids[i]}\``);

  // 4. What those files import, and what imports them.
  const seeds = [...new Set([...(req.anchors ?? []), ...candidates.map((c) => c.path)])].filter((p) => index.has(p)).slice(0, MAX_SEEDS);
  let neighbours = 0;
  for (const n of await neighboursOf(index, seeds, files)) {
    if (neighbours >= MAX_NEIGHBOURS) break;
    if (taken.has(n.path)) continue;
    await take(n.path, n.reason);
    neighbours++;
  }

  const capped: CappedContext = { ...capContext(candidates, req.maxChars), notes: [...new Set(notes)] };
  // 5. The map fills what is left.
  const room = req.maxChars - capped.chars;
  if (room >= 200 && index.size > 0) {
    const map = await repositoryMap(index, room, capped.files.map((f) => f.path));
    if (map.files > 0) {
      const note = `${map.files} of ${map.files + map.omitted} files, ${map.withSymbols} with symbols`;
      capped.files.push({ path: MAP_PATH, text: map.text, reason: 'map', note });
      capped.chars += map.text.length;
    }
  }
  return capped;
}

/** Files the task names: exact paths, path suffixes, base names; identifiers matching a file's stem. */
function namedFiles(paths: string[], identifiers: string[], files: PathLookup): string[] {
  const out: string[] = [];
  for (const p of paths) {
    const clean = p.replace(/^\/+/, '');
    if (files.has(clean)) out.push(clean);
    else out.push(...files.endingWith(clean).slice(0, 3));
  }
  for (const id of identifiers) {
    for (const ext of ['.ts', '.tsx', '.js', '.jsx', '.mjs', '.py', '.go', '.rs', '.java']) out.push(...files.endingWith(`${id}${ext}`).slice(0, 2));
  }
  return [...new Set(out)];
}

/** Files whose outline defines `id` (as a function, class, method, type or constant), best first. */
async function definersOf(index: WorkspaceIndex, id: string): Promise<string[]> {
  const mentions = (await index.filesMentioning(id)).slice(0, MAX_CANDIDATES);
  const outlines = await Promise.all(mentions.map((p) => index.outline(p)?.catch(() => null) ?? null));
  const hits: { path: string; sym: CodeSymbol }[] = [];
  mentions.forEach((p, i) => {
    const sym = outlines[i]?.symbols.find((s) => s.name === id);
    if (sym) hits.push({ path: p, sym });
  });
  // A top-level definition before a method of the same name.
  hits.sort((a, b) => Number(a.sym.kind === 'method') - Number(b.sym.kind === 'method'));
  return hits.slice(0, MAX_DEFINERS).map((h) => h.path);
}

/** For each seed: the files it imports ("imported by seed"), then the files importing it ("imports seed"). */
async function neighboursOf(index: WorkspaceIndex, seeds: string[], files: PathLookup): Promise<{ path: string; reason: string }[]> {
  const out: { path: string; reason: string }[] = [];
  const languageOf = new Map(index.files().map((f) => [f.path, f.language]));
  for (const seed of seeds) {
    const lang = languageOf.get(seed);
    if (!lang) continue;
    const outline = await index.outline(seed)?.catch(() => null);
    for (const spec of outline?.imports ?? []) {
      for (const p of resolveImport(spec, seed, lang, files)) if (p !== seed) out.push({ path: p, reason: `imported by ${seed}` });
    }
    const mentions = (await index.filesMentioning(importWord(seed, lang))).filter((p) => p !== seed).slice(0, MAX_CANDIDATES);
    const outlines = await Promise.all(mentions.map((p) => index.outline(p)?.catch(() => null) ?? null));
    mentions.forEach((p, i) => {
      const l = languageOf.get(p);
      if (l && outlines[i]?.imports.some((spec) => resolveImport(spec, p, l, files).includes(seed))) out.push({ path: p, reason: `imports ${seed}` });
    });
  }
  return out;
}
