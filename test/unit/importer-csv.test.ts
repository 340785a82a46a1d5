import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ImportContextImpl } from '../../main/services/corpus/context';
import { csvImporter, tsvImporter } from '../../main/services/corpus/importers/csv';
import { jsonlImporter } from '../../main/services/corpus/importers/jsonl';
import { mosesImporter } from '../../main/services/corpus/importers/moses';
import { parquetImporter } from '../../main/services/corpus/importers/parquet';
import { textImporter } from '../../main/services/corpus/importers/text';
import { tmxImporter } from '../../main/services/corpus/importers/tmx';
import { collect, documents, fixture } from './helpers/importer';
import { detect } from './helpers/sniff';

const tmp = mkdtempSync(join(tmpdir(), 'langbridge-csv-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const ALL = [textImporter, jsonlImporter, csvImporter, tsvImporter, parquetImporter, mosesImporter, tmxImporter];

describe('CSV importer', () => {
  it('reads the "sentence" column, RFC 4180 quoting, and keeps other columns as meta', async () => {
    const path = fixture('csv', 'sentences.csv');
    const { records, ctx } = await collect(csvImporter, { paths: [path], options: { langColumn: 'lang' } });
    const docs = documents(records);
    expect(docs.map((d) => [d.text, d.lang, d.line])).toEqual([
      ['Habari ya asubuhi.', 'sw', 2],
      ['ሰላም ለዓለም።', 'am', 3],
      ['Alisema "karibu", kisha akaondoka.', 'sw', 4],
      ['مرحبا بالعالم.', 'ar', 5],
      ['สวัสดีชาวโลก', 'th', 7],
    ]);
    expect(docs[0].meta).toEqual({ id: '1', source: 'radio' });
    expect(docs[0].ref).toBe('line 2');
    expect(records.filter((r) => r.kind === 'skip')).toEqual([{ kind: 'skip', reason: 'empty "sentence"', line: 6 }]);
    expect(ctx.bytesDone).toBe(statSync(path).size);
  });

  it('takes the text and language columns by name or by 0-based index', async () => {
    const byIndex = await collect(csvImporter, {
      paths: [fixture('csv', 'sentences.csv')],
      options: { textColumn: '3', langColumn: '2' },
    });
    expect(documents(byIndex.records).map((d) => [d.text, d.lang])[0]).toEqual(['radio', 'sw']);
    const byName = await collect(csvImporter, {
      paths: [fixture('csv', 'sentences.csv')],
      options: { textColumn: 'SOURCE' },
    });
    expect(documents(byName.records).map((d) => d.text)).toEqual(['radio', 'news', 'book', 'web', 'empty', 'web']);
  });

  it('refuses a text column the file does not have, listing the ones it has', async () => {
    await expect(
      collect(csvImporter, { paths: [fixture('csv', 'sentences.csv')], options: { textColumn: 'body' } }),
    ).rejects.toThrow('sentences.csv has no text column "body": its columns are "id", "sentence", "lang", "source".');
  });

  it('reads quoted fields with embedded newlines and numbers records by their first line', async () => {
    const { records } = await collect(csvImporter, {
      paths: [fixture('csv', 'embedded-newlines.csv')],
      options: { langColumn: 'lang' },
    });
    expect(documents(records).map((d) => [d.text, d.lang, d.line])).toEqual([
      ['Shairi la kwanza,\nmstari wa pili,\nmstari wa tatu.', 'sw', 2],
      ['Sentensi ya kawaida.', 'sw', 5],
      ['ሰላም\nለዓለም።', 'am', 6],
      ['Mwisho.', 'sw', 8],
    ]);
  });

  it('drops a UTF-8 BOM before the header and CR of CRLF, inside quotes too', async () => {
    const { records } = await collect(csvImporter, {
      paths: [fixture('csv', 'bom-crlf.csv')],
      options: { langColumn: 'lang' },
    });
    // Without the BOM dropped, the first header would be "\uFEFFtext" and not found.
    expect(documents(records).map((d) => [d.text, d.lang])).toEqual([
      ['Habari ya asubuhi.', 'sw'],
      ['Kwa heri,\nrafiki.', 'sw'],
    ]);
  });

  it('reads a file without a header by column index', async () => {
    const { records } = await collect(csvImporter, {
      paths: [fixture('csv', 'no-header.csv')],
      options: { header: false, textColumn: '1', langColumn: '0' },
    });
    expect(documents(records).map((d) => [d.text, d.lang, d.line])).toEqual([
      ['Habari ya asubuhi.', 'sw', 1],
      ['ሰላም ለዓለም።', 'am', 2],
    ]);
    const firstColumn = await collect(csvImporter, { paths: [fixture('csv', 'no-header.csv')], options: { header: false } });
    expect(documents(firstColumn.records)[0]).toMatchObject({ text: 'sw', meta: { '1': 'Habari ya asubuhi.' } });
  });

  it('names the line where an unclosed quote starts', async () => {
    const err = await collect(csvImporter, { paths: [fixture('csv', 'unbalanced-quotes.csv')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'unbalanced-quotes.csv', line: 3 });
    expect((err as Error).message).toMatch(/^line 3 of unbalanced-quotes\.csv: a quoted field starting here is never closed/);
  });

  it('refuses a quote inside an unquoted field with the line csv-parse reports', async () => {
    await expect(collect(csvImporter, { paths: [fixture('csv', 'stray-quote.csv')] })).rejects.toThrow(
      /^line 3 of stray-quote\.csv: a quote inside an unquoted field/,
    );
  });

  it('refuses text after a closing quote', async () => {
    await expect(collect(csvImporter, { paths: [fixture('csv', 'bad-closing-quote.csv')] })).rejects.toThrow(
      /^line 3 of bad-closing-quote\.csv: a quoted field is closed and then followed by " "/,
    );
  });

  it('refuses a row with the wrong number of columns', async () => {
    await expect(collect(csvImporter, { paths: [fixture('csv', 'wrong-columns.csv')] })).rejects.toThrow(
      'line 4 of wrong-columns.csv: 3 columns where the header has 2 (a field with a comma must be in double quotes)',
    );
  });

  it('lets lines of only spaces pass as blank', async () => {
    const path = join(tmp, 'spaces.csv');
    writeFileSync(path, 'text,lang\nHabari.,sw\n   \nKaribu.,sw\n');
    const { records } = await collect(csvImporter, { paths: [path] });
    expect(documents(records).map((d) => [d.text, d.line])).toEqual([
      ['Habari.', 2],
      ['Karibu.', 4],
    ]);
  });

  it('reads a 5 MB quoted field', async () => {
    const path = join(tmp, 'long.csv');
    const text = 'Habari, "rafiki".\n'.repeat(300_000);
    writeFileSync(path, `text,lang\n"${text.replaceAll('"', '""')}",sw\nMwisho.,sw\n`);
    const { records } = await collect(csvImporter, { paths: [path] });
    const docs = documents(records);
    expect(docs).toHaveLength(2);
    expect(docs[0].text === text).toBe(true);
    expect(docs[1]).toMatchObject({ text: 'Mwisho.', line: 300_003 });
  });

  it('passes an encoding error from the line reader through, with line and offset', async () => {
    const path = fixture('csv', 'invalid-utf8.csv');
    await expect(collect(csvImporter, { paths: [path] })).rejects.toMatchObject({
      code: 'encoding-error',
      message: expect.stringMatching(/^line 3 of invalid-utf8\.csv: invalid UTF-8 at byte offset 11/),
    });
    const { records, ctx } = await collect(csvImporter, { paths: [path], options: { replaceInvalid: true } });
    expect(documents(records).map((d) => d.text)).toEqual(['ok', 'Caf\uFFFD']);
    expect(ctx.replacedBytes).toBe(1);
  });

  it('stops reading the file when the caller stops early', async () => {
    const ctxRecords: string[] = [];
    const ctx = new ImportContextImpl({ paths: [fixture('csv', 'sentences.csv')] });
    for await (const r of csvImporter.read(ctx)) {
      if (r.kind === 'document') ctxRecords.push(r.text);
      break;
    }
    expect(ctxRecords).toEqual(['Habari ya asubuhi.']);
  });

  it('yields nothing for an empty file', async () => {
    const { records } = await collect(csvImporter, { paths: [fixture('csv', 'empty.csv')] });
    expect(records).toEqual([]);
  });

  it('is detected for its fixtures', () => {
    expect(detect(ALL, [fixture('csv', 'sentences.csv')])).toBe('csv');
    expect(detect(ALL, [fixture('csv', 'embedded-newlines.csv')])).toBe('csv');
    expect(detect(ALL, [fixture('csv', 'bom-crlf.csv')])).toBe('csv');
    const unnamed = join(tmp, 'table.dat');
    writeFileSync(unnamed, 'id,text,lang\n1,Habari,sw\n2,Karibu,sw\n');
    expect(detect(ALL, [unnamed])).toBe('csv');
  });
});

describe('TSV importer', () => {
  it('treats quotes as ordinary characters', async () => {
    const { records } = await collect(tsvImporter, {
      paths: [fixture('tsv', 'sentences.tsv')],
      options: { langColumn: 'lang' },
    });
    const docs = documents(records);
    expect(docs.map((d) => [d.text, d.lang, d.line])).toEqual([
      ['"Karibu," alisema mzee.', 'sw', 2],
      ['skrini ya 5" ni ndogo', 'sw', 3],
      ['"Habari"', 'sw', 4],
      ['ሰላም ለዓለም።', 'am', 5],
      ['สวัสดีชาวโลก', 'th', 6],
    ]);
    expect(docs[0].meta).toEqual({ id: '1' });
  });

  it('does not let a quotation opened on one line swallow the next', async () => {
    const { records } = await collect(tsvImporter, { paths: [fixture('tsv', 'open-quote.tsv')] });
    expect(documents(records).map((d) => [d.text, d.line])).toEqual([
      ['"Nilikuwa nikienda sokoni,', 2],
      ['nikaona rafiki yangu."', 3],
    ]);
  });

  it('reads UTF-16 LE with CRLF, as Excel saves "Unicode text"', async () => {
    const { records } = await collect(tsvImporter, {
      paths: [fixture('tsv', 'utf16le.tsv')],
      options: { langColumn: 'lang' },
    });
    expect(documents(records).map((d) => [d.text, d.lang])).toEqual([
      ['مرحبا بالعالم.', 'ar'],
      ['ሰላም ለዓለም።', 'am'],
    ]);
  });

  it('refuses a row with the wrong number of columns', async () => {
    await expect(collect(tsvImporter, { paths: [fixture('tsv', 'wrong-columns.tsv')] })).rejects.toThrow(
      'line 3 of wrong-columns.tsv: 1 columns where the header has 2',
    );
  });

  it('is detected for its fixtures', () => {
    expect(detect(ALL, [fixture('tsv', 'sentences.tsv')])).toBe('tsv');
    expect(detect(ALL, [fixture('tsv', 'utf16le.tsv')])).toBe('tsv');
    const unnamed = join(tmp, 'table.dat');
    writeFileSync(unnamed, 'id\ttext\n1\tHabari, rafiki\n2\tKaribu\n');
    expect(detect(ALL, [unnamed])).toBe('tsv');
  });
});
