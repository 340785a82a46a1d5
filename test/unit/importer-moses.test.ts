import { statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { csvImporter, tsvImporter } from '../../main/services/corpus/importers/csv';
import { jsonlImporter } from '../../main/services/corpus/importers/jsonl';
import { langFromName, mosesImporter } from '../../main/services/corpus/importers/moses';
import { parquetImporter } from '../../main/services/corpus/importers/parquet';
import { textImporter } from '../../main/services/corpus/importers/text';
import { tmxImporter } from '../../main/services/corpus/importers/tmx';
import { collect, fixture, pairs } from './helpers/importer';
import { detect } from './helpers/sniff';

const ALL = [textImporter, jsonlImporter, csvImporter, tsvImporter, parquetImporter, mosesImporter, tmxImporter];

describe('Moses importer', () => {
  it('pairs line N with line N, languages from the file extensions', async () => {
    const paths = [fixture('moses', 'Corpus.en-sw.en'), fixture('moses', 'Corpus.en-sw.sw')];
    const { records, ctx } = await collect(mosesImporter, { paths });
    expect(pairs(records)).toEqual([
      { kind: 'pair', srcText: 'Good morning.', tgtText: 'Habari ya asubuhi.', srcLang: 'en', tgtLang: 'sw', ref: 'line 1', line: 1 },
      { kind: 'pair', srcText: 'I like reading books.', tgtText: 'Ninapenda kusoma vitabu.', srcLang: 'en', tgtLang: 'sw', ref: 'line 2', line: 2 },
      { kind: 'pair', srcText: 'Welcome.', tgtText: 'Karibu.', srcLang: 'en', tgtLang: 'sw', ref: 'line 5', line: 5 },
    ]);
    expect(records.filter((r) => r.kind === 'skip')).toEqual([
      { kind: 'skip', reason: 'empty on both sides', line: 3 },
      { kind: 'skip', reason: 'empty in Corpus.en-sw.sw', line: 4 },
    ]);
    expect(ctx.bytesDone).toBe(statSync(paths[0]).size + statSync(paths[1]).size);
  });

  it('reads other scripts, CRLF and a last line without newline', async () => {
    const { records } = await collect(mosesImporter, {
      paths: [fixture('moses', 'Tatoeba.ar-th.ar'), fixture('moses', 'Tatoeba.ar-th.th')],
    });
    expect(pairs(records).map((p) => [p.srcLang, p.srcText, p.tgtLang, p.tgtText])).toEqual([
      ['ar', 'مرحبا بالعالم.', 'th', 'สวัสดีชาวโลก'],
      ['ar', 'شكرا.', 'th', 'ขอบคุณ'],
    ]);
  });

  it('takes the languages the user gave over the file names', async () => {
    const { records } = await collect(mosesImporter, {
      paths: [fixture('moses', 'source.txt'), fixture('moses', 'target.txt')],
      srcLang: 'eng',
      tgtLang: 'swh',
    });
    expect(pairs(records)).toMatchObject([{ srcText: 'Hello.', tgtText: 'Habari.', srcLang: 'eng', tgtLang: 'swh' }]);
    const unnamed = await collect(mosesImporter, { paths: [fixture('moses', 'source.txt'), fixture('moses', 'target.txt')] });
    expect(pairs(unnamed.records)[0].srcLang).toBeUndefined();
  });

  it('refuses files of different lengths, naming both files and both line counts', async () => {
    const err = await collect(mosesImporter, {
      paths: [fixture('moses', 'Bible.en-am.en'), fixture('moses', 'Bible.en-am.am')],
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'Bible.en-am.am', line: 5 });
    expect((err as Error).message).toBe('Bible.en-am.en has 6 lines but Bible.en-am.am has 4; Moses files must be line-aligned');
  });

  it('gives the totals when the first file is the shorter one', async () => {
    await expect(
      collect(mosesImporter, { paths: [fixture('moses', 'Bible.en-am.am'), fixture('moses', 'Bible.en-am.en')] }),
    ).rejects.toThrow('Bible.en-am.am has 4 lines but Bible.en-am.en has 6; Moses files must be line-aligned');
  });

  it('refuses one file', async () => {
    await expect(collect(mosesImporter, { paths: [fixture('moses', 'Corpus.en-sw.en')] })).rejects.toMatchObject({
      code: 'bad-input',
    });
  });

  it('yields nothing for two empty files', async () => {
    const { records } = await collect(mosesImporter, { paths: [fixture('moses', 'empty.en'), fixture('moses', 'empty.sw')] });
    expect(records).toEqual([]);
  });

  it('reads language codes from extensions only when they look like codes', () => {
    expect(langFromName('Corpus.en-sw.sw')).toBe('sw');
    expect(langFromName('train.eng_Latn')).toBe('eng_Latn');
    expect(langFromName('ted.pt-BR')).toBe('pt-BR');
    expect(langFromName('source.txt')).toBeUndefined();
    expect(langFromName('train.src')).toBeUndefined();
    expect(langFromName('README')).toBeUndefined();
    expect(langFromName('data.12')).toBeUndefined();
  });

  it('wins detection when two files are given', () => {
    const paths = [fixture('moses', 'Corpus.en-sw.en'), fixture('moses', 'Corpus.en-sw.sw')];
    expect(detect(ALL, paths)).toBe('moses');
    expect(detect(ALL, [fixture('moses', 'source.txt'), fixture('moses', 'target.txt')])).toBe('moses');
    // One file alone is never a Moses corpus.
    expect(mosesImporter.sniff({ ...baseSniff(), pathCount: 1 })).toBe(0);
  });
});

function baseSniff() {
  return { path: '/x/Corpus.en-sw.en', isDirectory: false, name: 'corpus.en-sw.en', head: 'Hello\n', headBytes: Buffer.from('Hello\n'), entries: [], pathCount: 2 };
}
