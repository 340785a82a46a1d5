import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import zlib from 'node:zlib';
import {
  parquetMetadataAsync,
  parquetReadObjects,
  parquetSchema,
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
  type SchemaTree,
} from 'hyparquet';
import { LangbridgeError } from '../../../api/errors';
import type { ImportContext, Importer, ImportRecord } from '../types';

/**
 * Parquet (Hugging Face datasets and most data tools) through hyparquet,
 * one row group at a time from a file-backed buffer: memory holds one row
 * group's columns, never the whole file.
 *
 * The text column is options.textColumn, else one named text/sentence/content,
 * else the first string column; options.langColumn names the language column.
 * Other scalar columns go to meta; list, struct and binary columns are not
 * read at all (they can be large and do not fit a row of meta).
 */
export const parquetImporter: Importer = {
  format: 'parquet',
  sniff({ name, isDirectory, headBytes }) {
    if (isDirectory) return 0;
    if (headBytes.subarray(0, 4).toString('latin1') === 'PAR1') return 0.99;
    // A .parquet name without the magic is a damaged file: claim it anyway,
    // so the user hears "not a Parquet file" rather than a text import of binary.
    return /\.parquet$/.test(name) ? 0.5 : 0;
  },
  async *read(ctx) {
    const path = ctx.paths[0];
    const file = basename(path);
    const fh = await open(path, 'r');
    try {
      yield* readParquet(ctx, fh, file);
    } finally {
      await fh.close();
    }
  },
};

const TEXT_NAMES = ['text', 'sentence', 'content'];

/** Codecs hyparquet leaves to the caller that Node can decode itself (zstd since Node 22.15). */
const compressors: Compressors = {
  GZIP: (input) => zlib.gunzipSync(input),
  BROTLI: (input) => zlib.brotliDecompressSync(input),
};
const zstd = (zlib as { zstdDecompressSync?: (b: Uint8Array) => Uint8Array }).zstdDecompressSync;
if (zstd) compressors.ZSTD = (input) => zstd(input);

async function* readParquet(ctx: ImportContext, fh: FileHandle, file: string): AsyncGenerator<ImportRecord> {
  const { size } = await fh.stat();
  // Like every importer, an empty file yields nothing; the runner reports it.
  if (size === 0) return;
  const buffer = fileBuffer(fh, size);
  const magic = Buffer.from(await buffer.slice(0, Math.min(4, size)));
  if (size < 12 || magic.toString('latin1') !== 'PAR1') {
    throw notParquet(file, 'it does not start with the PAR1 magic number');
  }
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(buffer);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    if (/footer != PAR1/.test(message)) {
      throw notParquet(file, 'it does not end with the PAR1 footer: the file looks truncated');
    }
    throw notParquet(file, `its metadata cannot be read: ${message}`);
  }

  const columns = chooseColumns(ctx, file, parquetSchema(metadata));
  let added = 0;
  let rowStart = 0;
  for (const group of metadata.row_groups) {
    if (ctx.signal.aborted) throw new LangbridgeError('cancelled', 'The import was cancelled.');
    const rowEnd = rowStart + Number(group.num_rows);
    let rows: Record<string, unknown>[];
    try {
      rows = await parquetReadObjects({ file: buffer, metadata, columns: columns.read, rowStart, rowEnd, compressors });
    } catch (err) {
      throw readError(file, err);
    }
    for (let i = 0; i < rows.length; i++) yield toRecord(rows[i], rowStart + i, columns, file);
    // Progress by the group's compressed size, which is what was read; the
    // footer and indexes are added at the end so the total is the file size.
    const groupBytes = group.columns.reduce((n, c) => n + Number(c.meta_data?.total_compressed_size ?? 0), 0);
    const step = Math.min(groupBytes, size - added);
    ctx.addBytes(step);
    added += step;
    rowStart = rowEnd;
  }
  ctx.addBytes(size - added);
}

interface Columns {
  text: string;
  lang?: string;
  meta: string[];
  read: string[];
}

function chooseColumns(ctx: ImportContext, file: string, schema: SchemaTree): Columns {
  const top = schema.children;
  const names = top.map((c) => c.element.name);
  const find = (spec: string, what: string): SchemaTree => {
    const exact = top.find((c) => c.element.name === spec);
    const loose = exact ?? top.find((c) => c.element.name.toLowerCase() === spec.toLowerCase());
    const byIndex = loose ?? (/^\d+$/.test(spec) ? top[Number(spec)] : undefined);
    if (!byIndex) {
      throw new LangbridgeError(
        'bad-input',
        `${file} has no ${what} column "${spec}": its columns are ${names.map((n) => `"${n}"`).join(', ')}.`,
        file,
      );
    }
    if (byIndex.children.length > 0) {
      throw new LangbridgeError('bad-input', `${file}: column "${byIndex.element.name}" is a list or struct, not text.`, file);
    }
    return byIndex;
  };
  let text: SchemaTree | undefined;
  if (ctx.options.textColumn !== undefined) text = find(ctx.options.textColumn, 'text');
  else {
    const strings = top.filter(isStringColumn);
    text =
      TEXT_NAMES.map((n) => strings.find((c) => c.element.name.toLowerCase() === n)).find((c) => c !== undefined) ??
      strings[0];
  }
  if (!text) {
    throw new LangbridgeError(
      'parse-error',
      `${file} has no text column: none of its columns (${names.join(', ')}) holds strings.`,
      file,
    );
  }
  const lang = ctx.options.langColumn !== undefined ? find(ctx.options.langColumn, 'language') : undefined;
  const meta = top
    .filter((c) => c !== text && c !== lang && isScalarColumn(c))
    .map((c) => c.element.name);
  const textName = text.element.name;
  const langName = lang?.element.name;
  return { text: textName, lang: langName, meta, read: [textName, ...(langName ? [langName] : []), ...meta] };
}

function isStringColumn(c: SchemaTree): boolean {
  const e = c.element;
  if (c.children.length > 0 || e.type !== 'BYTE_ARRAY') return false;
  const logical = e.logical_type?.type;
  return e.converted_type === 'UTF8' || logical === 'STRING' || logical === 'ENUM' || e.converted_type === 'ENUM';
}

/** Flat columns that make sense in meta: numbers, booleans, dates, strings; not raw bytes. */
function isScalarColumn(c: SchemaTree): boolean {
  const e = c.element;
  if (c.children.length > 0 || e.type === undefined) return false;
  if (e.type === 'BYTE_ARRAY' || e.type === 'FIXED_LEN_BYTE_ARRAY') {
    return isStringColumn(c) || e.converted_type === 'DECIMAL' || e.logical_type !== undefined;
  }
  return true;
}

function toRecord(row: Record<string, unknown>, index: number, columns: Columns, file: string): ImportRecord {
  const text = row[columns.text];
  if (text === null || text === undefined) return { kind: 'skip', reason: `row ${index}: no ${columns.text}` };
  if (typeof text !== 'string') {
    throw new LangbridgeError(
      'parse-error',
      `${file}, row ${index}: column "${columns.text}" holds ${text instanceof Uint8Array ? 'bytes' : typeof text}, not text; choose the text column in the import options.`,
      file,
    );
  }
  if (text.trim().length === 0) return { kind: 'skip', reason: `row ${index}: empty ${columns.text}` };
  const langValue = columns.lang !== undefined ? row[columns.lang] : undefined;
  const lang = typeof langValue === 'string' && langValue.length > 0 ? langValue : undefined;
  let meta: Record<string, unknown> | undefined;
  for (const name of columns.meta) {
    const v = row[name];
    if (v === null || v === undefined) continue;
    meta ??= {};
    meta[name] = jsonSafe(v);
  }
  return { kind: 'document', text, lang, ref: `row ${index}`, ...(meta ? { meta } : {}) };
}

/** Meta is stored as JSON: INT64 columns arrive as bigint, timestamps as Date. */
function jsonSafe(v: unknown): unknown {
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString();
  return v;
}

/** Reads slices of the open file on demand; hyparquet asks for the footer, then each row group's columns. */
function fileBuffer(fh: FileHandle, size: number): AsyncBuffer {
  return {
    byteLength: size,
    async slice(start: number, end: number = size): Promise<ArrayBuffer> {
      const length = Math.max(0, Math.min(end, size) - start);
      const out = new ArrayBuffer(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await fh.read(new Uint8Array(out, done, length - done), 0, length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === length ? out : out.slice(0, done);
    },
  };
}

function notParquet(file: string, why: string): LangbridgeError {
  return new LangbridgeError('parse-error', `${file}: not a Parquet file (${why})`, file);
}

function readError(file: string, err: unknown): LangbridgeError {
  if (err instanceof LangbridgeError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const codec = /unsupported compression codec: (\w+)/.exec(message)?.[1];
  if (codec) {
    return new LangbridgeError(
      'unsupported-format',
      `${file} is compressed with ${codec}, which Langbridge cannot read; save it with Snappy, gzip or zstd compression.`,
      file,
    );
  }
  return new LangbridgeError('parse-error', `${file}: the Parquet data is damaged (${message})`, file);
}
