import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importers } from '../../main/services/corpus/importers/index';
import { textImporter } from '../../main/services/corpus/importers/text';
import { xcopaFileName, xcopaImporter } from '../../main/services/corpus/importers/xcopa';
import { collect, documents, fixture } from './helpers/importer';
import { detect, sniffInput } from './helpers/sniff';

const tmp = mkdtempSync(join(tmpdir(), 'langbridge-xcopa-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('XCOPA importer', () => {
  it('makes one eval document per item, the premise as text, language and split from the file name', async () => {
    const { records } = await collect(xcopaImporter, { paths: [fixture('xcopa', 'test.sw.jsonl')] });
    const docs = documents(records);
    expect(docs.map((d) => [d.text, d.lang, d.role, d.ref, d.line])).toEqual([
      ['Kitu kilikuwa kimefungwa kwenye mfuko wa viputo.', 'sw', 'eval', 'xcopa:test:1', 1],
      ['Mwanaume alifungua bomba.', 'sw', 'eval', 'xcopa:test:2', 2],
      ['Msichana alipata mdudu kwenye nafaka yake.', 'sw', 'eval', 'xcopa:test:3', 3],
    ]);
    expect(docs[1].meta).toEqual({
      premise: 'Mwanaume alifungua bomba.',
      choice1: 'Choo kilijaa maji.',
      choice2: 'Maji yalitoka kwenye mfereji.',
      question: 'effect',
      label: 1,
      idx: 2,
      benchmark: 'xcopa',
      split: 'test',
    });
  });

  it('prefers the language the user gave', async () => {
    const { records } = await collect(xcopaImporter, { paths: [fixture('xcopa', 'test.sw.jsonl')], lang: 'swh_Latn' });
    expect(new Set(documents(records).map((d) => d.lang))).toEqual(new Set(['swh_Latn']));
  });

  it('accepts a stringified label and leaves the language to the user when the name has none', async () => {
    const path = join(tmp, 'xcopa-export.jsonl');
    writeFileSync(
      path,
      JSON.stringify({ premise: 'Mtoto alilia.', choice1: 'Alikuwa na njaa.', choice2: 'Alicheka.', question: 'cause', label: '0', idx: 7 }) + '\n',
    );
    const { records } = await collect(xcopaImporter, { paths: [path] });
    expect(documents(records)).toMatchObject([{ lang: undefined, ref: 'xcopa:7', meta: { label: 0, benchmark: 'xcopa' } }]);
  });

  it('refuses a label other than 0 or 1, naming the line', async () => {
    const err = await collect(xcopaImporter, { paths: [fixture('xcopa', 'broken', 'test.sw.jsonl')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'test.sw.jsonl', line: 2 });
    expect((err as Error).message).toBe('line 2 of test.sw.jsonl: label should be 0 or 1, not 2.');
  });

  it('refuses a question other than cause or effect', async () => {
    await expect(collect(xcopaImporter, { paths: [fixture('xcopa', 'broken', 'val.sw.jsonl')] })).rejects.toThrow(
      'line 1 of val.sw.jsonl: question should be "cause" or "effect", not "result".',
    );
  });

  it('reads language and split from XCOPA file names', () => {
    expect(xcopaFileName('test.sw.jsonl')).toEqual({ split: 'test', lang: 'sw' });
    expect(xcopaFileName('val.qu.jsonl')).toEqual({ split: 'val', lang: 'qu' });
    expect(xcopaFileName('xcopa.jsonl')).toEqual({ split: undefined, lang: undefined });
  });

  it('claims XCOPA JSONL over plain text and generic JSONL', () => {
    const path = fixture('xcopa', 'test.sw.jsonl');
    const input = sniffInput([path]);
    expect(xcopaImporter.sniff(input)).toBeGreaterThan(textImporter.sniff(input));
    expect(detect(Object.values(importers), [path])).toBe('xcopa');
    expect(xcopaImporter.sniff(sniffInput([fixture('belebele', 'swh_Latn.jsonl')]))).toBe(0);
  });
});
