// Embeddings on disk, one small file per (model, content hash), so a file whose text did not change
// is never embedded again, across runs and restarts. Bounded: past `maxBytes` per model the oldest
// entries go. Writes are atomic (a temporary file renamed), so a run cut short leaves no half vector.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Default bound per model: about ten thousand 1536-dimension vectors. */
export const CACHE_MAX_BYTES = 64 * 1024 * 1024;

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

export class EmbeddingCache {
  private readonly dir: string;
  private readonly memory = new Map<string, Float32Array>();
  private bytes: number | undefined;

  constructor(
    root: string,
    model: string,
    private readonly maxBytes = CACHE_MAX_BYTES,
  ) {
    // The model's name may hold characters a folder cannot; its hash cannot.
    this.dir = join(root, `${model.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 60)}-${contentHash(model).slice(0, 12)}`);
  }

  async get(hash: string): Promise<Float32Array | undefined> {
    const hit = this.memory.get(hash);
    if (hit) return hit;
    try {
      const buf = await readFile(this.file(hash));
      if (buf.byteLength === 0 || buf.byteLength % 4 !== 0) return undefined;
      const v = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
      this.memory.set(hash, v);
      return v;
    } catch {
      return undefined;
    }
  }

  async put(hash: string, v: Float32Array): Promise<void> {
    this.memory.set(hash, v);
    await mkdir(this.dir, { recursive: true });
    const tmp = join(this.dir, `.tmp-${randomBytes(6).toString('hex')}`);
    await writeFile(tmp, Buffer.from(v.buffer, v.byteOffset, v.byteLength));
    await rename(tmp, this.file(hash));
    this.bytes = (this.bytes ?? (await this.size())) + v.byteLength;
    if (this.bytes > this.maxBytes) await this.prune();
  }

  private file(hash: string): string {
    return join(this.dir, `${hash}.f32`);
  }

  private async entries(): Promise<{ path: string; size: number; mtime: number }[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const out = await Promise.all(
      names
        .filter((n) => n.endsWith('.f32'))
        .map(async (n) => {
          const s = await stat(join(this.dir, n)).catch(() => null);
          return s ? { path: join(this.dir, n), size: s.size, mtime: s.mtimeMs } : null;
        }),
    );
    return out.filter((e): e is NonNullable<typeof e> => e !== null);
  }

  private async size(): Promise<number> {
    return (await this.entries()).reduce((a, e) => a + e.size, 0);
  }

  /** Down to three quarters of the bound, oldest first. */
  private async prune(): Promise<void> {
    const all = (await this.entries()).sort((a, b) => a.mtime - b.mtime);
    let total = all.reduce((a, e) => a + e.size, 0);
    for (const e of all) {
      if (total <= this.maxBytes * 0.75) break;
      await unlink(e.path).catch(() => undefined);
      total -= e.size;
      this.memory.delete(e.path.slice(this.dir.length + 1, -4));
    }
    this.bytes = total;
  }
}

/** The CLI's cache folder for embeddings: $FUGU_CACHE_DIR, else $XDG_CACHE_HOME/fugu or ~/.cache/fugu; then `embeddings`. */
export function cliEmbeddingCacheDir(env: NodeJS.ProcessEnv, home: string): string {
  const base = env.FUGU_CACHE_DIR || join(env.XDG_CACHE_HOME || join(home, '.cache'), 'fugu');
  return join(base, 'embeddings');
}
