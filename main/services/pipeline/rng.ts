/**
 * Seeded randomness for the pipeline. Dataset shards must come out
 * byte-identical for the same recipe and seed in every future version, so the
 * generator is written here rather than taken from a library whose sequence
 * could change with an upgrade. Changing anything below changes every dataset
 * built from now on: the pinned values in test/unit/pipeline-rng.test.ts are
 * there to make that a deliberate act.
 *
 * - Generator: xoshiro128** 1.1 (Blackman & Vigna), 32-bit arithmetic only, so
 *   it needs no BigInt and runs the same in every JS engine.
 * - Seeding: the seed and the stream labels are hashed (MurmurHash3's 32-bit
 *   mixing, two lanes with different seeds, 64 bits in all) and the lanes are
 *   expanded with splitmix32 into the 128-bit state. Labels are encoded with a
 *   type tag and a length, so (1) differs from ("1") and ("ab", "c") from
 *   ("a", "bc").
 *
 * Pure: no I/O, safe in worker threads.
 */

export interface Rng {
  /** The next 32-bit output, as an integer in [0, 2^32). */
  uint32(): number;
  /** A float in [0, 1) with 53 random bits. */
  next(): number;
  /** An integer in [0, n), without modulo bias; n is an integer in [1, 2^32]. */
  int(n: number): number;
  /** Fisher-Yates shuffle, in place; returns the same array. */
  shuffle<T>(arr: T[]): T[];
  /** One element chosen uniformly; the array must not be empty. */
  pick<T>(arr: readonly T[]): T;
}

export type StreamLabel = number | string;

const TWO_32 = 4294967296;
const TWO_53 = 9007199254740992;
const TWO_26 = 67108864;

// Domain tags keep the generator's seeding and stableHash01 from ever sharing a hash input.
const DOMAIN_RNG = 0x524e4731; // "RNG1"
const DOMAIN_HASH = 0x48534831; // "HSH1"
const TAG_NUMBER = 0x4e; // "N"
const TAG_STRING = 0x53; // "S"

const LANE_A_SEED = 0x2545f491;
const LANE_B_SEED = 0x9e3779b9;

/** One MurmurHash3 x86_32 block step. */
function absorb(h: number, word: number): number {
  let k = Math.imul(word, 0xcc9e2d51);
  k = (k << 15) | (k >>> 17);
  k = Math.imul(k, 0x1b873593);
  h ^= k;
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** MurmurHash3's finaliser (with the word count, as Murmur mixes in the length). */
function finish(h: number, words: number): number {
  h ^= words;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Two independent 32-bit hashes over the same word sequence. */
class Hasher {
  private a = LANE_A_SEED;
  private b = LANE_B_SEED;
  private n = 0;

  word(w: number): void {
    this.a = absorb(this.a, w);
    this.b = absorb(this.b, w);
    this.n++;
  }

  integer(x: number, what: string): void {
    if (!Number.isSafeInteger(x)) throw new RangeError(`${what} must be a safe integer, got ${x}`);
    // Low and high words of the 64-bit two's complement: `>>> 0` is ToUint32 (mod 2^32), also for negatives.
    this.word(x >>> 0);
    this.word(Math.floor(x / TWO_32) >>> 0);
  }

  label(label: StreamLabel): void {
    if (typeof label === 'number') {
      this.word(TAG_NUMBER);
      this.integer(label, 'a numeric stream label');
    } else {
      this.word(TAG_STRING);
      this.word(label.length);
      // Code points rather than UTF-8 bytes: the same string always gives the same words, with no encoder.
      for (let i = 0; i < label.length; i++) {
        const cp = label.codePointAt(i)!;
        this.word(cp);
        if (cp > 0xffff) i++;
      }
    }
  }

  lanes(): [number, number] {
    return [finish(this.a, this.n), finish(this.b, this.n)];
  }
}

/** splitmix32 (Vigna's splitmix64 with MurmurHash3's 32-bit finaliser): expands one word into a stream of well-mixed words. */
function splitmix32(seed: number): () => number {
  let x = seed | 0;
  return () => {
    x = (x + 0x9e3779b9) | 0;
    let z = x;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    return (z ^ (z >>> 16)) >>> 0;
  };
}

class Xoshiro128ss implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(state: readonly [number, number, number, number]) {
    [this.s0, this.s1, this.s2, this.s3] = state.map((w) => w | 0);
    // The all-zero state is the generator's one fixed point.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = LANE_B_SEED | 0;
  }

  uint32(): number {
    const s1 = this.s1;
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
    const t = s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r >>> 0;
  }

  next(): number {
    // MT19937's genrand_res53 construction: 27 + 26 bits.
    const a = this.uint32() >>> 5;
    const b = this.uint32() >>> 6;
    return (a * TWO_26 + b) / TWO_53;
  }

  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_32) throw new RangeError(`int(n) needs an integer n in [1, 2^32], got ${n}`);
    // Rejection sampling: accept only the largest multiple of n below 2^32, so every residue is equally likely.
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const u = this.uint32();
      if (u < limit) return u % n;
    }
  }

  shuffle<T>(arr: T[]): T[] {
    for (let i = arr.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = arr[i];
      arr[i] = arr[j];
      arr[j] = tmp;
    }
    return arr;
  }

  pick<T>(arr: readonly T[]): T {
    if (arr.length === 0) throw new RangeError('pick() from an empty array');
    return arr[this.int(arr.length)];
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/**
 * A generator for `seed` and the given stream labels (e.g. stage index, then
 * language code). Different labels give independent streams, so drawing more
 * numbers for one language never shifts another language's draws, and a new
 * language added to the corpus leaves the others' datasets unchanged.
 */
export function createRng(seed: number, ...streams: StreamLabel[]): Rng {
  const h = new Hasher();
  h.word(DOMAIN_RNG);
  h.integer(seed, 'the seed');
  h.word(streams.length);
  for (const s of streams) h.label(s);
  const [a, b] = h.lanes();
  const sa = splitmix32(a);
  const sb = splitmix32(b);
  return new Xoshiro128ss([sa(), sa(), sb(), sb()]);
}

/** The bare generator from an explicit state, for checking against the reference implementation. */
export function rngFromState(state: readonly [number, number, number, number]): Rng {
  return new Xoshiro128ss(state);
}

/**
 * A number in [0, 1) fixed by (seed, key) alone: a per-item decision that
 * does not depend on the order items are seen in or on which other items
 * exist (the held-out split uses it so a growing corpus rarely moves a
 * document between train and held-out).
 */
export function stableHash01(seed: number, key: StreamLabel): number {
  const h = new Hasher();
  h.word(DOMAIN_HASH);
  h.integer(seed, 'the seed');
  h.label(key);
  const [a, b] = h.lanes();
  return ((a >>> 5) * TWO_26 + (b >>> 6)) / TWO_53;
}

/**
 * A 32-bit key fixed by (salt, n), for n an integer below 2^32: sorting items
 * by orderKey(salt, index) gives a seeded pseudo-random order, which a
 * database can sort on disk when the items do not fit in memory. For a given
 * salt the map n -> key is a bijection (an odd multiplier, then murmur3's
 * finaliser), so keys never tie.
 */
export function orderKey(salt: number, n: number): number {
  // finish(x, 0) is the bare finaliser, itself a bijection on 32 bits.
  return finish(salt ^ Math.imul(n >>> 0, 0x9e3779b1), 0);
}
