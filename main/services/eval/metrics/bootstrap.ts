/**
 * Paired bootstrap resampling (Koehn 2004) for the difference between two
 * systems scored on the same segments.
 *
 * Each sample draws n segment indices with replacement from a seeded
 * generator (the pipeline's xoshiro128**, so a seed gives the same samples in
 * every version), sums both systems' per-segment sufficient statistics over
 * the drawn indices, and computes each corpus score from the sums, so nothing
 * is tokenised twice. The interval is taken from the sorted differences
 * (b - a) the way sacrebleu's Score.estimate_ci takes its 95% bounds: the
 * (samples // 40)-th and (samples - samples // 40 - 1)-th values, i.e. the
 * 2.5th and 97.5th percentiles. `significant` means that interval excludes 0.
 *
 * pValue is NOT sacrebleu's paired_bs p-value (which centres the sampled
 * differences and counts how often they exceed the observed one). It is the
 * share of samples in which the difference does not keep the observed sign
 * (b - a <= 0 when b beat a, >= 0 when a beat b; 1 when they tie): a
 * one-sided bootstrap estimate of how often the ranking flips.
 */

import { createRng } from '../../pipeline/rng';
import { bleuFromStats, bleuStatsMatrix, BLEU_STATS_WIDTH, type BleuOptions } from './bleu';
import { chrfFromStats, chrfStatsMatrix, chrfStatsWidth, type ChrfOptions } from './chrf';
import { sumRows } from './streams';

export type BootstrapMetric = 'bleu' | 'chrf' | 'chrf++' | 'acc';

/** A system's outputs: hypotheses for bleu/chrf/chrf++, per-item correctness for acc. */
export type BootstrapSystem = { hyps: readonly string[] } | { correct: readonly boolean[] };

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  samples?: number;
  /** Seed of the resampling (default 12345). */
  seed?: number;
  bleu?: BleuOptions;
  /** chrF options; the metric name decides the word order (chrf: 0, chrf++: 2). */
  chrf?: ChrfOptions;
}

export interface BootstrapResult {
  /** System a's score on all segments (0..100 for bleu/chrf, 0..1 for acc). */
  a: number;
  b: number;
  /** b - a on all segments. */
  delta: number;
  /** 95% interval of b - a over the resamples. */
  low: number;
  high: number;
  pValue: number;
  significant: boolean;
  samples: number;
  seed: number;
}

interface Scorer {
  width: number;
  a: Float64Array;
  b: Float64Array;
  score(sums: Float64Array): number;
}

function texts(s: BootstrapSystem, which: string): readonly string[] {
  if (!('hyps' in s)) throw new Error(`system ${which} gives correctness flags, but this metric scores hypotheses`);
  return s.hyps;
}

function scorer(metric: BootstrapMetric, a: BootstrapSystem, b: BootstrapSystem, refs: readonly (readonly string[])[] | undefined, o: BootstrapOptions): Scorer {
  if (metric === 'acc') {
    if (!('correct' in a) || !('correct' in b)) throw new Error('acc needs { correct: boolean[] } for both systems');
    const flags = (xs: readonly boolean[]) => Float64Array.from(xs, (x) => (x ? 1 : 0));
    const n = a.correct.length;
    return { width: 1, a: flags(a.correct), b: flags(b.correct), score: (s) => (n === 0 ? 0 : s[0] / n) };
  }
  if (!refs) throw new Error(`${metric} needs the references`);
  const ha = texts(a, 'a');
  const hb = texts(b, 'b');
  if (metric === 'bleu') {
    return {
      width: BLEU_STATS_WIDTH,
      a: bleuStatsMatrix(ha, refs, o.bleu),
      b: bleuStatsMatrix(hb, refs, o.bleu),
      score: (s) => bleuFromStats(s, o.bleu, refs.length).score,
    };
  }
  const chrf: ChrfOptions = { ...o.chrf, wordOrder: metric === 'chrf++' ? 2 : 0 };
  return {
    width: chrfStatsWidth(chrf),
    a: chrfStatsMatrix(ha, refs, chrf),
    b: chrfStatsMatrix(hb, refs, chrf),
    score: (s) => chrfFromStats(s, chrf, refs.length).score,
  };
}

function size(s: BootstrapSystem): number {
  return 'hyps' in s ? s.hyps.length : s.correct.length;
}

export function pairedBootstrap(
  metric: BootstrapMetric,
  a: BootstrapSystem,
  b: BootstrapSystem,
  refs?: readonly (readonly string[])[],
  o: BootstrapOptions = {},
): BootstrapResult {
  const samples = o.samples ?? 1000;
  const seed = o.seed ?? 12345;
  if (!Number.isInteger(samples) || samples < 1) throw new Error(`bootstrap samples must be a whole number >= 1, got ${samples}`);
  const n = size(a);
  if (size(b) !== n) throw new Error(`the two systems cover different numbers of segments (${n} and ${size(b)})`);
  if (n === 0) throw new Error('paired bootstrap needs at least one segment');

  const sc = scorer(metric, a, b, refs, o);
  const w = sc.width;
  const scoreA = sc.score(sumRows(sc.a, w));
  const scoreB = sc.score(sumRows(sc.b, w));
  const delta = scoreB - scoreA;

  const rng = createRng(seed, 'paired-bootstrap');
  const sumA = new Float64Array(w);
  const sumB = new Float64Array(w);
  const deltas = new Float64Array(samples);
  let flips = 0;
  for (let s = 0; s < samples; s++) {
    sumA.fill(0);
    sumB.fill(0);
    for (let k = 0; k < n; k++) {
      const off = rng.int(n) * w;
      for (let j = 0; j < w; j++) {
        sumA[j] += sc.a[off + j];
        sumB[j] += sc.b[off + j];
      }
    }
    const d = sc.score(sumB) - sc.score(sumA);
    deltas[s] = d;
    if (delta > 0 ? d <= 0 : delta < 0 ? d >= 0 : true) flips++;
  }
  deltas.sort();
  const lowerIdx = Math.floor(samples / 40);
  const low = deltas[lowerIdx];
  const high = deltas[samples - lowerIdx - 1];
  return { a: scoreA, b: scoreB, delta, low, high, pValue: flips / samples, significant: low > 0 || high < 0, samples, seed };
}
