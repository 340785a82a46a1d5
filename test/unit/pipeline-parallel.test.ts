import { describe, expect, it } from 'vitest';
import { IdentifyParams, ParallelFilterParams } from '../../main/services/pipeline/recipe';
import { dedupText, pairKey, textKey } from '../../main/services/pipeline/steps/dedup-keys';
import { asciiDigits, filterPair, lengthUnits, numbersOf, type TranslationPair } from '../../main/services/pipeline/steps/parallel';

const P = ParallelFilterParams.parse({});

const pair = (srcText: string, tgtText: string, srcLang = 'eng_Latn', tgtLang = 'swh_Latn'): TranslationPair => ({ srcText, tgtText, srcLang, tgtLang });

// A few real-looking pairs, written for these tests.
const EN_SW = pair('The school opened in 1998 near the old church.', 'Shule ilifunguliwa mwaka 1998 karibu na kanisa la zamani.');
const EN_ZH = pair('The farmers sold maize at the market.', '农民在市场上卖玉米。', 'eng_Latn', 'zho_Hans');
const EN_AR = pair('The bridge is 3 kilometres long.', 'طول الجسر ٣ كيلومترات.', 'eng_Latn', 'arb_Arab');

describe('filterPair', () => {
  it('keeps good pairs, including English-Chinese and Arabic-Indic digits', () => {
    for (const p of [EN_SW, EN_ZH, EN_AR]) expect(filterPair(p, P)).toMatchObject({ keep: true });
  });

  describe('pair_too_short', () => {
    it('drops a pair with an empty or blank side', () => {
      expect(filterPair(pair('', 'Habari'), P).reason?.code).toBe('pair_too_short');
      expect(filterPair(pair('Hello', '   \n'), P).reason?.code).toBe('pair_too_short');
    });

    it('counts code points on both sides of minLength', () => {
      const p10 = { ...P, minLength: 10 };
      expect(filterPair(pair('Good night', 'Usiku mwema'), p10).keep).toBe(true); // 10 and 11
      const r = filterPair(pair('Good nigh', 'Usiku mwema'), p10);
      expect(r).toMatchObject({ keep: false, reason: { code: 'pair_too_short' }, metrics: { src_chars: 9 } });
      expect(r.reason!.message).toBe('the source (9) has fewer than 10 characters');
      // Five emoji are 10 UTF-16 units but 5 characters.
      expect(filterPair(pair('😀😀😀😀😀', '😀😀😀😀😀!'), { ...P, minLength: 6 }).reason?.code).toBe('pair_too_short');
    });
  });

  describe('pair_identical', () => {
    it('drops a copy that differs only in case and whitespace', () => {
      expect(filterPair(pair('Nairobi  City Council', 'nairobi city\tcouncil '), P)).toMatchObject({ keep: false, reason: { code: 'pair_identical' } });
    });

    it('keeps pairs that differ in a letter', () => {
      expect(filterPair(pair('Nairobi City Council', 'Nairobi City Counsel'), P).reason?.code).not.toBe('pair_identical');
    });
  });

  describe('pair_length_ratio', () => {
    it('measures in length units: Han and kana count 3, other characters 1', () => {
      expect(lengthUnits('农民在市场上卖玉米。')).toBe(9 * 3 + 1);
      expect(lengthUnits('トウモロコシ')).toBe(18);
      expect(lengthUnits('Hello,   world ')).toBe(12);
      expect(lengthUnits('농부')).toBe(2);
    });

    it('keeps a faithful English-Chinese pair that a plain character count would drop', () => {
      const en = 'The children learned to read from borrowed books near the church.';
      const zh = '孩子们在教堂附近用借来的书学习阅读。';
      expect(en.length / zh.length).toBeGreaterThan(3);
      const r = filterPair(pair(en, zh, 'eng_Latn', 'zho_Hans'), P);
      expect(r.keep).toBe(true);
      expect(r.metrics.length_ratio).toBeLessThan(2);
    });

    it('drops above maxLengthRatio and keeps at it', () => {
      const src = 'abcdefghij klmnopqrst'; // 21 units
      const tgt = 'uvwxyz a'; // 8 units
      const r = filterPair(pair(src, tgt), { ...P, maxLengthRatio: 2.6, checkLanguage: false });
      expect(r).toMatchObject({ keep: false, reason: { code: 'pair_length_ratio' }, metrics: { src_units: 21, tgt_units: 8 } });
      expect(r.reason!.message).toBe('the source is 2.63 times as long as the other side (maximum 2.6)');
      expect(filterPair(pair(src, tgt), { ...P, maxLengthRatio: 2.625, checkLanguage: false }).keep).toBe(true);
      // The ratio is symmetric: the target may be the longer side.
      expect(filterPair(pair(tgt, src), { ...P, maxLengthRatio: 2.6, checkLanguage: false }).reason?.code).toBe('pair_length_ratio');
    });

    it('drops a truncated Chinese side', () => {
      const r = filterPair(pair('The farmers brought maize to the market and sold it for salt, cloth and tools.', '农民', 'eng_Latn', 'zho_Hans'), P);
      expect(r.reason?.code).toBe('pair_length_ratio');
    });
  });

  describe('pair_number_mismatch', () => {
    it('reads digits of any script as ASCII', () => {
      expect(asciiDigits('٣ ٤٥ ३ ৭ ３ ๙ 𝟖')).toBe('3 45 3 7 3 9 8');
      expect(numbersOf('طول الجسر ٣ كيلومترات و ١٢ مترا')).toEqual(['12', '3']);
    });

    it('normalises group separators', () => {
      for (const s of ['1,000', '1.000', '1 000', '1\u00a0000', '1\u202f000', "1'000", '1000', '١٬٠٠٠', '01000']) expect(numbersOf(s)).toEqual(['1000']);
      expect(numbersOf('1,000,000 and 1.234.567')).toEqual(['1000000', '1234567']);
      expect(numbersOf('1,00,000 rupees')).toEqual(['100000']);
      // Decimals split the same way whatever the separator.
      expect(numbersOf('3.5')).toEqual(numbersOf('3,5'));
      expect(numbersOf('05.01.2024')).toEqual(['1', '2024', '5']);
      expect(numbersOf('1, 2, 3')).toEqual(['1', '2', '3']);
      expect(numbersOf('in 2019 300 people')).toEqual(['2019', '300']);
    });

    it('"1,000" matches "1000"; Arabic-Indic ٣ matches 3', () => {
      expect(filterPair(pair('The fee is 1,000 shillings.', 'Ada ni shilingi 1000.'), P).keep).toBe(true);
      expect(filterPair(EN_AR, P).keep).toBe(true);
    });

    it('drops pairs whose numbers differ, as multisets', () => {
      const r = filterPair(pair('The school opened in 1998.', 'Shule ilifunguliwa mwaka 1989.'), P);
      expect(r).toMatchObject({ keep: false, reason: { code: 'pair_number_mismatch' }, metrics: { src_numbers: 1, tgt_numbers: 1 } });
      expect(r.reason!.message).toBe('the numbers differ: source 1998, target 1989');
      expect(filterPair(pair('Rooms 4 and 4.', 'Vyumba 4.'), P).reason?.code).toBe('pair_number_mismatch');
      expect(filterPair(pair('Call 911 now.', 'Piga simu sasa.'), P).reason!.message).toBe('the numbers differ: source 911, target none');
      expect(filterPair(pair('The bridge is 4 kilometres long.', 'طول الجسر ٣ كيلومترات.', 'eng_Latn', 'arb_Arab'), P).reason?.code).toBe('pair_number_mismatch');
    });

    it('is skipped when checkNumbers is off', () => {
      expect(filterPair(pair('The school opened in 1998.', 'Shule ilifunguliwa mwaka 1989.'), { ...P, checkNumbers: false }).keep).toBe(true);
    });
  });

  describe('pair_wrong_language', () => {
    const SW = 'Wakulima walileta mahindi sokoni na kuyauza kwa chumvi, nguo na vifaa vya kazi za shambani.';
    const EN = 'The farmers brought maize to the market and sold it for salt, cloth and tools for the fields.';
    const ES = 'Los agricultores llevaron maíz al mercado y lo vendieron a cambio de sal, tela y herramientas.';

    it('keeps a long pair in the declared languages', () => {
      const r = filterPair(pair(EN, SW), P);
      expect(r.keep).toBe(true);
      expect(r.metrics.src_lang_score).toBeGreaterThan(0.8);
      expect(r.metrics.tgt_lang_score).toBeGreaterThan(0.8);
    });

    it('drops a pair whose target is in another language than declared, even when identify only flags', () => {
      const r = filterPair(pair(EN, ES), P, IdentifyParams.parse({ action: 'flag' }));
      expect(r).toMatchObject({ keep: false, reason: { code: 'pair_wrong_language' } });
      expect(r.reason!.message).toMatch(/^target side: declared Swahili \(swh\) but the detector ranks it/);
    });

    it('drops a side in the wrong script', () => {
      const r = filterPair(pair(EN, 'Крестьяне привозили кукурузу на рынок и продавали её за соль и ткань.', 'eng_Latn', 'amh_Ethi'), P);
      expect(r.reason?.code).toBe('pair_wrong_language');
      expect(r.reason!.message).toMatch(/^target side: declared Amharic \(amh\) in Ethiopic script/);
    });

    it('never drops a side in a language the detector does not know', () => {
      expect(filterPair(pair(EN, ES, 'eng_Latn', 'xyz_Latn'), P).keep).toBe(true);
      expect(filterPair(pair(EN, ES, 'eng_Latn', 'kab_Latn'), P).keep).toBe(true);
    });

    it('does not judge sides shorter than identify minLength', () => {
      expect(filterPair(pair('The farmers sold maize.', 'Los agricultores vendieron maíz.'), P).keep).toBe(true);
      expect(filterPair(pair(EN, ES), P, IdentifyParams.parse({ minLength: 200 })).keep).toBe(true);
    });

    it('is skipped when checkLanguage is off', () => {
      expect(filterPair(pair(EN, ES), { ...P, checkLanguage: false }).keep).toBe(true);
    });
  });

  it('reports the first failing check, in the documented order', () => {
    // Too short before identical.
    expect(filterPair(pair(' ', '\t'), P).reason?.code).toBe('pair_too_short');
    // Length ratio before numbers.
    expect(filterPair(pair('Call 911 now, the house is on fire and people are inside.', 'Piga 112.'), P).reason?.code).toBe('pair_length_ratio');
    // Numbers before language.
    const en = 'The farmers brought 5 sacks of maize to the market and sold them for salt and cloth.';
    const es = 'Los agricultores llevaron 6 sacos de maíz al mercado y los vendieron por sal y tela.';
    expect(filterPair(pair(en, es), P).reason?.code).toBe('pair_number_mismatch');
    expect(filterPair(pair(en, es.replace('6', '5')), P).reason?.code).toBe('pair_wrong_language');
  });
});

describe('dedup keys', () => {
  it('textKey is equal for whitespace, case and Unicode-composition variants', () => {
    const k = textKey('Habari ya asubuhi.\nKaribu Nairobi!');
    expect(k).toMatch(/^[0-9a-f]{40}$/);
    expect(textKey('  habari  ya ASUBUHI. karibu\tnairobi!\n')).toBe(k);
    expect(textKey('Habari ya asubuhi.\r\n\u00a0Karibu Nairobi!')).toBe(k);
    // é precomposed vs e + combining acute.
    expect(textKey('Caf\u00e9 au lait')).toBe(textKey('Cafe\u0301 au lait'));
  });

  it('textKey differs for different words or punctuation', () => {
    const k = textKey('Habari ya asubuhi.');
    expect(textKey('Habari ya asubuhi!')).not.toBe(k);
    expect(textKey('Habari za asubuhi.')).not.toBe(k);
    expect(textKey('Habariya asubuhi.')).not.toBe(k);
  });

  it('documents the case folding: simple lowercasing, no ß/ss merge, dotless ı kept apart', () => {
    expect(dedupText('  STRASSE\tStraße  ')).toBe('strasse straße');
    expect(textKey('sıkı')).not.toBe(textKey('siki'));
  });

  it('pairKey normalises both sides and keeps the direction', () => {
    const k = pairKey('Good morning.', 'Habari ya asubuhi.');
    expect(k).toMatch(/^[0-9a-f]{40}$/);
    expect(pairKey(' good   MORNING. ', 'habari ya  asubuhi.\n')).toBe(k);
    expect(pairKey('Habari ya asubuhi.', 'Good morning.')).not.toBe(k);
    expect(pairKey('Good morning.', 'Habari ya jioni.')).not.toBe(k);
    // A NUL inside a side cannot shift text from one side to the other.
    expect(pairKey('a\u0000b', 'c')).not.toBe(pairKey('a', 'b\u0000c'));
  });
});
