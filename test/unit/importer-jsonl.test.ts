import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonlImporter } from '../../main/services/corpus/importers/jsonl';
import { csvImporter, tsvImporter } from '../../main/services/corpus/importers/csv';
import { mosesImporter } from '../../main/services/corpus/importers/moses';
import { parquetImporter } from '../../main/services/corpus/importers/parquet';
import { textImporter } from '../../main/services/corpus/importers/text';
import { tmxImporter } from '../../main/services/corpus/importers/tmx';
import { collect, documents, fixture } from './helpers/importer';
import { detect, sniffInput } from './helpers/sniff';

const tmp = mkdtempSync(join(tmpdir(), 'langbridge-jsonl-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('JSONL importer', () => {
  it('reads text, language and the other fields as meta', async () => {
    const path = fixture('jsonl', 'multilingual.jsonl');
    const { records, ctx } = await collect(jsonlImporter, { paths: [path], options: { langField: 'lang' } });
    const docs = documents(records);
    expect(docs.map((d) => [d.text, d.lang, d.line])).toEqual([
      ['Habari ya asubuhi.', 'sw', 1],
      ['ሰላም ለዓለም።', 'am', 2],
      ['مرحبا بالعالم.', 'ar', 4],
      ['สวัสดีชาวโลก', 'th', 6],
    ]);
    expect(docs[0].meta).toEqual({ id: 1, source: 'radio' });
    expect(docs[2].meta).toEqual({ id: 3, tags: ['greeting'] });
    expect(docs[3].meta).toEqual({ id: 5, meta: { quality: 0.9 } });
    expect(docs[0].ref).toBe('line 1');
    // The blank line 3 is not a record; the empty text on line 5 is a skip.
    expect(records.filter((r) => r.kind === 'skip')).toEqual([{ kind: 'skip', reason: 'empty "text"', line: 5 }]);
    expect(ctx.bytesDone).toBe(statSync(path).size);
  });

  it('keeps the language field in meta when no langField is given', async () => {
    const { records } = await collect(jsonlImporter, { paths: [fixture('jsonl', 'multilingual.jsonl')] });
    const docs = documents(records);
    expect(docs[0].lang).toBeUndefined();
    expect(docs[0].meta).toEqual({ id: 1, lang: 'sw', source: 'radio' });
  });

  it('follows a dotted path to the text and drops only that leaf from meta', async () => {
    const { records } = await collect(jsonlImporter, {
      paths: [fixture('jsonl', 'nested.jsonl')],
      options: { textField: 'meta.text', langField: 'language' },
    });
    const docs = documents(records);
    expect(docs.map((d) => [d.text, d.lang])).toEqual([
      ['Ninapenda kusoma vitabu.', 'sw'],
      ['መጽሐፍ ማንበብ እወዳለሁ።', 'am'],
    ]);
    expect(docs[0].meta).toEqual({ id: 'a', meta: { origin: 'book' } });
    expect(docs[1].meta).toEqual({ id: 'b' });
  });

  it('prefers a key spelled with a dot over a path', async () => {
    const path = join(tmp, 'dotted-key.jsonl');
    writeFileSync(path, JSON.stringify({ 'meta.text': 'flat', meta: { text: 'nested' } }) + '\n');
    const { records } = await collect(jsonlImporter, { paths: [path], options: { textField: 'meta.text' } });
    expect(documents(records).map((d) => d.text)).toEqual(['flat']);
  });

  it('names the file and line of invalid JSON', async () => {
    await expect(collect(jsonlImporter, { paths: [fixture('jsonl', 'bad-line.jsonl')] })).rejects.toThrow(
      /^line 3 of bad-line\.jsonl: not valid JSON \(.+\)$/,
    );
  });

  it('rejects a line without the text field, listing the fields it has', async () => {
    const err = await collect(jsonlImporter, { paths: [fixture('jsonl', 'missing-text.jsonl')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'missing-text.jsonl', line: 2 });
    expect((err as Error).message).toBe(
      'line 2 of missing-text.jsonl: no "text" field (fields here: sentence, id); choose the text field in the import options',
    );
  });

  it('rejects a line that is not an object', async () => {
    await expect(collect(jsonlImporter, { paths: [fixture('jsonl', 'not-object.jsonl')] })).rejects.toThrow(
      'line 2 of not-object.jsonl: expected a JSON object, found an array',
    );
  });

  it('rejects a text field that is not a string', async () => {
    await expect(collect(jsonlImporter, { paths: [fixture('jsonl', 'text-not-string.jsonl')] })).rejects.toThrow(
      'line 3 of text-not-string.jsonl: "text" is a number, not a string',
    );
  });

  it('yields nothing for an empty file', async () => {
    const { records } = await collect(jsonlImporter, { paths: [fixture('jsonl', 'empty.jsonl')] });
    expect(records).toEqual([]);
  });

  it('reads a 5 MB single-line record', async () => {
    const path = join(tmp, 'long.jsonl');
    const text = 'ሰላም ለዓለም። '.repeat(200_000);
    writeFileSync(path, JSON.stringify({ text, lang: 'am' }) + '\n' + JSON.stringify({ text: 'fupi' }));
    const { records } = await collect(jsonlImporter, { paths: [path], options: { langField: 'lang' } });
    const docs = documents(records);
    expect(docs).toHaveLength(2);
    expect(docs[0].text === text).toBe(true);
    expect(docs[1]).toMatchObject({ text: 'fupi', line: 2 });
  });

  it('imports invalid UTF-8 only when asked to replace it', async () => {
    // Latin-1 "é" (0xE9) at byte 28, where UTF-8 needs two bytes.
    const path = fixture('jsonl', 'invalid-utf8.jsonl');
    await expect(collect(jsonlImporter, { paths: [path] })).rejects.toThrow(/line 2 of invalid-utf8\.jsonl: invalid UTF-8 at byte offset 28/);
    const { records, ctx } = await collect(jsonlImporter, { paths: [path], options: { replaceInvalid: true } });
    expect(documents(records).map((d) => d.text)).toEqual(['ok', 'Caf\uFFFD']);
    expect(ctx.replacedBytes).toBe(1);
  });

  it('is detected for its fixtures', () => {
    const all = [textImporter, jsonlImporter, csvImporter, tsvImporter, parquetImporter, mosesImporter, tmxImporter];
    expect(detect(all, [fixture('jsonl', 'multilingual.jsonl')])).toBe('jsonl');
    expect(detect(all, [fixture('jsonl', 'nested.jsonl')])).toBe('jsonl');
    // By content alone, under another name.
    const renamed = join(tmp, 'data.txt');
    writeFileSync(renamed, '{"text": "Habari"}\n{"text": "Karibu"}\n');
    expect(jsonlImporter.sniff(sniffInput([renamed]))).toBeGreaterThan(0);
    const plain = join(tmp, 'data.dat');
    writeFileSync(plain, '{"text": "Habari"}\n{"text": "Karibu"}\n');
    expect(detect(all, [plain])).toBe('jsonl');
  });
});
