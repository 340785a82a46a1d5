/**
 * Stop words for Gopher's "at least 2 stop words" check. datatrove ships an
 * English list only; FineWeb-2 derives one per language from the data: the
 * words found in the most documents. Pure; give it a sample (a few thousand
 * documents are plenty), since it keeps one counter per distinct word.
 */
import { ENGLISH_STOP_WORDS } from './quality';
import { wordTokens } from './word-tokens';

const HAS_LETTER = /\p{L}/u;

function lowerCaser(locale: string): (s: string) => string {
  try {
    // Locale-aware: Turkish and Azerbaijani "I" lower-cases to dotless "ı".
    'I'.toLocaleLowerCase(locale);
    return (s) => s.toLocaleLowerCase(locale);
  } catch {
    return (s) => s.toLowerCase(); // a malformed locale tag: fall back to the root rules
  }
}

/**
 * The `count` words that occur in the most documents (document frequency, not
 * raw counts, so one long document cannot dominate). Words are wordTokens()
 * of the script (Intl.Segmenter for scripts without spaces), lower-cased for
 * `locale`; tokens without a letter (punctuation, numbers) are skipped. Ties
 * go to the word that sorts first by UTF-16 code units, so the list does not
 * depend on the input order or on ICU's collation.
 *
 * Hazard: Gopher's check matches stop words case-sensitively against the
 * tokens, as datatrove does, so a list of lower-case words does not count a
 * capitalised sentence-initial "Na"; function words are mostly lower case.
 */
export function deriveStopWords(texts: Iterable<string>, script: string, locale: string, count = 8): string[] {
  const lower = lowerCaser(locale);
  const df = new Map<string, number>();
  for (const text of texts) {
    const seen = new Set<string>();
    for (const token of wordTokens(text, script, locale)) {
      if (!HAS_LETTER.test(token)) continue;
      seen.add(lower(token));
    }
    for (const w of seen) df.set(w, (df.get(w) ?? 0) + 1);
  }
  return [...df]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, Math.max(0, count))
    .map(([w]) => w);
}

const ENGLISH = /^(?:eng|en)(?:[_-]|$)/i;

/**
 * The stop words for a language: datatrove's English list for English
 * (eng_Latn, eng), otherwise the derived list (empty when none was derived:
 * the caller should then turn the stop-word check off rather than drop
 * everything).
 */
export function stopWordsFor(lang: string, derived?: string[]): readonly string[] {
  if (ENGLISH.test(lang.trim())) return ENGLISH_STOP_WORDS;
  return derived ?? [];
}
