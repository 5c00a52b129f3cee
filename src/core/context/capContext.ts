import type { ContextFile } from '../runTypes';

export interface ContextCandidate {
  path: string;
  text: string;
  /** Why it is sent: 'named in the task', 'open', 'defines `parsePrice`', 'imported by a.ts', 'map'. */
  reason?: string;
  note?: string;
}

export interface CappedContext {
  files: ContextFile[];
  /** Paths left out because the cap was reached. */
  skipped: string[];
  chars: number;
  /** What the user attached that is not sent, and why (see `notSent`). */
  notes?: string[];
}

/** Below this much room a truncated file is more noise than help. */
const MIN_PARTIAL = 2_000;

/**
 * Keeps candidates in priority order until `maxChars` is spent; the first one that does not fit is
 * cut to a prefix (said so in its note) when enough room is left, the rest are listed as skipped.
 * Duplicate paths with the same note are sent once.
 */
export function capContext(candidates: ContextCandidate[], maxChars: number): CappedContext {
  const files: ContextFile[] = [];
  const skipped: string[] = [];
  const seen = new Set<string>();
  let chars = 0;
  for (const c of candidates) {
    const key = `${c.path}\u0000${c.note ?? ''}`;
    if (seen.has(key) || c.text.length === 0) continue;
    seen.add(key);
    const room = maxChars - chars;
    if (c.text.length <= room) {
      files.push({ path: c.path, text: c.text, ...(c.reason ? { reason: c.reason } : {}), ...(c.note ? { note: c.note } : {}) });
      chars += c.text.length;
    } else if (room >= MIN_PARTIAL) {
      const cut = c.text.slice(0, room);
      const note = `first ${cut.length} of ${c.text.length} characters${c.note ? `; ${c.note}` : ''}`;
      files.push({ path: c.path, text: cut, ...(c.reason ? { reason: c.reason } : {}), note });
      chars += cut.length;
    } else {
      skipped.push(c.path);
    }
  }
  return { files, skipped, chars };
}

/** One line per file for the output channel and the notification. */
export function describeContext(ctx: CappedContext): string {
  const parts = ctx.files.map(contextLine);
  const skipped = ctx.skipped.length ? `; left out (size cap): ${ctx.skipped.join(', ')}` : '';
  return `${parts.join(', ') || 'nothing'}${skipped}`;
}

/** How a sent file is named in the trace's context list: its path, then why it was sent and what part. */
export function contextLine(f: { path: string; reason?: string; note?: string }): string {
  const why = [f.reason, f.note].filter(Boolean).join('; ');
  return why ? `${f.path} (${why})` : f.path;
}
