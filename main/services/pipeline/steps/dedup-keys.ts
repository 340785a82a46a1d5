/**
 * Keys for exact deduplication: the pool computes one per document (or pair)
 * and the coordinator keeps the first document of each key. Pure; node:crypto
 * works in worker threads.
 *
 * Normalisation, in this order (dedupText):
 *   1. NFC        so precomposed and decomposed accents compare equal (NFKC
 *                 is left to the normalise step's choice: it also folds
 *                 full-width forms and ligatures, which is the recipe's call);
 *   2. lower case String.prototype.toLowerCase(), locale-independent. This is
 *                 simple lowercasing, not full Unicode case folding: "ß" and
 *                 "SS" stay different, and Turkish dotless "ı" stays apart
 *                 from "i" (upper-then-lower would merge them);
 *   3. whitespace every run of JavaScript \s (Unicode spaces, line breaks,
 *                 U+FEFF) becomes one space, then leading and trailing space
 *                 is removed.
 * Two texts that differ only in those respects get the same key.
 */
import { createHash } from 'node:crypto';

/** The normalised form the keys hash; exported so the UI can show why two documents matched. */
export function dedupText(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

// SHA-1 is fine here: keys only need to be well spread, not secure against a
// chosen collision (a collision can only merge two documents of one corpus).
const sha1 = (s: string): string => createHash('sha1').update(s, 'utf8').digest('hex');

/** Exact-dedup key of a document: SHA-1 (hex) of its normalised text. */
export function textKey(text: string): string {
  return sha1(dedupText(text));
}

/**
 * Dedup key of a translation pair: both sides normalised as textKey does and
 * joined with U+0000, the source's length first so that a NUL inside a side
 * cannot make two different pairs hash the same ("a\0b" + "c" vs "a" + "b\0c").
 * Direction matters: (src, tgt) and (tgt, src) are different pairs.
 */
export function pairKey(src: string, tgt: string): string {
  const a = dedupText(src);
  return sha1(`${a.length}\u0000${a}\u0000${dedupText(tgt)}`);
}
