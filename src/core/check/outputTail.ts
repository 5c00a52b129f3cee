import { stripVTControlCharacters } from 'node:util';

/** Keeps the last `max` bytes of a stream without holding all of it. */
export class OutputTail {
  private chunks: Buffer[] = [];
  private size = 0;
  private dropped = false;
  constructor(private readonly max: number) {}

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    // Trim only once twice the cap is held, so a chatty process costs one concat per `max` bytes.
    if (this.size > this.max * 2) this.compact();
  }

  private compact(): void {
    const all = Buffer.concat(this.chunks);
    const keep = all.subarray(Math.max(0, all.length - this.max));
    if (keep.length < all.length) this.dropped = true;
    this.chunks = [keep];
    this.size = keep.length;
  }

  /** The tail as text, ANSI codes stripped; a cut at the front is marked. */
  text(): string {
    this.compact();
    let s = Buffer.concat(this.chunks).toString('utf8');
    // A cut may split a multi-byte character; drop the broken remainder.
    if (this.dropped) s = `[… earlier output cut]\n${s.replace(/^\uFFFD+/, '')}`;
    return stripVTControlCharacters(s).replace(/\r\n?/g, '\n');
  }
}
