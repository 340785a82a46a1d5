/**
 * MinHash near-duplicate detection, a port of datatrove's MinhashDedup
 * (datatrove/pipeline/dedup/minhash.py, default MinhashConfig) that gives the
 * same 64-bit signatures for the same text:
 *   simplify_text -> word tokens -> 5-gram shingles joined by " " ->
 *   xxh64(UTF-8, seed 0) -> 112 permutations ((a*h + b) mod 2^64) mod (2^61 - 1)
 *   -> min per permutation -> 14 bands of 8 rows.
 * Where it cannot match datatrove (its spaCy/pythainlp/jieba tokenizers) it
 * says so below. Pure: no I/O, no electron, safe in a worker thread.
 */
import xxhashWasm from 'xxhash-wasm';
import type { XXHashAPI } from 'xxhash-wasm';
import { UNSPACED_SCRIPTS } from '../corpus/scripts';
import { ENGLISH_SPLITS } from './minhash-english-exceptions';

export interface MinhashConfig {
  /** Tokens per shingle (datatrove n_grams). */
  nGrams: number;
  /** Bands (datatrove num_buckets). */
  numBuckets: number;
  /** Rows per band (datatrove hashes_per_bucket). */
  hashesPerBucket: number;
  /** Seed of the permutation parameters; must be equal everywhere signatures are compared. */
  seed: number;
  /**
   * Language of the documents (Flores-style or ISO code). English gets spaCy's
   * contraction splits, as datatrove does; other languages split on spaces.
   */
  language: string;
}

export const DEFAULT_MINHASH_CONFIG: MinhashConfig = {
  nGrams: 5,
  numBuckets: 14,
  hashesPerBucket: 8,
  seed: 1,
  language: 'eng_Latn',
};

/**
 * A signature: numHashes 61-bit values stored as [hi32, lo32] pairs, because a
 * Number cannot hold 61 bits exactly and BigInt is ~50x slower in the hot loop.
 */
export type MinhashSignature = Uint32Array;

// ---------------------------------------------------------------------------
// Normalisation: datatrove.utils.text.simplify_text with TextNormConfig()
// defaults, step for step and in the same order (the order matters: digits are
// merged before punctuation becomes space, so "1,250" -> "0", not "0 0").

// datatrove's PUNCTUATION string (translated to spaces). TERMINAL_PUNCTUATION is
// NOT translated by simplify_text (only used for sentence splitting), so e.g.
// the Devanagari danda survives, exactly as in datatrove.
const PUNCTUATION_CHARS =
  '!/\u2014\u201d:\uff05\uff11\u3008&(\u3001\u2501\\\u3010#%\u300c\u300d\uff0c\u3011\uff1b+^]~\u201c\u300a\u201e\';\u2019{|\u2236\u00b4[=-`*\uff0e\uff08\u2013\uff1f\uff01\uff1a$\uff5e\u00ab\u3009,><\u300b)?\uff09\u3002\u2026@_."}\u25ba\u00bb';
const PUNCTUATION_SET = new Set<number>();
for (const ch of PUNCTUATION_CHARS) PUNCTUATION_SET.add(ch.codePointAt(0)!);
// Plus the control ranges datatrove adds: 0-8, 11-31, 127-159 (tab and newline stay: they are whitespace).
for (let c = 0; c < 160; c++) if (c < 9 || (c >= 11 && c < 32) || c >= 127) PUNCTUATION_SET.add(c);

// regex NUMBERS_PATTERN: a digit run in any script, with an optional decimal part.
const NUMBERS_RE = /\p{Nd}+(?:[.,\u060c\u066b\u2396\u2397\u2398]\p{Nd}+)?/gu;
// Python's re `\s` on str = str.isspace(); JS `\s` differs (it has U+FEFF, lacks U+001C-U+001F and U+0085).
const PY_WHITESPACE_RE = /[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;
const PY_STRIP_RE = /^[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t\n\v\f\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
const NONSPACING_MARK_RE = /\p{Mn}/gu;
// ASCII text needs no NFD pass; skipping it is the single biggest saving in simplifyText.
const NON_ASCII_RE = /[^\x00-\x7f]/;

function replacePunctuation(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    // Every PUNCTUATION char is in the BMP, so UTF-16 units suffice (surrogates never match).
    if (PUNCTUATION_SET.has(text.charCodeAt(i))) {
      out += text.slice(from, i) + ' ';
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** datatrove's simplify_text: lowercase, digits -> "0", punctuation -> " ", whitespace collapsed, diacritics dropped. */
export function simplifyText(text: string): string {
  let t = text.toLowerCase();
  t = t.replace(NUMBERS_RE, '0');
  t = replacePunctuation(t);
  t = t.replace(PY_STRIP_RE, '').replace(PY_WHITESPACE_RE, ' ');
  if (NON_ASCII_RE.test(t)) t = t.normalize('NFD').replace(NONSPACING_MARK_RE, '');
  // Dropping a mark that stood alone between spaces can leave an edge space (datatrove strips again too).
  return t.replace(PY_STRIP_RE, '');
}

// ---------------------------------------------------------------------------
// Tokens.

const ENGLISH_SPLIT_MAP = new Map(Object.entries(ENGLISH_SPLITS).map(([k, v]) => [k, v.split(' ')]));

function isEnglish(language: string): boolean {
  const l = language.toLowerCase();
  return l === 'en' || l === 'eng' || l.startsWith('eng_') || l.startsWith('en-') || l.startsWith('en_');
}

/**
 * Tokens of simplified text. Spaced scripts: split on spaces, which is what
 * datatrove's spaCy tokenizers amount to once simplify_text has removed the
 * punctuation, except (1) English contraction splits, reproduced from
 * ENGLISH_SPLITS, and (2) spaCy's affix rules on the few symbols simplify_text
 * keeps: digit+unit ("0km" -> "0 km"), currency/degree/section signs and
 * emoji glued to words. (2) is not reproduced: such shingles differ.
 * Unspaced scripts (Thai, Han, Khmer, ...): single code points. datatrove uses
 * pythainlp/jieba/khmer-nltk dictionaries there, which we cannot match in
 * Node; characters need no dictionary and still catch near-duplicates.
 */
export function minhashTokens(simplified: string, script: string | undefined, language: string): string[] {
  if (simplified === '') return [];
  if (script !== undefined && UNSPACED_SCRIPTS.has(script)) {
    const chars: string[] = [];
    for (const ch of simplified) if (ch !== ' ') chars.push(ch);
    return chars;
  }
  // Empty pieces come from double spaces left by dropped marks; spaCy's strip_strings drops them too.
  const raw = simplified.split(' ');
  if (!isEnglish(language)) return raw.filter((w) => w !== '');
  const out: string[] = [];
  for (const w of raw) {
    if (w === '') continue;
    const split = ENGLISH_SPLIT_MAP.get(w);
    if (split) out.push(...split);
    else out.push(w);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Permutation parameters: numpy's legacy np.random.RandomState(seed).randint(
// low, 2^61 - 1, dtype=np.uint64, size=n) for a (low 1) then b (low 0).
// MT19937 seeded with init_genrand; each uint64 draw is (next32 << 32) | next32,
// masked to 61 bits and rejected while above the range (numpy's "masked" method).
// BigInt is fine here: it runs 224 times per MinHasher.

class Mt19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  constructor(seed: number) {
    this.mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = this.mt[i - 1] ^ (this.mt[i - 1] >>> 30);
      this.mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
  }

  next32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }
}

const MERSENNE_61 = (1n << 61n) - 1n;

function randintUint64(rng: Mt19937, low: bigint, highExclusive: bigint, count: number): bigint[] {
  const range = highExclusive - 1n - low;
  let mask = range;
  for (const s of [1n, 2n, 4n, 8n, 16n, 32n]) mask |= mask >> s;
  const out: bigint[] = [];
  for (let i = 0; i < count; i++) {
    let v: bigint;
    do {
      const hi = BigInt(rng.next32());
      const lo = BigInt(rng.next32());
      v = ((hi << 32n) | lo) & mask;
    } while (v > range);
    out.push(low + v);
  }
  return out;
}

/** datatrove's MinhashDedupSignature.parameters (a, b) for a seed, as BigInts. */
export function minhashParameters(seed: number, numHashes: number): { a: bigint[]; b: bigint[] } {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`MinHash seed must be an integer in [0, 2^32): ${seed}`);
  const rng = new Mt19937(seed);
  const a = randintUint64(rng, 1n, MERSENNE_61, numHashes);
  const b = randintUint64(rng, 0n, MERSENNE_61, numHashes);
  return { a, b };
}

// ---------------------------------------------------------------------------

const TWO32 = 4294967296;
const MASK29 = 0x1fffffff;
const encoder = new TextEncoder();

let xxhashApi: Promise<XXHashAPI> | null = null;
function loadXxhash(): Promise<XXHashAPI> {
  xxhashApi ??= xxhashWasm();
  return xxhashApi;
}

export class MinHasher {
  readonly config: MinhashConfig;
  readonly numHashes: number;
  private readonly xx: XXHashAPI;
  // a and b split into 32-bit halves (Float64 so the inner loop never converts).
  private readonly aHi: Float64Array;
  private readonly aLo: Float64Array;
  private readonly bHi: Float64Array;
  private readonly bLo: Float64Array;
  private bytes = new Uint8Array(1 << 16);

  /** xxhash-wasm compiles asynchronously, hence the factory; `new` needs its API already loaded. */
  static async create(cfg: Partial<MinhashConfig> = {}): Promise<MinHasher> {
    return new MinHasher(await loadXxhash(), cfg);
  }

  /** A hasher with other parameters sharing this one's loaded xxhash (synchronous). */
  withConfig(cfg: Partial<MinhashConfig>): MinHasher {
    return new MinHasher(this.xx, cfg);
  }

  constructor(xx: XXHashAPI, cfg: Partial<MinhashConfig> = {}) {
    this.xx = xx;
    this.config = { ...DEFAULT_MINHASH_CONFIG, ...cfg };
    const { numBuckets, hashesPerBucket, nGrams } = this.config;
    if (numBuckets < 1 || hashesPerBucket < 1 || nGrams < 1) throw new Error('MinHash needs at least one band, one row and one token per shingle');
    this.numHashes = numBuckets * hashesPerBucket;
    const { a, b } = minhashParameters(this.config.seed, this.numHashes);
    const split = (xs: bigint[]) => [
      Float64Array.from(xs, (x) => Number(x >> 32n)),
      Float64Array.from(xs, (x) => Number(x & 0xffffffffn)),
    ];
    [this.aHi, this.aLo] = split(a);
    [this.bHi, this.bLo] = split(b);
  }

  /**
   * The signature of a document, or null when it has fewer tokens than nGrams:
   * datatrove writes no signature for such documents, so they never match.
   */
  signature(text: string, script?: string): MinhashSignature | null {
    const tokens = minhashTokens(simplifyText(text), script, this.config.language);
    const n = this.config.nGrams;
    const shingles = tokens.length - n + 1;
    if (shingles <= 0) return null;

    // One UTF-8 buffer of the tokens joined by single spaces; shingle i is the
    // byte range from token i's start to token i+n-1's end, which is exactly
    // the bytes of datatrove's " ".join(ngram). No per-shingle strings.
    const joined = tokens.join(' ');
    if (this.bytes.length < joined.length * 3) this.bytes = new Uint8Array(joined.length * 3 + 1024);
    const used = encoder.encodeInto(joined, this.bytes).written;
    const starts = new Int32Array(tokens.length + 1);
    let t = 0;
    for (let i = 0; i < used; i++) if (this.bytes[i] === 0x20) starts[++t] = i + 1;
    starts[tokens.length] = used + 1;

    const m = this.numHashes;
    const minHi = new Uint32Array(m).fill(0xffffffff);
    const minLo = new Uint32Array(m).fill(0xffffffff);
    const { aHi, aLo, bHi, bLo } = this;
    const seen = new Set<bigint>();
    for (let s = 0; s < shingles; s++) {
      const h = this.xx.h64Raw(this.bytes.subarray(starts[s], starts[s + n] - 1));
      // A repeated shingle cannot lower any minimum: skip its 112 permutations.
      if (seen.has(h)) continue;
      seen.add(h);
      const hHi = Number(h >> 32n);
      const hLo = Number(h & 0xffffffffn);
      const h1 = hLo >>> 16;
      const h0 = hLo & 0xffff;
      for (let j = 0; j < m; j++) {
        // (a*h + b) mod 2^64 on 32-bit halves, every intermediate an exact double (< 2^53):
        // aLo*hLo via 16-bit halves of hLo; the cross terms only matter mod 2^32 (Math.imul).
        const aL = aLo[j];
        const t1 = aL * h1; // < 2^48
        const q1 = (t1 / 65536) >>> 0;
        const low = aL * h0 + (t1 - q1 * 65536) * 65536; // < 2^49
        const c = (low / TWO32) >>> 0;
        let lo = low - c * TWO32 + bLo[j];
        let hi = q1 + c + Math.imul(aL, hHi) + Math.imul(aHi[j], hLo) + bHi[j];
        if (lo >= TWO32) {
          lo -= TWO32;
          hi += 1;
        }
        hi = hi >>> 0; // the uint64 wrap datatrove's numpy arithmetic does
        // mod 2^61-1: x = top*2^61 + r == top + r (2^61 == 1), then at most one subtraction.
        let rHi = hi & MASK29;
        lo += hi >>> 29;
        if (lo >= TWO32) {
          lo -= TWO32;
          rHi += 1;
        }
        if (rHi >= MASK29) {
          if (rHi > MASK29) {
            rHi = 0;
            lo += 1;
          } else if (lo === 0xffffffff) {
            rHi = 0;
            lo = 0;
          }
        }
        if (rHi < minHi[j] || (rHi === minHi[j] && lo < minLo[j])) {
          minHi[j] = rHi;
          minLo[j] = lo;
        }
      }
    }
    const sig = new Uint32Array(2 * m);
    for (let j = 0; j < m; j++) {
      sig[2 * j] = minHi[j];
      sig[2 * j + 1] = minLo[j];
    }
    return sig;
  }

  /**
   * One key per band: the band index and its 8 values as UTF-16 units. Two
   * documents are candidates when any key is equal (a whole band matches).
   */
  bandKeys(sig: MinhashSignature): string[] {
    const rows = this.config.hashesPerBucket;
    const keys: string[] = [];
    for (let band = 0; band < this.config.numBuckets; band++) {
      const units: number[] = [band];
      for (let k = band * rows * 2; k < (band + 1) * rows * 2; k++) units.push(sig[k] >>> 16, sig[k] & 0xffff);
      keys.push(String.fromCharCode(...units));
    }
    return keys;
  }
}

/** A signature as datatrove's uint64 values (for tests and export). */
export function signatureToBigInts(sig: MinhashSignature): bigint[] {
  const out: bigint[] = [];
  for (let j = 0; j < sig.length; j += 2) out.push((BigInt(sig[j]) << 32n) | BigInt(sig[j + 1]));
  return out;
}

export interface MinhashDoc {
  id: number;
  text: string;
  script?: string;
}

export interface DuplicateClusters {
  /** Groups of two or more near-duplicate ids, each sorted ascending, ordered by their first id. */
  clusters: number[][];
  /** Ids to drop: every cluster member except its kept one. Sorted. */
  removed: number[];
  /** Ids to keep: the lowest id of each cluster and every document in no cluster. Sorted. */
  kept: number[];
}

/**
 * Near-duplicate clusters by LSH banding and union-find (candidates are
 * linked transitively, like datatrove's MinhashDedupCluster).
 * Kept rule: in each cluster the document with the LOWEST id is kept and the
 * others are removed, so the result does not depend on input order and the
 * earliest-imported copy survives. The UI shows this rule.
 * Documents too short to shingle are never clustered (kept).
 */
export async function findDuplicateClusters(docs: MinhashDoc[], cfg: Partial<MinhashConfig> = {}): Promise<DuplicateClusters> {
  const hasher = await MinHasher.create(cfg);
  const parent = new Int32Array(docs.length);
  for (let i = 0; i < docs.length; i++) parent[i] = i;
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const firstWithKey = new Map<string, number>();
  for (let i = 0; i < docs.length; i++) {
    const sig = hasher.signature(docs[i].text, docs[i].script);
    if (!sig) continue;
    for (const key of hasher.bandKeys(sig)) {
      const other = firstWithKey.get(key);
      if (other === undefined) {
        firstWithKey.set(key, i);
        continue;
      }
      const ra = find(i);
      const rb = find(other);
      if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
    }
  }
  const groups = new Map<number, number[]>();
  for (let i = 0; i < docs.length; i++) {
    const r = find(i);
    const g = groups.get(r);
    if (g) g.push(docs[i].id);
    else groups.set(r, [docs[i].id]);
  }
  const clusters: number[][] = [];
  const kept: number[] = [];
  const removed: number[] = [];
  for (const ids of groups.values()) {
    ids.sort((x, y) => x - y);
    kept.push(ids[0]);
    if (ids.length > 1) {
      clusters.push(ids);
      removed.push(...ids.slice(1));
    }
  }
  clusters.sort((x, y) => x[0] - y[0]);
  kept.sort((x, y) => x - y);
  removed.sort((x, y) => x - y);
  return { clusters, removed, kept };
}
