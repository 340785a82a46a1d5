import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { belebeleImporter } from '../../main/services/corpus/importers/belebele';
import { importers } from '../../main/services/corpus/importers/index';
import { textImporter } from '../../main/services/corpus/importers/text';
import { collect, documents, fixture } from './helpers/importer';
import { detect, sniffInput } from './helpers/sniff';

const tmp = mkdtempSync(join(tmpdir(), 'langbridge-belebele-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('Belebele importer', () => {
  it('makes one eval document per question, passage and question as text, every field in meta', async () => {
    const { records } = await collect(belebeleImporter, { paths: [fixture('belebele', 'swh_Latn.jsonl')] });
    const docs = documents(records);
    expect(docs).toHaveLength(3);
    expect(docs.map((d) => [d.ref, d.lang, d.role, d.line])).toEqual([
      ['belebele:https://en.wikibooks.org/wiki/Accordion/Right_hand:1', 'swh_Latn', 'eval', 1],
      ['belebele:https://en.wikibooks.org/wiki/Accordion/Right_hand:2', 'swh_Latn', 'eval', 2],
      ['belebele:https://en.wikinews.org/wiki/Scientists_say_new_chip_can_sort_cells:1', 'swh_Latn', 'eval', 3],
    ]);
    const [passage, question] = docs[1].text.split('\n');
    expect(passage).toMatch(/^Hakikisha mkono wako umelegea .* kama kwenye piano\.$/);
    expect(question).toBe('Kwa nini mpiga kodiani anashauriwa kulegeza mkono wake?');
    expect(docs[1].meta).toMatchObject({
      benchmark: 'belebele',
      link: 'https://en.wikibooks.org/wiki/Accordion/Right_hand',
      question_number: 2,
      mc_answer1: 'Ili kupata sauti kubwa zaidi',
      mc_answer2: 'Ili ajichoshe kidogo iwezekanavyo',
      mc_answer3: 'Ili apige noti haraka zaidi',
      mc_answer4: 'Ili aweze kupiga piano pia',
      correct_answer_num: '2',
      dialect: 'swh_Latn',
      ds: '2023-05-03',
    });
    expect(docs[1].meta!.flores_passage).toBe(passage);
  });

  it('falls back to the given language when an item has no dialect', async () => {
    const path = join(tmp, 'no-dialect.jsonl');
    const item = JSON.parse(readFileSync(fixture('belebele', 'swh_Latn.jsonl'), 'utf8').split('\n')[0]) as Record<string, unknown>;
    delete item.dialect;
    writeFileSync(path, JSON.stringify(item) + '\n\n');
    const { records } = await collect(belebeleImporter, { paths: [path], lang: 'sw' });
    expect(documents(records).map((d) => d.lang)).toEqual(['sw']);
    expect(records[1]).toEqual({ kind: 'skip', reason: 'blank line', line: 2 });
  });

  it('names the line of invalid JSON', async () => {
    const err = await collect(belebeleImporter, { paths: [fixture('belebele', 'bad-json.jsonl')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'bad-json.jsonl', line: 2 });
    expect((err as Error).message).toMatch(/^line 2 of bad-json\.jsonl: not valid JSON \(.+\)\.$/);
  });

  it('names the line and the field that is missing', async () => {
    await expect(collect(belebeleImporter, { paths: [fixture('belebele', 'missing-field.jsonl')] })).rejects.toThrow(
      'line 3 of missing-field.jsonl: missing required field "mc_answer4".',
    );
  });

  it('refuses an answer number outside 1-4', async () => {
    const path = join(tmp, 'bad-answer.jsonl');
    const item = JSON.parse(readFileSync(fixture('belebele', 'swh_Latn.jsonl'), 'utf8').split('\n')[0]) as Record<string, unknown>;
    writeFileSync(path, JSON.stringify({ ...item, correct_answer_num: '5' }) + '\n');
    await expect(collect(belebeleImporter, { paths: [path] })).rejects.toThrow(
      'line 1 of bad-answer.jsonl: correct_answer_num should be 1, 2, 3 or 4, not "5".',
    );
  });

  it('claims Belebele JSONL over plain text and generic JSONL, and nothing else', () => {
    const plain = join(tmp, 'plain.jsonl');
    writeFileSync(plain, '{"text": "Habari ya asubuhi.", "lang": "sw"}\n');
    const input = sniffInput([fixture('belebele', 'swh_Latn.jsonl')]);
    expect(belebeleImporter.sniff(input)).toBeGreaterThan(textImporter.sniff(input));
    expect(detect(Object.values(importers), [fixture('belebele', 'swh_Latn.jsonl')])).toBe('belebele');
    expect(belebeleImporter.sniff(sniffInput([fixture('xcopa', 'test.sw.jsonl')]))).toBe(0);
    expect(belebeleImporter.sniff(sniffInput([plain]))).toBe(0);
  });
});
