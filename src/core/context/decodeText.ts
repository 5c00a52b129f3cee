// When a file's bytes count as text for context: under the size cap, no NUL byte near the start, valid UTF-8.
// Shared by the workspace index and the files a user attaches in chat.
import type { SkipReason } from './types';

const UTF8 = new TextDecoder('utf-8', { fatal: true });

export function decodeText(bytes: Uint8Array, maxBytes: number): string | { skip: SkipReason } {
  if (bytes.length > maxBytes) return { skip: 'over the size cap' };
  if (bytes.subarray(0, 8000).includes(0)) return { skip: 'binary' };
  try {
    return UTF8.decode(bytes);
  } catch {
    return { skip: 'not UTF-8' };
  }
}
