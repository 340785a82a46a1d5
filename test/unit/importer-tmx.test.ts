import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { csvImporter, tsvImporter } from '../../main/services/corpus/importers/csv';
import { jsonlImporter } from '../../main/services/corpus/importers/jsonl';
import { mosesImporter } from '../../main/services/corpus/importers/moses';
import { parquetImporter } from '../../main/services/corpus/importers/parquet';
import { textImporter } from '../../main/services/corpus/importers/text';
import { tmxImporter } from '../../main/services/corpus/importers/tmx';
import { collect, fixture, pairs } from './helpers/importer';
import { detect } from './helpers/sniff';

const ALL = [textImporter, jsonlImporter, csvImporter, tsvImporter, parquetImporter, mosesImporter, tmxImporter];

const tmp = mkdtempSync(join(tmpdir(), 'langbridge-tmx-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function tmx(body: string, header = '<header srclang="en" datatype="plaintext" segtype="sentence" o-tmf="x" adminlang="en" creationtool="x" creationtoolversion="1"/>'): string {
  const path = join(tmp, `t${Math.random().toString(36).slice(2)}.tmx`);
  writeFileSync(path, `<?xml version="1.0"?>\n<tmx version="1.4">\n${header}\n<body>\n${body}\n</body>\n</tmx>\n`);
  return path;
}

const SAMPLE_PAIRS = [
  ['en', 'Good morning.', 'sw', 'Habari ya asubuhi.', 'greet-1', 8],
  ['en', 'Good morning.', 'am', 'እንደምን አደርክ።', 'greet-1', 8],
  ['sw', 'Habari ya asubuhi.', 'am', 'እንደምን አደርክ።', 'greet-1', 8],
  ['sw', 'Bonyeza Hifadhi sasa & subiri.', 'en', 'Press Save now.', 'tu 2', 15],
  ['ar', 'مرحبا بالعالم.', 'th', 'สวัสดี <ชาวโลก>', 'tu 3', 19],
  ['en', 'Café kikombe and tea.', 'sw', 'Kahawa na chai.', 'tu 5', 26],
];

describe('TMX importer', () => {
  it('yields a pair for every two languages of a unit, with inline codes dropped', async () => {
    const path = fixture('tmx', 'sample.tmx');
    const { records, ctx } = await collect(tmxImporter, { paths: [path] });
    expect(pairs(records).map((p) => [p.srcLang, p.srcText, p.tgtLang, p.tgtText, p.ref, p.line])).toEqual(SAMPLE_PAIRS);
    expect(records.filter((r) => r.kind === 'skip')).toEqual([{ kind: 'skip', reason: '<tu> with one <tuv>', line: 23 }]);
    expect(ctx.bytesDone).toBe(statSync(path).size);
  });

  it('keeps the props and notes of a unit as meta', async () => {
    const { records } = await collect(tmxImporter, { paths: [fixture('tmx', 'sample.tmx')] });
    const [first] = pairs(records);
    expect(first.meta).toEqual({ props: { 'x-domain': 'daily' }, notes: ['Checked by a native speaker.'] });
    // The header's prop is not a unit's.
    expect(pairs(records)[3].meta).toBeUndefined();
  });

  it('reads UTF-16 LE with CRLF, as CAT tools export it', async () => {
    const { records } = await collect(tmxImporter, { paths: [fixture('tmx', 'utf16le.tmx')] });
    expect(pairs(records).map((p) => [p.srcLang, p.srcText, p.tgtLang, p.tgtText, p.ref, p.line])).toEqual(SAMPLE_PAIRS);
  });

  it('reads the lang attribute of TMX 1.1', async () => {
    const { records } = await collect(tmxImporter, { paths: [fixture('tmx', 'tmx11.tmx')] });
    expect(pairs(records)).toEqual([
      { kind: 'pair', srcText: 'Thank you.', tgtText: 'Asante.', srcLang: 'EN-US', tgtLang: 'SW', ref: 'tu 1', line: 5 },
    ]);
  });

  it('refuses a DOCTYPE with entity declarations at once, naming its line', async () => {
    const started = performance.now();
    const err = await collect(tmxImporter, { paths: [fixture('tmx', 'entity-bomb.tmx')] }).catch((e: unknown) => e);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(err).toMatchObject({ code: 'parse-error', file: 'entity-bomb.tmx', line: 2 });
    expect((err as Error).message).toMatch(/^line 2 of entity-bomb\.tmx: the file declares a DOCTYPE; Langbridge refuses DTDs/);
  });

  it('refuses a DOCTYPE even without entities, and one that shares a line with the root', async () => {
    const path = join(tmp, 'doctype.tmx');
    writeFileSync(path, '<?xml version="1.0"?><!DOCTYPE tmx SYSTEM "tmx14.dtd"><tmx version="1.4"><body/></tmx>');
    await expect(collect(tmxImporter, { paths: [path] })).rejects.toThrow(/^line 1 of doctype\.tmx: the file declares a DOCTYPE/);
  });

  it('refuses an undefined entity, naming it and its line', async () => {
    await expect(collect(tmxImporter, { paths: [fixture('tmx', 'undefined-entity.tmx')] })).rejects.toThrow(
      /^line 6 of undefined-entity\.tmx: malformed XML: undefined entity &lol9;: TMX allows only &amp; &lt; &gt; &quot; &apos;/,
    );
  });

  it('says where a truncated file ends and which unit it ends in', async () => {
    const err = await collect(tmxImporter, { paths: [fixture('tmx', 'truncated.tmx')] }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'parse-error', line: 21 });
    expect((err as Error).message).toBe(
      'line 21 of truncated.tmx: the file ends inside <tu> (opened at line 19): it looks truncated',
    );
  });

  it('says which element a file cut between units ends in', async () => {
    const path = join(tmp, 'cut.tmx');
    writeFileSync(path, '<?xml version="1.0"?>\n<tmx version="1.4">\n<body>\n<tu><tuv xml:lang="en"><seg>a</seg></tuv><tuv xml:lang="sw"><seg>b</seg></tuv></tu>\n');
    await expect(collect(tmxImporter, { paths: [path] })).rejects.toThrow('line 4 of cut.tmx: the file ends inside <body>: it looks truncated');
  });

  it('reports malformed XML with the line saxes gives', async () => {
    await expect(collect(tmxImporter, { paths: [fixture('tmx', 'malformed.tmx')] })).rejects.toThrow(
      'line 5 of malformed.tmx: malformed XML: unexpected close tag',
    );
  });

  it('refuses XML that is not TMX', async () => {
    await expect(collect(tmxImporter, { paths: [fixture('tmx', 'not-tmx.xml')] })).rejects.toThrow(
      'line 2 of not-tmx.xml: not a TMX file: the root element is <html>, not <tmx>',
    );
  });

  it('refuses a <seg> outside a <tuv> and a <tuv> without a language', async () => {
    await expect(collect(tmxImporter, { paths: [tmx('<tu>\n<seg>x</seg></tu>')] })).rejects.toThrow(
      /line 6 of .*: <seg> without a <tuv> parent/,
    );
    await expect(collect(tmxImporter, { paths: [tmx('<tu>\n\n<tuv><seg>x</seg></tuv></tu>')] })).rejects.toThrow(
      /line 7 of .*: <tuv> without an xml:lang attribute/,
    );
  });

  it('skips units whose segments are empty and pairs of one language', async () => {
    const path = tmx(
      [
        '<tu><tuv xml:lang="en"><seg>  </seg></tuv><tuv xml:lang="sw"><seg>Habari</seg></tuv></tu>',
        '<tu><tuv xml:lang="en-GB"><seg>Colour</seg></tuv><tuv xml:lang="en-gb"><seg>Color</seg></tuv><tuv xml:lang="sw"><seg>Rangi</seg></tuv></tu>',
      ].join('\n'),
    );
    const { records, ctx } = await collect(tmxImporter, { paths: [path] });
    expect(records[0]).toEqual({ kind: 'skip', reason: '<tu> with empty <seg> elements', line: 5 });
    expect(pairs(records).map((p) => [p.srcText, p.tgtText])).toEqual([
      ['Colour', 'Rangi'],
      ['Color', 'Rangi'],
    ]);
    expect(ctx.warnings).toHaveLength(1);
    expect(ctx.warnings[0]).toMatch(/two <tuv> in en-gb/i);
  });

  it('streams a large file across its 64 KiB batches', async () => {
    const units: string[] = [];
    for (let i = 1; i <= 3000; i++) {
      units.push(`<tu tuid="u${i}"><tuv xml:lang="en"><seg>Sentence ${i} &amp; more.</seg></tuv><tuv xml:lang="sw"><seg>Sentensi ${i}.</seg></tuv></tu>`);
    }
    const path = tmx(units.join('\n'));
    const { records } = await collect(tmxImporter, { paths: [path] });
    const ps = pairs(records);
    expect(ps).toHaveLength(3000);
    expect(ps[2999]).toMatchObject({ srcText: 'Sentence 3000 & more.', tgtText: 'Sentensi 3000.', ref: 'u3000', line: 3004 });
  });

  it('yields nothing for an empty file', async () => {
    const { records } = await collect(tmxImporter, { paths: [fixture('tmx', 'empty.tmx')] });
    expect(records).toEqual([]);
  });

  it('is detected for its fixtures, UTF-16 included', () => {
    expect(detect(ALL, [fixture('tmx', 'sample.tmx')])).toBe('tmx');
    expect(detect(ALL, [fixture('tmx', 'utf16le.tmx')])).toBe('tmx');
    expect(detect(ALL, [fixture('tmx', 'tmx11.tmx')])).toBe('tmx');
    const renamed = join(tmp, 'memory.xml');
    writeFileSync(renamed, '<?xml version="1.0"?>\n<tmx version="1.4"><body></body></tmx>\n');
    expect(detect(ALL, [renamed])).toBe('tmx');
  });
});
