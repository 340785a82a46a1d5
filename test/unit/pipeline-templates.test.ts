import { describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES } from '../../main/services/pipeline/recipe';
import { createRng } from '../../main/services/pipeline/rng';
import { languageName, renderPair, templatedPairs, type TextPair } from '../../main/services/pipeline/templates';

const pair: TextPair = { src: 'Habari ya asubuhi', tgt: 'Good morning', srcLang: 'swh_Latn', tgtLang: 'eng_Latn' };

describe('languageName', () => {
  it('gives the English name a prompt would use', () => {
    expect(languageName('swh_Latn')).toBe('Swahili');
    expect(languageName('eng_Latn')).toBe('English');
    expect(languageName('yor_Latn')).toBe('Yoruba');
    expect(languageName('arb_Arab')).toBe('Arabic');
    expect(languageName('ell_Grek')).toBe('Greek');
    expect(languageName('npi_Deva')).toBe('Nepali');
    expect(languageName('zho_Hans')).toBe('Chinese');
    expect(languageName('kaz_Cyrl')).toBe('Kazakh');
    expect(languageName('nep')).toBe('Nepali');
  });

  it('keeps an unknown code as given', () => {
    expect(languageName('qqq_Latn')).toBe('qqq_Latn');
  });
});

describe('renderPair', () => {
  it('fills the four placeholders with the texts and language names', () => {
    expect(renderPair(DEFAULT_TEMPLATES[0], pair)).toBe('Swahili phrase: Habari ya asubuhi\nEnglish phrase: Good morning');
    expect(renderPair(DEFAULT_TEMPLATES[1], pair)).toBe(
      'Translate the text from Swahili to English:\nSwahili text: Habari ya asubuhi\nEnglish text: Good morning',
    );
    expect(renderPair(DEFAULT_TEMPLATES[3], pair)).toBe('The sentence Habari ya asubuhi in Swahili means Good morning in English');
  });

  it('replaces in one pass: placeholders and $-patterns inside the texts stay as written', () => {
    const tricky: TextPair = { src: 'literal {tgt} and {src_lang}', tgt: 'costs $& or $1 {src}', srcLang: 'swh_Latn', tgtLang: 'eng_Latn' };
    expect(renderPair('{src_lang}: {src} | {tgt_lang}: {tgt}', tricky)).toBe(
      'Swahili: literal {tgt} and {src_lang} | English: costs $& or $1 {src}',
    );
  });

  it('leaves unknown braces alone and fills repeated placeholders', () => {
    expect(renderPair('{src} {src} {other} {tgt}', pair)).toBe('Habari ya asubuhi Habari ya asubuhi {other} Good morning');
  });
});

describe('templatedPairs', () => {
  it('gives both directions, each with a template drawn from the list', () => {
    const out = templatedPairs(pair, DEFAULT_TEMPLATES, true, createRng(1, 'templates'));
    expect(out).toHaveLength(2);
    expect(out[0]).toContain('Habari ya asubuhi');
    const forward = DEFAULT_TEMPLATES.map((t) => renderPair(t, pair));
    const backward = DEFAULT_TEMPLATES.map((t) => renderPair(t, { src: pair.tgt, tgt: pair.src, srcLang: pair.tgtLang, tgtLang: pair.srcLang }));
    expect(forward).toContain(out[0]);
    expect(backward).toContain(out[1]);
  });

  it('gives one text without bothDirections, and is fixed by the seed', () => {
    expect(templatedPairs(pair, DEFAULT_TEMPLATES, false, createRng(1))).toHaveLength(1);
    const a = Array.from({ length: 20 }, (_, i) => templatedPairs(pair, DEFAULT_TEMPLATES, true, createRng(5, i)));
    const b = Array.from({ length: 20 }, (_, i) => templatedPairs(pair, DEFAULT_TEMPLATES, true, createRng(5, i)));
    expect(a).toEqual(b);
  });

  it('uses every template, about equally often, and each direction independently', () => {
    const rng = createRng(8, 'spread');
    const forward = DEFAULT_TEMPLATES.map((t) => renderPair(t, pair));
    const counts = new Array<number>(DEFAULT_TEMPLATES.length).fill(0);
    let sameTemplate = 0;
    const reverse: TextPair = { src: pair.tgt, tgt: pair.src, srcLang: pair.tgtLang, tgtLang: pair.srcLang };
    const backward = DEFAULT_TEMPLATES.map((t) => renderPair(t, reverse));
    for (let i = 0; i < 4000; i++) {
      const [f, b] = templatedPairs(pair, DEFAULT_TEMPLATES, true, rng);
      counts[forward.indexOf(f)]++;
      if (forward.indexOf(f) === backward.indexOf(b)) sameTemplate++;
    }
    for (const c of counts) expect(Math.abs(c - 1000)).toBeLessThan(150);
    expect(Math.abs(sameTemplate - 1000)).toBeLessThan(150);
  });

  it('refuses an empty template list', () => {
    expect(() => templatedPairs(pair, [], true, createRng(1))).toThrow(RangeError);
  });
});
