#!/usr/bin/env node
// Deterministic hypothesis/reference pairs for the metrics benchmark
// (`npm run bench:metrics`).
//
//   node test/bench/generate-metric-pairs.mjs [--docs N] [--out DIR] [--seed S]
//
// Writes DIR/ref.txt and DIR/hyp.txt, N line-aligned segments in nine
// languages and eight scripts: Latin (English, Swahili), Cyrillic (Russian),
// Arabic, Devanagari (Hindi), Ethiopic (Amharic), Greek, Han (Chinese, no
// spaces) and Thai (no spaces). Words are built from per-script syllables and
// drawn Zipf-like, so frequent words repeat as they do in real text;
// references have 4 to 45 words (a news-like median of ~18), with numbers and
// punctuation now and then. Each hypothesis is its reference after MT-like
// edits: ~15% of words substituted, ~5% dropped, ~5% inserted, an occasional
// swap of neighbours; ~0.3% of hypotheses are empty. Same --docs/--seed, same
// bytes.

import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseGeneratorArgs } from './bench-utils.mjs';

export const GENERATOR_VERSION = 1;
export const DEFAULT_SEED = 20250105;

const LANGS = [
  { sep: ' ', end: ['.', '.', '?', '!'], syl: 'ba be bi bo bu da de di do ka ke ki ko ku la le li lo ma me mi mo mu na ne ni no nu pa pe ra re ri ro sa se si so ta te ti to tu wa we ya yo ng mb nd sh ch th', weight: 3 },
  { sep: ' ', end: ['.', '.', '?'], syl: 'the an in on er es ing ed al or at it en st re ou ar th nd ly ment tion ight ow ea ch str pl', weight: 3 },
  { sep: ' ', end: ['.', '.', '?', '!'], syl: 'ра ло ко но ва ни то ст пр ли ет ов ен го ми ре де ны за по мо ть ся ка ла вы бу жи ще', weight: 2 },
  { sep: ' ', end: ['.', '.', '؟'], syl: 'ال من في ما لا كا قا نا را سل مد عب حم بي تو يو لي ها وا شر جم كت در', weight: 2 },
  { sep: ' ', end: ['।', '।', '?'], syl: 'क का की के र रा ने में है हैं स सा ता ती ते ल ला प पा म मा न ना व वा ग गा द दे', weight: 2 },
  { sep: ' ', end: ['።', '።', '?'], syl: 'ለ ሰ በ ተ ነ አ ከ ወ የ ደ ገ ጠ ፈ ሀ መ ረ ሸ ቀ ዘ ዠ ጀ ሐ ኸ ዐ ሙ ሉ ሩ ሱ', weight: 1 },
  { sep: ' ', end: ['.', '.', ';'], syl: 'τα το να κα με λο πο ρι στ ον ης ου αι ει σε δε θα γι χα φι', weight: 1 },
  { sep: '', end: ['。', '。', '？', '！'], syl: '的 一 是 不 了 人 我 在 有 他 这 中 大 来 上 国 个 到 说 们 为 子 和 你 地 出 道 也 时 年 得 就 那 要 下 以 生 会 自 着 去 之 过 家 学 对 可 她 里 后 小 么 心 多 天 而 能 好 都 然 没 日 于 起 还 发 成 事 只 作 当 想 看 文 无 开 手 十 用 主 行 方 又 如 前 所 本 见 经 头 面 公 同 三 已 老 从 动 两 长', weight: 2 },
  { sep: '', end: ['', ' ', '?'], syl: 'กา ขา คน ดี ที่ มี ไม่ ได้ ให้ ไป มา จะ ว่า และ ของ ใน การ เป็น อยู่ ความ นี้ กับ แต่ ก็ คือ เรา เขา', weight: 1 },
];

/** mulberry32: tiny, seeded, the same sequence everywhere. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function vocabulary(lang, rand, size) {
  const syl = lang.syl.split(' ');
  const words = new Set();
  while (words.size < size) {
    const n = 1 + Math.floor(rand() * 3);
    let w = '';
    for (let i = 0; i < n; i++) w += syl[Math.floor(rand() * syl.length)];
    words.add(w);
  }
  return [...words];
}

export function generateMetricPairs(docs, seed = DEFAULT_SEED) {
  const rand = rng(seed);
  const langs = LANGS.map((l) => ({ ...l, vocab: vocabulary(l, rand, l.sep ? 4000 : 1200) }));
  const pickLang = [];
  langs.forEach((l, i) => {
    for (let k = 0; k < l.weight; k++) pickLang.push(i);
  });
  // Zipf-like: index = floor(V * u^3) puts most mass on the first words.
  const word = (l) => {
    if (rand() < 0.03) return String(Math.floor(rand() * (rand() < 0.5 ? 100 : 100000)));
    const w = l.vocab[Math.floor(l.vocab.length * rand() ** 3)];
    return rand() < 0.04 && l.sep ? w + ',' : w;
  };
  const refs = new Array(docs);
  const hyps = new Array(docs);
  for (let i = 0; i < docs; i++) {
    const l = langs[pickLang[Math.floor(rand() * pickLang.length)]];
    // Length: 4..45 words, skewed towards ~18.
    const n = Math.min(45, 4 + Math.floor(28 * (rand() + rand() + rand()) / 2.2));
    const ref = Array.from({ length: n }, () => word(l));
    const hyp = [];
    for (const w of ref) {
      const u = rand();
      if (u < 0.05) continue; // dropped
      hyp.push(u < 0.2 ? word(l) : w); // substituted or kept
      if (rand() < 0.05) hyp.push(word(l)); // inserted
    }
    if (hyp.length > 2 && rand() < 0.1) {
      const k = Math.floor(rand() * (hyp.length - 1));
      [hyp[k], hyp[k + 1]] = [hyp[k + 1], hyp[k]];
    }
    const end = l.end[Math.floor(rand() * l.end.length)];
    refs[i] = ref.join(l.sep) + end;
    hyps[i] = rand() < 0.003 ? '' : hyp.join(l.sep) + (rand() < 0.8 ? end : '');
  }
  return { refs, hyps };
}

export function writeMetricPairs(dir, docs, seed = DEFAULT_SEED) {
  const { refs, hyps } = generateMetricPairs(docs, seed);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'ref.txt'), refs.join('\n') + '\n');
  writeFileSync(join(dir, 'hyp.txt'), hyps.join('\n') + '\n');
  return { ref: join(dir, 'ref.txt'), hyp: join(dir, 'hyp.txt') };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
  const o = parseGeneratorArgs(process.argv.slice(2), {
    defaultDocs: 100_000,
    defaultSeed: DEFAULT_SEED,
    defaultOut: (n) => join(root, 'bench-data', `metric-pairs-${n}-v${GENERATOR_VERSION}`),
    script: 'test/bench/generate-metric-pairs.mjs',
  });
  const f = writeMetricPairs(o.out, o.docs, o.seed);
  console.log(`wrote ${f.hyp} and ${f.ref}`);
}
