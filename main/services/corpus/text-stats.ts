import { UNSPACED_SCRIPTS } from './scripts';

/** Unicode code points (what Python's len counts), not UTF-16 units. */
export function countCodePoints(text: string): number {
  let n = text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xdc00 && c <= 0xdfff) n--; // low surrogate: second half of one code point
  }
  return n;
}

const segmenters = new Map<string, Intl.Segmenter>();

/** One ICU word segmenter per locale, shared by the statistics and the pipeline's filters. */
export function segmenterFor(locale: string): Intl.Segmenter {
  let s = segmenters.get(locale);
  if (!s) {
    try {
      s = new Intl.Segmenter(locale, { granularity: 'word' });
    } catch {
      s = new Intl.Segmenter('und', { granularity: 'word' });
    }
    segmenters.set(locale, s);
  }
  return s;
}

// Includes the Ethiopic wordspace (U+1361), which separates Amharic words.
function isSpace(c: number): boolean {
  return c <= 0x20 || c === 0x1361 || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000;
}

const WORD_CHAR = /[\p{L}\p{N}\p{M}]/u;

// Letters, digits and combining marks make words; punctuation and symbols
// (ASCII or not: dashes, quotes) alone do not. The regex runs at most once per
// token, on its first non-ASCII character, so this stays fast for any script.
function isWordChar(text: string, i: number, c: number): boolean {
  if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
  return WORD_CHAR.test(String.fromCodePoint(text.codePointAt(i)!));
}

/**
 * Words: whitespace-separated tokens that hold at least one letter, digit or
 * combining mark; for scripts written without spaces (Thai, Khmer, Han,
 * ...), the word-like segments of Intl.Segmenter (ICU's dictionaries).
 */
export function countWords(text: string, script: string, locale = 'und'): number {
  if (UNSPACED_SCRIPTS.has(script)) {
    let n = 0;
    for (const seg of segmenterFor(locale).segment(text)) if (seg.isWordLike) n++;
    return n;
  }
  let n = 0;
  let inToken = false;
  let tokenHasWord = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      if (inToken && tokenHasWord) n++;
      inToken = false;
      tokenHasWord = false;
    } else {
      inToken = true;
      if (!tokenHasWord && isWordChar(text, i, c)) tokenHasWord = true;
    }
  }
  if (inToken && tokenHasWord) n++;
  return n;
}
