import { fileURLToPath } from 'node:url';
import { ImportContextImpl, type ContextInit } from '../../../main/services/corpus/context';
import type { Importer, ImportRecord } from '../../../main/services/corpus/types';

export const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url));

export function fixture(...parts: string[]): string {
  return fixtures + parts.join('/');
}

/** Runs an importer over real files and collects everything it yields. */
export async function collect(
  importer: Importer,
  init: ContextInit,
): Promise<{ records: ImportRecord[]; ctx: ImportContextImpl }> {
  const ctx = new ImportContextImpl(init);
  const records: ImportRecord[] = [];
  for await (const r of importer.read(ctx)) records.push(r);
  return { records, ctx };
}

export function documents(records: ImportRecord[]) {
  return records.filter((r): r is Extract<ImportRecord, { kind: 'document' }> => r.kind === 'document');
}

export function pairs(records: ImportRecord[]) {
  return records.filter((r): r is Extract<ImportRecord, { kind: 'pair' }> => r.kind === 'pair');
}
