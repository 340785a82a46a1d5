/**
 * The held-out split: per language, a few documents kept out of training to
 * measure evaluation loss. Membership is decided by a hash of
 * (seed, language, document id), not by position or a shuffle, so adding
 * documents to the corpus moves few existing ones between train and held-out
 * (only those near the cut-off), and the result does not depend on the order
 * ids are given in. Pure; safe in worker threads.
 */
import type { Split } from './recipe';
import { stableHash01 } from './rng';

/**
 * How many of a language's n documents are held out:
 * clamp(round(n × heldOutPercent / 100), minPerLanguage, maxPerLanguage),
 * but never more than floor(n / 2), so training always keeps at least half;
 * a language with a single document keeps it for training. heldOutPercent 0
 * turns the split off (minPerLanguage does not apply). If minPerLanguage is
 * above maxPerLanguage, the maximum wins.
 */
export function heldOutCount(n: number, split: Split): number {
  if (n <= 0 || split.heldOutPercent <= 0) return 0;
  const wanted = Math.round((n * split.heldOutPercent) / 100);
  const clamped = Math.min(Math.max(wanted, split.minPerLanguage), split.maxPerLanguage);
  return Math.min(clamped, Math.floor(n / 2));
}

/**
 * The ids (of one language's documents, unique) held out: the heldOutCount
 * with the smallest stableHash01(seed, `${lang}:${id}`), ties by id.
 */
export function heldOutIds(ids: readonly number[], split: Split, seed: number, lang: string): Set<number> {
  const count = heldOutCount(ids.length, split);
  const out = new Set<number>();
  if (count === 0) return out;
  const hashes = Float64Array.from(ids, (id) => stableHash01(seed, `${lang}:${id}`));
  // The count-th smallest hash is the cut-off; a typed-array sort is numeric and far faster than sorting objects.
  const cutoff = Float64Array.from(hashes).sort()[count - 1];
  const atCutoff: number[] = [];
  ids.forEach((id, i) => {
    if (hashes[i] < cutoff) out.add(id);
    else if (hashes[i] === cutoff) atCutoff.push(id);
  });
  atCutoff.sort((a, b) => a - b);
  for (const id of atCutoff) {
    if (out.size >= count) break;
    out.add(id);
  }
  return out;
}
