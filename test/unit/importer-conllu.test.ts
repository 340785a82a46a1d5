import { describe, expect, it } from 'vitest';
import { conlluImporter } from '../../main/services/corpus/importers/conllu';
import { importers } from '../../main/services/corpus/importers/index';
import { textImporter } from '../../main/services/corpus/importers/text';
import { collect, documents, fixture } from './helpers/importer';
import { detect, sniffInput } from './helpers/sniff';

describe('CoNLL-U importer', () => {
  it('makes one document per sentence, from # text or rebuilt from the tokens', async () => {
    const { records } = await collect(conlluImporter, { paths: [fixture('conllu', 'sw_demo-ud-test.conllu')] });
    expect(documents(records)).toEqual([
      {
        kind: 'document',
        text: 'Watoto wanacheza mpira uwanjani.',
        lang: 'sw',
        ref: 'demo-001-s1',
        meta: { sent_id: 'demo-001-s1', tokens: 5, words: 5 },
        line: 1,
      },
      {
        // No # text: the multiword token "kwake" stands for its words "kwa" + "ake",
        // and SpaceAfter=No keeps the full stop on it.
        kind: 'document',
        text: 'Mama alirudi kwake.',
        lang: 'sw',
        ref: 'demo-001-s2',
        meta: { sent_id: 'demo-001-s2', tokens: 4, words: 5 },
        line: 10,
      },
      {
        // No sent_id either; the empty node 5.1 is not in the text.
        kind: 'document',
        text: 'Baba alinunua samaki, mama mboga.',
        lang: 'sw',
        ref: 'sentence 3',
        meta: { tokens: 7, words: 7 },
        line: 18,
      },
    ]);
    expect(records.every((r) => r.kind === 'document')).toBe(true);
  });

  it('takes the language from a # lang comment, unless the user gave one', async () => {
    const path = fixture('conllu', 'yoruba-sample.conllu');
    const { records } = await collect(conlluImporter, { paths: [path] });
    expect(documents(records).map((d) => [d.text, d.lang, d.ref])).toEqual([['Mo fẹ́ràn ìwé.', 'yo', 'yo-1']]);
    const given = await collect(conlluImporter, { paths: [path], lang: 'yor_Latn' });
    expect(documents(given.records)[0].lang).toBe('yor_Latn');
  });

  it('names the line of a token line without ten columns', async () => {
    const err = await collect(conlluImporter, { paths: [fixture('conllu', 'nine-columns.conllu')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'nine-columns.conllu', line: 4 });
    expect((err as Error).message).toBe('line 4 of nine-columns.conllu: expected 10 tab-separated columns, found 9.');
  });

  it('claims .conllu files over plain text', () => {
    const path = fixture('conllu', 'sw_demo-ud-test.conllu');
    const input = sniffInput([path]);
    expect(conlluImporter.sniff(input)).toBeGreaterThan(textImporter.sniff(input));
    expect(detect(Object.values(importers), [path])).toBe('conllu');
    expect(conlluImporter.sniff(sniffInput([fixture('text', 'swahili-lines.txt')]))).toBe(0);
  });
});
