/**
 * An in-memory character-trigram inverted index over a list of sentences,
 * for finding candidates similar to a query fast. Trigrams work in every
 * script, including those written without spaces (Thai, Chinese), where a
 * word index would find nothing. Postings are stored compressed-row style
 * (one Int32Array of sentence numbers, one of offsets per trigram bucket):
 * 100,000 sentences of ~100 characters take ~40 MB.
 */

/** Lowercased, whitespace collapsed and trimmed: how sentences are compared. */
export function normaliseForMatch(text: string): string {
  return text.normalize('NFC').toLowerCase().replace(/\s+/gu, ' ').trim();
}

/**
 * The distinct trigrams of a text (code points, with a space at each end so
 * word starts and ends count), each hashed into one of BUCKETS buckets. Two
 * trigrams may share a bucket: that only adds a few weak candidates, which
 * the re-ranking drops, and saves a map of strings over the whole corpus.
 */
function trigramBuckets(text: string, out: IntList, stamp: Int32Array, mark: number): void {
  const s = ` ${normaliseForMatch(text)} `;
  let a = -1;
  let b = -1;
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    if (a >= 0) {
      // FNV-1a over the three code points.
      let h = 0x811c9dc5;
      h = Math.imul(h ^ a, 0x01000193);
      h = Math.imul(h ^ b, 0x01000193);
      h = Math.imul(h ^ c, 0x01000193);
      const bucket = (h >>> 0) & (BUCKETS - 1);
      if (stamp[bucket] !== mark) {
        stamp[bucket] = mark;
        out.push(bucket);
      }
    }
    a = b;
    b = c;
  }
}

const BUCKETS = 1 << 20;

class IntList {
  data = new Int32Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const d = new Int32Array(this.data.length * 2);
      d.set(this.data);
      this.data = d;
    }
    this.data[this.length++] = v;
  }
}

/** A bounded min-heap keeping the `size` best (score, id) entries. */
class TopK {
  private readonly scores: Float64Array;
  private readonly ids: Int32Array;
  n = 0;
  constructor(private readonly size: number) {
    this.scores = new Float64Array(size);
    this.ids = new Int32Array(size);
  }
  offer(score: number, id: number): void {
    if (this.n < this.size) {
      let i = this.n++;
      while (i > 0) {
        const p = (i - 1) >> 1;
        if (this.scores[p]! <= score) break;
        this.scores[i] = this.scores[p]!;
        this.ids[i] = this.ids[p]!;
        i = p;
      }
      this.scores[i] = score;
      this.ids[i] = id;
      return;
    }
    if (score <= this.scores[0]!) return;
    // Replace the smallest and sift down.
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.n) break;
      const r = l + 1;
      const c = r < this.n && this.scores[r]! < this.scores[l]! ? r : l;
      if (this.scores[c]! >= score) break;
      this.scores[i] = this.scores[c]!;
      this.ids[i] = this.ids[c]!;
      i = c;
    }
    this.scores[i] = score;
    this.ids[i] = id;
  }
  /** Best first. */
  result(): Array<{ id: number; score: number }> {
    const out: Array<{ id: number; score: number }> = [];
    for (let i = 0; i < this.n; i++) out.push({ id: this.ids[i]!, score: this.scores[i]! });
    return out.sort((a, b) => b.score - a.score || a.id - b.id);
  }
}

export interface TrigramIndexOptions {
  /**
   * Query trigrams are visited rarest first; once this many postings have
   * been read the rest (the most common, least telling trigrams) are
   * skipped, so a query's cost is bounded whatever the corpus size.
   */
  maxPostings?: number;
}

export class TrigramIndex {
  private readonly offsets: Int32Array;
  private readonly postings: Int32Array;
  private readonly scores: Float64Array;
  /** Per bucket, the last sentence (or query) that had it: de-duplicates trigrams without a Set. */
  private readonly stamp = new Int32Array(BUCKETS).fill(-1);
  private queries = 0;
  readonly size: number;
  private readonly maxPostings: number;

  constructor(sentences: readonly string[], opts: TrigramIndexOptions = {}) {
    this.size = sentences.length;
    this.maxPostings = opts.maxPostings ?? 120_000;
    // Pass 1: each sentence's distinct trigram buckets, flattened.
    const flat = new IntList();
    const starts = new Int32Array(sentences.length + 1);
    for (let s = 0; s < sentences.length; s++) {
      starts[s] = flat.length;
      trigramBuckets(sentences[s]!, flat, this.stamp, s);
    }
    starts[sentences.length] = flat.length;
    // Pass 2: counts per bucket, then postings in sentence order.
    const offsets = new Int32Array(BUCKETS + 1);
    for (let i = 0; i < flat.length; i++) offsets[flat.data[i]! + 1]!++;
    for (let t = 0; t < BUCKETS; t++) offsets[t + 1]! += offsets[t]!;
    const fill = offsets.slice(0, BUCKETS);
    const postings = new Int32Array(flat.length);
    for (let s = 0; s < sentences.length; s++) {
      for (let i = starts[s]!; i < starts[s + 1]!; i++) postings[fill[flat.data[i]!]!++] = s;
    }
    this.offsets = offsets;
    this.postings = postings;
    this.scores = new Float64Array(sentences.length);
    // Queries mark buckets with negative numbers, apart from sentence numbers.
    this.stamp.fill(-1);
  }

  /**
   * The `limit` sentences sharing the most (IDF-weighted) trigrams with the
   * query, best first. Scores are only good for ranking candidates.
   */
  candidates(query: string, limit: number): Array<{ id: number; score: number }> {
    const q = new IntList();
    trigramBuckets(query, q, this.stamp, -2 - (this.queries++ % 0x3fffffff));
    const ids = Array.from(q.data.subarray(0, q.length)).filter((t) => this.df(t) > 0);
    ids.sort((a, b) => this.df(a) - this.df(b));
    const touched = new IntList();
    let read = 0;
    for (const t of ids) {
      const df = this.df(t);
      if (read > 0 && read + df > this.maxPostings) break;
      read += df;
      const idf = Math.log(1 + this.size / df);
      for (let i = this.offsets[t]!; i < this.offsets[t + 1]!; i++) {
        const s = this.postings[i]!;
        if (this.scores[s] === 0) touched.push(s);
        this.scores[s]! += idf;
      }
    }
    const top = new TopK(Math.max(1, limit));
    for (let i = 0; i < touched.length; i++) {
      const s = touched.data[i]!;
      top.offer(this.scores[s]!, s);
      this.scores[s] = 0;
    }
    return top.result();
  }

  private df(t: number): number {
    return this.offsets[t + 1]! - this.offsets[t]!;
  }
}
