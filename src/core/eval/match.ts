// Scoring an answer given in text against the suite's expected answer.

export type MatchKind = 'exact' | 'regex' | 'number' | 'choice';
export const MATCH_KINDS: readonly MatchKind[] = ['exact', 'regex', 'number', 'choice'];

/** The answer's last non-empty line without markdown emphasis, a label such as "Answer:" or a final period. */
function finalLine(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
  const last = lines[lines.length - 1] ?? '';
  return normalise(last.replace(/^(final answer|answer)\s*[:=-]\s*/i, ''));
}

function normalise(s: string): string {
  return s
    .replace(/[*_`]/g, '')
    .replace(/^(final answer|answer)\s*[:=-]\s*/i, '')
    .replace(/[.!]+$/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The last number written in the text (commas as thousands separators allowed). */
export function lastNumber(text: string): number | null {
  const found = text.match(/-?\d[\d,]*(?:\.\d+)?(?:e[+-]?\d+)?/gi);
  if (!found) return null;
  const n = Number(found[found.length - 1].replace(/,/g, ''));
  return Number.isFinite(n) ? n : null;
}

/** The last standalone choice letter (A–J), preferring one written after "answer". */
export function lastChoice(text: string): string | null {
  const labelled = [...text.matchAll(/answer\s*(?:is)?\s*[:=-]?\s*\(?\**([A-J])\b/gi)];
  if (labelled.length) return labelled[labelled.length - 1][1].toUpperCase();
  const bare = [...text.matchAll(/(?:^|[\s(*])([A-J])(?=[)\].:*]|\s*$)/gm)];
  return bare.length ? bare[bare.length - 1][1].toUpperCase() : null;
}

/**
 * Whether `text` answers `expected`:
 * - exact: the whole answer, or its last line, equals the expected text (case, emphasis and a final period ignored);
 * - regex: the expected pattern (case-insensitive) matches somewhere in the answer;
 * - number: the last number in the answer equals the expected one (relative tolerance 1e-6);
 * - choice: the chosen letter equals the expected one.
 */
export function matchAnswer(text: string, expected: string, kind: MatchKind): boolean {
  switch (kind) {
    case 'exact': {
      const want = normalise(expected);
      return normalise(text) === want || finalLine(text) === want;
    }
    case 'regex':
      return new RegExp(expected, 'i').test(text);
    case 'number': {
      const got = lastNumber(text);
      const want = Number(expected);
      if (got === null || !Number.isFinite(want)) return false;
      return Math.abs(got - want) <= 1e-6 * Math.max(1, Math.abs(want));
    }
    case 'choice':
      return lastChoice(text) === expected.trim().toUpperCase();
  }
}
