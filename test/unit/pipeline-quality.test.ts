import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  finewebQuality,
  gopherQuality,
  gopherRepetition,
  marcoHeuristics,
  punctuationRatio,
  specialSymbolRatio,
  type FilterResult,
} from '../../main/services/pipeline/steps/quality';
import { wordTokens } from '../../main/services/pipeline/steps/word-tokens';

const FIXTURES = join(__dirname, '..', 'fixtures', 'quality');

interface Expected {
  docs: Record<string, Record<'gopher_quality' | 'gopher_repetition' | 'fineweb_quality', { keep: boolean; reason: string | null }>>;
}

const docs = readFileSync(join(FIXTURES, 'docs.jsonl'), 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l) as { id: string; text: string });
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as Expected;

const verdict = (r: FilterResult) => ({ keep: r.keep, reason: r.reason?.code ?? null });

describe('agreement with datatrove (expected.json from make_expected.py)', () => {
  it('matches keep/drop and the reason code on every English fixture and filter', () => {
    const mismatches: string[] = [];
    let total = 0;
    for (const doc of docs) {
      const want = expected.docs[doc.id]!;
      const got = {
        gopher_quality: verdict(gopherQuality(doc.text)),
        gopher_repetition: verdict(gopherRepetition(doc.text)),
        fineweb_quality: verdict(finewebQuality(doc.text)),
      };
      for (const name of Object.keys(want) as (keyof typeof want)[]) {
        total++;
        if (got[name].keep !== want[name].keep || got[name].reason !== want[name].reason)
          mismatches.push(`${doc.id} ${name}: got ${JSON.stringify(got[name])}, datatrove ${JSON.stringify(want[name])}`);
      }
    }
    console.log(`datatrove agreement: ${total - mismatches.length}/${total}`);
    expect(docs.length).toBeGreaterThanOrEqual(15);
    expect(mismatches).toEqual([]);
  });

  it('tokenises English like datatrove (spaCy blank "en")', () => {
    // Reference list printed by datatrove.utils.text.split_into_words(text, 'en').
    const text = `Hello, world... it's a well-known (test) — U.S. don't #tag 3.5 e-mail: a@b.com "quoted" end.\n\n- bullet • x… $5.00 50%. x--y a/b Mr. Smith's USA. A. I'm`;
    expect(wordTokens(text)).toEqual([
      'Hello', ',', 'world', '...', 'it', "'s", 'a', 'well', '-', 'known', '(', 'test', ')', '—', 'U.S.', 'do', "n't", '#', 'tag',
      '3.5', 'e', '-', 'mail', ':', 'a@b.com', '"', 'quoted', '"', 'end', '.', '-', 'bullet', '•', 'x', '…', '$', '5.00', '50', '%',
      '.', 'x', '--', 'y', 'a', '/', 'b', 'Mr.', 'Smith', "'s", 'USA', '.', 'A.', 'I', "'m",
    ]);
  });

  it('splits Amharic on the Ethiopic wordspace as well as on spaces', () => {
    // UDHR article 1 in traditional orthography: words joined by ፡ (U+1361). The full stop ። stays on
    // its word, as with the English-rule tokenizer for any punctuation it does not know; the count is right.
    expect(wordTokens('የሰው፡ልጅ፡ሁሉ፡ሲወለድ፡ነጻና ነው።', 'Ethi', 'am')).toEqual(['የሰው', 'ልጅ', 'ሁሉ', 'ሲወለድ', 'ነጻና', 'ነው።']);
  });
});

// Swahili prose (about a market town); its stop words are passed in, as a language team would.
const SWAHILI_STOP_WORDS = ['na', 'ya', 'wa', 'kwa', 'za', 'la', 'katika', 'ni'];
const SW = [
  'Wakulima walileta mahindi sokoni na kuyauza kwa chumvi, nguo na vifaa vya kazi.',
  'Shule ndogo ilifunguliwa karibu na kanisa, na watoto walijifunza kusoma kwa vitabu vya kuazima.',
  'Wasafiri waliandika kwamba daraja lilikuwa jembamba lakini lenye nguvu ya kubeba mikokoteni.',
  'Reli ilipofika, wafanyabiashara walijenga maghala karibu na kituo kipya cha treni.',
  'Familia nyingi zilikuwa na bustani nyuma ya nyumba zao na ziliuza mboga wakati wa kiangazi.',
  'Baraza lilikutana kila mwezi kujadili barabara, maji na bei ya kuni.',
];
const swahili = SW.join(' ');

// Thai (no spaces between words): Intl.Segmenter supplies the words.
const THAI_SENTENCES = [
  'เมืองริมแม่น้ำเติบโตอย่างช้าๆ ตลอดหลายปีที่ผ่านมา',
  'ชาวนานำข้าวมาขายที่ตลาดและแลกกับเกลือและผ้า',
  'โรงเรียนเล็กๆ เปิดใกล้วัดและเด็กๆ ได้เรียนอ่านหนังสือ',
  'นักเดินทางเขียนว่าสะพานแคบแต่แข็งแรงพอที่จะรับเกวียน',
];
const thai = THAI_SENTENCES.join(' ');
const THAI = { script: 'Thai', locale: 'th' };

describe('gopherQuality', () => {
  const english = docs.find((d) => d.id === 'good-prose')!.text;

  it('keeps English prose and reports its metrics', () => {
    const r = gopherQuality(english);
    expect(r.keep).toBe(true);
    expect(r.metrics.words).toBeGreaterThan(100);
    expect(r.metrics.stop_words).toBeGreaterThanOrEqual(2);
  });

  it('word count: 49 words drop, 50 keep; above the maximum drops', () => {
    const words = Array.from({ length: 50 }, (_, i) => (i % 5 === 0 ? 'the' : i % 7 === 0 ? 'and' : `word${'x'.repeat(i % 4)}`));
    expect(gopherQuality(words.slice(0, 49).join(' ')).reason?.code).toBe('gopher_short_doc');
    expect(gopherQuality(words.join(' ')).keep).toBe(true);
    const r = gopherQuality(words.join(' '), { maxDocWords: 49 });
    expect(r.reason).toEqual({ code: 'gopher_long_doc', message: '50 words (maximum 49)' });
  });

  it('short-doc message is a sentence for people', () => {
    expect(gopherQuality('the cat and the dog').reason).toEqual({ code: 'gopher_short_doc', message: 'only 5 words (minimum 50)' });
  });

  it('mean word length: 3.0 keeps, just under 3 drops; 10 keeps, over 10 drops', () => {
    const base = 'the and '; // stop words, lengths 3 and 3
    expect(gopherQuality(base + 'abc '.repeat(60)).keep).toBe(true);
    expect(gopherQuality(base + 'abc '.repeat(58) + 'ab ab').reason?.code).toBe('gopher_below_avg_threshold');
    const ten = 'abcdefghij ';
    expect(gopherQuality('the the and and ' + ten.repeat(60), { minStopWords: 0 }).metrics.avg_word_length).toBeLessThan(10);
    expect(gopherQuality('the and ' + 'abcdefghijklmn '.repeat(60)).reason?.code).toBe('gopher_above_avg_threshold');
  });

  it('hash ratio counts every # against all tokens', () => {
    const prose = 'the river and the town have roads to the sea '.repeat(6).trim(); // 60 tokens
    expect(gopherQuality(prose + ' #one #two #three #four #five').keep).toBe(true); // 5/70
    const r = gopherQuality(prose + ' #a1 #b2 #c3 #d4 #e5 #f6 #g7 #h8');
    expect(r.reason?.code).toBe('gopher_too_many_hashes'); // 8/76 > 0.1
  });

  it('ellipses at the end of lines: 30% keeps, 40% drops', () => {
    const line = (i: number, ell: boolean) => `The river and the town ${'abcd'.repeat(1)} number ${'x'.repeat(i + 3)} stays${ell ? '…' : '.'}`;
    const doc = (k: number) => Array.from({ length: 10 }, (_, i) => line(i, i < k)).join('\n');
    expect(gopherQuality(doc(3)).keep).toBe(true);
    expect(gopherQuality(doc(4)).reason?.code).toBe('gopher_too_many_end_ellipsis');
  });

  it('bullets: • and - after indentation count; 90% keeps, 100% drops', () => {
    const line = (i: number) => `the town and river number ${'y'.repeat(i + 3)} grew`;
    const lines = Array.from({ length: 10 }, (_, i) => line(i));
    expect(gopherQuality(lines.map((l, i) => (i < 9 ? `  • ${l}` : l)).join('\n')).keep).toBe(true);
    expect(gopherQuality(lines.map((l) => ` - ${l}`).join('\n')).reason?.code).toBe('gopher_too_many_bullets');
  });

  it('words with a letter: 80% keeps, fewer drops', () => {
    const prose = 'the town and the river grew slowly over many years '.repeat(4).trim().split(' '); // 40 words
    expect(gopherQuality([...prose, ...Array(10).fill('1999'), 'xyz'].join(' ')).keep).toBe(true); // 41/51
    expect(gopherQuality([...prose, ...Array(11).fill('1999')].join(' ')).reason?.code).toBe('gopher_below_alpha_threshold'); // 40/51
  });

  it('stop words are per language: Swahili passes with its list, fails with the English default', () => {
    expect(gopherQuality(swahili, { stopWords: SWAHILI_STOP_WORDS }).keep).toBe(true);
    const r = gopherQuality(swahili);
    expect(r.reason?.code).toBe('gopher_enough_stop_words');
    expect(r.metrics.stop_words).toBe(0);
  });

  it('Thai words come from the segmenter, so word thresholds make sense', () => {
    const spaced = gopherQuality(thai, { minStopWords: 0 });
    expect(spaced.reason?.code).toBe('gopher_short_doc'); // a whitespace split sees only a handful of "words"
    expect(spaced.metrics.words).toBeLessThan(10);
    const r = gopherQuality(thai, { ...THAI, minStopWords: 2, stopWords: ['และ', 'ที่'], minAvgWordLength: 1 });
    expect(r.metrics.words).toBeGreaterThan(40);
    expect(r.keep).toBe(true);
    expect(gopherQuality(thai, { ...THAI, stopWords: ['และ', 'ที่'], minDocWords: 200 }).reason?.code).toBe('gopher_short_doc');
  });
});

describe('gopherRepetition', () => {
  it('keeps unrepeated text in English, Swahili and Thai', () => {
    expect(gopherRepetition(docs.find((d) => d.id === 'good-prose')!.text).keep).toBe(true);
    expect(gopherRepetition(swahili).keep).toBe(true);
    expect(gopherRepetition(thai, THAI).keep).toBe(true);
  });

  it('empty text is dropped', () => {
    expect(gopherRepetition('').reason?.code).toBe('empty');
  });

  it('duplicate paragraphs by count: 3 of 10 keeps (0.3), 4 of 10 drops', () => {
    const paras = SW.concat(SW.map((s) => s.toUpperCase()));
    const doc = (k: number) => [...paras.slice(0, 10 - k), ...Array(k).fill(SW[0])].join('\n\n');
    expect(gopherRepetition(doc(3), { dupParaCharFrac: null, dupLineFrac: null, dupLineCharFrac: null }).metrics.dup_para_frac).toBeCloseTo(0.3);
    expect(gopherRepetition(doc(3), { dupParaCharFrac: null, dupLineFrac: null, dupLineCharFrac: null }).reason?.code).not.toBe('dup_para_frac');
    expect(gopherRepetition(doc(4)).reason?.code).toBe('dup_para_frac');
  });

  it('duplicate lines by characters: one long repeated line drops, a short one keeps', () => {
    const lines = [...SW, ...SW.map((s) => s.toUpperCase())];
    expect(gopherRepetition([...lines, SW[5]].join('\n')).keep).toBe(true);
    const long = SW.join(' ');
    // Single newlines: one paragraph, so only the line checks see the repeat.
    expect(gopherRepetition([...lines, long, long].join('\n')).reason?.code).toBe('dup_line_char_frac');
    // Blank lines between them: the paragraph check comes first, as in datatrove.
    expect(gopherRepetition([...lines, long, long].join('\n\n')).reason?.code).toBe('dup_para_char_frac');
    expect(gopherRepetition([...lines, long, long].join('\n\n'), { dupParaCharFrac: null }).reason?.code).toBe('dup_line_char_frac');
  });

  it('top n-grams and duplicated n-grams use segmented words for Thai', () => {
    const spam = thai + ' ' + 'ราคาถูก'.repeat(30);
    const r = gopherRepetition(spam, THAI);
    expect(r.keep).toBe(false);
    expect(r.reason?.code).toMatch(/^top_[234]_gram$/);
    const repeated = THAI_SENTENCES.join(' ') + ' ' + THAI_SENTENCES.slice(0, 2).join(' ');
    expect(gopherRepetition(repeated, THAI).reason?.code).toMatch(/^duplicated_\d+_n_grams$/);
  });

  it('Chinese: a repeated sentence inside one line is caught by the n-gram checks', () => {
    const zh = '河边的小镇在十九世纪慢慢发展起来。农民把粮食带到市场上换盐和布。学校在教堂附近开办，孩子们用借来的书学习阅读。';
    expect(gopherRepetition(zh, { script: 'Hani', locale: 'zh' }).keep).toBe(true);
    expect(gopherRepetition(zh + zh, { script: 'Hani', locale: 'zh' }).reason?.code).toMatch(/^duplicated_\d+_n_grams$/);
  });
});

describe('finewebQuality', () => {
  const lines = (n: number, end: (i: number) => string) =>
    Array.from({ length: n }, (_, i) => `Line ${i} of the story of the town by the river${'s'.repeat(i)}${end(i)}`);

  it('terminal punctuation: 12% keeps, under 12% drops (trailing space does not count)', () => {
    const ok = lines(25, (i) => (i < 3 ? '.' : '')).join('\n'); // 3/25 = 0.12
    expect(finewebQuality(ok).keep).toBe(true);
    expect(finewebQuality(lines(25, (i) => (i < 2 ? '.' : i < 4 ? '. ' : '')).join('\n')).reason?.code).toBe('line_punct_ratio');
  });

  it('accepts terminal marks of other scripts (Chinese 。, Thai has none)', () => {
    const zh = ['河边的小镇在十九世纪慢慢发展起来，农民把粮食带到市场上换盐和布匹以及工具。', '学校在教堂附近开办，孩子们用借来的书学习阅读，旅行者说桥很窄但很结实。'].join('\n');
    expect(finewebQuality(zh, { script: 'Hani', locale: 'zh' }).keep).toBe(true);
    expect(finewebQuality(thai, THAI).reason?.code).toBe('line_punct_ratio');
    expect(finewebQuality(thai, { ...THAI, linePunctExcludeZero: true }).keep).toBe(true);
  });

  it('short lines: 2 of 3 keeps (0.667), 3 of 4 drops', () => {
    const long = 'The river town grew slowly over the long years.';
    expect(finewebQuality(['Short one.', 'Short two.', long].join('\n')).keep).toBe(true);
    expect(finewebQuality(['Short one.', 'Short two.', 'Short three.', long].join('\n')).reason?.code).toBe('short_line_ratio');
  });

  it('duplicated line characters above 1% drop', () => {
    const base = lines(30, () => '.');
    expect(finewebQuality(base.join('\n')).keep).toBe(true);
    expect(finewebQuality([...base, base[0]].join('\n')).reason?.code).toBe('char_dup_ratio');
  });

  it('newlines per word above 0.3 drop (Swahili list vs prose)', () => {
    expect(finewebQuality(SW.join('\n')).keep).toBe(true);
    const list = ['Maembe yaliyoiva vizuri kutoka Tanga.', 'Machungwa matamu ya pwani ya Mombasa.', 'Ndizi mbivu za milimani ya Kilimanjaro.', 'Nanasi kubwa la Bagamoyo la asubuhi.'];
    expect(finewebQuality(list.join('\n'), { newLineRatio: 0.1 }).reason?.code).toBe('list_ratio');
    expect(finewebQuality(list.join('\n')).keep).toBe(true);
  });
});

describe('marcoHeuristics', () => {
  it('punctuation ratio: prose keeps, punctuation soup drops, threshold overridable', () => {
    expect(marcoHeuristics(swahili).keep).toBe(true);
    expect(punctuationRatio('ab.,')).toBe(0.5);
    const soup = '!!! ??? ... --- abc def';
    expect(marcoHeuristics(soup).reason?.code).toBe('marco_punctuation_ratio');
    expect(marcoHeuristics(soup, { maxPunctuationRatio: 0.8 }).keep).toBe(true);
  });

  it('special symbols (emoji, currency, math) above 10% drop; 10% keeps', () => {
    expect(specialSymbolRatio('abcdefghi€')).toBeCloseTo(0.1);
    expect(marcoHeuristics('abcdefghi€').keep).toBe(true);
    expect(marcoHeuristics('abcdefgh😀€').reason?.code).toBe('marco_special_symbol_ratio');
    expect(marcoHeuristics('ราคาถูก😀😀😀😀').reason?.code).toBe('marco_special_symbol_ratio');
    expect(marcoHeuristics('ราคาถูก😀😀😀😀', { maxSpecialSymbolRatio: null }).keep).toBe(true);
  });
});
