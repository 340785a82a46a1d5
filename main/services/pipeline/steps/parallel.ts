/**
 * Filters for translation pairs (the `parallel-filter` step). Pure: no I/O,
 * safe in worker threads. Checks run in a fixed order and stop at the first
 * failure, so the reason is always the first rule a pair breaks:
 *   1. pair_too_short       a side with fewer than minLength code points
 *                           (after trimming: a side of spaces is empty);
 *   2. pair_identical       source equals target once whitespace is collapsed
 *                           and case folded (an untranslated copy);
 *   3. pair_length_ratio    longer side / shorter side, in length units, above
 *                           maxLengthRatio (a truncated or misaligned pair);
 *   4. pair_number_mismatch (checkNumbers) the two sides hold different
 *                           numbers;
 *   5. pair_wrong_language  (checkLanguage) identify() drops a side. It only
 *                           judges a side long enough for the detector, in a
 *                           language it knows: never a side in a language the
 *                           detector does not know.
 * Metrics hold what was computed up to the deciding check.
 */
import type { z } from 'zod';
import { IdentifyParams as IdentifyParamsSchema, type ParallelFilterParams } from '../recipe';
import { dedupText } from './dedup-keys';
import { identify, type IdentifyParams } from './identify';

export interface TranslationPair {
  srcText: string;
  tgtText: string;
  /** Flores-style codes, e.g. swh_Latn. */
  srcLang: string;
  tgtLang: string;
}

export interface PairResult {
  keep: boolean;
  reason?: { code: string; message: string };
  metrics: Record<string, number>;
}

const drop = (code: string, message: string, metrics: Record<string, number>): PairResult => ({
  keep: false,
  reason: { code, message },
  metrics,
});

function codePoints(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff) n++; // a low surrogate is the second half of one code point
  }
  return n;
}

// ------------------------------------------------------------ length units

/**
 * Han, Hiragana and Katakana characters weigh 3 length units, every other
 * code point 1 (whitespace collapsed first). One CJK character carries about
 * a word's worth of meaning, and an English word is about 5 letters plus a
 * space, so 3 units keeps a faithful Chinese/Japanese-English pair near a
 * ratio of 1 to 2 instead of 3 to 5, where a plain character count would drop
 * many good pairs at maxLengthRatio 3. Hangul is not weighted: Korean is
 * written with spaces between words, its syllable blocks are closer to
 * syllables than to words.
 */
export const CJK_UNIT_WEIGHT = 3;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;

export function lengthUnits(text: string): number {
  let units = 0;
  for (const ch of text.replace(/\s+/gu, ' ').trim()) {
    // Below U+2E80 nothing is Han or kana: skip the regex for alphabetic text.
    units += ch.charCodeAt(0) >= 0x2e80 && CJK.test(ch) ? CJK_UNIT_WEIGHT : 1;
  }
  return units;
}

// ----------------------------------------------------------------- numbers

// Unicode encodes every set of decimal digits (Nd) as ten consecutive code
// points 0..9 (a stability guarantee), and adjacent sets (the mathematical
// digits) start at 0 too; so a digit's value is its distance from the start
// of its run of Nd code points, modulo 10.
const DECIMAL_DIGIT = /\p{Nd}/u;
const digitValues = new Map<number, string>();
function asciiDigit(cp: number): string {
  let v = digitValues.get(cp);
  if (v === undefined) {
    let start = cp;
    while (start > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(start - 1))) start--;
    v = String((cp - start) % 10);
    digitValues.set(cp, v);
  }
  return v;
}

const NON_ASCII_DIGIT = /[^\P{Nd}0-9]/gu;

/** Text with every decimal digit of any script (Arabic-Indic ٣, Devanagari ३, full-width ３) written as ASCII. */
export function asciiDigits(text: string): string {
  return text.replace(NON_ASCII_DIGIT, (d) => asciiDigit(d.codePointAt(0)!));
}

// Group separators: comma, dot, apostrophes (Swiss 1'000), no-break, narrow
// no-break and thin spaces, a plain space, Arabic thousands (٬) and decimal (٫)
// separators. A number is 1-3 digits then groups of 2 (Indian 1,00,000) and
// finally of 3 digits; anything else is separate digit runs. So "1,000",
// "1.000", "1 000" and "1000" are all 1000, while decimals split the same way
// whatever the separator ("3.5" and "3,5" are both 3 and 5), and dates
// ("05.01.2024") stay three numbers.
const SEP = "[,.'’\\u00a0\\u202f\\u2009 \\u066b\\u066c]";
const NUMBER = new RegExp(`\\d{1,3}(?:${SEP}\\d{2})*(?:${SEP}\\d{3})+(?!\\d)|\\d+`, 'g');

/**
 * The numbers of a text as a sorted list of ASCII digit strings: any script's
 * digits, group separators removed, leading zeros dropped ("05" is 5).
 */
export function numbersOf(text: string): string[] {
  const out: string[] = [];
  for (const m of asciiDigits(text).matchAll(NUMBER)) out.push(m[0].replace(/\D/g, '').replace(/^0+(?=\d)/, ''));
  return out.sort();
}

function sameList(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

const DEFAULT_IDENTIFY: IdentifyParams = IdentifyParamsSchema.parse({});

// ------------------------------------------------------------------ filter

export function filterPair(
  pair: TranslationPair,
  params: z.output<typeof ParallelFilterParams>,
  identifyParams: IdentifyParams = DEFAULT_IDENTIFY,
): PairResult {
  const metrics: Record<string, number> = {};
  const src = pair.srcText.trim();
  const tgt = pair.tgtText.trim();
  const srcLen = codePoints(src);
  const tgtLen = codePoints(tgt);
  metrics.src_chars = srcLen;
  metrics.tgt_chars = tgtLen;
  if (srcLen < params.minLength || tgtLen < params.minLength) {
    const side = srcLen < params.minLength ? `source (${srcLen})` : `target (${tgtLen})`;
    return drop('pair_too_short', `the ${side} has fewer than ${params.minLength} characters`, metrics);
  }

  if (dedupText(src) === dedupText(tgt))
    return drop('pair_identical', 'source and target are the same text (untranslated copy)', metrics);

  const srcUnits = lengthUnits(src);
  const tgtUnits = lengthUnits(tgt);
  // Both sides are empty only when minLength is 0; two empty sides are identical and stopped above.
  const ratio = Math.max(srcUnits, tgtUnits) / Math.min(srcUnits, tgtUnits);
  metrics.src_units = srcUnits;
  metrics.tgt_units = tgtUnits;
  metrics.length_ratio = ratio;
  if (ratio > params.maxLengthRatio) {
    const longer = srcUnits >= tgtUnits ? 'source' : 'target';
    return drop('pair_length_ratio', `the ${longer} is ${ratio.toFixed(2)} times as long as the other side (maximum ${params.maxLengthRatio})`, metrics);
  }

  if (params.checkNumbers) {
    const a = numbersOf(src);
    const b = numbersOf(tgt);
    metrics.src_numbers = a.length;
    metrics.tgt_numbers = b.length;
    if (!sameList(a, b)) {
      const show = (l: string[]) => (l.length ? l.join(', ') : 'none');
      return drop('pair_number_mismatch', `the numbers differ: source ${show(a)}, target ${show(b)}`, metrics);
    }
  }

  if (params.checkLanguage) {
    const p: IdentifyParams = { ...identifyParams, action: 'drop' };
    for (const [side, text, lang] of [
      ['source', src, pair.srcLang],
      ['target', tgt, pair.tgtLang],
    ] as const) {
      const r = identify(text, lang, p);
      if (r.declaredScore !== null) metrics[side === 'source' ? 'src_lang_score' : 'tgt_lang_score'] = r.declaredScore;
      if (r.drop) return drop('pair_wrong_language', `${side} side: ${r.reason!.message}`, metrics);
    }
  }
  return { keep: true, metrics };
}
