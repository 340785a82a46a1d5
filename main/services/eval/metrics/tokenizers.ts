/**
 * sacrebleu 2.6.0's BLEU tokenizers, ported line by line (sacrebleu/tokenizers/
 * tokenizer_13a.py, tokenizer_re.py, tokenizer_intl.py, tokenizer_char.py,
 * tokenizer_zh.py, tokenizer_none.py). Each returns the tokenised line with
 * single spaces between tokens, as sacrebleu does; BLEU then splits it on
 * Python whitespace.
 *
 * Known gap: `intl` uses Unicode categories (P, N, S). Python's `regex` module
 * and the JS engine ship their own Unicode tables; characters added in the
 * newest Unicode versions (a handful of symbols and numerals, none in common
 * use) can be classified differently until both sides catch up.
 */

import { isPySpace, pySplit, pyStrip } from './python-strings';

export type BleuTokenizer = '13a' | 'intl' | 'char' | 'zh' | 'none';

export const BLEU_TOKENIZERS: readonly BleuTokenizer[] = ['13a', 'intl', 'char', 'zh', 'none'];

/** `' '.join(line.split())`: collapse Python whitespace, trim both ends. */
function joinSplit(line: string): string {
  return pySplit(line).join(' ');
}

// tokenizer_re.TokenizerRegexp: the mteval-v13a "language-dependent part",
// shared by 13a and zh. Python's [0-9] in a str pattern is ASCII digits only.
// sacrebleu's first class also pads every space with two more; that changes
// nothing once runs of whitespace are collapsed (the later patterns only look
// at the one character next to a space, which is a space either way), so the
// space is left out of the class here: the same output, a third less work.
const RE_PUNCT = /([{-~[-`!-&(-+:-@/])/g;
const RE_PERIOD_COMMA_AFTER_NON_DIGIT = /([^0-9])([.,])/gu;
const RE_PERIOD_COMMA_BEFORE_NON_DIGIT = /([.,])([^0-9])/gu;
const RE_DASH_AFTER_DIGIT = /([0-9])(-)/g;

/** The four substitutions, before whitespace is collapsed. */
function regexpPasses(line: string): string {
  line = line.replace(RE_PUNCT, ' $1 ');
  line = line.replace(RE_PERIOD_COMMA_AFTER_NON_DIGIT, '$1 $2 ');
  line = line.replace(RE_PERIOD_COMMA_BEFORE_NON_DIGIT, ' $1 $2');
  return line.replace(RE_DASH_AFTER_DIGIT, '$1 $2 ');
}

export function tokenizeRegexp(line: string): string {
  return joinSplit(regexpPasses(line));
}

/** mteval-v13a's language-independent part. */
function prepare13a(line: string): string {
  // Plain substring replacement, in sacrebleu's order: `&amp;quot;` becomes `&quot;`, not `"`.
  if (line.includes('<skipped>')) line = line.replaceAll('<skipped>', '');
  if (line.includes('\n')) line = line.replaceAll('-\n', '').replaceAll('\n', ' ');
  if (line.includes('&')) {
    line = line.replaceAll('&quot;', '"').replaceAll('&amp;', '&').replaceAll('&lt;', '<').replaceAll('&gt;', '>');
  }
  return line;
}

export function tokenize13a(line: string): string {
  return tokenizeRegexp(` ${prepare13a(line)} `);
}

// tokenizer_intl.TokenizerV14International (mteval-v14 international).
const RE_INTL_PUNCT_AFTER_NON_DIGIT = /(\P{N})(\p{P})/gu;
const RE_INTL_PUNCT_BEFORE_NON_DIGIT = /(\p{P})(\P{N})/gu;
const RE_INTL_SYMBOL = /(\p{S})/gu;

function intlPasses(line: string): string {
  line = line.replace(RE_INTL_PUNCT_AFTER_NON_DIGIT, '$1 $2 ');
  line = line.replace(RE_INTL_PUNCT_BEFORE_NON_DIGIT, ' $1 $2');
  return line.replace(RE_INTL_SYMBOL, ' $1 ');
}

export function tokenizeIntl(line: string): string {
  return joinSplit(intlPasses(line));
}

/** `" ".join(char for char in line)`: every code point becomes a token. */
export function tokenizeChar(line: string): string {
  return Array.from(line).join(' ');
}

/**
 * tokenizer_zh._UCODE_RANGES as Python actually evaluates them. Two entries are
 * written `u'\u20000'`, `u'\u2a6d6'`, `u'\u2f800'`, `u'\u2fa1d'` in sacrebleu:
 * Python reads `\u` with exactly four hex digits, so they are the two-character
 * strings '\u2000' + '0' and so on, and the string comparison
 * `start <= char <= end` then holds for U+2001..U+2A6D and U+2F81..U+2FA1
 * (general punctuation, arrows, maths symbols...), while the real CJK
 * Extension B and Compatibility Supplement (U+20000.., U+2F800..) are not
 * split. Reproduced on purpose: the scores must equal sacrebleu's.
 */
const ZH_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0x3400, 0x4db5],
  [0x4e00, 0x9fa5],
  [0x9fa6, 0x9fbb],
  [0xf900, 0xfa2d],
  [0xfa30, 0xfa6a],
  [0xfa70, 0xfad9],
  [0x2001, 0x2a6d], // u'\u20000' .. u'\u2a6d6', see above
  [0x2f81, 0x2fa1], // u'\u2f800' .. u'\u2fa1d', see above
  [0xff00, 0xffef],
  [0x2e80, 0x2eff],
  [0x3000, 0x303f],
  [0x31c0, 0x31ef],
  [0x2f00, 0x2fdf],
  [0x2ff0, 0x2fff],
  [0x3100, 0x312f],
  [0x31a0, 0x31bf],
  [0xfe10, 0xfe1f],
  [0xfe30, 0xfe4f],
  [0x2600, 0x26ff],
  [0x2700, 0x27bf],
  [0x3200, 0x32ff],
  [0x3300, 0x33ff],
];

// Every range lies in the BMP, so a table over U+0000..U+FFFF answers in O(1).
const ZH_TABLE = new Uint8Array(0x10000);
for (const [a, b] of ZH_RANGES) ZH_TABLE.fill(1, a, b + 1);

export function isZhChar(codePoint: number): boolean {
  return codePoint < 0x10000 && ZH_TABLE[codePoint] === 1;
}

/** Spaces around every character in the (quirky) Chinese ranges, before the 13a regexps. */
function spaceZh(line: string): string {
  line = pyStrip(line);
  let out = '';
  let plainStart = 0;
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    // Surrogates are never in a range (ranges are BMP, and astral code points are not split).
    if (ZH_TABLE[c] === 1 && (c < 0xd800 || c > 0xdfff)) {
      out += line.slice(plainStart, i) + ' ' + line[i] + ' ';
      plainStart = i + 1;
    }
  }
  return out + line.slice(plainStart);
}

export function tokenizeZh(line: string): string {
  return tokenizeRegexp(spaceZh(line));
}

export function tokenizeNone(line: string): string {
  return line;
}

export function getTokenizer(name: BleuTokenizer): (line: string) => string {
  switch (name) {
    case '13a':
      return tokenize13a;
    case 'intl':
      return tokenizeIntl;
    case 'char':
      return tokenizeChar;
    case 'zh':
      return tokenizeZh;
    case 'none':
      return tokenizeNone;
    default:
      throw unknownTokenizer(name);
  }
}

function unknownTokenizer(name: never): Error {
  return new Error(`unknown BLEU tokenizer "${String(name)}": use one of ${BLEU_TOKENIZERS.join(', ')}`);
}

/**
 * `tokenizer(line).split()` without building the joined string and splitting
 * it again: what BLEU needs. Same tokens as pySplit(getTokenizer(name)(line)).
 */
export function getTokenSplitter(name: BleuTokenizer): (line: string) => string[] {
  switch (name) {
    case '13a':
      return (line) => pySplit(regexpPasses(` ${prepare13a(line)} `));
    case 'intl':
      return (line) => pySplit(intlPasses(line));
    case 'char':
      // Every code point that is not whitespace is a token (whitespace is BMP).
      return (line) => Array.from(line).filter((c) => c.length > 1 || !isPySpace(c.charCodeAt(0)));
    case 'zh':
      return (line) => pySplit(regexpPasses(spaceZh(line)));
    case 'none':
      return pySplit;
    default:
      throw unknownTokenizer(name);
  }
}
