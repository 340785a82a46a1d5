/**
 * Document quality filters, ported from datatrove 0.10.1
 * (pipeline/filters/gopher_quality_filter.py, gopher_repetition_filter.py,
 * fineweb_quality_filter.py) with its default thresholds, plus two
 * heuristics from the Marco-LLM recipe. Pure functions: text in, verdict out.
 *
 * Porting notes (each one a place where a naive port disagrees):
 * - lengths are code points (Python len), via countCodePoints;
 * - Gopher quality splits lines like str.splitlines() (\r, \v, \f, \x1c-\x1e,
 *   \x85, U+2028/2029 too), repetition splits on /\n+/ and paragraphs on
 *   /\n{2,}/ of the Python-stripped text, FineWeb on '\n' only;
 * - each filter stops at its first failing check, in datatrove's order, so the
 *   reason code is the one datatrove reports; metrics hold what was computed
 *   up to that point;
 * - a threshold of 0 or null disables its check (datatrove tests truthiness).
 */
import { countCodePoints } from '../../corpus/text-stats';
import { wordTokens } from './word-tokens';

export interface FilterReason {
  /** Stable machine code; datatrove's own where the check is datatrove's. */
  code: string;
  /** One sentence for people. */
  message: string;
}

export interface FilterResult {
  keep: boolean;
  reason?: FilterReason;
  metrics: Record<string, number>;
}

/** Which words to use: spaCy-like rules for spaced scripts, Intl.Segmenter for the others. */
export interface WordOptions {
  /** ISO 15924 code of the document's script (default 'Latn'). */
  script?: string;
  /** BCP 47 locale for the segmenter (default 'und'). */
  locale?: string;
}

// datatrove.utils.text.PUNCTUATION (0.10.1), verbatim: ASCII and CJK punctuation plus C0/C1 controls.
const PUNCTUATION =
  '!/\u{2014}\u{201d}:\u{ff05}\u{ff11}\u{3008}&(\u{3001}\u{2501}\u{5c}\u{3010}#%\u{300c}\u{300d}\u{ff0c}\u{3011}\u{ff1b}+^]~\u{201c}\u{300a}\u{201e}\u{27};\u{2019}{|\u{2236}\u{b4}[=-`*\u{ff0e}\u{ff08}\u{2013}\u{ff1f}\u{ff01}\u{ff1a}$\u{ff5e}\u{ab}\u{3009},><\u{300b})?\u{ff09}\u{3002}\u{2026}@_."}\u{25ba}\u{bb}\u{0}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{8}\u{b}\u{c}\u{d}\u{e}\u{f}\u{10}\u{11}\u{12}\u{13}\u{14}\u{15}\u{16}\u{17}\u{18}\u{19}\u{1a}\u{1b}\u{1c}\u{1d}\u{1e}\u{1f}\u{7f}\u{80}\u{81}\u{82}\u{83}\u{84}\u{85}\u{86}\u{87}\u{88}\u{89}\u{8a}\u{8b}\u{8c}\u{8d}\u{8e}\u{8f}\u{90}\u{91}\u{92}\u{93}\u{94}\u{95}\u{96}\u{97}\u{98}\u{99}\u{9a}\u{9b}\u{9c}\u{9d}\u{9e}\u{9f}';
// datatrove.utils.text.TERMINAL_PUNCTUATION (0.10.1): sentence-final marks of many scripts.
const TERMINAL_PUNCTUATION =
  '!.?\u{589}\u{61d}\u{61e}\u{61f}\u{6d4}\u{700}\u{701}\u{702}\u{7f9}\u{837}\u{839}\u{83d}\u{83e}\u{964}\u{965}\u{104a}\u{104b}\u{1362}\u{1367}\u{1368}\u{166e}\u{1735}\u{1736}\u{17d4}\u{17d5}\u{17d6}\u{17d9}\u{17da}\u{1803}\u{1809}\u{1944}\u{1945}\u{1aa8}\u{1aa9}\u{1aaa}\u{1aab}\u{1b5a}\u{1b5b}\u{1b5e}\u{1b5f}\u{1b7d}\u{1b7e}\u{1c3b}\u{1c3c}\u{1c7e}\u{1c7f}\u{203c}\u{203d}\u{2047}\u{2048}\u{2049}\u{2e2e}\u{2e3c}\u{2e53}\u{2e54}\u{3002}\u{a4ff}\u{a60e}\u{a60f}\u{a6f3}\u{a6f7}\u{a876}\u{a877}\u{a8ce}\u{a8cf}\u{a92f}\u{a9c8}\u{a9c9}\u{aa5d}\u{aa5e}\u{aa5f}\u{aaf0}\u{aaf1}\u{abeb}\u{fe52}\u{fe56}\u{fe57}\u{ff01}\u{ff0e}\u{ff1f}\u{ff61}\u{10a56}\u{10a57}\u{10f55}\u{10f56}\u{10f57}\u{10f58}\u{10f59}\u{10f86}\u{10f87}\u{10f88}\u{10f89}\u{11047}\u{11048}\u{110be}\u{110bf}\u{110c0}\u{110c1}\u{11141}\u{11142}\u{11143}\u{111c5}\u{111c6}\u{111cd}\u{111de}\u{111df}\u{11238}\u{11239}\u{1123b}\u{1123c}\u{112a9}\u{1144b}\u{1144c}\u{115c2}\u{115c3}\u{115c9}\u{115ca}\u{115cb}\u{115cc}\u{115cd}\u{115ce}\u{115cf}\u{115d0}\u{115d1}\u{115d2}\u{115d3}\u{115d4}\u{115d5}\u{115d6}\u{115d7}\u{11641}\u{11642}\u{1173c}\u{1173d}\u{1173e}\u{11944}\u{11946}\u{11a42}\u{11a43}\u{11a9b}\u{11a9c}\u{11c41}\u{11c42}\u{11ef7}\u{11ef8}\u{11f43}\u{11f44}\u{16a6e}\u{16a6f}\u{16af5}\u{16b37}\u{16b38}\u{16b44}\u{16e98}\u{1bc9f}\u{1da88}';

const PUNCTUATION_SET = new Set([...PUNCTUATION, ...TERMINAL_PUNCTUATION]);
const TERMINAL_SET = new Set(TERMINAL_PUNCTUATION);

// Python's str.isspace() set; differs from JS trim() (which strips U+FEFF and
// keeps \x1c-\x1f).
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const PY_LSTRIP = new RegExp(`^[${PY_SPACE}]+`);
const PY_RSTRIP = new RegExp(`[${PY_SPACE}]+$`);
const pyStrip = (s: string): string => s.replace(PY_STRIP, '');

/** Python's str.splitlines(): no trailing empty line, [] for ''. */
function splitLines(text: string): string[] {
  const lines = text.split(/\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function countOccurrences(text: string, needle: string): number {
  return text.split(needle).length - 1;
}

const drop = (code: string, message: string, metrics: Record<string, number>): FilterResult => ({
  keep: false,
  reason: { code, message },
  metrics,
});

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;

// ---------------------------------------------------------------- Gopher quality

/** datatrove's default English stop words (gopher_quality_filter.STOP_WORDS). */
export const ENGLISH_STOP_WORDS: readonly string[] = ['the', 'be', 'to', 'of', 'and', 'that', 'have', 'with'];

export interface GopherQualityOptions extends WordOptions {
  minDocWords: number | null;
  maxDocWords: number | null;
  minAvgWordLength: number | null;
  maxAvgWordLength: number | null;
  /** '#' per word and ellipses per word, each. */
  maxSymbolWordRatio: number | null;
  maxBulletLinesRatio: number | null;
  maxEllipsisLinesRatio: number | null;
  /** Minimum share of words holding a letter (datatrove's misnamed max_non_alpha_words_ratio). */
  minAlphaWordsRatio: number | null;
  minStopWords: number | null;
  /** Matched case-sensitively against tokens, as datatrove does. */
  stopWords: readonly string[];
}

export const GOPHER_QUALITY_DEFAULTS: GopherQualityOptions = {
  minDocWords: 50,
  maxDocWords: 100000,
  minAvgWordLength: 3,
  maxAvgWordLength: 10,
  maxSymbolWordRatio: 0.1,
  maxBulletLinesRatio: 0.9,
  maxEllipsisLinesRatio: 0.3,
  minAlphaWordsRatio: 0.8,
  minStopWords: 2,
  stopWords: ENGLISH_STOP_WORDS,
};

const HAS_LETTER = /\p{L}/u; // Python str.isalpha() is true for exactly the L* categories.

export function gopherQuality(text: string, options: Partial<GopherQualityOptions> = {}): FilterResult {
  const o = { ...GOPHER_QUALITY_DEFAULTS, ...options };
  const metrics: Record<string, number> = {};
  const words = wordTokens(text, o.script, o.locale);
  const nWords = words.length;
  const nonSymbol = words.filter((w) => [...w].some((ch) => !PUNCTUATION_SET.has(ch)));
  const n = nonSymbol.length;
  metrics.words = n;
  if (o.minDocWords && n < o.minDocWords) return drop('gopher_short_doc', `only ${n} words (minimum ${o.minDocWords})`, metrics);
  if (o.maxDocWords && n > o.maxDocWords) return drop('gopher_long_doc', `${n} words (maximum ${o.maxDocWords})`, metrics);

  // n is 0 only when every check above is disabled: NaN then fails no comparison, as numpy's mean of [] does.
  const avg = nonSymbol.reduce((sum, w) => sum + countCodePoints(w), 0) / n;
  metrics.avg_word_length = avg;
  if (o.minAvgWordLength && avg < o.minAvgWordLength)
    return drop('gopher_below_avg_threshold', `mean word length ${avg.toFixed(2)} (minimum ${o.minAvgWordLength})`, metrics);
  if (o.maxAvgWordLength && avg > o.maxAvgWordLength)
    return drop('gopher_above_avg_threshold', `mean word length ${avg.toFixed(2)} (maximum ${o.maxAvgWordLength})`, metrics);

  // Per token, punctuation tokens included: datatrove divides by len(words).
  const hashRatio = countOccurrences(text, '#') / nWords;
  metrics.hash_word_ratio = hashRatio;
  if (o.maxSymbolWordRatio && hashRatio > o.maxSymbolWordRatio)
    return drop('gopher_too_many_hashes', `${hashRatio.toFixed(3)} '#' per word (maximum ${o.maxSymbolWordRatio})`, metrics);
  const ellipsisRatio = (countOccurrences(text, '...') + countOccurrences(text, '…')) / nWords;
  metrics.ellipsis_word_ratio = ellipsisRatio;
  if (o.maxSymbolWordRatio && ellipsisRatio > o.maxSymbolWordRatio)
    return drop('gopher_too_many_ellipsis', `${ellipsisRatio.toFixed(3)} ellipses per word (maximum ${o.maxSymbolWordRatio})`, metrics);

  const lines = splitLines(text);
  const bulletRatio = lines.filter((l) => /^[•-]/.test(l.replace(PY_LSTRIP, ''))).length / lines.length;
  metrics.bullet_lines_ratio = bulletRatio;
  if (o.maxBulletLinesRatio && bulletRatio > o.maxBulletLinesRatio)
    return drop('gopher_too_many_bullets', `${pct(bulletRatio)} of lines start with a bullet (maximum ${pct(o.maxBulletLinesRatio)})`, metrics);
  const endEllipsisRatio = lines.filter((l) => /(?:\.\.\.|…)$/.test(l.replace(PY_RSTRIP, ''))).length / lines.length;
  metrics.ellipsis_lines_ratio = endEllipsisRatio;
  if (o.maxEllipsisLinesRatio && endEllipsisRatio > o.maxEllipsisLinesRatio)
    return drop('gopher_too_many_end_ellipsis', `${pct(endEllipsisRatio)} of lines end with an ellipsis (maximum ${pct(o.maxEllipsisLinesRatio)})`, metrics);

  // Over all tokens, punctuation included, as datatrove does.
  const alphaRatio = words.filter((w) => HAS_LETTER.test(w)).length / nWords;
  metrics.alpha_words_ratio = alphaRatio;
  if (o.minAlphaWordsRatio && alphaRatio < o.minAlphaWordsRatio)
    return drop('gopher_below_alpha_threshold', `${pct(alphaRatio)} of words hold a letter (minimum ${pct(o.minAlphaWordsRatio)})`, metrics);

  const present = new Set(words);
  const stopWords = [...new Set(o.stopWords)].filter((w) => present.has(w)).length;
  metrics.stop_words = stopWords;
  if (o.minStopWords && stopWords < o.minStopWords)
    return drop('gopher_enough_stop_words', `${stopWords} distinct stop words (minimum ${o.minStopWords})`, metrics);
  return { keep: true, metrics };
}

// ------------------------------------------------------------- Gopher repetition

export interface GopherRepetitionOptions extends WordOptions {
  dupLineFrac: number | null;
  dupParaFrac: number | null;
  dupLineCharFrac: number | null;
  dupParaCharFrac: number | null;
  /** [n, max share of characters covered by the most frequent n-gram]. */
  topNGrams: ReadonlyArray<readonly [number, number]>;
  /** [n, max share of characters inside repeated n-grams]. */
  dupNGrams: ReadonlyArray<readonly [number, number]>;
}

export const GOPHER_REPETITION_DEFAULTS: GopherRepetitionOptions = {
  dupLineFrac: 0.3,
  dupParaFrac: 0.3,
  dupLineCharFrac: 0.2,
  dupParaCharFrac: 0.2,
  topNGrams: [[2, 0.2], [3, 0.18], [4, 0.16]],
  dupNGrams: [[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]],
};

/** Second and later occurrences: how many, and their code points. */
function findDuplicates(items: readonly string[]): { elements: number; chars: number } {
  const seen = new Set<string>();
  let elements = 0;
  let chars = 0;
  for (const x of items) {
    if (seen.has(x)) {
      elements++;
      chars += countCodePoints(x);
    } else seen.add(x);
  }
  return { elements, chars };
}

/** Length x count of the most frequent n-gram; ties go to the first seen (Counter.most_common). */
function topDuplicateChars(words: readonly string[], n: number): number | null {
  if (words.length < n) return null;
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= words.length; i++) {
    const g = words.slice(i, i + n).join(' ');
    counts.set(g, (counts.get(g) ?? 0) + 1);
  }
  let best = '';
  let bestCount = 0;
  for (const [g, c] of counts) {
    if (c > bestCount) {
      best = g;
      bestCount = c;
    }
  }
  return countCodePoints(best) * bestCount;
}

/** Characters inside repeated n-grams; a repeat jumps n words ahead so overlaps are not counted twice. */
function allDuplicateChars(words: readonly string[], n: number): number {
  const seen = new Set<string>();
  let chars = 0;
  let i = 0;
  while (i < words.length - n + 1) {
    const g = words.slice(i, i + n).join(''); // datatrove joins with '' here, ' ' for the top n-gram
    if (seen.has(g)) {
      chars += countCodePoints(g);
      i += n;
    } else {
      seen.add(g);
      i++;
    }
  }
  return chars;
}

export function gopherRepetition(text: string, options: Partial<GopherRepetitionOptions> = {}): FilterResult {
  const o = { ...GOPHER_REPETITION_DEFAULTS, ...options };
  const metrics: Record<string, number> = {};
  if (!text) return drop('empty', 'the document is empty', metrics);
  const len = countCodePoints(text);

  const paragraphs = pyStrip(text).split(/\n{2,}/);
  const para = findDuplicates(paragraphs);
  metrics.dup_para_frac = para.elements / paragraphs.length;
  if (o.dupParaFrac && metrics.dup_para_frac > o.dupParaFrac)
    return drop('dup_para_frac', `${pct(metrics.dup_para_frac)} of paragraphs are repeats (maximum ${pct(o.dupParaFrac)})`, metrics);
  metrics.dup_para_char_frac = para.chars / len;
  if (o.dupParaCharFrac && metrics.dup_para_char_frac > o.dupParaCharFrac)
    return drop('dup_para_char_frac', `repeated paragraphs hold ${pct(metrics.dup_para_char_frac)} of characters (maximum ${pct(o.dupParaCharFrac)})`, metrics);

  const lines = text.split(/\n+/);
  const line = findDuplicates(lines);
  metrics.dup_line_frac = line.elements / lines.length;
  if (o.dupLineFrac && metrics.dup_line_frac > o.dupLineFrac)
    return drop('dup_line_frac', `${pct(metrics.dup_line_frac)} of lines are repeats (maximum ${pct(o.dupLineFrac)})`, metrics);
  metrics.dup_line_char_frac = line.chars / len;
  if (o.dupLineCharFrac && metrics.dup_line_char_frac > o.dupLineCharFrac)
    return drop('dup_line_char_frac', `repeated lines hold ${pct(metrics.dup_line_char_frac)} of characters (maximum ${pct(o.dupLineCharFrac)})`, metrics);

  const words = wordTokens(text, o.script, o.locale);
  for (const [n, max] of o.topNGrams) {
    const top = topDuplicateChars(words, n);
    if (top === null) continue;
    const frac = top / len;
    metrics[`top_${n}_gram_frac`] = frac;
    if (frac > max) return drop(`top_${n}_gram`, `the most frequent ${n}-gram covers ${pct(frac)} of characters (maximum ${pct(max)})`, metrics);
  }
  for (const [n, max] of o.dupNGrams) {
    const frac = allDuplicateChars(words, n) / len;
    metrics[`duplicated_${n}_gram_frac`] = frac;
    if (frac > max) return drop(`duplicated_${n}_n_grams`, `repeated ${n}-grams cover ${pct(frac)} of characters (maximum ${pct(max)})`, metrics);
  }
  return { keep: true, metrics };
}

// --------------------------------------------------------------- FineWeb quality

export interface FineWebQualityOptions extends WordOptions {
  /** Minimum share of non-blank lines ending in terminal punctuation. */
  linePunctThr: number;
  /** When true, a document with no such line at all is not dropped for it. */
  linePunctExcludeZero: boolean;
  /** Characters that end a sentence; datatrove's TERMINAL_PUNCTUATION by default. */
  stopChars: readonly string[];
  shortLineThr: number;
  shortLineLength: number;
  charDuplicatesRatio: number;
  newLineRatio: number;
}

export const FINEWEB_QUALITY_DEFAULTS: FineWebQualityOptions = {
  linePunctThr: 0.12,
  linePunctExcludeZero: false,
  stopChars: [...TERMINAL_SET],
  shortLineThr: 0.67,
  shortLineLength: 30,
  charDuplicatesRatio: 0.01,
  newLineRatio: 0.3,
};

export function finewebQuality(text: string, options: Partial<FineWebQualityOptions> = {}): FilterResult {
  const o = { ...FINEWEB_QUALITY_DEFAULTS, ...options };
  const metrics: Record<string, number> = {};
  const lines = text.split('\n').filter((l) => pyStrip(l) !== '');
  if (lines.length === 0) return drop('empty', 'the document has no text', metrics);

  // Not right-stripped: "Done. " does not count, as in datatrove.
  const punct = lines.filter((l) => o.stopChars.some((c) => l.endsWith(c))).length / lines.length;
  metrics.line_punct_ratio = punct;
  if (punct < o.linePunctThr && !(punct === 0 && o.linePunctExcludeZero))
    return drop('line_punct_ratio', `${pct(punct)} of lines end in terminal punctuation (minimum ${pct(o.linePunctThr)})`, metrics);

  const short = lines.filter((l) => countCodePoints(l) <= o.shortLineLength).length / lines.length;
  metrics.short_line_ratio = short;
  if (short > o.shortLineThr)
    return drop('short_line_ratio', `${pct(short)} of lines have ${o.shortLineLength} characters or fewer (maximum ${pct(o.shortLineThr)})`, metrics);

  const dup = findDuplicates(lines).chars / countCodePoints(text.replaceAll('\n', ''));
  metrics.char_dup_ratio = dup;
  if (dup > o.charDuplicatesRatio)
    return drop('char_dup_ratio', `repeated lines hold ${pct(dup)} of characters (maximum ${pct(o.charDuplicatesRatio)})`, metrics);

  const words = wordTokens(text, o.script, o.locale).length;
  const newlines = countOccurrences(text, '\n');
  // Python would raise on 0 words; a text of punctuation and newlines is a list, not prose.
  const ratio = words === 0 ? (newlines === 0 ? 0 : Infinity) : newlines / words;
  metrics.newline_word_ratio = ratio;
  if (ratio > o.newLineRatio)
    return drop('list_ratio', `${ratio.toFixed(3)} line breaks per word (maximum ${o.newLineRatio})`, metrics);
  return { keep: true, metrics };
}

// ----------------------------------------------------- Marco-LLM extra heuristics

/**
 * The Marco-LLM paper filters on punctuation and special-symbol ratios but
 * publishes no numbers; these defaults are Langbridge's choice: normal prose
 * in the languages we tried sits at 2-12% punctuation and under 1% symbols,
 * while tables of numbers, code dumps and emoji spam go well past them.
 */
export interface MarcoHeuristicsOptions {
  maxPunctuationRatio: number | null;
  maxSpecialSymbolRatio: number | null;
}

export const MARCO_HEURISTICS_DEFAULTS: MarcoHeuristicsOptions = {
  maxPunctuationRatio: 0.25,
  maxSpecialSymbolRatio: 0.1,
};

// Whitespace is left out of the denominator so that layout (blank lines,
// indentation) neither dilutes nor inflates the ratios.
function nonSpaceRatio(text: string, re: RegExp): number {
  let total = 0;
  let hits = 0;
  for (const ch of text) {
    if (/\s/u.test(ch)) continue;
    total++;
    if (re.test(ch)) hits++;
  }
  return total === 0 ? 0 : hits / total;
}

/** Share of non-space code points that are Unicode punctuation (P*). */
export function punctuationRatio(text: string): number {
  return nonSpaceRatio(text, /\p{P}/u);
}

/** Share of non-space code points that are Unicode symbols (S*: math, currency, emoji, box drawing...). */
export function specialSymbolRatio(text: string): number {
  return nonSpaceRatio(text, /\p{S}/u);
}

export function marcoHeuristics(text: string, options: Partial<MarcoHeuristicsOptions> = {}): FilterResult {
  const o = { ...MARCO_HEURISTICS_DEFAULTS, ...options };
  const metrics: Record<string, number> = {};
  metrics.punctuation_ratio = punctuationRatio(text);
  if (o.maxPunctuationRatio && metrics.punctuation_ratio > o.maxPunctuationRatio)
    return drop('marco_punctuation_ratio', `${pct(metrics.punctuation_ratio)} of characters are punctuation (maximum ${pct(o.maxPunctuationRatio)})`, metrics);
  metrics.special_symbol_ratio = specialSymbolRatio(text);
  if (o.maxSpecialSymbolRatio && metrics.special_symbol_ratio > o.maxSpecialSymbolRatio)
    return drop('marco_special_symbol_ratio', `${pct(metrics.special_symbol_ratio)} of characters are special symbols (maximum ${pct(o.maxSpecialSymbolRatio)})`, metrics);
  return { keep: true, metrics };
}
