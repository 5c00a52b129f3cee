// A BM25F index of the workspace's files with three fields: path parts, the names of the symbols the
// file defines, and its contents, all in code-aware terms (codeTokens.ts). A field's term counts are
// weighted and summed before saturation (BM25F), so a word in the path or a symbol name outweighs the
// same word in a comment. Files are added, replaced and removed one at a time; the symbols field can
// be filled in later (when the file's outline is parsed) without reading the contents again.
//
// Written here rather than taken from npm: the libraries weighed (minisearch, wink-bm25-text-search)
// score fields separately and sum them (not BM25F) and re-index a whole document to change one field.
import { codeTokens, countTokens, pathTokens } from './codeTokens';

export type LexicalField = 'path' | 'symbols' | 'text';

const FIELDS: LexicalField[] = ['path', 'symbols', 'text'];
/** How much one occurrence in each field counts (contents = 1). */
const WEIGHTS: Record<LexicalField, number> = { path: 5, symbols: 3, text: 1 };
/** Length normalisation per field. */
const B: Record<LexicalField, number> = { path: 0.3, symbols: 0.5, text: 0.75 };
const K1 = 1.2;
/** Query terms found in more than this share of the files are ignored. */
const COMMON = 0.5;
/** The contents are tokenized up to this many characters (a generated or minified file stays cheap). */
const MAX_TEXT = 200_000;

interface Doc {
  id: number;
  path: string;
  /** Term counts per field. */
  tf: Record<LexicalField, Map<string, number>>;
  len: Record<LexicalField, number>;
}

export interface LexicalHit {
  path: string;
  score: number;
  /** The query terms found, best-scoring first, with the fields they were found in. */
  matched: { term: string; fields: LexicalField[] }[];
}

export class LexicalIndex {
  private readonly docs = new Map<string, Doc>();
  private readonly byId = new Map<number, Doc>();
  /**
   * term → ids of the documents holding it now, in any field, ascending (arrays are cheaper than sets
   * to build; a new document's id is the highest, so adding one appends). Its length is the term's
   * document frequency.
   */
  private readonly postings = new Map<string, number[]>();
  private readonly totalLen: Record<LexicalField, number> = { path: 0, symbols: 0, text: 0 };
  private nextId = 0;

  get size(): number {
    return this.docs.size;
  }

  has(path: string): boolean {
    return this.docs.has(path);
  }

  /** Adds or replaces a file. */
  set(path: string, text: string, symbols: readonly string[] = []): void {
    this.remove(path);
    const doc: Doc = { id: this.nextId++, path, tf: { path: new Map(), symbols: new Map(), text: new Map() }, len: { path: 0, symbols: 0, text: 0 } };
    this.fill(doc, 'path', pathTokens(path));
    this.fill(doc, 'symbols', symbolTokens(symbols));
    doc.len.text = countTokens(text.length > MAX_TEXT ? text.slice(0, MAX_TEXT) : text, doc.tf.text);
    this.post(doc, 'text');
    this.docs.set(path, doc);
    this.byId.set(doc.id, doc);
  }

  /** Sets the names of the symbols a file defines (from its outline); a file not indexed is ignored. */
  setSymbols(path: string, symbols: readonly string[]): void {
    const doc = this.docs.get(path);
    if (!doc) return;
    this.clearField(doc, 'symbols');
    this.fill(doc, 'symbols', symbolTokens(symbols));
  }

  remove(path: string): void {
    const doc = this.docs.get(path);
    if (!doc) return;
    for (const f of FIELDS) this.clearField(doc, f);
    this.docs.delete(path);
    this.byId.delete(doc.id);
  }

  /** Files whose contents hold the term (already code-tokenized), at most `limit`. */
  filesWithTerm(term: string, limit = 500): string[] {
    const out: string[] = [];
    for (const id of this.live(term)) {
      const doc = this.byId.get(id)!;
      if (doc.tf.text.has(term)) out.push(doc.path);
      if (out.length >= limit) break;
    }
    return out;
  }

  /** Inverse document frequency of a term (0 for a term in no file). */
  idf(term: string): number {
    const n = this.postings.get(term)?.length ?? 0;
    if (n === 0) return 0;
    const N = this.docs.size;
    return Math.log(1 + (N - n + 0.5) / (n + 0.5));
  }

  /** Files ranked by BM25F for the query terms (already code-tokenized), best first. */
  search(terms: readonly string[], limit = 50): LexicalHit[] {
    const N = this.docs.size;
    if (N === 0) return [];
    const avg = Object.fromEntries(FIELDS.map((f) => [f, this.totalLen[f] / N || 1])) as Record<LexicalField, number>;
    const scores = new Map<number, { score: number; matched: { term: string; fields: LexicalField[]; s: number }[] }>();
    for (const term of new Set(terms)) {
      const ids = this.live(term);
      // A term in most files (`src`, `return`) tells them apart no better than chance.
      if (ids.length === 0 || (N >= 4 && ids.length > N * COMMON)) continue;
      const idf = this.idf(term);
      for (const id of ids) {
        const doc = this.byId.get(id)!;
        let wtf = 0;
        const fields: LexicalField[] = [];
        for (const f of FIELDS) {
          const tf = doc.tf[f].get(term);
          if (!tf) continue;
          fields.push(f);
          wtf += (WEIGHTS[f] * tf) / (1 - B[f] + (B[f] * doc.len[f]) / avg[f]);
        }
        const s = (idf * wtf) / (K1 + wtf);
        const entry = scores.get(id) ?? { score: 0, matched: [] };
        entry.score += s;
        entry.matched.push({ term, fields, s });
        scores.set(id, entry);
      }
    }
    return [...scores.entries()]
      .sort((a, b) => b[1].score - a[1].score || (this.byId.get(a[0])!.path < this.byId.get(b[0])!.path ? -1 : 1))
      .slice(0, limit)
      .map(([id, e]) => ({ path: this.byId.get(id)!.path, score: e.score, matched: e.matched.sort((x, y) => y.s - x.s).map(({ term, fields }) => ({ term, fields })) }));
  }

  private fill(doc: Doc, field: LexicalField, tokens: string[]): void {
    const tf = doc.tf[field];
    for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
    doc.len[field] = tokens.length;
    this.post(doc, field);
  }

  /** Adds a field's counted terms to the postings and the field's total length. */
  private post(doc: Doc, field: LexicalField): void {
    const tf = doc.tf[field];
    this.totalLen[field] += doc.len[field];
    const fresh = !this.byId.has(doc.id); // a document being added: no id of it is in the postings yet
    const [a, b] = FIELDS.filter((f) => f !== field).map((f) => doc.tf[f]);
    for (const t of tf.keys()) {
      if (a.has(t) || b.has(t)) continue;
      const ids = this.postings.get(t);
      if (!ids) this.postings.set(t, [doc.id]);
      else if (fresh) ids.push(doc.id);
      else ids.splice(firstAtLeast(ids, doc.id), 0, doc.id);
    }
  }

  private clearField(doc: Doc, field: LexicalField): void {
    const tf = doc.tf[field];
    const [a, b] = FIELDS.filter((f) => f !== field).map((f) => doc.tf[f]);
    for (const t of tf.keys()) {
      if (a.has(t) || b.has(t)) continue;
      const ids = this.postings.get(t);
      if (!ids) continue;
      const at = firstAtLeast(ids, doc.id);
      if (ids[at] === doc.id) ids.splice(at, 1);
      if (ids.length === 0) this.postings.delete(t);
    }
    this.totalLen[field] -= doc.len[field];
    doc.len[field] = 0;
    tf.clear();
  }

  /** The ids of the documents holding the term now. */
  private live(term: string): readonly number[] {
    return this.postings.get(term) ?? [];
  }
}

/** The index of the first id ≥ `id` in an ascending list. */
function firstAtLeast(ids: readonly number[], id: number): number {
  let lo = 0;
  let hi = ids.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ids[mid] < id) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function symbolTokens(symbols: readonly string[]): string[] {
  const out: string[] = [];
  for (const s of symbols) codeTokens(s, out);
  return out;
}
