/**
 * The checksum manifest of an export folder: every file (but manifest.json
 * itself) with its size and sha256, so a copy on another machine can be
 * checked with `sha256sum` or `langbridge`, plus where the model came from.
 */
import { createHash } from 'node:crypto';
import { createReadStream, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { CHECKSUM_MANIFEST_VERSION, ChecksumManifest, type ExportCheck, type ExportFile } from '../../api/model-schemas';
import { LangbridgeError } from '../../api/errors';

export const MANIFEST_FILE = 'manifest.json';

export function sha256File(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (b) => hash.update(b))
      .on('error', rej)
      .on('end', () => res(hash.digest('hex')));
  });
}

/** Every regular file under dir, as forward-slash paths relative to it, sorted (the manifest reads the same on every OS). */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(relative(dir, p).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}

/** Size and sha256 of every file of the folder except the manifest. */
export async function checksumFolder(dir: string, onFile?: (path: string, done: number, total: number) => void): Promise<ExportFile[]> {
  const paths = listFiles(dir).filter((p) => p !== MANIFEST_FILE);
  const files: ExportFile[] = [];
  for (const [i, path] of paths.entries()) {
    onFile?.(path, i, paths.length);
    const abs = join(dir, path);
    files.push({ path, bytes: statSync(abs).size, sha256: await sha256File(abs) });
  }
  return files;
}

export function writeManifest(dir: string, m: Omit<ChecksumManifest, 'formatVersion'>): ChecksumManifest {
  const manifest = ChecksumManifest.parse({ formatVersion: CHECKSUM_MANIFEST_VERSION, ...m });
  writeFileSync(join(dir, MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}

export function readManifest(dir: string): ChecksumManifest {
  const path = join(dir, MANIFEST_FILE);
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new LangbridgeError('parse-error', `${path}: cannot read the export's checksum manifest (${(err as Error).message.split('\n')[0]}).`, path);
  }
  const r = ChecksumManifest.safeParse(data);
  if (!r.success) throw new LangbridgeError('parse-error', `${path}: not a Langbridge export manifest (${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}).`, path);
  return r.data;
}

/**
 * Checks a folder against its manifest: a file missing, added, resized or
 * with another sha256 is named. Returns the problems (none: the copy is intact).
 */
export async function verifyFolder(dir: string): Promise<string[]> {
  const m = readManifest(dir);
  const problems: string[] = [];
  const present = new Set(listFiles(dir).filter((p) => p !== MANIFEST_FILE));
  for (const f of m.files) {
    if (!present.delete(f.path)) {
      problems.push(`${f.path} is missing`);
      continue;
    }
    const abs = join(dir, f.path);
    const bytes = statSync(abs).size;
    if (bytes !== f.bytes) problems.push(`${f.path} has ${bytes} bytes, the manifest says ${f.bytes}`);
    else if ((await sha256File(abs)) !== f.sha256) problems.push(`${f.path}: its sha256 differs from the manifest's`);
  }
  for (const extra of present) problems.push(`${extra} is not in the manifest`);
  return problems;
}

