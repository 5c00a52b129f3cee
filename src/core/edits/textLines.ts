// A file's text as lines plus each line's own terminator, so edits keep CRLF files CRLF and keep
// "no newline at end of file" as it was.

export interface LineText {
  lines: string[];
  /** Terminator of each line: '\n', '\r\n', or '' for a last line without a newline. */
  eols: string[];
  /** The file's dominant terminator, used for lines an edit adds. */
  eol: '\n' | '\r\n';
}

export function splitText(text: string): LineText {
  const lines: string[] = [];
  const eols: string[] = [];
  let crlf = 0;
  let lf = 0;
  let start = 0;
  for (;;) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) {
      if (start < text.length) {
        lines.push(text.slice(start));
        eols.push('');
      }
      break;
    }
    const cr = nl > start && text.charCodeAt(nl - 1) === 13;
    lines.push(text.slice(start, cr ? nl - 1 : nl));
    eols.push(cr ? '\r\n' : '\n');
    if (cr) crlf++;
    else lf++;
    start = nl + 1;
  }
  return { lines, eols, eol: crlf > lf ? '\r\n' : '\n' };
}

export function joinText(doc: LineText): string {
  let out = '';
  for (let i = 0; i < doc.lines.length; i++) out += doc.lines[i] + doc.eols[i];
  return out;
}

/** Lines of a SEARCH or REPLACE part (whatever its line endings); a final newline adds no empty line. */
export function partLines(part: string): string[] {
  return splitText(part).lines;
}

/** Replaces lines [start, end) with `added`, in place, using the file's terminator for new lines. */
export function spliceLines(doc: LineText, start: number, end: number, added: string[]): void {
  const n = doc.lines.length;
  const addedEols = added.map(() => doc.eol as string);
  if (end === n && n > 0 && doc.eols[n - 1] === '') {
    // The edit reaches the end of a file that has no final newline: the new last line inherits that.
    if (added.length > 0) {
      addedEols[added.length - 1] = '';
      if (start === n) doc.eols[n - 1] = doc.eol;
    } else if (start > 0) {
      doc.eols[start - 1] = '';
    }
  }
  doc.lines.splice(start, end - start, ...added);
  doc.eols.splice(start, end - start, ...addedEols);
}
