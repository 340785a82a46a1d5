import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ImportContextImpl } from '../../main/services/corpus/context';
import { csvImporter, tsvImporter } from '../../main/services/corpus/importers/csv';
import { jsonlImporter } from '../../main/services/corpus/importers/jsonl';
import { mosesImporter } from '../../main/services/corpus/importers/moses';
import { parquetImporter } from '../../main/services/corpus/importers/parquet';
import { textImporter } from '../../main/services/corpus/importers/text';
import { tmxImporter } from '../../main/services/corpus/importers/tmx';
import { collect, documents, fixture } from './helpers/importer';
import { detect } from './helpers/sniff';

const ALL = [textImporter, jsonlImporter, csvImporter, tsvImporter, parquetImporter, mosesImporter, tmxImporter];

// Fixtures are written by test/fixtures/parquet/make.py (pyarrow).
describe('Parquet importer', () => {
  it('reads the "sentence" column across row groups, other scalar columns as meta', async () => {
    const path = fixture('parquet', 'multilingual.parquet');
    const { records } = await collect(parquetImporter, { paths: [path], options: { langColumn: 'lang' } });
    const docs = documents(records);
    expect(docs.map((d) => [d.text, d.lang, d.ref])).toEqual([
      ['Habari ya asubuhi.', 'sw', 'row 0'],
      ['ሰላም ለዓለም።', 'am', 'row 1'],
      ['مرحبا بالعالم.', 'ar', 'row 2'],
      ['สวัสดีชาวโลก', 'th', 'row 3'],
      ['Ninapenda kusoma vitabu.', 'sw', 'row 6'],
    ]);
    // INT64 arrives as bigint; meta must be plain JSON.
    expect(docs[0].meta).toEqual({ id: 1, score: 0.9 });
    expect(records.filter((r) => r.kind === 'skip')).toEqual([
      { kind: 'skip', reason: 'row 4: no sentence' },
      { kind: 'skip', reason: 'row 5: empty sentence' },
    ]);
  });

  it('adds progress row group by row group, ending at the file size', async () => {
    const path = fixture('parquet', 'multilingual.parquet');
    const ctx = new ImportContextImpl({ paths: [path] });
    const seen: number[] = [];
    for await (const r of parquetImporter.read(ctx)) {
      if (r.kind === 'document' || r.kind === 'skip') seen.push(ctx.bytesDone);
    }
    // Three row groups: progress grows between them and not within one.
    expect(new Set(seen).size).toBe(3);
    expect(seen[0]).toBe(0);
    expect(ctx.bytesDone).toBe(statSync(path).size);
  });

  it('falls back to the first string column, reading gzip pages', async () => {
    const { records } = await collect(parquetImporter, { paths: [fixture('parquet', 'first-string-column.parquet')] });
    const docs = documents(records);
    expect(docs.map((d) => d.text)).toEqual(['Karibu sana.', 'Asante kwa kuja.']);
    // The list and binary columns are not read.
    expect(docs[0].meta).toEqual({ n: 10, source: 'radio' });
  });

  it('takes the text column by name or index', async () => {
    const byName = await collect(parquetImporter, {
      paths: [fixture('parquet', 'first-string-column.parquet')],
      options: { textColumn: 'source' },
    });
    expect(documents(byName.records).map((d) => d.text)).toEqual(['radio', 'book']);
    const byIndex = await collect(parquetImporter, {
      paths: [fixture('parquet', 'multilingual.parquet')],
      options: { textColumn: '2' },
    });
    expect(documents(byIndex.records).map((d) => d.text)).toEqual(['sw', 'am', 'ar', 'th', 'sw', 'sw', 'sw']);
  });

  it('refuses a text column that does not exist or is not text', async () => {
    await expect(
      collect(parquetImporter, { paths: [fixture('parquet', 'multilingual.parquet')], options: { textColumn: 'body' } }),
    ).rejects.toThrow('multilingual.parquet has no text column "body": its columns are "id", "sentence", "lang", "score".');
    await expect(
      collect(parquetImporter, { paths: [fixture('parquet', 'multilingual.parquet')], options: { textColumn: 'id' } }),
    ).rejects.toThrow(/multilingual\.parquet, row 0: column "id" holds bigint, not text/);
  });

  it('refuses a truncated file clearly', async () => {
    const err = await collect(parquetImporter, { paths: [fixture('parquet', 'truncated.parquet')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'truncated.parquet' });
    expect((err as Error).message).toBe(
      'truncated.parquet: not a Parquet file (it does not end with the PAR1 footer: the file looks truncated)',
    );
  });

  it('refuses a file that is not Parquet', async () => {
    await expect(collect(parquetImporter, { paths: [fixture('parquet', 'not-parquet.parquet')] })).rejects.toThrow(
      'not-parquet.parquet: not a Parquet file (it does not start with the PAR1 magic number)',
    );
  });

  it('is detected by its magic number, and claims a damaged .parquet file', () => {
    expect(detect(ALL, [fixture('parquet', 'multilingual.parquet')])).toBe('parquet');
    expect(detect(ALL, [fixture('parquet', 'first-string-column.parquet')])).toBe('parquet');
    expect(detect(ALL, [fixture('parquet', 'truncated.parquet')])).toBe('parquet');
    expect(detect(ALL, [fixture('parquet', 'not-parquet.parquet')])).toBe('parquet');
  });
});
