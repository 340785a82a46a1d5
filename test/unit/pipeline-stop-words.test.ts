import { describe, expect, it } from 'vitest';
import { ENGLISH_STOP_WORDS, gopherQuality } from '../../main/services/pipeline/steps/quality';
import { deriveStopWords, stopWordsFor } from '../../main/services/pipeline/steps/stop-words';

// Swahili sentences (a market town), one document each.
const SW = [
  'Wakulima walileta mahindi sokoni na kuyauza kwa chumvi, nguo na vifaa vya kazi.',
  'Shule ndogo ilifunguliwa karibu na kanisa, na watoto walijifunza kusoma kwa vitabu vya kuazima.',
  'Wasafiri waliandika kwamba daraja lilikuwa jembamba lakini lenye nguvu ya kubeba mikokoteni.',
  'Reli ilipofika, wafanyabiashara walijenga maghala karibu na kituo kipya cha treni.',
  'Familia nyingi zilikuwa na bustani nyuma ya nyumba zao na ziliuza mboga wakati wa kiangazi.',
  'Baraza lilikutana kila mwezi kujadili barabara, maji na bei ya kuni.',
];

describe('deriveStopWords', () => {
  it('ranks words by the number of documents they occur in, not by raw count', () => {
    // "na" is in 5 documents, "ya" in 3, "karibu", "kwa" and "vya" in 2.
    expect(deriveStopWords(SW, 'Latn', 'sw', 5)).toEqual(['na', 'ya', 'karibu', 'kwa', 'vya']);
    // A word repeated in one document does not outrank one spread over two.
    const docs = ['moja moja moja moja mbili', 'mbili tatu', 'tatu nne'];
    expect(deriveStopWords(docs, 'Latn', 'sw', 2)).toEqual(['mbili', 'tatu']);
  });

  it('breaks ties by the word itself, so the order of the texts does not matter', () => {
    const a = deriveStopWords(SW, 'Latn', 'sw');
    const b = deriveStopWords([...SW].reverse(), 'Latn', 'sw');
    expect(a).toEqual(b);
    expect(a).toHaveLength(8);
    expect(deriveStopWords(['zeta beta alfa', 'alfa beta zeta'], 'Latn', 'und', 3)).toEqual(['alfa', 'beta', 'zeta']);
  });

  it('lower-cases, and skips punctuation and numbers', () => {
    expect(deriveStopWords(['Na 2019, NA!', 'na 2019 — na.', '2019 ... ,'], 'Latn', 'sw', 3)).toEqual(['na']);
  });

  it('lower-cases for the locale (Turkish dotted and dotless i)', () => {
    expect(deriveStopWords(['IRMAK', 'ırmak'], 'Latn', 'tr', 1)).toEqual(['ırmak']);
    expect(deriveStopWords(['IRMAK', 'irmak'], 'Latn', 'en', 1)).toEqual(['irmak']);
    // A malformed locale falls back to the root rules instead of throwing.
    expect(deriveStopWords(['IRMAK'], 'Latn', 'not a locale!', 1)).toEqual(['irmak']);
  });

  it('segments scripts without spaces (Thai)', () => {
    const th = [
      'ชาวนานำข้าวมาขายที่ตลาดและแลกกับเกลือและผ้า',
      'โรงเรียนเล็กๆ เปิดใกล้วัดและเด็กๆ ได้เรียนอ่านหนังสือ',
      'นักเดินทางเขียนว่าสะพานแคบแต่แข็งแรงพอที่จะรับเกวียน',
    ];
    const words = deriveStopWords(th, 'Thai', 'th', 3);
    expect(words[0]).toBe('และ');
    expect(words.every((w) => !/\s/u.test(w))).toBe(true);
  });

  it('returns fewer words when the texts hold fewer, and none for no texts', () => {
    expect(deriveStopWords(['moja mbili'], 'Latn', 'sw')).toEqual(['mbili', 'moja']);
    expect(deriveStopWords([], 'Latn', 'sw')).toEqual([]);
  });

  it('gives Gopher a list that passes Swahili prose', () => {
    const stopWords = deriveStopWords(SW, 'Latn', 'sw');
    const text = SW.join(' ').repeat(2);
    expect(gopherQuality(text, { stopWords }).keep).toBe(true);
    expect(gopherQuality(text).reason?.code).toBe('gopher_enough_stop_words');
  });
});

describe('stopWordsFor', () => {
  it("uses datatrove's list for English", () => {
    expect(stopWordsFor('eng_Latn')).toBe(ENGLISH_STOP_WORDS);
    expect(stopWordsFor('eng', ['x'])).toBe(ENGLISH_STOP_WORDS);
  });

  it('uses the derived list for other languages, empty when none was derived', () => {
    expect(stopWordsFor('swh_Latn', ['na', 'ya'])).toEqual(['na', 'ya']);
    expect(stopWordsFor('swh_Latn')).toEqual([]);
    // Not English just because the code starts with "en".
    expect(stopWordsFor('enb_Latn', ['ak'])).toEqual(['ak']);
  });
});
