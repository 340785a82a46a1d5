import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import { parseError } from '../../../api/errors';
import type { Importer } from '../types';

const REQUIRED = ['Question', 'A', 'B', 'C', 'D', 'Answer'] as const;

/**
 * MMMLU (OpenAI's professionally translated MMLU), one CSV per language named
 * like mmlu_SW_KE.csv. The files were written by pandas, so the first column
 * is usually an unnamed row index; that index is the same item in every
 * language, which is why it becomes the ref.
 */
export const mmmluImporter: Importer = {
  format: 'mmmlu',
  sniff({ name, isDirectory, head }) {
    if (isDirectory || !/\.csv$/.test(name)) return 0;
    const header = splitHeader(head.split('\n', 1)[0]);
    // Above the generic CSV importer, which would take any .csv.
    return REQUIRED.every((c) => header.includes(c)) ? 0.95 : 0;
  },
  async *read(ctx) {
    const path = ctx.paths[0];
    const file = basename(path);
    const lang = ctx.lang ?? mmmluFileLang(file);
    const reader = ctx.openLines(path);
    // Where a quoted field that is still open began: csv-parse only says
    // "not closed" at the end of the file, and the user needs the start.
    let inQuotes = false;
    let quoteOpenedAt = 0;
    async function* chunks(): AsyncGenerator<string> {
      for await (const { text, line } of reader.lines()) {
        const wasIn = inQuotes;
        // "" inside a field is two quotes, so parity alone tracks the state.
        for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) inQuotes = !inQuotes;
        if (!wasIn && inQuotes) quoteOpenedAt = line;
        yield text + '\n';
      }
    }
    // The parser sees lines already decoded and checked by the line reader;
    // CRLF inside a quoted field therefore arrives as \n.
    const parser = parse({ info: true, skip_empty_lines: true });
    const source = Readable.from(chunks());
    // pipe() does not pass the source's errors on (an encoding error, a
    // cancel), so hand them to the parser, whose iterator then throws them.
    source.on('error', (err) => parser.destroy(err));
    source.pipe(parser);

    let columns: Map<string, number> | null = null;
    let indexColumn = -1;
    let prevEnd = 0;
    let prevEmpty = 0;
    let row = 0;
    try {
      for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number; empty_lines: number } }>) {
        const { record, info } = item;
        // info.lines is the line a record ends on; a quoted newline makes a
        // record span lines, and users look for where it starts.
        const line = prevEnd + 1 + (info.empty_lines - prevEmpty);
        prevEnd = info.lines;
        prevEmpty = info.empty_lines;
        if (!columns) {
          columns = new Map(record.map((name, i) => [name.trim(), i]));
          const missing = REQUIRED.filter((c) => !columns!.has(c));
          if (missing.length > 0) {
            throw parseError(file, line, `the header has no ${missing.join(', ')} column; MMMLU files have Question, A, B, C, D, Answer, Subject.`);
          }
          indexColumn = columns.get('') ?? -1;
          continue;
        }
        const meta: Record<string, unknown> = {};
        for (const [name, i] of columns) if (name !== '') meta[name] = record[i];
        const answer = String(meta.Answer).trim();
        if (!/^[ABCD]$/.test(answer)) {
          throw parseError(file, line, `Answer should be A, B, C or D, not "${answer}".`);
        }
        const question = String(meta.Question);
        const id = indexColumn >= 0 && record[indexColumn].trim() !== '' ? record[indexColumn].trim() : String(row);
        if (indexColumn >= 0) meta.index = id;
        meta.benchmark = 'mmmlu';
        row++;
        if (question.trim().length === 0) {
          yield { kind: 'skip', reason: 'empty Question', line };
          continue;
        }
        yield { kind: 'document', text: question, lang, role: 'eval', ref: `mmmlu:${id}`, meta, line };
      }
    } catch (err) {
      if (err instanceof CsvError) {
        if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
          throw parseError(file, quoteOpenedAt, 'a quoted field opened on this line is never closed.');
        }
        throw parseError(file, typeof err.lines === 'number' ? err.lines : undefined, `not valid CSV: ${csvProblem(err)}`);
      }
      throw err;
    } finally {
      source.destroy();
    }
  },
};

/** csv-parse's messages, in the user's terms and without their repeated line number. */
function csvProblem(err: CsvError): string {
  const counts = /expect (\d+), got (\d+)/.exec(err.message);
  if (err.code === 'CSV_RECORD_INCONSISTENT_FIELDS_LENGTH' && counts) {
    return `the row has ${counts[2]} fields but the header has ${counts[1]}.`;
  }
  if (err.code === 'CSV_INVALID_CLOSING_QUOTE') {
    return 'a quoted field has text after its closing quote (a quote inside a field is written "").';
  }
  return err.message.replace(/^[^:]*:\s*/, '');
}

/** mmlu_SW_KE.csv → 'sw'. */
export function mmmluFileLang(file: string): string | undefined {
  return /^mmlu_([a-z]{2,3})(?:_[a-z]{2})?\.csv$/i.exec(file)?.[1]?.toLowerCase();
}

/** A header line's cell names, with surrounding quotes removed (headers hold no commas). */
function splitHeader(line: string): string[] {
  return line
    .replace(/^\uFEFF/, '')
    .replace(/\r$/, '')
    .split(',')
    .map((c) => c.trim().replace(/^"(.*)"$/, '$1'));
}
