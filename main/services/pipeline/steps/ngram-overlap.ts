/**
 * N-gram overlap with evaluation data, the decontamination check GPT-3 and
 * most LLM reports use (13-grams): a training text that shares any n tokens
 * in a row with an evaluation item is contaminated, even when the item is one
 * sentence quoted inside a long document, which whole-text MinHash cannot see.
 *
 * Tokens are MinHash's (datatrove's simplify_text, then words; characters for
 * scripts without spaces), so case, punctuation and digits do not hide a copy.
 * Each n-gram is kept as a 53-bit hash: collisions only ever add a false
 * match, at about 1e-9 per comparison for the sizes we handle.
 */
import { minhashTokens, simplifyText } from '../minhash';

/** Two independent 32-bit FNV-1a-style hashes of a string folded into 53 bits. */
function hash53(s: string): number {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) ^ (h2 >>> 15);
  }
  return (h1 >>> 0) * 2097152 + ((h2 >>> 0) & 0x1fffff);
}

/** The hashed n-grams of a text (none when it has fewer than n tokens). */
export function ngramHashes(text: string, script: string, lang: string, n: number): number[] {
  const tokens = minhashTokens(simplifyText(text), script, lang);
  const out: number[] = [];
  for (let i = 0; i + n <= tokens.length; i++) out.push(hash53(tokens.slice(i, i + n).join(' ')));
  return out;
}

/** The evaluation side: every n-gram of every item, mapped to the first item that has it. */
export class EvalNgramIndex {
  private readonly first = new Map<number, number>();

  constructor(readonly n: number) {}

  add(itemIndex: number, text: string, script: string, lang: string): void {
    for (const h of ngramHashes(text, script, lang, this.n)) if (!this.first.has(h)) this.first.set(h, itemIndex);
  }

  get size(): number {
    return this.first.size;
  }

  /** Flat [hash, item, hash, item, ...] for sending to worker threads. */
  toArray(): Float64Array {
    const a = new Float64Array(this.first.size * 2);
    let i = 0;
    for (const [h, item] of this.first) {
      a[i++] = h;
      a[i++] = item;
    }
    return a;
  }

  static fromArray(n: number, a: Float64Array): EvalNgramIndex {
    const idx = new EvalNgramIndex(n);
    for (let i = 0; i < a.length; i += 2) idx.first.set(a[i]!, a[i + 1]!);
    return idx;
  }

  /** The index of an evaluation item sharing an n-gram with the text, or -1. */
  match(text: string, script: string, lang: string): number {
    if (this.first.size === 0) return -1;
    for (const h of ngramHashes(text, script, lang, this.n)) {
      const item = this.first.get(h);
      if (item !== undefined) return item;
    }
    return -1;
  }
}
