/**
 * USFM translation keeps every marker, with its arguments and attributes:
 * only the text between markers is given to the model. Checked on the real
 * USFM fixtures (Matthew 5 and Psalm 23 in Swahili, with notes, \w
 * attributes, \wj and \+add spans).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { assemble, planSentences } from '../../main/services/inference/document-plan';
import { looksLikeUsfm, planUsfm } from '../../main/services/inference/usfm-plan';

const FIXTURES = join(__dirname, '../fixtures');
const files = [
  'usfm/41MAT-swh.usfm',
  'usfm/41MAT-eng.usfm',
  ...readdirSync(join(FIXTURES, 'usfm/swahili-books')).map((f) => `usfm/swahili-books/${f}`),
  'paratext/SUV/41MATSUV.SFM',
  'paratext/SUV/19PSASUV.SFM',
];

/** A stand-in translator that marks every sentence, so what was translated is visible. */
const mark = (s: string) => `«${s.toUpperCase()}»`;

describe('planUsfm', () => {
  it.each(files)('%s: every marker survives, in order, and only text is replaced', (file) => {
    const text = readFileSync(join(FIXTURES, file), 'utf8');
    const plan = planUsfm(text, 'swh_Latn', 'eng_Latn');
    const sentences = planSentences(plan);
    expect(sentences.length).toBeGreaterThan(3);
    const out = assemble(plan, sentences.map(mark));
    const markers = (s: string) => s.match(/\\\+?[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)?\*?|\\\*/g);
    expect(markers(out)).toEqual(markers(text));
    // Word attributes (after "|") are kept verbatim.
    const attrs = (s: string) => s.match(/\|[^\\]*\\\+?w\*/g);
    expect(attrs(out)).toEqual(attrs(text));
    // Numbers of chapters and verses, and the \id line, are unchanged.
    const args = (s: string) => [...s.matchAll(/\\(?:c|v) (\S+)|\\id [^\n]*/g)].map((m) => m[0]);
    expect(args(out)).toEqual(args(text));
    // With the sentences given back untouched, only whitespace inside a run of text can differ.
    expect(assemble(plan, sentences).replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('translates prose and keeps references, attributes, callers and metadata (Matthew 5)', () => {
    const text = readFileSync(join(FIXTURES, 'usfm/41MAT-swh.usfm'), 'utf8');
    const plan = planUsfm(text, 'swh_Latn', 'eng_Latn');
    const out = assemble(plan, planSentences(plan).map(mark));
    const line = (start: string) => out.split('\n').find((l) => l.startsWith(start));
    expect(line('\\id ')).toBe('\\id MAT Swahili Union Version (SUV), Mathayo 5:1-7');
    expect(line('\\usfm')).toBe('\\usfm 3.0');
    expect(line('\\ide')).toBe('\\ide UTF-8');
    expect(line('\\toc3')).toBe('\\toc3 Mt');
    expect(line('\\r ')).toBe('\\r (Luka 6:20-23)');
    expect(line('\\h ')).toBe('\\h «MATHAYO»');
    expect(line('\\s1 ')).toBe('\\s1 «MAHUBIRI YA MLIMANI»');
    // A footnote: caller and origin kept, its text and quotation translated.
    expect(out).toContain('\\f + \\fr 5:1 \\ft «AU:» \\fq «MLIMA»\\fq* «ULIO KARIBU NA BAHARI YA GALILAYA.»\\f*');
    // A cross-reference: its targets are references, kept.
    expect(out).toContain('\\x - \\xo 5:3 \\xt Lk 6:20; Isa 57:15\\x*');
    // \w word|attributes\w*: the word translated, the attributes kept; nested spans (\+w, \+add) too.
    expect(out).toContain('\\v 3 \\wj \\+w «HERI»|lemma="heri" strong="G3107"\\+w* «WALIO» \\+add «MASKINI»\\+add* «WA ROHO;»\\wj*');
    expect(out).toContain('\\v 5 \\w «HERI»|heri\\w* «WENYE UPOLE;»');
    // A verse running over two lines is one sentence for the model.
    expect(planSentences(plan)).toContain('na alipokwisha kuketi, wanafunzi wake walimwendea;');
    // A bridged verse with two sentences: split, both translated, the verse number kept.
    expect(out).toContain('\\v 6-7 «HERI WENYE NJAA NA KIU YA HAKI; MAANA HAO WATASHIBISHWA.» «HERI WENYE REHEMA; MAANA HAO WATAPATA REHEMA.»');
  });

  it('recognises USFM by extension or by its \\id line', () => {
    expect(looksLikeUsfm('/x/41MAT.SFM', '')).toBe(true);
    expect(looksLikeUsfm('/x/book.txt', '\uFEFF\\id MAT Swahili')).toBe(true);
    expect(looksLikeUsfm('/x/book.txt', 'Just text.')).toBe(false);
  });
});
