import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { LangbridgeError } from '../../api/errors';

async function hashFileInto(h: ReturnType<typeof createHash>, path: string, onBytes?: (n: number) => void): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    h.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
}

async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listFiles(p)));
    else if (e.isFile()) out.push(p);
  }
  return out.sort();
}

/**
 * The identity of what is imported: a file's sha256; for two files (a Moses
 * pair) or a folder, the sha256 over each file's relative name and hash, so
 * the same content is recognised wherever it lies.
 */
export async function contentSha256(paths: string[], onBytes?: (n: number) => void): Promise<{ sha256: string; sizeBytes: number }> {
  const st = await stat(paths[0]);
  if (paths.length === 1 && st.isFile()) {
    const h = createHash('sha256');
    await hashFileInto(h, paths[0], onBytes);
    return { sha256: h.digest('hex'), sizeBytes: st.size };
  }
  const outer = createHash('sha256');
  let size = 0;
  for (const p of paths) {
    const files = (await stat(p)).isDirectory() ? await listFiles(p) : [p];
    for (const f of files) {
      const h = createHash('sha256');
      await hashFileInto(h, f, onBytes);
      size += (await stat(f)).size;
      outer.update(`${paths.length === 1 ? relative(p, f) : ''}\0${h.digest('hex')}\n`);
    }
  }
  return { sha256: outer.digest('hex'), sizeBytes: size };
}

/** Bytes in the given files and folders (recursively); a missing path is a clear error. */
export async function totalSize(paths: string[]): Promise<number> {
  let size = 0;
  for (const p of paths) {
    const st = await stat(p).catch(() => {
      throw new LangbridgeError('not-found', `No such file or folder: ${p}`, p);
    });
    if (st.isDirectory()) for (const f of await listFiles(p)) size += (await stat(f)).size;
    else size += st.size;
  }
  return size;
}
