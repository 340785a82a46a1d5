import { open, readdir, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Format } from '../../api/schemas';
import { LangbridgeError } from '../../api/errors';
import { importers } from './importers/index';
import type { SniffInput } from './types';

const HEAD_BYTES = 64 * 1024;

export async function sniffInput(paths: string[]): Promise<SniffInput> {
  const path = paths[0];
  const st = await stat(path).catch(() => {
    throw new LangbridgeError('not-found', `No such file or folder: ${path}`, path);
  });
  if (st.isDirectory()) {
    const entries = (await readdir(path)).map((e) => e.toLowerCase());
    return { path, isDirectory: true, name: basename(path).toLowerCase(), head: '', headBytes: Buffer.alloc(0), entries, pathCount: paths.length };
  }
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(Math.min(HEAD_BYTES, st.size));
    await fh.read(buf, 0, buf.length, 0);
    let head = '';
    if (buf[0] === 0xff && buf[1] === 0xfe) head = new TextDecoder('utf-16le').decode(buf.subarray(2));
    else if (buf[0] === 0xfe && buf[1] === 0xff) head = new TextDecoder('utf-16be').decode(buf.subarray(2));
    else if (!buf.includes(0)) head = new TextDecoder('utf-8').decode(buf).replace(/^\uFEFF/, '');
    return { path, isDirectory: false, name: basename(path).toLowerCase(), head, headBytes: buf, entries: [], pathCount: paths.length };
  } finally {
    await fh.close();
  }
}

/** The most confident importer for these paths, with the runner-up's score for the reason. */
export function chooseFormat(input: SniffInput): { format: Format | null; reason: string } {
  let best: Format | null = null;
  let bestScore = 0;
  for (const imp of Object.values(importers)) {
    const s = imp.sniff(input);
    if (s > bestScore) {
      best = imp.format;
      bestScore = s;
    }
  }
  if (!best) return { format: null, reason: `Langbridge does not recognise the format of ${basename(input.path)}; choose one.` };
  const how = bestScore >= 0.5 ? 'from its name and content' : 'as a best guess';
  return { format: best, reason: `Detected ${best} ${how}.` };
}

/** Field names or column names from the first line of a JSONL/CSV/TSV file, for the mapping choice. */
export function headFields(format: Format | null, head: string): string[] {
  const first = head.split('\n', 1)[0]?.replace(/\r$/, '') ?? '';
  try {
    if (format === 'jsonl' || format === 'belebele' || format === 'xcopa') {
      const o = JSON.parse(first) as unknown;
      return o && typeof o === 'object' && !Array.isArray(o) ? Object.keys(o) : [];
    }
  } catch {
    return [];
  }
  if (format === 'csv' || format === 'mmmlu') return first.split(',').map((s) => s.replace(/^"|"$/g, '').trim());
  if (format === 'tsv') return first.split('\t').map((s) => s.trim());
  return [];
}
