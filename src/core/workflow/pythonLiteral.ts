// Reads one Python literal (integers, strings, nested lists) from text, as data. Never evaluates anything.

export type Literal = number | string | Literal[];

export type LiteralRead = { ok: true; value: Literal; end: number } | { ok: false; error: string; at: number };

class LiteralError extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Reads the literal that starts at `start` (after optional whitespace). */
export function readLiteral(text: string, start: number): LiteralRead {
  try {
    const r = new Reader(text, start);
    r.skipSpace();
    const value = r.value(0);
    return { ok: true, value, end: r.pos };
  } catch (e) {
    if (e instanceof LiteralError) return { ok: false, error: e.message, at: e.at };
    throw e;
  }
}

const MAX_DEPTH = 32;

class Reader {
  constructor(
    readonly text: string,
    public pos: number,
  ) {}

  /** Skips whitespace and `#` comments, which may sit between list items. */
  skipSpace(): void {
    const t = this.text;
    while (this.pos < t.length) {
      const c = t[this.pos];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') this.pos++;
      else if (c === '#') {
        while (this.pos < t.length && t[this.pos] !== '\n') this.pos++;
      } else break;
    }
  }

  value(depth: number): Literal {
    const t = this.text;
    if (this.pos >= t.length) throw new LiteralError('the text ends where a value was expected', this.pos);
    const c = t[this.pos];
    if (c === '[') return this.list(depth);
    if (c === '"' || c === "'") return this.strings();
    if (c === '-' || c === '+' || (c >= '0' && c <= '9')) return this.number();
    const word = /^[A-Za-z_]\w*/.exec(t.slice(this.pos, this.pos + 40));
    if (word) throw new LiteralError(`found the name ${word[0]} where a number, string or list was expected`, this.pos);
    throw new LiteralError(`found ${JSON.stringify(c)} where a number, string or list was expected`, this.pos);
  }

  list(depth: number): Literal[] {
    if (depth >= MAX_DEPTH) throw new LiteralError(`lists are nested more than ${MAX_DEPTH} deep`, this.pos);
    const open = this.pos;
    this.pos++; // '['
    const items: Literal[] = [];
    for (;;) {
      this.skipSpace();
      if (this.pos >= this.text.length) throw new LiteralError('a list is not closed with "]"', open);
      if (this.text[this.pos] === ']') {
        this.pos++;
        return items;
      }
      items.push(this.value(depth + 1));
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === ',') {
        this.pos++;
      } else if (c === ']') {
        this.pos++;
        return items;
      } else if (c === undefined) {
        throw new LiteralError('a list is not closed with "]"', open);
      } else {
        throw new LiteralError(`expected "," or "]" in a list but found ${JSON.stringify(c)}`, this.pos);
      }
    }
  }

  number(): number {
    const m = /^[-+]?\d[\d_]*(\.\d*)?([eE][-+]?\d+)?/.exec(this.text.slice(this.pos, this.pos + 64));
    if (!m) throw new LiteralError('a sign is not followed by digits', this.pos);
    if (m[1] !== undefined || m[2] !== undefined) throw new LiteralError(`${m[0]} is not an integer`, this.pos);
    this.pos += m[0].length;
    const n = Number(m[0].replace(/_/g, ''));
    if (!Number.isSafeInteger(n)) throw new LiteralError(`${m[0]} is too large`, this.pos);
    return n;
  }

  /** Adjacent string literals join, as in Python ("a" "b" == "ab"). */
  strings(): string {
    let s = this.string();
    for (;;) {
      const save = this.pos;
      this.skipSpace();
      const c = this.text[this.pos];
      if (c === '"' || c === "'") s += this.string();
      else {
        this.pos = save;
        return s;
      }
    }
  }

  string(): string {
    const t = this.text;
    const open = this.pos;
    const q = t[this.pos];
    const triple = t.startsWith(q.repeat(3), this.pos);
    const delim = triple ? q.repeat(3) : q;
    this.pos += delim.length;
    let out = '';
    for (;;) {
      if (this.pos >= t.length) throw new LiteralError('a string is not closed', open);
      if (t.startsWith(delim, this.pos)) {
        this.pos += delim.length;
        return out;
      }
      const c = t[this.pos];
      if (c === '\\') {
        out += this.escape();
        continue;
      }
      // A raw line break ends a one-quote string in Python; a conductor that breaks a long
      // line by mistake loses nothing if we keep it, so we do.
      out += c;
      this.pos++;
    }
  }

  escape(): string {
    const t = this.text;
    const at = this.pos;
    const c = t[this.pos + 1];
    this.pos += 2;
    switch (c) {
      case undefined:
        throw new LiteralError('a string ends with a lone backslash', at);
      case 'n':
        return '\n';
      case 't':
        return '\t';
      case 'r':
        return '\r';
      case '0':
        return '\0';
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'v':
        return '\v';
      case 'a':
        return '\x07';
      case '\\':
      case "'":
      case '"':
        return c;
      case '\n':
        return ''; // line continuation
      case '\r':
        if (t[this.pos] === '\n') this.pos++;
        return '';
      case 'x':
        return this.hex(2, at);
      case 'u':
        return this.hex(4, at);
      case 'U':
        return this.hex(8, at);
      default:
        // Python keeps unknown escapes as written (e.g. "\d" in a regex).
        return '\\' + c;
    }
  }

  hex(digits: number, at: number): string {
    const h = this.text.slice(this.pos, this.pos + digits);
    if (h.length < digits || !/^[0-9a-fA-F]+$/.test(h)) {
      throw new LiteralError(`a \\${this.text[at + 1]} escape needs ${digits} hex digits`, at);
    }
    const code = parseInt(h, 16);
    if (code > 0x10ffff) throw new LiteralError(`\\U${h} is not a valid code point`, at);
    this.pos += digits;
    return String.fromCodePoint(code);
  }
}
