import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { LangbridgeError, parseError } from '../../../api/errors';
import type { LineReader } from '../line-reader';
import type { ImportContext, Importer, ImportRecord, SniffInput } from '../types';

/**
 * CSV (RFC 4180) and TSV through csv-parse in streaming mode.
 *
 * The bytes go through ctx.openLines first, so BOMs, UTF-16, invalid UTF-8
 * and byte progress are handled where every other importer handles them; the
 * decoded lines are joined with '\n' again for csv-parse. Because that reader
 * drops the '\r' of CRLF line ends, a quoted field that spans lines gets '\n'
 * line breaks whatever the file had.
 *
 * TSV follows the IANA text/tab-separated-values definition: no quoting, a
 * '"' is an ordinary character. Corpus TSVs are full of sentences that open a
 * quotation on one line and close it on a later one; with CSV-style quoting
 * such a line would silently swallow the lines after it.
 */
export const csvImporter: Importer = {
  format: 'csv',
  sniff: (input) => sniffDelimited(input, ',', /\.csv$/),
  read: (ctx) => readDelimited(ctx, 'csv'),
};

export const tsvImporter: Importer = {
  format: 'tsv',
  sniff: (input) => sniffDelimited(input, '\t', /\.(tsv|tab)$/),
  read: (ctx) => readDelimited(ctx, 'tsv'),
};

type Delimited = 'csv' | 'tsv';

const TEXT_HEADERS = ['text', 'sentence', 'content'];
/** Characters, not bytes: a longer record is almost surely a quote that never closes. */
const MAX_RECORD_CHARS = 32 * 1024 * 1024;
/** Decoded text handed to the parser per write: fewer, larger writes are faster. */
const BATCH_CHARS = 64 * 1024;

function sniffDelimited({ name, isDirectory, head }: SniffInput, delimiter: string, ext: RegExp): number {
  if (isDirectory) return 0;
  // Below 0.9 so importers for CSV/TSV datasets with known columns (MMMLU) win.
  if (ext.test(name)) return 0.8;
  // Content alone: the same number of delimiters (at least one) on the first
  // complete lines. Weaker than a .txt name, since prose has commas too.
  const lines = head.split('\n').slice(0, -1).filter((l) => l.trim().length > 0).slice(0, 10);
  if (lines.length < 2) return 0;
  const counts = lines.map((l) => l.split(delimiter).length - 1);
  if (counts[0] === 0 || counts.some((c) => c !== counts[0])) return 0;
  return 0.4;
}

async function* readDelimited(ctx: ImportContext, format: Delimited): AsyncGenerator<ImportRecord> {
  const path = ctx.paths[0];
  const file = basename(path);
  const reader = ctx.openLines(path);
  const source = Readable.from(batches(reader), { objectMode: false });
  // Set by on_record, which runs as each record is parsed: when a quote never
  // closes, the record it opened starts after the last good one.
  let lastRecordLine = 0;
  const parser = parse({
    delimiter: format === 'tsv' ? '\t' : ',',
    quote: format === 'tsv' ? false : '"',
    record_delimiter: '\n',
    bom: false, // the line reader has already dropped it
    info: true,
    skip_empty_lines: true,
    // Counted here instead, to give a message in words and to let lines of
    // only spaces pass as blank.
    relax_column_count: true,
    max_record_size: MAX_RECORD_CHARS,
    on_record: (record: string[], context) => {
      lastRecordLine = context.lines;
      return record;
    },
  });
  // pipe() does not forward errors: an encoding error from the reader must end the parse.
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);

  const wantHeader = ctx.options.header;
  let header: string[] | undefined;
  let columns: Columns | undefined;
  try {
    for await (const chunk of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record } = chunk;
      // csv-parse counts the line a record ends on; step back over the line
      // breaks inside its quoted fields to name the line it starts on.
      const line = chunk.info.lines - newlines(record);
      if (record.length === 1 && record[0].trim().length === 0) continue;
      if (wantHeader && header === undefined) {
        header = record.map((h) => h.trim());
        columns = resolveColumns(ctx, file, header, record.length);
        continue;
      }
      columns ??= resolveColumns(ctx, file, undefined, record.length);
      if (record.length !== columns.width) {
        const what = header ? 'the header has' : 'the first row has';
        throw parseError(file, line, `${record.length} columns where ${what} ${columns.width}${hint(format, record.length, columns.width)}`);
      }
      const text = record[columns.text];
      if (text.trim().length === 0) {
        yield { kind: 'skip', reason: `empty ${columns.textName}`, line };
        continue;
      }
      let meta: Record<string, unknown> | undefined;
      for (let i = 0; i < record.length; i++) {
        if (i === columns.text || i === columns.lang) continue;
        meta ??= {};
        meta[columns.keys[i]] = record[i];
      }
      const lang = columns.lang !== undefined ? record[columns.lang].trim() || undefined : undefined;
      yield { kind: 'document', text, lang, line, ref: `line ${line}`, ...(meta ? { meta } : {}) };
    }
  } catch (err) {
    if (err instanceof CsvError) throw csvError(err, file, lastRecordLine);
    throw err;
  } finally {
    // Stops the line reader (and closes the file) when the caller stops early.
    source.destroy();
    parser.destroy();
  }
}

async function* batches(reader: LineReader): AsyncGenerator<string> {
  let buf = '';
  for await (const { text } of reader.lines()) {
    buf += text + '\n';
    if (buf.length >= BATCH_CHARS) {
      yield buf;
      buf = '';
    }
  }
  if (buf.length > 0) yield buf;
}

interface Columns {
  width: number;
  text: number;
  textName: string;
  lang?: number;
  /** Meta key of each column: its header name, or its index when there is no header. */
  keys: string[];
}

function resolveColumns(ctx: ImportContext, file: string, header: string[] | undefined, width: number): Columns {
  const find = (spec: string, what: string): number => {
    if (header) {
      const exact = header.indexOf(spec);
      if (exact >= 0) return exact;
      const loose = header.findIndex((h) => h.toLowerCase() === spec.trim().toLowerCase());
      if (loose >= 0) return loose;
    }
    if (/^\d+$/.test(spec) && Number(spec) < width) return Number(spec);
    const known = header ? `its columns are ${header.map((h) => `"${h}"`).join(', ')}` : `it has ${width} columns, numbered from 0`;
    throw new LangbridgeError('bad-input', `${file} has no ${what} column "${spec}": ${known}.`, file);
  };
  let text: number;
  if (ctx.options.textColumn !== undefined) text = find(ctx.options.textColumn, 'text');
  else {
    const lower = header?.map((h) => h.toLowerCase()) ?? [];
    const named = TEXT_HEADERS.map((h) => lower.indexOf(h)).find((i) => i >= 0);
    text = named ?? 0;
  }
  const lang = ctx.options.langColumn !== undefined ? find(ctx.options.langColumn, 'language') : undefined;
  const keys: string[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < width; i++) {
    let key = header?.[i] || (header ? `column ${i}` : String(i));
    // Two columns with one name must not overwrite each other in meta.
    if (seen.has(key)) key = `${key} (${i})`;
    seen.add(key);
    keys.push(key);
  }
  return { width, text, textName: header?.[text] ? `"${header[text]}"` : `column ${text}`, lang, keys };
}

function newlines(record: string[]): number {
  let n = 0;
  for (const field of record) {
    for (let i = field.indexOf('\n'); i >= 0; i = field.indexOf('\n', i + 1)) n++;
  }
  return n;
}

function hint(format: Delimited, got: number, want: number): string {
  if (format === 'csv' && got > want) return ' (a field with a comma must be in double quotes)';
  if (format === 'tsv' && got > want) return ' (a tab inside a field?)';
  return '';
}

/** csv-parse's errors, rewritten for the person who has to fix the file. */
function csvError(err: CsvError, file: string, lastRecordLine: number): LangbridgeError {
  const line = typeof err.lines === 'number' ? err.lines : undefined;
  switch (err.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return parseError(
        file,
        lastRecordLine + 1,
        `a quoted field starting here is never closed: the file ends inside it at line ${line}`,
      );
    case 'CSV_MAX_RECORD_SIZE':
      return parseError(
        file,
        lastRecordLine + 1,
        `a row longer than ${MAX_RECORD_CHARS / 1024 / 1024}M characters: most likely a quote that is never closed`,
      );
    case 'CSV_INVALID_CLOSING_QUOTE': {
      const got = /got "(.*?)"/.exec(err.message)?.[1];
      return parseError(
        file,
        line,
        `a quoted field is closed and then followed by ${got ? `"${got}"` : 'more text'}; write a quote inside a quoted field as ""`,
      );
    }
    // csv-parse names this code without its usual CSV_ prefix.
    case 'INVALID_OPENING_QUOTE':
      return parseError(
        file,
        line,
        'a quote inside an unquoted field; put the whole field in double quotes and write the quote as ""',
      );
    default:
      return parseError(file, line, err.message);
  }
}
