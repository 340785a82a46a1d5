/**
 * The translation memory: examples for the prompt, retrieved from the team's
 * own parallel corpus by similarity to the sentence being translated. A
 * character-trigram index finds candidates quickly (built once per language
 * pair and direction, rebuilt when those pairs change), then sentence chrF
 * against the input re-ranks them: the evaluation's sacrebleu-exact chrF
 * (character 6-grams, β = 2) with the input as the reference, so an example
 * that covers the input weighs more than a short one sharing a few words.
 * The input itself is never returned as an example (a sentence already in
 * the corpus would otherwise be "translated" by copying its stored
 * translation), and each source sentence appears once.
 */
import type { Db } from '../../../db/open';
import { memoryFingerprint, memoryPairs, type MemoryPair } from '../../../db/queries/translation-memory';
import { sentenceChrf } from '../eval/metrics/chrf';
import { normaliseForMatch, TrigramIndex } from './trigram-index';

export interface MemoryExample {
  /** The pair's id in the corpus. */
  pairId: number;
  src: string;
  tgt: string;
  /** Sentence chrF (0-100) of the example's source against the input. */
  score: number;
}

/** How many trigram candidates are re-ranked for each example asked for. */
const CANDIDATES_PER_EXAMPLE = 8;
const MIN_CANDIDATES = 32;

export class TranslationMemory {
  private readonly index: TrigramIndex;

  constructor(private readonly pairs: readonly MemoryPair[]) {
    this.index = new TrigramIndex(pairs.map((p) => p.src));
  }

  get size(): number {
    return this.pairs.length;
  }

  /** Up to k examples, most similar first. */
  search(input: string, k: number): MemoryExample[] {
    if (k <= 0 || this.pairs.length === 0) return [];
    const key = normaliseForMatch(input);
    const limit = Math.max(MIN_CANDIDATES, k * CANDIDATES_PER_EXAMPLE);
    const ranked: MemoryExample[] = [];
    const seen = new Set<string>([key]);
    for (const c of this.index.candidates(input, limit)) {
      const p = this.pairs[c.id]!;
      const norm = normaliseForMatch(p.src);
      if (seen.has(norm) || normaliseForMatch(p.tgt) === '') continue;
      seen.add(norm);
      ranked.push({ pairId: p.id, src: p.src, tgt: p.tgt, score: sentenceChrf(p.src, [input]).score });
    }
    // Ties (equal chrF) go to the earlier pair, so retrieval is deterministic.
    ranked.sort((a, b) => b.score - a.score || a.pairId - b.pairId);
    return ranked.slice(0, k);
  }
}

/**
 * Translation memories per database and direction, kept while their pairs
 * are unchanged. One process (the inference worker) holds a few: each is
 * about 0.5 KB per pair.
 */
export class MemoryCache {
  private readonly memories = new Map<string, { fingerprint: string; memory: TranslationMemory }>();

  constructor(private readonly maxEntries = 4) {}

  get(db: Db, dbKey: string, src: string, tgt: string): TranslationMemory {
    const key = `${dbKey}\u0000${src}\u0000${tgt}`;
    const fingerprint = memoryFingerprint(db, src, tgt);
    const hit = this.memories.get(key);
    if (hit && hit.fingerprint === fingerprint) {
      // Most recently used last.
      this.memories.delete(key);
      this.memories.set(key, hit);
      return hit.memory;
    }
    const memory = new TranslationMemory(memoryPairs(db, src, tgt));
    this.memories.delete(key);
    this.memories.set(key, { fingerprint, memory });
    while (this.memories.size > this.maxEntries) this.memories.delete(this.memories.keys().next().value!);
    return memory;
  }
}
