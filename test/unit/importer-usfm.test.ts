import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importers } from '../../main/services/corpus/importers/index';
import { textImporter } from '../../main/services/corpus/importers/text';
import { paratextImporter, usfmImporter } from '../../main/services/corpus/importers/usfm';
import { UsfmParser, type UsfmVerse } from '../../main/services/corpus/importers/usfm-parser';
import { collect, documents, fixture, pairs } from './helpers/importer';
import { detect, sniffInput } from './helpers/sniff';

const swahili = fixture('usfm', '41MAT-swh.usfm');
const english = fixture('usfm', '41MAT-eng.usfm');
const paratext = fixture('paratext');

/** Runs the parser over a USFM string, collecting verses and warnings. */
function parse(usfm: string): { verses: UsfmVerse[]; warnings: string[] } {
  const warnings: string[] = [];
  const p = new UsfmParser('test.usfm', (_key, message) => warnings.push(message));
  const verses: UsfmVerse[] = [];
  usfm.split('\n').forEach((line, i) => verses.push(...p.push(line, i + 1)));
  verses.push(...p.end());
  return { verses, warnings };
}

describe('USFM importer', () => {
  it('makes one document per verse, leaving headings and notes out of the text', async () => {
    const { records, ctx } = await collect(usfmImporter, { paths: [swahili], lang: 'sw' });
    const docs = documents(records);
    expect(docs.map((d) => [d.ref, d.text, d.line])).toEqual([
      ['MAT 5:1', 'Naye alipowaona makutano, alipanda mlimani; na alipokwisha kuketi, wanafunzi wake walimwendea;', 13],
      ['MAT 5:2', 'akafumbua kinywa chake, akawafundisha, akisema,', 15],
      ['MAT 5:3', 'Heri walio maskini wa roho; Maana ufalme wa mbinguni ni wao.', 18],
      ['MAT 5:4', 'Heri wenye huzuni; Maana hao watafarijika.', 21],
      ['MAT 5:5', 'Heri wenye upole; Maana hao watairithi nchi.', 24],
      [
        'MAT 5:6-7',
        'Heri wenye njaa na kiu ya haki; Maana hao watashibishwa. Heri wenye rehema; Maana hao watapata rehema.',
        27,
      ],
    ]);
    expect(new Set(docs.map((d) => d.lang))).toEqual(new Set(['sw']));
    expect(docs.every((d) => d.role === undefined)).toBe(true);
    // Verse 1 runs over two lines and has a footnote without its caller or origin reference.
    expect(docs[0].meta).toEqual({
      book: 'MAT',
      chapter: 5,
      verse: '1',
      footnotes: ['Au: mlima ulio karibu na bahari ya Galilaya.'],
    });
    // Verse 3: \wj with a nested \+w carrying attributes and a nested \+add, over a \q2 break, then a cross reference.
    expect(docs[2].meta).toEqual({
      book: 'MAT',
      chapter: 5,
      verse: '3',
      crossrefs: ['Lk 6:20; Isa 57:15'],
      words: [{ word: 'Heri', lemma: 'heri', strong: 'G3107' }],
    });
    // A bare \w attribute is the lemma.
    expect(docs[4].meta).toMatchObject({ words: [{ word: 'Heri', lemma: 'heri' }], crossrefs: ['Zab 37:11'] });
    expect(docs[5].meta).toEqual({ book: 'MAT', chapter: 5, verse: '6-7' });
    expect(ctx.warnings).toEqual([]);
  });

  it('leaves the language to the runner when nothing says it', async () => {
    const { records } = await collect(usfmImporter, { paths: [swahili] });
    expect(documents(records).every((d) => d.lang === undefined)).toBe(true);
  });

  it('reads a folder of books in canonical order, keeping \\nd and dropping \\d', async () => {
    const { records } = await collect(usfmImporter, { paths: [fixture('usfm', 'swahili-books')], lang: 'sw' });
    expect(documents(records).map((d) => [d.ref, d.text])).toEqual([
      ['PSA 23:1', 'Bwana ndiye mchungaji wangu, Sitapungukiwa na kitu.'],
      ['PSA 23:2', 'Katika malisho ya majani mabichi hunilaza, Kando ya maji ya utulivu huniongoza.'],
      ['JHN 1:1', 'Hapo mwanzo kulikuwako Neno, naye Neno alikuwako kwa Mungu, naye Neno alikuwa Mungu.'],
      ['JHN 1:2', 'Huyo mwanzo alikuwako kwa Mungu.'],
    ]);
  });

  it('pairs the verses two translations share, reporting the ones they do not', async () => {
    const { records, ctx } = await collect(usfmImporter, { paths: [swahili, english], srcLang: 'sw', tgtLang: 'en' });
    const docs = documents(records);
    expect(docs.filter((d) => d.lang === 'sw')).toHaveLength(6);
    expect(docs.filter((d) => d.lang === 'en').map((d) => d.ref)).toEqual([
      'MAT 5:1',
      'MAT 5:2',
      'MAT 5:3',
      'MAT 5:4',
      'MAT 5:5',
      'MAT 5:6',
      'MAT 5:7',
    ]);
    const ps = pairs(records);
    expect(ps.map((p) => p.ref)).toEqual(['MAT 5:1', 'MAT 5:2', 'MAT 5:3', 'MAT 5:4', 'MAT 5:5']);
    expect(ps[2]).toEqual({
      kind: 'pair',
      srcText: 'Heri walio maskini wa roho; Maana ufalme wa mbinguni ni wao.',
      tgtText: '“Blessed are the poor in spirit, for theirs is the Kingdom of Heaven.',
      srcLang: 'sw',
      tgtLang: 'en',
      ref: 'MAT 5:3',
      meta: { book: 'MAT', chapter: 5, verse: '3' },
      line: 14,
    });
    // The Swahili bridge 6-7 has no counterpart in the English 6 and 7.
    expect(ctx.warnings).toEqual([
      '5 verses paired; 1 verse of 41MAT-swh.usfm and 2 verses of 41MAT-eng.usfm have no verse with the same reference on the other side (a different verse bridge, or a book only one side has), so they were imported as documents only.',
    ]);
  });

  it('gives pairs no language when only --lang was given, so the runner refuses them', async () => {
    const { records } = await collect(usfmImporter, { paths: [swahili, english], lang: 'sw' });
    expect(new Set(documents(records).map((d) => d.lang))).toEqual(new Set(['sw']));
    expect(pairs(records)[0]).toMatchObject({ srcLang: undefined, tgtLang: undefined });
  });

  it('names the line of a verse before any chapter', async () => {
    const err = await collect(usfmImporter, { paths: [fixture('usfm', 'broken', 'verse-before-chapter.usfm')] }).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'parse-error', file: 'verse-before-chapter.usfm', line: 4 });
    expect((err as Error).message).toBe('line 4 of verse-before-chapter.usfm: \\v 1 comes before any \\c: JHN has no chapter yet.');
  });

  it('refuses text before \\id and unknown book codes', async () => {
    await expect(collect(usfmImporter, { paths: [fixture('usfm', 'broken', 'text-before-id.usfm')] })).rejects.toThrow(
      'line 1 of text-before-id.usfm: text before \\id: a USFM file starts with "\\id" and a book code, such as "\\id MAT".',
    );
    await expect(collect(usfmImporter, { paths: [fixture('usfm', 'broken', 'unknown-book.usfm')] })).rejects.toThrow(
      'line 1 of unknown-book.usfm: unknown book code "MTT" in \\id (expected a USFM code such as GEN, PSA or MAT).',
    );
  });

  it('warns once about an unknown marker and keeps its text', async () => {
    const { records, ctx } = await collect(usfmImporter, { paths: [fixture('usfm', 'broken', 'unknown-marker.usfm')], lang: 'sw' });
    expect(documents(records).map((d) => d.text)).toEqual([
      'Hapo mwanzo kulikuwako Neno, naye Neno alikuwako kwa Mungu.',
      'Huyo mwanzo alikuwako kwa Mungu.',
    ]);
    expect(ctx.warnings).toEqual(['line 5 of unknown-marker.usfm: unknown USFM marker \\qx; its text was kept as verse text.']);
  });

  it('claims USFM files and folders over plain text, and two USFM files over a Moses pair', async () => {
    const all = Object.values(importers);
    const input = sniffInput([swahili]);
    expect(usfmImporter.sniff(input)).toBeGreaterThan(textImporter.sniff(input));
    expect(detect(all, [swahili])).toBe('usfm');
    expect(detect(all, [swahili, english])).toBe('usfm');
    expect(detect(all, [fixture('usfm', 'swahili-books')])).toBe('usfm');
    expect(usfmImporter.sniff(sniffInput([join(paratext, 'SUV')]))).toBe(0);
    expect(await usfmImporter.size!([swahili, english])).toBe(statSync(swahili).size + statSync(english).size);
  });
});

describe('USFM parser', () => {
  it('drops milestones, alternate verse numbers and figures; keeps ~ as a no-break space', () => {
    const { verses, warnings } = parse(
      [
        '\\id JHN',
        '\\c 3',
        '\\p',
        '\\v 16 \\qt-s |who="Jesus"\\*For God so loved the world,\\va 16a\\va* that he gave his one~and~only Son,\\qt-e\\*',
        '\\fig Nicodemus|src="nico.jpg" size="col" ref="3:1"\\fig*',
        '\\v 17',
        'For God didn’t send his Son into the world // to judge the world.',
      ].join('\n'),
    );
    expect(verses.map((v) => [v.ref, v.text])).toEqual([
      ['JHN 3:16', 'For God so loved the world, that he gave his one\u00a0and\u00a0only Son,'],
      ['JHN 3:17', 'For God didn’t send his Son into the world to judge the world.'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('keeps notes in headings off the verses, and closes a note left open at the next verse', () => {
    const { verses, warnings } = parse(
      [
        '\\id MRK',
        '\\c 1',
        '\\s1 John the Baptist\\f + \\ft A heading note.\\f*',
        '\\p',
        '\\v 1 The beginning of the Good News.\\f + \\fr 1:1 \\ft Some manuscripts add "the Son of God."',
        '\\v 2 As it is written in the prophets,',
      ].join('\n'),
    );
    expect(verses.map((v) => [v.ref, v.text, v.footnotes])).toEqual([
      ['MRK 1:1', 'The beginning of the Good News.', ['Some manuscripts add "the Son of God."']],
      ['MRK 1:2', 'As it is written in the prophets,', []],
    ]);
    expect(warnings).toEqual(['line 6 of test.usfm: a note is still open at \\v; it was closed there.']);
  });

  it('continues a verse after a heading inside it, and leaves intro text out', () => {
    const { verses } = parse(
      [
        '\\id ROM',
        '\\ip Paul wrote this letter to the church in Rome.',
        '\\c 1',
        '\\p',
        '\\v 1 Paul, a servant of Jesus Christ,',
        '\\s1 Greeting',
        '\\p called to be an apostle.',
      ].join('\n'),
    );
    expect(verses.map((v) => v.text)).toEqual(['Paul, a servant of Jesus Christ, called to be an apostle.']);
  });

  it('runs words of Jesus on across verses and poetry lines, as USFM 2 files write them', () => {
    const { verses, warnings } = parse(
      [
        '\\id MAT',
        '\\c 5',
        '\\q1',
        '\\v 8 \\wj Blessed are the pure in heart,',
        '\\q2 for they shall see God.',
        '\\q1',
        '\\v 9 Blessed are the peacemakers,\\wj*',
        '\\v 10 \\wj Blessed are those who have been persecuted',
      ].join('\n'),
    );
    expect(verses.map((v) => [v.ref, v.text])).toEqual([
      ['MAT 5:8', 'Blessed are the pure in heart, for they shall see God.'],
      ['MAT 5:9', 'Blessed are the peacemakers,'],
      // Never closed: the text is kept all the same.
      ['MAT 5:10', 'Blessed are those who have been persecuted'],
    ]);
    expect(warnings).toEqual([]);
  });

  it('reads a verse number on the line after \\v', () => {
    const { verses } = parse(['\\id 3JN', '\\c 1', '\\p', '\\v', '1 The elder, to Gaius the beloved.'].join('\n'));
    expect(verses.map((v) => [v.ref, v.text])).toEqual([['3JN 1:1', 'The elder, to Gaius the beloved.']]);
  });

  it('counts a verse without text (omitted in this translation) as skipped', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'langbridge-usfm-'));
    try {
      const path = join(dir, 'MAT.usfm');
      writeFileSync(path, ['\\id MAT', '\\c 17', '\\p', '\\v 20 Because of your unbelief.', '\\v 21', '\\v 22 While they stayed.', ''].join('\n'));
      const { records } = await collect(usfmImporter, { paths: [path], lang: 'en' });
      expect(records.map((r) => (r.kind === 'skip' ? r : r.kind === 'document' ? r.ref : r.kind))).toEqual([
        'MAT 17:20',
        { kind: 'skip', reason: 'MAT 17:21 has no text', line: 5 },
        'MAT 17:22',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('Paratext importer', () => {
  it('reads a project: language and file names from Settings.xml, books in canonical order', async () => {
    const { records, ctx } = await collect(paratextImporter, { paths: [join(paratext, 'SUV')] });
    const docs = documents(records);
    expect(docs.map((d) => d.ref)).toEqual(['PSA 23:1', 'PSA 23:2', 'MAT 5:1', 'MAT 5:2', 'MAT 5:3']);
    expect(new Set(docs.map((d) => d.lang))).toEqual(new Set(['sw']));
    // 41MATSUV.SFM has a BOM and CRLF line ends, as Paratext writes them.
    expect(docs[2].text).toBe('Naye alipowaona makutano, alipanda mlimani; na alipokwisha kuketi, wanafunzi wake walimwendea;');
    expect(docs[2].meta).toMatchObject({ project: 'SUV', footnotes: ['Au: mlima ulio karibu na bahari ya Galilaya.'] });
    expect(ctx.warnings).toEqual([]);
  });

  it('pairs the verses of a folder holding two projects', async () => {
    const { records, ctx } = await collect(paratextImporter, { paths: [paratext] });
    expect(documents(records)).toHaveLength(5 + 6);
    const ps = pairs(records);
    expect(ps.map((p) => [p.ref, p.srcLang, p.tgtLang])).toEqual([
      ['PSA 23:1', 'sw', 'en'],
      ['PSA 23:2', 'sw', 'en'],
      ['MAT 5:1', 'sw', 'en'],
      ['MAT 5:2', 'sw', 'en'],
      ['MAT 5:3', 'sw', 'en'],
    ]);
    expect(ps[0]).toMatchObject({
      srcText: 'Bwana ndiye mchungaji wangu, Sitapungukiwa na kitu.',
      tgtText: 'Yahweh is my shepherd; I shall lack nothing.',
    });
    expect(ctx.warnings).toEqual([
      '5 verses paired; 0 verses of SUV and 1 verse of WEB have no verse with the same reference on the other side (a different verse bridge, or a book only one side has), so they were imported as documents only.',
    ]);
  });

  it('pairs two project folders given as two paths, the user’s languages first', async () => {
    const { records } = await collect(paratextImporter, { paths: [join(paratext, 'WEB'), join(paratext, 'SUV')], tgtLang: 'swh' });
    expect(pairs(records).map((p) => [p.ref, p.srcLang, p.tgtLang])).toEqual([
      ['PSA 23:1', 'en', 'swh'],
      ['PSA 23:2', 'en', 'swh'],
      ['MAT 5:1', 'en', 'swh'],
      ['MAT 5:2', 'en', 'swh'],
      ['MAT 5:3', 'en', 'swh'],
    ]);
  });

  it('claims a project, or a folder of projects, over the other importers', () => {
    const all = Object.values(importers);
    expect(detect(all, [join(paratext, 'SUV')])).toBe('paratext');
    expect(detect(all, [paratext])).toBe('paratext');
    expect(paratextImporter.sniff(sniffInput([swahili]))).toBe(0);
  });
});
