import { resolve, basename } from 'node:path';
import { ImportRequest, type ImportRequestParsed, type ImportSummary } from '../../api/schemas';
import { LangbridgeError } from '../../api/errors';
import type { Db } from '../../../db/open';
import { findSourceBySha } from '../../../db/queries/corpus';
import { ImportContextImpl } from './context';
import { chooseFormat, sniffInput } from './detect';
import { importers } from './importers/index';
import { contentSha256, totalSize } from './sha256';
import { writeImport, type ProgressReport } from './write-import';

export type { ProgressReport } from './write-import';

export interface RunOptions {
  signal?: AbortSignal;
  onProgress?: (p: ProgressReport) => void;
}

const PROGRESS_EVERY_MS = 250;

/**
 * Imports one file (or file pair, or folder) into the corpus in a single
 * transaction, with statistics written alongside. Runs wherever it is called:
 * the import service calls it inside a worker thread.
 */
export async function runImport(db: Db, request: ImportRequestParsed, opts: RunOptions = {}): Promise<ImportSummary> {
  const started = performance.now();
  const req = ImportRequest.parse(request);
  const paths = req.paths.map((p) => resolve(p));
  const signal = opts.signal ?? new AbortController().signal;
  const displayName = paths.map((p) => basename(p)).join(' + ');

  const sniff = await sniffInput(paths);
  let format = req.format === 'auto' ? null : req.format;
  if (!format) {
    format = chooseFormat(sniff).format;
    if (!format) throw new LangbridgeError('unsupported-format', `Langbridge does not recognise the format of ${displayName}; choose the format explicitly.`, displayName);
  }
  const importer = importers[format];
  if (format === 'moses' && paths.length !== 2) {
    throw new LangbridgeError('bad-input', 'A Moses/OPUS pair needs two files, one per language.');
  }

  // Identity first: a file already in the corpus adds nothing.
  let lastEmit = 0;
  const emit = (p: ProgressReport, force = false) => {
    const now = performance.now();
    if (force || now - lastEmit >= PROGRESS_EVERY_MS) {
      lastEmit = now;
      opts.onProgress?.(p);
    }
  };
  const sizeBytes = await totalSize(paths);
  let hashed = 0;
  const { sha256 } = await contentSha256(paths, (n) => {
    hashed += n;
    emit({ step: 'checking', done: hashed, total: sizeBytes, unit: 'bytes' });
  });
  const existing = findSourceBySha(db, sha256);
  if (existing) {
    throw new LangbridgeError(
      'duplicate-source',
      `${displayName} is already in the corpus as source #${existing.id} "${existing.name}" (imported ${existing.imported_at}); nothing was added.`,
      displayName,
    );
  }
  const total = (await importer.size?.(paths)) ?? sizeBytes;

  const ctx = new ImportContextImpl({
    paths,
    options: req.options,
    lang: req.lang,
    srcLang: req.srcLang,
    tgtLang: req.tgtLang,
    role: req.role,
    signal,
  });
  const summary = await writeImport(
    db,
    {
      source: {
        name: req.name ?? displayName,
        format,
        originalPath: paths.join(' + '),
        sha256,
        sizeBytes,
        license: req.license,
        notes: req.notes,
        options: { ...req.options, lang: req.lang, srcLang: req.srcLang, tgtLang: req.tgtLang, role: req.role },
      },
      displayName,
      total,
      lang: req.lang,
      srcLang: req.srcLang ?? req.lang,
      tgtLang: req.tgtLang,
      role: req.role,
    },
    importer.read(ctx),
    ctx,
    signal,
    emit,
  );
  return { ...summary, seconds: Math.round(performance.now() - started) / 1000 };
}

