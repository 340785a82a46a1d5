import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import xxhashWasm from 'xxhash-wasm';
import {
  findDuplicateClusters,
  MinHasher,
  minhashParameters,
  minhashTokens,
  signatureToBigInts,
  simplifyText,
} from '../../main/services/pipeline/minhash';

const FIXTURES = join(__dirname, '..', 'fixtures', 'minhash');

interface ExpectedDoc {
  id: number;
  simplified: string;
  tokens: string[];
  signature: string[] | null;
}
const expected = JSON.parse(readFileSync(join(FIXTURES, 'expected.json'), 'utf8')) as { a: string[]; b: string[]; docs: ExpectedDoc[] };
const docs = readFileSync(join(FIXTURES, 'docs.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { id: number; language: string; text: string });

// Deterministic PRNG so the synthetic corpora are the same on every run.
function mulberry32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeVocabulary(rand: () => number, size: number): string[] {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  const words = new Set<string>();
  while (words.size < size) {
    const len = 2 + Math.floor(rand() * 8);
    let w = '';
    for (let i = 0; i < len; i++) w += letters[Math.floor(rand() * 26)];
    words.add(w);
  }
  return [...words];
}

function shingleSet(text: string): Set<string> {
  const t = minhashTokens(simplifyText(text), 'Latn', 'swh');
  const out = new Set<string>();
  for (let i = 0; i + 5 <= t.length; i++) out.add(t.slice(i, i + 5).join(' '));
  return out;
}

function jaccard(x: Set<string>, y: Set<string>): number {
  let inter = 0;
  for (const s of x) if (y.has(s)) inter++;
  return inter / (x.size + y.size - inter);
}

describe('MinHash against datatrove', () => {
  it('draws the same permutation parameters as numpy RandomState(1)', () => {
    const { a, b } = minhashParameters(1, 112);
    expect(a.map(String)).toEqual(expected.a);
    expect(b.map(String)).toEqual(expected.b);
  });

  it('simplifies, tokenises and signs every fixture exactly as datatrove', async () => {
    const hashers = new Map<string, MinHasher>();
    for (const lang of ['eng', 'swh']) hashers.set(lang, await MinHasher.create({ language: lang }));
    for (const doc of docs) {
      const want = expected.docs.find((d) => d.id === doc.id)!;
      const hasher = hashers.get(doc.language)!;
      const simplified = simplifyText(doc.text);
      expect(simplified, `doc ${doc.id}`).toBe(want.simplified);
      expect(minhashTokens(simplified, 'Latn', doc.language), `doc ${doc.id}`).toEqual(want.tokens);
      const sig = hasher.signature(doc.text, 'Latn');
      expect(sig ? signatureToBigInts(sig).map(String) : null, `doc ${doc.id}`).toEqual(want.signature);
    }
  });

  // The fixtures exercise few of the rare carries in the split 64-bit arithmetic;
  // a plain BigInt version of datatrove's formula checks many more values.
  it('matches a BigInt reference of ((a*h + b) mod 2^64) mod (2^61-1) on random text', async () => {
    const xx = await xxhashWasm();
    const hasher = await MinHasher.create({ language: 'swh' });
    const { a, b } = minhashParameters(1, 112);
    const p = (1n << 61n) - 1n;
    const rand = mulberry32(7);
    const vocab = makeVocabulary(rand, 500);
    for (let d = 0; d < 40; d++) {
      const words = Array.from({ length: 30 }, () => vocab[Math.floor(rand() * vocab.length)]);
      const text = words.join(' ');
      const mins = new Array<bigint>(112).fill(1n << 64n);
      for (let i = 0; i + 5 <= words.length; i++) {
        const h = xx.h64(words.slice(i, i + 5).join(' '));
        for (let j = 0; j < 112; j++) {
          const v = BigInt.asUintN(64, a[j] * h + b[j]) % p;
          if (v < mins[j]) mins[j] = v;
        }
      }
      expect(signatureToBigInts(hasher.signature(text)!)).toEqual(mins);
    }
  });
});

describe('near-duplicate clusters', () => {
  it('finds planted near-duplicates (shingle Jaccard ~0.87) with recall >= 0.95', async () => {
    const rand = mulberry32(1);
    const vocab = makeVocabulary(rand, 5000);
    const corpus: { id: number; text: string }[] = [];
    const jaccards: number[] = [];
    for (let i = 0; i < 300; i++) {
      const words = Array.from({ length: 200 }, () => vocab[Math.floor(rand() * vocab.length)]);
      // 5% of the words (10) changed as one edited passage. Scattered 5% edits
      // would break ~25% of 5-word shingles (Jaccard ~0.6), below the 0.72 LSH threshold by design.
      const copy = [...words];
      const at = Math.floor(rand() * 190);
      for (let k = at; k < at + 10; k++) copy[k] = vocab[Math.floor(rand() * vocab.length)];
      corpus.push({ id: 2 * i, text: words.join(' ') }, { id: 2 * i + 1, text: copy.join(' ') });
      jaccards.push(jaccard(shingleSet(words.join(' ')), shingleSet(copy.join(' '))));
    }
    const meanJ = jaccards.reduce((s, x) => s + x, 0) / jaccards.length;
    expect(meanJ).toBeGreaterThan(0.84);
    expect(meanJ).toBeLessThan(0.9);
    const { clusters, removed, kept } = await findDuplicateClusters(corpus, { language: 'swh' });
    let found = 0;
    for (const c of clusters) if (c.length === 2 && c[0] % 2 === 0 && c[1] === c[0] + 1) found++;
    expect(found / 300).toBeGreaterThanOrEqual(0.95);
    // Kept rule: the lowest id of each cluster.
    for (const c of clusters) {
      expect(kept).toContain(c[0]);
      for (const id of c.slice(1)) expect(removed).toContain(id);
    }
    expect(kept.length + removed.length).toBe(corpus.length);
  });

  it('never clusters two documents whose shingle Jaccard is below 0.5 (1000 docs)', async () => {
    const rand = mulberry32(2);
    const vocab = makeVocabulary(rand, 3000);
    const corpus: { id: number; text: string }[] = [];
    const pick = () => vocab[Math.floor(rand() * vocab.length)];
    // 250 families: a base, a lightly edited copy, a passage-edited copy, and a heavily edited one.
    for (let f = 0; f < 250; f++) {
      const base = Array.from({ length: 150 }, pick);
      const light = [...base];
      light[Math.floor(rand() * 150)] = pick();
      const passage = [...base];
      const at = Math.floor(rand() * 140);
      for (let k = at; k < at + 8; k++) passage[k] = pick();
      const heavy = base.map((w) => (rand() < 0.3 ? pick() : w));
      for (const [k, words] of [base, light, passage, heavy].entries()) corpus.push({ id: 4 * f + k, text: words.join(' ') });
    }
    const { clusters } = await findDuplicateClusters(corpus, { language: 'swh' });
    const sets = new Map(corpus.map((d) => [d.id, shingleSet(d.text)]));
    let pairs = 0;
    for (const c of clusters) {
      for (let i = 0; i < c.length; i++) {
        for (let j = i + 1; j < c.length; j++) {
          pairs++;
          expect(jaccard(sets.get(c[i])!, sets.get(c[j])!), `${c[i]}-${c[j]}`).toBeGreaterThanOrEqual(0.5);
        }
      }
    }
    expect(pairs).toBeGreaterThan(500); // the check above saw real clusters, not an empty result
  });

  it('keeps the lowest id whatever the input order, and never clusters too-short documents', async () => {
    const text = 'watoto wanakwenda shuleni kila siku asubuhi na walimu wanawafundisha kusoma';
    const { clusters, kept, removed } = await findDuplicateClusters(
      [
        { id: 9, text },
        { id: 3, text: text + '!' },
        { id: 5, text: text.toUpperCase() },
        { id: 1, text: 'habari yako' },
        { id: 2, text: 'habari yako' },
      ],
      { language: 'swh' },
    );
    expect(clusters).toEqual([[3, 5, 9]]);
    expect(kept).toEqual([1, 2, 3]);
    expect(removed).toEqual([5, 9]);
  });

  it('shingles unspaced scripts by character', async () => {
    const hasher = await MinHasher.create();
    const thai = 'ภาษาไทยเป็นภาษาที่เขียนโดยไม่มีการเว้นวรรคระหว่างคำ';
    expect(hasher.signature(thai, 'Thai')).not.toBeNull();
    expect(hasher.signature(thai, 'Latn')).toBeNull(); // one "word" only
    const a = hasher.signature(thai, 'Thai')!;
    const b = hasher.signature(thai + 'ครับ', 'Thai')!;
    const shared = hasher.bandKeys(a).filter((k) => hasher.bandKeys(b).includes(k));
    expect(shared.length).toBeGreaterThan(0);
  });
});
