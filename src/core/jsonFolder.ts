// A folder of JSON files, one per name, bounded (the oldest removed), that several processes may share:
// a file is written whole (a temporary name, then rename), and one that cannot be read or parsed is
// simply missing. Names are checked here, so nothing a client sends can choose a path.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Letters, digits, "_" and "-": never a path, "..", or a hidden temporary file. */
const SAFE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
/** A temporary file this old was left by a process that died while writing it. */
const ABANDONED_MS = 60_000;

export class JsonFolder {
  constructor(
    readonly dir: string,
    private readonly maxFiles: number,
  ) {}

  /** Creates the folder; throws when it cannot. */
  async open(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
  }

  /** Writes `<name>.json` whole, then removes the oldest files past the bound. An unsafe name writes nothing. */
  async write(name: string, value: unknown): Promise<void> {
    if (!SAFE_NAME.test(name)) return;
    const tmp = join(this.dir, `.${name}.${randomUUID()}.tmp`);
    try {
      await writeFile(tmp, JSON.stringify(value));
      await rename(tmp, join(this.dir, `${name}.json`));
    } catch (err) {
      await rm(tmp, { force: true });
      throw err;
    }
    await this.prune();
  }

  /** The parsed `<name>.json`; undefined when the name is unsafe or the file is missing, unreadable or not JSON. */
  async read(name: string): Promise<unknown> {
    if (!SAFE_NAME.test(name)) return undefined;
    try {
      return JSON.parse(await readFile(join(this.dir, `${name}.json`), 'utf8'));
    } catch {
      return undefined;
    }
  }

  private async prune(): Promise<void> {
    const all = await readdir(this.dir);
    const mtime = async (n: string) => (await stat(join(this.dir, n)).catch(() => null))?.mtimeMs ?? 0;
    // A temporary file outlives its write only when a process died mid-write (any instance's).
    const abandoned = all.filter((n) => n.endsWith('.tmp'));
    const now = Date.now();
    await Promise.all(abandoned.map(async (n) => (now - (await mtime(n)) > ABANDONED_MS ? rm(join(this.dir, n), { force: true }) : undefined)));
    const names = all.filter((n) => n.endsWith('.json'));
    if (names.length <= this.maxFiles) return;
    const dated = await Promise.all(names.map(async (n) => ({ n, t: await mtime(n) })));
    dated.sort((a, b) => a.t - b.t);
    await Promise.all(dated.slice(0, dated.length - this.maxFiles).map(({ n }) => rm(join(this.dir, n), { force: true })));
  }
}
