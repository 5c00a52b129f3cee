// The context a task is sent with, ranked: what the user attached in chat > files the task names >
// open editors > one fused ranking of the rest (files defining identifiers the task names, files
// matching its words, then their import and reference neighbours: rankFiles.ts). Files go whole when
// they fit their share, else as excerpts around what matched (packContext.ts); once files matched,
// the repository map gets at most a quarter of maxChars, and what a small repository's map leaves of
// its quarter goes back to the files when some were cut. Each file says why it was sent.
import { ATTACHED, folderFiles, notSent, type Attachments } from './attachments';
import type { EmbeddingSignal } from './embeddings/workspaceEmbeddings';
import { capContext, type CappedContext, type ContextCandidate } from './capContext';
import { repositoryMap } from './repoMap';
import type { PackCandidate } from './packContext';
import { PathLookup } from './resolveImports';
import { taskTerms } from './taskTerms';
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
  /** Embeddings, when turned on: one more ranking signal; what went wrong with it becomes a note. */
  embeddings?: EmbeddingSignal;
}

/** The map's entry in the context list. */
export const MAP_PATH = '(repository map)';

/** Once files matched, the map takes at most this share of the budget. */
const MAP_SHARE = 0.25;
/** A ranked file takes at most this share of the files' budget (more of it is sent as excerpts)... */
const FILE_SHARE = 0.35;
/** ...and at least this many characters. */
const MIN_SHARE = 8_000;

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

  // 3. One ranking of the rest: symbols the task names, its words, and the graph around them.
  const { rankFiles } = await import('./rankFiles.js');
  const seeds = [...new Set([...(req.anchors ?? []), ...candidates.map((c) => c.path)])].filter((p) => index.has(p));
  const similar = req.embeddings ? await req.embeddings.similar(req.task).catch((err: unknown) => ({ hits: [], note: `embeddings not used: ${String(err)}` })) : undefined;
  if (similar?.note) notes.push(similar.note);
  const ranking = await rankFiles(index, req.task, terms, files, { seeds, similar: similar?.hits });
  const before = candidates.length;
  const ranked: PackCandidate[] = [];
  for (const r of ranking.files) {
    if (taken.has(r.path)) continue;
    taken.add(r.path);
    ranked.push({ path: r.path, text: await textOf(r.path), reason: r.reasons.join('; '), defines: r.defines, uses: r.uses });
  }

  // 4. Files first; once any matched, the map gets at most a quarter of the budget.
  const matched = before + ranked.length > 0;
  const filesBudget = matched ? req.maxChars - Math.floor(req.maxChars * MAP_SHARE) : 0;
  const share = Math.max(MIN_SHARE, Math.floor(filesBudget * FILE_SHARE));
  const { packContext, minPart } = await import('./packContext.js');
  const pack = (budget: number) =>
    packContext([...candidates, ...ranked.map((c) => ({ ...c, share }))], budget, {
      weights: ranking.weights,
      named: terms.identifiers,
      symbolsOf: async (p: string) => (await index.outline(p)?.catch(() => null))?.symbols,
    });
  let packed = await pack(filesBudget);
  // 5. The map fills what is left, up to its share.
  const mapOf = async (files: CappedContext) => {
    const room = matched ? Math.min(req.maxChars - files.chars, Math.floor(req.maxChars * MAP_SHARE)) : req.maxChars - files.chars;
    return room >= 200 && index.size > 0 ? await repositoryMap(index, room, files.files.map((f) => f.path), files.skipped) : undefined;
  };
  let map = await mapOf(packed);
  // A map shorter than its share (a small repository) leaves its room to the files when some were cut
  // or left out: they are packed again with it, and the map drawn again around them.
  const spare = req.maxChars - packed.chars - (map?.text.length ?? 0);
  if (matched && spare >= minPart(filesBudget) && (packed.skipped.length > 0 || packed.files.some((f) => f.lines))) {
    packed = await pack(packed.chars + spare);
    map = await mapOf(packed);
  }
  const capped: CappedContext = { ...packed, notes: [...new Set(notes)] };
  if (map && map.files > 0) {
    const note = `${map.files} of ${map.files + map.omitted} files, ${map.withSymbols} with symbols`;
    capped.files.push({ path: MAP_PATH, text: map.text, reason: 'map', note });
    capped.chars += map.text.length;
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
