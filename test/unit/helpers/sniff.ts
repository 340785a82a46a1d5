import { openSync, readSync, closeSync, statSync, readdirSync } from 'node:fs';
import { basename } from 'node:path';
import type { Importer, SniffInput } from '../../../main/services/corpus/types';

/**
 * Builds the SniffInput the runner would build for these paths (64 KiB head,
 * '' for binary), so sniff tests see what detection sees.
 */
export function sniffInput(paths: string[]): SniffInput {
  const path = paths[0];
  const isDirectory = statSync(path).isDirectory();
  let headBytes = Buffer.alloc(0);
  if (!isDirectory) {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      const n = readSync(fd, buf, 0, buf.length, 0);
      headBytes = buf.subarray(0, n);
    } finally {
      closeSync(fd);
    }
  }
  const head = isDirectory || headBytes.includes(0) ? '' : new TextDecoder('utf-8').decode(headBytes);
  return {
    path,
    isDirectory,
    name: basename(path).toLowerCase(),
    head,
    headBytes,
    entries: isDirectory ? readdirSync(path).map((e) => e.toLowerCase()) : [],
    pathCount: paths.length,
  };
}

/** The format whose importer is most confident about these paths. */
export function detect(importers: Importer[], paths: string[]): string | null {
  const input = sniffInput(paths);
  let best: { format: string; score: number } | null = null;
  for (const imp of importers) {
    const score = imp.sniff(input);
    if (score > 0 && (!best || score > best.score)) best = { format: imp.format, score };
  }
  return best?.format ?? null;
}
