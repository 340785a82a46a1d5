#!/usr/bin/env node
// Deterministic English-like corpus with planted near-duplicates, for the
// MinHash benchmark (`npm run bench:pipeline`, test/bench/pipeline-bench.mjs).
//
//   node test/bench/generate-dedup-corpus.mjs [--docs N] [--out FILE] [--seed S]
//
// Writes JSONL lines {"id": "<n>", "text": "..."} (id = 0-based line number)
// and, beside the file, FILE.planted.json: the planted pairs (ground truth).
//
// Documents: 80..400 words of English-like prose (sentences with a capital,
// commas, a terminator, paragraphs, an occasional number or contraction) drawn
// from ~60 real English function words (Zipf-like: "the" is ~6% of the words)
// and 8,000 pseudo-words made of syllables, so that two unrelated documents
// share next to no 5-word shingle.
// Each document's words come from its own PRNG stream (seeded by seed and
// index), so any earlier document can be rebuilt on demand and memory stays
// constant whatever --docs is.
//
// Near-duplicates: ~10% of documents (from index 50 on) are copies of an
// earlier document with a few word edits (60% substitutions, 20% deletions,
// 20% insertions; the edit count is 0.4%..2.2% of the words, at least 1),
// which puts the Jaccard similarity of the two 5-gram shingle sets between
// ~0.75 and ~0.97, mostly 0.8..0.95. A third of the copies are taken from an
// earlier copy (so clusters of 3 or more documents form), chains at most 3
// deep, clusters at most 8 documents. Every copy has a higher id than its source, so in each planted cluster
// the lowest id is the original: a tool keeping the lowest id of a cluster
// should remove exactly the copies.
//
// The planted file holds [copyId, sourceId, jaccard] per copy; the Jaccard is
// measured here on a simplified normalisation (lowercase, digit runs -> 0,
// everything but letters and digits -> space), close to datatrove's
// simplify_text for this ASCII text.

import { createWriteStream } from 'node:fs';
import { parseGeneratorArgs } from './bench-utils.mjs';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the output for a given --docs/--seed changes, so cached corpora are regenerated. */
export const DEDUP_GENERATOR_VERSION = 2;
export const DEFAULT_DOCS = 200_000;
export const DEFAULT_SEED = 20250101;

const COPY_RATE = 0.1;
const COPY_OF_COPY = 1 / 3;
const MAX_CHAIN = 3;
const MAX_CLUSTER = 8;
const MIN_EDIT_RATE = 0.004;
const MAX_EDIT_RATE = 0.022;
const PARAGRAPH = '\u00b6'; // token marking a paragraph break; never written as such

/** mulberry32 (as in generate-corpus.mjs): small, fast, identical on every platform. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A 32-bit seed for the stream of document i (splitmix-style mixing of seed and i). */
function streamSeed(seed, i, salt) {
  let h = Math.imul((seed ^ 0x9e3779b9) >>> 0, 0x85ebca6b) ^ Math.imul(i + 1, 0xc2b2ae35) ^ Math.imul(salt, 0x27d4eb2f);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

const FUNCTION_WORDS = [
  'the', 'of', 'and', 'to', 'in', 'a', 'is', 'that', 'for', 'it', 'as', 'was', 'with', 'be', 'by', 'on', 'not',
  'he', 'this', 'are', 'or', 'his', 'from', 'at', 'which', 'but', 'have', 'an', 'had', 'they', 'you', 'were',
  'their', 'one', 'all', 'we', 'can', 'her', 'has', 'there', 'been', 'if', 'more', 'when', 'will', 'would', 'who',
  'so', 'no', 'she', 'our', 'some', 'into', 'than', 'then', 'its', 'over', 'also', 'after', 'before', 'because',
];
const CONTRACTIONS = ["don't", "can't", "it's", "we're", "isn't", "they've", "won't", 'cannot', "I'm", "that's"];

/** 8,000 distinct pseudo-words of 1..3 syllables, the same for every seed. */
function buildVocabulary() {
  const onsets = ['b', 'c', 'd', 'f', 'g', 'h', 'j', 'k', 'l', 'm', 'n', 'p', 'r', 's', 't', 'v', 'w', 'z', 'br', 'cl', 'dr', 'fl', 'gr', 'pl', 'st', 'tr', 'sh', 'ch', 'th', 'sp'];
  const vowels = ['a', 'e', 'i', 'o', 'u', 'ai', 'ea', 'ou', 'io'];
  const codas = ['', 'n', 'r', 's', 'l', 't', 'm', 'nd', 'st', 'ck'];
  const rand = prng(0x5eed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const words = new Set();
  const taken = new Set([...FUNCTION_WORDS, ...CONTRACTIONS.map((c) => c.toLowerCase())]);
  while (words.size < 8000) {
    const syllables = 1 + Math.floor(rand() * 3);
    let w = '';
    for (let s = 0; s < syllables; s++) w += pick(onsets) + pick(vowels) + (s === syllables - 1 || rand() < 0.3 ? pick(codas) : '');
    if (w.length >= 3 && !taken.has(w)) words.add(w);
  }
  return [...words];
}
const VOCAB = buildVocabulary();

function randomWord(rand) {
  const r = rand();
  // Function words Zipf-like, most frequent first ("the" ~6% of all words, as in English), so that
  // Gopher's stop-word rule (>= 2 of the, be, to, of, and, that, have, with) sees ordinary English.
  if (r < 0.34) return FUNCTION_WORDS[Math.floor(FUNCTION_WORDS.length * rand() ** 2.5)];
  if (r < 0.345) return CONTRACTIONS[Math.floor(rand() * CONTRACTIONS.length)];
  if (r < 0.36) return String(Math.floor(rand() * (rand() < 0.5 ? 100 : 100000)));
  // Mildly Zipfian over the pseudo-words: low indices are more frequent.
  const u = rand();
  return VOCAB[Math.floor(VOCAB.length * u * u)];
}

/** The tokens of an original document: words carrying their punctuation, plus PARAGRAPH marks. */
function originalTokens(seed, i) {
  const rand = prng(streamSeed(seed, i, 1));
  const words = 80 + Math.floor(rand() * 321); // 80..400
  const tokens = [];
  let inSentence = 0;
  let sentenceLen = 6 + Math.floor(rand() * 15);
  let sentencesInPara = 0;
  let paraLen = 3 + Math.floor(rand() * 4);
  for (let w = 0; w < words; w++) {
    let word = randomWord(rand);
    if (inSentence === 0) word = word[0].toUpperCase() + word.slice(1);
    inSentence++;
    if (inSentence >= sentenceLen || w === words - 1) {
      const r = rand();
      word += r < 0.85 ? '.' : r < 0.93 ? '?' : '!';
      inSentence = 0;
      sentenceLen = 6 + Math.floor(rand() * 15);
      sentencesInPara++;
      tokens.push(word);
      if (sentencesInPara >= paraLen && w < words - 1) {
        tokens.push(PARAGRAPH);
        sentencesInPara = 0;
        paraLen = 3 + Math.floor(rand() * 4);
      }
      continue;
    }
    if (inSentence > 2 && rand() < 0.06) word += ',';
    tokens.push(word);
  }
  return tokens;
}

/** Applies `edits` random word edits to a copy of `tokens`. */
function editTokens(tokens, rand, edits) {
  const out = tokens.slice();
  for (let e = 0; e < edits; e++) {
    let pos;
    do pos = Math.floor(rand() * out.length);
    while (out[pos] === PARAGRAPH);
    const r = rand();
    if (r < 0.6) {
      // Substitute, keeping the punctuation glued to the old word.
      const m = /[.,?!]+$/.exec(out[pos]);
      out[pos] = randomWord(rand) + (m ? m[0] : '');
    } else if (r < 0.8 && out.length > 20) {
      out.splice(pos, 1);
    } else {
      out.splice(pos, 0, randomWord(rand));
    }
  }
  // A deletion can leave a paragraph mark first or last, or two in a row.
  while (out[0] === PARAGRAPH) out.shift();
  while (out.at(-1) === PARAGRAPH) out.pop();
  return out.filter((t, k) => !(t === PARAGRAPH && out[k - 1] === PARAGRAPH));
}

function render(tokens) {
  let text = '';
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k];
    if (t === PARAGRAPH) text += '\n\n';
    else {
      if (k > 0 && tokens[k - 1] !== PARAGRAPH) text += ' ';
      text += t;
    }
  }
  return text;
}

/** 5-word shingles of a simplified normalisation (close to datatrove's simplify_text on ASCII text). */
export function shingleSet(text, n = 5) {
  const words = text
    .toLowerCase()
    .replace(/[0-9]+/g, '0')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim()
    .split(' ')
    .filter(Boolean);
  const set = new Set();
  for (let k = 0; k + n <= words.length; k++) set.add(words.slice(k, k + n).join(' '));
  return set;
}

export function jaccard(a, b) {
  let inter = 0;
  const [small, big] = a.size <= b.size ? [a, b] : [b, a];
  for (const x of small) if (big.has(x)) inter++;
  const union = a.size + b.size - inter;
  return union === 0 ? 1 : inter / union;
}

/**
 * Which documents are copies and of what: src[i] = source id or -1.
 * Sequential over one PRNG so the plan is fixed by (docs, seed).
 */
function plan(docs, seed) {
  const rand = prng(seed);
  const src = new Int32Array(docs).fill(-1);
  const depth = new Uint8Array(docs);
  const root = new Int32Array(docs);
  const size = new Uint16Array(docs).fill(1); // planted cluster size, kept at the root
  const copies = [];
  for (let i = 0; i < docs; i++) {
    root[i] = i;
    if (i < 50 || rand() >= COPY_RATE) continue;
    let s;
    if (copies.length > 0 && rand() < COPY_OF_COPY) {
      s = copies[Math.floor(rand() * copies.length)];
      if (depth[s] >= MAX_CHAIN) s = root[s];
    } else {
      s = Math.floor(rand() * i);
    }
    // Picking among copies favours big clusters: cap them (a fresh source instead).
    while (size[root[s]] >= MAX_CLUSTER) s = Math.floor(rand() * i);
    src[i] = s;
    depth[i] = depth[s] + 1;
    root[i] = root[s];
    size[root[i]]++;
    copies.push(i);
  }
  return { src, root };
}

/**
 * Writes the corpus and its planted pairs. Returns a summary for the .meta.json.
 * Stream-written with backpressure; a small cache of recent token arrays keeps
 * copy-of-copy chains from being rebuilt over and over.
 */
export async function generateDedupCorpus({ docs = DEFAULT_DOCS, out, seed = DEFAULT_SEED, onProgress } = {}) {
  if (!out) throw new Error('generateDedupCorpus: out is required');
  await mkdir(dirname(resolve(out)), { recursive: true });
  const { src, root } = plan(docs, seed);
  const cache = new Map(); // id -> tokens, for ids that are sources of copies
  const isSource = new Uint8Array(docs);
  for (let i = 0; i < docs; i++) if (src[i] >= 0) isSource[src[i]] = 1;
  const tokensOf = (i) => {
    const c = cache.get(i);
    if (c) return c;
    let t;
    if (src[i] < 0) t = originalTokens(seed, i);
    else {
      const rand = prng(streamSeed(seed, i, 2));
      const base = tokensOf(src[i]);
      const rate = MIN_EDIT_RATE + rand() * (MAX_EDIT_RATE - MIN_EDIT_RATE);
      t = editTokens(base, rand, Math.max(1, Math.round(rate * base.length)));
    }
    if (isSource[i]) {
      cache.set(i, t);
      if (cache.size > 4096) cache.delete(cache.keys().next().value);
    }
    return t;
  };

  const stream = createWriteStream(out);
  const write = (s) =>
    new Promise((res, rej) => {
      const ok = stream.write(s, (err) => (err ? rej(err) : undefined));
      if (ok) res();
      else stream.once('drain', res);
    });
  const pairs = [];
  const clusterSize = new Map(); // root -> size
  let block = '';
  let bytes = 0;
  let words = 0;
  for (let i = 0; i < docs; i++) {
    const tokens = tokensOf(i);
    const text = render(tokens);
    words += tokens.length;
    if (src[i] >= 0) {
      const j = jaccard(shingleSet(text), shingleSet(render(tokensOf(src[i]))));
      pairs.push([i, src[i], Math.round(j * 10000) / 10000]);
      clusterSize.set(root[i], (clusterSize.get(root[i]) ?? 1) + 1);
    }
    block += JSON.stringify({ id: String(i), text }) + '\n';
    if (block.length >= 512 * 1024) {
      bytes += Buffer.byteLength(block);
      await write(block);
      block = '';
      onProgress?.(i + 1, bytes);
    }
  }
  if (block) {
    bytes += Buffer.byteLength(block);
    await write(block);
  }
  await new Promise((res, rej) => stream.end((err) => (err ? rej(err) : res())));

  const js = pairs.map((p) => p[2]).sort((a, b) => a - b);
  const q = (p) => (js.length ? js[Math.min(js.length - 1, Math.floor(p * js.length))] : null);
  const hist = { '<0.75': 0, '0.75-0.8': 0, '0.8-0.85': 0, '0.85-0.9': 0, '0.9-0.95': 0, '>=0.95': 0 };
  for (const j of js) {
    if (j < 0.75) hist['<0.75']++;
    else if (j < 0.8) hist['0.75-0.8']++;
    else if (j < 0.85) hist['0.8-0.85']++;
    else if (j < 0.9) hist['0.85-0.9']++;
    else if (j < 0.95) hist['0.9-0.95']++;
    else hist['>=0.95']++;
  }
  const sizes = {};
  for (const s of clusterSize.values()) sizes[s] = (sizes[s] ?? 0) + 1;
  const planted = {
    version: DEDUP_GENERATOR_VERSION,
    docs,
    seed,
    note: 'pairs: [copyId, sourceId, jaccard of 5-word shingle sets]; every copy has a higher id than its source',
    pairs,
  };
  await writeFile(`${out}.planted.json`, JSON.stringify(planted));
  return {
    version: DEDUP_GENERATOR_VERSION,
    docs,
    seed,
    bytes,
    words,
    copies: pairs.length,
    clusters: clusterSize.size,
    clusterSizes: sizes,
    jaccard: { min: js[0] ?? null, p10: q(0.1), median: q(0.5), p90: q(0.9), max: js.at(-1) ?? null, histogram: hist },
  };
}


if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const opts = parseGeneratorArgs(process.argv.slice(2), { defaultDocs: DEFAULT_DOCS, defaultSeed: DEFAULT_SEED, defaultOut: (docs) => `bench-data/dedup-${docs}.jsonl`, script: 'test/bench/generate-dedup-corpus.mjs' });
  const t0 = performance.now();
  let last = 0;
  const res = await generateDedupCorpus({
    ...opts,
    onProgress: (n, b) => {
      if (n - last < 50_000) return;
      last = n;
      process.stderr.write(`  ${n.toLocaleString('en')} documents, ${(b / 1e6).toFixed(0)} MB\r`);
    },
  });
  process.stderr.write('\n');
  console.log(
    `wrote ${res.docs.toLocaleString('en')} documents, ${(res.bytes / 1e6).toFixed(1)} MB, ${res.copies.toLocaleString('en')} planted copies in ${res.clusters.toLocaleString('en')} clusters to ${opts.out} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  console.log('cluster sizes:', JSON.stringify(res.clusterSizes));
  console.log('jaccard:', JSON.stringify(res.jaccard));
}
