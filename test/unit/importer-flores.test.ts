import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { floresImporter } from '../../main/services/corpus/importers/flores';
import { importers } from '../../main/services/corpus/importers/index';
import { textImporter } from '../../main/services/corpus/importers/text';
import { collect, documents, fixture, pairs } from './helpers/importer';
import { detect, sniffInput } from './helpers/sniff';

const dataset = fixture('flores', 'flores200_dataset');
const LANGS = ['amh_Ethi', 'arb_Arab', 'eng_Latn', 'swh_Latn', 'tha_Thai'];

function splitBytes(...splits: string[]): number {
  let n = 0;
  for (const s of splits) for (const f of readdirSync(join(dataset, s))) n += statSync(join(dataset, s, f)).size;
  return n;
}

describe('Flores-200 importer', () => {
  it('stores every sentence of both splits as an eval document with a shared ref', async () => {
    const { records, ctx } = await collect(floresImporter, { paths: [dataset] });
    const docs = documents(records);
    expect(docs).toHaveLength(2 * 5 * 5);
    expect(new Set(docs.map((d) => d.lang))).toEqual(new Set(LANGS));
    expect(docs.every((d) => d.role === 'eval')).toBe(true);

    const line2 = docs.filter((d) => d.ref === 'flores:devtest:2');
    expect(line2.map((d) => [d.lang, d.text])).toEqual([
      ['eng_Latn', 'Visitors can see coins, pottery and old maps.'],
      ['amh_Ethi', 'ጎብኚዎች ሳንቲሞችን፣ የሸክላ ዕቃዎችን እና የድሮ ካርታዎችን ማየት ይችላሉ።'],
      ['arb_Arab', 'يمكن للزوار مشاهدة العملات والفخار والخرائط القديمة.'],
      ['swh_Latn', 'Wageni wanaweza kuona sarafu, vyombo vya udongo na ramani za zamani.'],
      ['tha_Thai', 'ผู้เข้าชมสามารถชมเหรียญ เครื่องปั้นดินเผา และแผนที่เก่าได้'],
    ]);
    expect(line2[3].meta).toEqual({ benchmark: 'flores200', split: 'devtest', line: 2 });
    expect(line2[3].line).toBe(2);
    // Each file is read once (the pivot is held, not re-read), and the
    // metadata file beside the splits is not read at all.
    expect(ctx.bytesDone).toBe(splitBytes('dev', 'devtest'));
    expect(records.some((r) => r.kind === 'skip')).toBe(false);
  });

  it('pairs English with every other language, line by line', async () => {
    const { records } = await collect(floresImporter, { paths: [dataset] });
    const ps = pairs(records);
    expect(ps).toHaveLength(2 * 4 * 5);
    expect(new Set(ps.map((p) => p.srcLang))).toEqual(new Set(['eng_Latn']));
    expect(new Set(ps.map((p) => p.tgtLang))).toEqual(new Set(['amh_Ethi', 'arb_Arab', 'swh_Latn', 'tha_Thai']));
    expect(ps.every((p) => p.role === 'eval')).toBe(true);
    const thai = ps.find((p) => p.ref === 'flores:dev:3' && p.tgtLang === 'tha_Thai');
    expect(thai).toEqual({
      kind: 'pair',
      srcText: 'The river flooded the village after three days of heavy rain.',
      tgtText: 'แม่น้ำท่วมหมู่บ้านหลังจากฝนตกหนักสามวัน',
      srcLang: 'eng_Latn',
      tgtLang: 'tha_Thai',
      role: 'eval',
      ref: 'flores:dev:3',
      meta: { benchmark: 'flores200', split: 'dev', line: 3 },
      line: 3,
    });
  });

  it('imports only the splits asked for', async () => {
    const { records, ctx } = await collect(floresImporter, { paths: [dataset], options: { splits: ['devtest'] } });
    expect(new Set(records.map((r) => (r.kind === 'skip' ? '' : r.ref?.split(':')[1])))).toEqual(new Set(['devtest']));
    expect(documents(records)).toHaveLength(25);
    expect(ctx.bytesDone).toBe(splitBytes('devtest'));
  });

  it('takes a split folder itself, pivoting on the first language alphabetically without English', async () => {
    const { records } = await collect(floresImporter, { paths: [fixture('flores', 'no-english', 'dev')] });
    expect(documents(records).map((d) => [d.lang, d.ref])).toEqual([
      ['swh_Latn', 'flores:dev:1'],
      ['swh_Latn', 'flores:dev:2'],
      ['tha_Thai', 'flores:dev:1'],
      ['tha_Thai', 'flores:dev:2'],
    ]);
    expect(pairs(records).map((p) => [p.srcLang, p.tgtLang, p.srcText, p.tgtText])).toEqual([
      [
        'swh_Latn',
        'tha_Thai',
        'Jumatatu, wanasayansi walitangaza uvumbuzi wa kifaa kipya cha uchunguzi.',
        'เมื่อวันจันทร์ นักวิทยาศาสตร์ได้ประกาศการประดิษฐ์เครื่องมือวินิจฉัยชนิดใหม่',
      ],
      ['swh_Latn', 'tha_Thai', 'Chipu hiyo inaweza kutengenezwa kwa printa za kawaida za wino.', 'ชิปนี้สามารถผลิตได้ด้วยเครื่องพิมพ์อิงค์เจ็ทธรรมดา'],
    ]);
  });

  it('refuses files of one split with different line counts, naming both', async () => {
    const err = await collect(floresImporter, { paths: [fixture('flores', 'mismatched')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', file: 'devtest/swh_Latn.devtest' });
    expect((err as Error).message).toBe(
      'devtest/swh_Latn.devtest: has 2 lines but devtest/eng_Latn.devtest has 3; Flores files of one split must be line-aligned.',
    );
  });

  it('says so when the split asked for is not there', async () => {
    const err = await collect(floresImporter, {
      paths: [fixture('flores', 'no-english', 'dev')],
      options: { splits: ['devtest'] },
    }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'not-found' });
    expect((err as Error).message).toMatch(/holds no Flores files for devtest/);
  });

  it('claims a Flores folder or split folder over plain text, and reports its size', async () => {
    for (const path of [dataset, join(dataset, 'devtest')]) {
      const input = sniffInput([path]);
      expect(floresImporter.sniff(input)).toBeGreaterThan(textImporter.sniff(input));
      expect(detect(Object.values(importers), [path])).toBe('flores');
    }
    expect(floresImporter.sniff(sniffInput([fixture('text')]))).toBe(0);
    expect(await floresImporter.size!([dataset])).toBe(splitBytes('dev', 'devtest'));
  });
});
