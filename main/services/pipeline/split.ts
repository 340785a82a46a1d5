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
  const picker = new HeldOutPicker(split, seed, lang);
  for (const id of ids) picker.offer(id);
  return picker.ids();
}

/**
 * heldOutIds over a stream of ids, in memory bounded by maxPerLanguage (the
 * most a language can hold out): a max-heap of the smallest (hash, id) seen.
 */
export class HeldOutPicker {
  private readonly hash: number[] = [];
  private readonly id: number[] = [];
  private n = 0;
  constructor(
    private readonly split: Split,
    private readonly seed: number,
    private readonly lang: string,
  ) {}

  offer(id: number): void {
    this.n++;
    const cap = this.split.heldOutPercent > 0 ? this.split.maxPerLanguage : 0;
    if (cap === 0) return;
    const h = stableHash01(this.seed, `${this.lang}:${id}`);
    if (this.hash.length < cap) {
      this.hash.push(h);
      this.id.push(id);
      this.up(this.hash.length - 1);
    } else if (this.less(h, id, 0)) {
      this.hash[0] = h;
      this.id[0] = id;
      this.down(0);
    }
  }

  /** The held-out ids among everything offered. */
  ids(): Set<number> {
    const count = heldOutCount(this.n, this.split);
    const order = this.hash.map((_, i) => i).sort((a, b) => this.hash[a]! - this.hash[b]! || this.id[a]! - this.id[b]!);
    return new Set(order.slice(0, count).map((i) => this.id[i]!));
  }

  /** (h, id) sorts before the heap entry at i. */
  private less(h: number, id: number, i: number): boolean {
    return h < this.hash[i]! || (h === this.hash[i]! && id < this.id[i]!);
  }

  private swap(i: number, j: number): void {
    [this.hash[i], this.hash[j]] = [this.hash[j]!, this.hash[i]!];
    [this.id[i], this.id[j]] = [this.id[j]!, this.id[i]!];
  }

  // Max-heap: the parent sorts after its children.
  private up(i: number): void {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(this.hash[p]!, this.id[p]!, i)) break;
      this.swap(i, p);
      i = p;
    }
  }

  private down(i: number): void {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let top = i;
      if (l < this.hash.length && this.less(this.hash[top]!, this.id[top]!, l)) top = l;
      if (r < this.hash.length && this.less(this.hash[top]!, this.id[top]!, r)) top = r;
      if (top === i) return;
      this.swap(i, top);
      i = top;
    }
  }
}
