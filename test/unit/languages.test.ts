import { describe, expect, it } from 'vitest';
import { resolveLanguage } from '../../main/services/corpus/languages';
import { detectScript } from '../../main/services/corpus/scripts';
import { countCodePoints, countWords } from '../../main/services/corpus/text-stats';

describe('language codes', () => {
  it.each([
    ['yo', undefined, 'yor_Latn'],
    ['yor', undefined, 'yor_Latn'],
    ['quy_Latn', undefined, 'quy_Latn'],
    ['swh_Latn', undefined, 'swh_Latn'],
    ['sw', 'Habari', 'swh_Latn'], // Flores' Swahili, not the macrolanguage
    ['swa', 'Habari', 'swa_Latn'], // a three-letter macrolanguage code is kept as typed
    ['ar', 'مرحبا', 'arb_Arab'],
    ['fre', undefined, 'fra_Latn'], // ISO 639-2/B
    ['sr-Cyrl', undefined, 'srp_Cyrl'], // BCP-47 with a script
    ['sr', 'Zdravo svete', 'srp_Latn'], // script from the text
    ['zh', '人人生而自由', 'zho_Hans'],
    ['zh-TW', '人人生而自由', 'zho_Hant'], // Han alone: the region decides
    ['ja', 'こんにちは世界', 'jpn_Jpan'],
    ['am', undefined, 'amh_Ethi'], // ICU likely subtags
    ['nqo', undefined, 'nqo_Nkoo'],
  ])('%s (%s) -> %s', (code, sample, expected) => {
    const r = resolveLanguage(code, sample);
    expect(r.code).toBe(expected);
    expect(r.known).toBe(true);
    expect(r.warning).toBeUndefined();
  });

  it('gives right-to-left scripts their direction', () => {
    expect(resolveLanguage('ar').direction).toBe('rtl');
    expect(resolveLanguage('dv').direction).toBe('rtl'); // Thaana
    expect(resolveLanguage('nqo').direction).toBe('rtl'); // N'Ko
    expect(resolveLanguage('he').direction).toBe('rtl');
    expect(resolveLanguage('am').direction).toBe('ltr');
  });

  it('keeps an unknown code as given, with a warning', () => {
    const r = resolveLanguage('qxz', 'Ñuqaqa runasimita rimani');
    expect(r).toMatchObject({ code: 'qxz_Latn', known: false });
    expect(r.warning).toMatch(/not an ISO 639 code; it is kept as given/);
    const odd = resolveLanguage('my language!');
    expect(odd.known).toBe(false);
    expect(odd.warning).toMatch(/not a language code/);
  });
});

describe('scripts and counts', () => {
  it('detects the dominant script', () => {
    expect(detectScript('ሰላም ለዓለም')).toBe('Ethi');
    expect(detectScript('ߒߞߏ ߞߊ߲')).toBe('Nkoo');
    expect(detectScript('សួស្តី')).toBe('Khmr');
    expect(detectScript('1234 !!')).toBeNull();
  });

  it('counts code points, not UTF-16 units', () => {
    expect(countCodePoints('😀a')).toBe(2);
    expect('😀a'.length).toBe(3);
  });

  it('counts words by spaces, the Ethiopic wordspace, or ICU segmentation', () => {
    expect(countWords('Hello, world — it is “me” .', 'Latn')).toBe(5);
    expect(countWords('እያንዳንዱ፡ሰው፡የዘር', 'Ethi')).toBe(3);
    expect(countWords('สวัสดีครับ นี่คือการทดสอบ', 'Thai', 'th')).toBeGreaterThanOrEqual(5);
    expect(countWords('人人生而自由', 'Hans', 'zh')).toBeGreaterThanOrEqual(3);
  });
});
