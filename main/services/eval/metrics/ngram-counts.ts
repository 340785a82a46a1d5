/**
 * Exact n-gram match counting without building n-gram strings.
 *
 * sacrebleu counts n-grams with Python Counters of tuples or substrings. Here
 * each segment's tokens (words or code points) are first numbered 0..base-1,
 * local to the segment; an order-n n-gram then has the exact integer key
 * sum(id[i+k] * base^(n-1-k)), unique as long as base^n <= 2^53 (the doubles'
 * exact-integer range). The clipped match count sum(min(count_hyp, count_ref))
 * is then one pass: put the reference keys in an open-addressing table of
 * counts, and for each hypothesis n-gram take one from its count while it is
 * positive. No Map, no string, no allocation per n-gram. When base^n would
 * exceed 2^53 (a segment with thousands of distinct words), that order falls
 * back to string keys in a Map: slower, still exact.
 *
 * Module-level buffers make these functions non-reentrant; they are
 * synchronous, so that is safe within a thread (each worker has its own copy).
 */

const MAX_EXACT = 2 ** 53;
const TWO_32 = 4294967296;

/** Can the order-n keys over an alphabet of `base` symbols be exact doubles? */
export function numericKeysFit(base: number, n: number): boolean {
  return Math.max(base, 2) ** n <= MAX_EXACT;
}

/** Growable scratch buffers, one per slot (slot 0: hypothesis, 1..k: references). */
class Pool<T extends Float64Array | Int32Array> {
  private bufs: T[] = [];
  constructor(private make: (n: number) => T) {}
  get(slot: number, size: number): T {
    let b = this.bufs[slot];
    if (b === undefined || b.length < size) {
      b = this.make(Math.max(size, 256, b ? b.length * 2 : 0));
      this.bufs[slot] = b;
    }
    return b;
  }
}

const keyPool = new Pool((n) => new Float64Array(n));
const idPool = new Pool((n) => new Int32Array(n));

/**
 * The n-gram keys of one sequence, order by order: after the k-th call to
 * `next()`, keys[0..count) are the keys of the order-k n-grams (in text
 * order). The buffer belongs to the slot: one sequence per slot at a time.
 */
export class RollingKeys {
  order = 0;
  count = 0;
  readonly keys: Float64Array;
  private readonly base: number;

  constructor(
    private readonly seq: Int32Array,
    private readonly len: number,
    base: number,
    slot: number,
  ) {
    this.base = Math.max(base, 2);
    this.keys = keyPool.get(slot, len + 1);
  }

  next(): void {
    const n = ++this.order;
    const count = this.len >= n ? this.len - n + 1 : 0;
    const { seq, keys, base } = this;
    if (n === 1) for (let i = 0; i < count; i++) keys[i] = seq[i];
    else for (let i = 0; i < count; i++) keys[i] = keys[i] * base + seq[i + n - 1];
    this.count = count;
  }
}

/**
 * Table from n-gram key to the largest count of that key in any one reference
 * (sacrebleu's BLEU merges references by max; chrF uses one reference at a
 * time): open addressing with linear probing at load <= 1/2, cleared in O(1)
 * by bumping a generation stamp. (Indexing an array directly for small key
 * spaces was tried: no measurable gain.)
 */
class CountTable {
  private cap = 0;
  private mask = 0;
  private keys = new Float64Array(0);
  private stamp = new Int32Array(0);
  private best = new Int32Array(0);
  private cur = new Int32Array(0);
  private curRef = new Int32Array(0);
  private gen = 0;

  reset(entries: number): void {
    let cap = 1024;
    while (cap < entries * 2) cap *= 2;
    if (cap > this.cap) {
      this.cap = cap;
      this.mask = cap - 1;
      this.keys = new Float64Array(cap);
      this.stamp = new Int32Array(cap);
      this.best = new Int32Array(cap);
      this.cur = new Int32Array(cap);
      this.curRef = new Int32Array(cap);
      this.gen = 0;
    }
    if (++this.gen === 0x7fffffff) {
      this.stamp.fill(0);
      this.gen = 1;
    }
  }

  private slot(key: number): number {
    // Keys are integers below 2^53: mix both 32-bit halves.
    let h = Math.imul((key >>> 0) ^ Math.imul((key / TWO_32) | 0, 0x27d4eb2d), 0x9e3779b1);
    h ^= h >>> 16;
    const { mask, stamp, keys, gen } = this;
    let i = h & mask;
    while (stamp[i] === gen && keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  addRef(key: number, ref: number): void {
    const i = this.slot(key);
    if (this.stamp[i] !== this.gen) {
      this.stamp[i] = this.gen;
      this.keys[i] = key;
      this.best[i] = 0;
      this.curRef[i] = -1;
    }
    if (this.curRef[i] !== ref) {
      this.curRef[i] = ref;
      this.cur[i] = 0;
    }
    const c = ++this.cur[i];
    if (c > this.best[i]) this.best[i] = c;
  }

  /** 1 if the key still has reference occurrences left to match (and uses one up), else 0. */
  take(key: number): number {
    const i = this.slot(key);
    if (this.stamp[i] === this.gen && this.best[i] > 0) {
      this.best[i]--;
      return 1;
    }
    return 0;
  }
}

const table = new CountTable();

/**
 * sum over the hypothesis' distinct n-grams of min(count in hyp, max over the
 * references of the count in that reference), for the current order of each.
 */
export function clippedMatches(hyp: RollingKeys, refs: readonly RollingKeys[]): number {
  let entries = 0;
  for (const r of refs) entries += r.count;
  if (entries === 0 || hyp.count === 0) return 0;
  table.reset(entries);
  for (let r = 0; r < refs.length; r++) {
    const { keys, count } = refs[r];
    for (let i = 0; i < count; i++) table.addRef(keys[i], r);
  }
  let matches = 0;
  const { keys, count } = hyp;
  for (let i = 0; i < count; i++) matches += table.take(keys[i]);
  return matches;
}

/** Counts of the order-n n-grams of a sequence, keyed by their ids joined with commas. */
export function stringNgramCounts(seq: Int32Array, len: number, n: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (let i = 0; i + n <= len; i++) {
    let key = String(seq[i]);
    for (let k = 1; k < n; k++) key += ',' + seq[i + k];
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** String-key counterpart of clippedMatches (references merged by max count). */
export function stringClippedMatches(hyp: Map<string, number>, refs: Map<string, number>[]): number {
  let matches = 0;
  for (const [key, c] of hyp) {
    let best = 0;
    for (const ref of refs) best = Math.max(best, ref.get(key) ?? 0);
    matches += Math.min(c, best);
  }
  return matches;
}

/** A sequence of ids in a pooled buffer: ids[0..len). */
export interface IdSeq {
  ids: Int32Array;
  len: number;
}

/**
 * Numbers words within one segment. Reused across segments: `reset()` before
 * each one keeps the ids small, which keeps the numeric keys exact.
 */
export class WordIds {
  private map = new Map<string, number>();
  reset(): void {
    this.map.clear();
  }
  get size(): number {
    return this.map.size;
  }
  encode(words: readonly string[], slot: number): IdSeq {
    const out = idPool.get(slot, words.length);
    const map = this.map;
    for (let i = 0; i < words.length; i++) {
      const w = words[i];
      let id = map.get(w);
      if (id === undefined) {
        id = map.size;
        map.set(w, id);
      }
      out[i] = id;
    }
    return { ids: out, len: words.length };
  }
}

/**
 * Numbers code points within one segment without a Map for the BMP: a stamp
 * table says whether a code point was seen in the current segment.
 */
export class CodePointIds {
  private stamp = new Int32Array(0x10000);
  private id = new Int32Array(0x10000);
  private astral = new Map<number, number>();
  private generation = 0;
  private count = 0;

  reset(): void {
    if (++this.generation === 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    this.astral.clear();
    this.count = 0;
  }

  get size(): number {
    return this.count;
  }

  /** The ids of the code points of `s`, skipping UTF-16 units for which `skip` is true (Python whitespace, all BMP). */
  encode(s: string, skip: ((unit: number) => boolean) | null, slot: number): IdSeq {
    const out = idPool.get(slot, s.length);
    let len = 0;
    const { stamp, id } = this;
    const gen = this.generation;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (skip !== null && skip(c)) continue;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
          i++;
          let a = this.astral.get(c);
          if (a === undefined) {
            a = this.count++;
            this.astral.set(c, a);
          }
          out[len++] = a;
          continue;
        }
      }
      if (stamp[c] !== gen) {
        stamp[c] = gen;
        id[c] = this.count++;
      }
      out[len++] = id[c];
    }
    return { ids: out, len };
  }
}
