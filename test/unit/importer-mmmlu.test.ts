import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importers } from '../../main/services/corpus/importers/index';
import { mmmluFileLang, mmmluImporter } from '../../main/services/corpus/importers/mmmlu';
import { textImporter } from '../../main/services/corpus/importers/text';
import { collect, documents, fixture } from './helpers/importer';
import { detect, sniffInput } from './helpers/sniff';

const tmp = mkdtempSync(join(tmpdir(), 'langbridge-mmmlu-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('MMMLU importer', () => {
  it('makes one eval document per question, keeping quoted commas and newlines', async () => {
    const { records } = await collect(mmmluImporter, { paths: [fixture('mmmlu', 'mmlu_SW_KE.csv')] });
    const docs = documents(records);
    expect(docs.map((d) => [d.ref, d.lang, d.role, d.line])).toEqual([
      ['mmmlu:0', 'sw', 'eval', 2],
      ['mmmlu:1', 'sw', 'eval', 3],
      // Row 1 spans lines 3-4, so row 2 starts on line 5.
      ['mmmlu:2', 'sw', 'eval', 5],
    ]);
    expect(docs[1].text).toBe(
      'Kauli ya 1 | Kila kikundi cha mpangilio, kama vile S_n, ni cha kubadilishana.\nKauli ya 2 | Kila kikundi kidogo cha kikundi cha mzunguko ni cha mzunguko.',
    );
    expect(docs[1].meta).toEqual({
      Question: docs[1].text,
      A: 'Kweli, Kweli',
      B: 'Si kweli, Si kweli',
      C: 'Kweli, Si kweli',
      D: 'Si kweli, Kweli',
      Answer: 'D',
      Subject: 'abstract_algebra',
      index: '1',
      benchmark: 'mmmlu',
    });
  });

  it('reads a file without the index column, language from the name', async () => {
    const { records } = await collect(mmmluImporter, { paths: [fixture('mmmlu', 'mmlu_YO_NG.csv')] });
    expect(documents(records)).toEqual([
      {
        kind: 'document',
        text: 'Ẹ̀yà ara wo ni ó ń sọ ẹ̀jẹ̀ di mímọ́ nínú ara?',
        lang: 'yo',
        role: 'eval',
        ref: 'mmmlu:0',
        meta: {
          Question: 'Ẹ̀yà ara wo ni ó ń sọ ẹ̀jẹ̀ di mímọ́ nínú ara?',
          A: 'Ọkàn',
          B: 'Ẹ̀dọ̀fóró',
          C: 'Kíndìnrín',
          D: 'Ikùn',
          Answer: 'C',
          Subject: 'anatomy',
          benchmark: 'mmmlu',
        },
        line: 2,
      },
    ]);
  });

  it('prefers the language the user gave', async () => {
    const { records } = await collect(mmmluImporter, { paths: [fixture('mmmlu', 'mmlu_SW_KE.csv')], lang: 'swh' });
    expect(new Set(documents(records).map((d) => d.lang))).toEqual(new Set(['swh']));
  });

  it('names the line where an unclosed quote opens', async () => {
    const err = await collect(mmmluImporter, { paths: [fixture('mmmlu', 'unclosed-quote.csv')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'unclosed-quote.csv', line: 4 });
    expect((err as Error).message).toBe('line 4 of unclosed-quote.csv: a quoted field opened on this line is never closed.');
  });

  it('refuses an answer other than A-D', async () => {
    await expect(collect(mmmluImporter, { paths: [fixture('mmmlu', 'bad-answer.csv')] })).rejects.toThrow(
      'line 2 of bad-answer.csv: Answer should be A, B, C or D, not "E".',
    );
  });

  it('refuses a row with the wrong number of fields, naming its line', async () => {
    const path = join(tmp, 'mmlu_SW_KE.csv');
    writeFileSync(path, 'Question,A,B,C,D,Answer,Subject\nSwali?,a,b,c,d,A,x\nSwali?,a,b,c,A,x\n');
    const err = await collect(mmmluImporter, { paths: [path] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', line: 3 });
    expect((err as Error).message).toBe('line 3 of mmlu_SW_KE.csv: not valid CSV: the row has 6 fields but the header has 7.');
  });

  it('refuses a CSV without the MMMLU columns', async () => {
    const path = join(tmp, 'other.csv');
    writeFileSync(path, 'text,lang\nHabari,sw\n');
    await expect(collect(mmmluImporter, { paths: [path] })).rejects.toThrow(
      'line 1 of other.csv: the header has no Question, A, B, C, D, Answer column; MMMLU files have Question, A, B, C, D, Answer, Subject.',
    );
  });

  it('passes the line reader’s encoding error through the CSV parser', async () => {
    const path = join(tmp, 'latin1.csv');
    writeFileSync(path, Buffer.concat([Buffer.from('Question,A,B,C,D,Answer,Subject\nCaf'), Buffer.from([0xe9]), Buffer.from('?,a,b,c,d,A,x\n')]));
    await expect(collect(mmmluImporter, { paths: [path] })).rejects.toMatchObject({ code: 'encoding-error', line: 2 });
  });

  it('reads the language from MMMLU file names', () => {
    expect(mmmluFileLang('mmlu_SW_KE.csv')).toBe('sw');
    expect(mmmluFileLang('mmlu_YO_NG.csv')).toBe('yo');
    expect(mmmluFileLang('questions.csv')).toBeUndefined();
  });

  it('claims MMMLU CSV over plain text and generic CSV, and nothing else', () => {
    const path = fixture('mmmlu', 'mmlu_SW_KE.csv');
    const input = sniffInput([path]);
    expect(mmmluImporter.sniff(input)).toBeGreaterThan(textImporter.sniff(input));
    expect(detect(Object.values(importers), [path])).toBe('mmmlu');
    expect(detect(Object.values(importers), [fixture('mmmlu', 'mmlu_YO_NG.csv')])).toBe('mmmlu');
    const plain = join(tmp, 'plain.csv');
    writeFileSync(plain, 'text,lang\nHabari,sw\n');
    expect(mmmluImporter.sniff(sniffInput([plain]))).toBe(0);
  });
});
