/**
 * BLEU exactly as sacrebleu 2.6.0 computes it (sacrebleu/metrics/bleu.py):
 * same preprocessing (optional lowercase, rstrip, tokenizer), same sufficient
 * statistics per segment ([hyp_len, closest_ref_len, correct_1..4,
 * total_1..4]), same smoothing and effective-order rules, same floating-point
 * operation order, so scores agree to the last bits (up to the platform's
 * exp/log, which may differ in the last unit).
 */

import { clippedMatches, numericKeysFit, RollingKeys, stringClippedMatches, stringNgramCounts, WordIds } from './ngram-counts';
import { pyLower, pyRstrip } from './python-strings';
import { bleuSignature } from './signature';
import { getTokenSplitter, type BleuTokenizer } from './tokenizers';
import { checkStreams, sumRows } from './streams';

export type Smoothing = 'exp' | 'floor' | 'add-k' | 'none';

export interface BleuOptions {
  tokenize?: BleuTokenizer;
  smooth?: Smoothing;
  /** floor and add-k only; defaults 0.1 and 1 as in sacrebleu. */
  smoothValue?: number;
  lowercase?: boolean;
  effectiveOrder?: boolean;
}

export interface BleuResult {
  score: number;
  counts: number[];
  totals: number[];
  precisions: number[];
  bp: number;
  sysLen: number;
  refLen: number;
  signature: string;
}

export const BLEU_MAX_ORDER = 4;
/** Width of one segment's statistics row: hyp_len, ref_len, 4 correct, 4 total. */
export const BLEU_STATS_WIDTH = 2 + 2 * BLEU_MAX_ORDER;

export const SMOOTH_DEFAULTS: Record<Smoothing, number | null> = { none: null, floor: 0.1, 'add-k': 1, exp: null };

interface ResolvedBleu {
  tokenize: BleuTokenizer;
  smooth: Smoothing;
  smoothValue: number | null;
  lowercase: boolean;
  effectiveOrder: boolean;
}

function resolve(o: BleuOptions | undefined, effectiveDefault: boolean): ResolvedBleu {
  const smooth = o?.smooth ?? 'exp';
  if (!(smooth in SMOOTH_DEFAULTS)) throw new Error(`unknown BLEU smoothing "${smooth}": use exp, floor, add-k or none`);
  return {
    tokenize: o?.tokenize ?? '13a',
    smooth,
    smoothValue: o?.smoothValue ?? null,
    lowercase: o?.lowercase ?? false,
    effectiveOrder: o?.effectiveOrder ?? effectiveDefault,
  };
}

/** sacrebleu's `_preprocess_segment` followed by `line.split()`. */
function tokens(sent: string, split: (line: string) => string[], lowercase: boolean): string[] {
  if (lowercase) sent = pyLower(sent);
  return split(pyRstrip(sent));
}

/** `_get_closest_ref_len`: the closest length, the shorter one on a tie. */
function closestRefLen(hypLen: number, refLens: number[]): number {
  let closestDiff = -1;
  let closestLen = -1;
  for (const len of refLens) {
    const diff = Math.abs(hypLen - len);
    if (closestDiff === -1 || diff < closestDiff) {
      closestDiff = diff;
      closestLen = len;
    } else if (diff === closestDiff && len < closestLen) closestLen = len;
  }
  return closestLen;
}

const wordIds = new WordIds();

/** One segment's statistics, written to out[offset .. offset + BLEU_STATS_WIDTH). */
function segmentStats(hyp: string[], refs: string[][], out: Float64Array, offset: number): void {
  wordIds.reset();
  const h = wordIds.encode(hyp, 0);
  const r = refs.map((ref, k) => wordIds.encode(ref, k + 1));
  const base = wordIds.size;
  out[offset] = hyp.length;
  out[offset + 1] = closestRefLen(
    hyp.length,
    refs.map((ref) => ref.length),
  );
  const hypKeys = new RollingKeys(h.ids, h.len, base, 0);
  const refKeys = r.map((ids, k) => new RollingKeys(ids.ids, ids.len, base, k + 1));
  for (let n = 1; n <= BLEU_MAX_ORDER; n++) {
    const total = Math.max(0, hyp.length - n + 1);
    hypKeys.next();
    for (const k of refKeys) k.next();
    const correct = numericKeysFit(base, n)
      ? clippedMatches(hypKeys, refKeys)
      : stringClippedMatches(
          stringNgramCounts(h.ids, h.len, n),
          r.map((ids) => stringNgramCounts(ids.ids, ids.len, n)),
        );
    out[offset + 1 + n] = correct;
    out[offset + 1 + BLEU_MAX_ORDER + n] = total;
  }
}

/**
 * Per-segment statistics as one flat row-major matrix (BLEU_STATS_WIDTH per
 * segment). refs[k][i] is the k-th reference of segment i, as in sacrebleu.
 */
export function bleuStatsMatrix(hyps: readonly string[], refs: readonly (readonly string[])[], o?: BleuOptions): Float64Array {
  const opt = resolve(o, false);
  return statsMatrix(hyps, refs, opt.tokenize, opt.lowercase);
}

function statsMatrix(hyps: readonly string[], refs: readonly (readonly string[])[], tokenize: BleuTokenizer, lowercase: boolean): Float64Array {
  checkStreams(hyps, refs);
  const tok = getTokenSplitter(tokenize);
  const out = new Float64Array(hyps.length * BLEU_STATS_WIDTH);
  for (let i = 0; i < hyps.length; i++) {
    const refTokens = refs.map((stream) => tokens(stream[i], tok, lowercase));
    segmentStats(tokens(hyps[i], tok, lowercase), refTokens, out, i * BLEU_STATS_WIDTH);
  }
  return out;
}

/** Per-segment sufficient statistics, one row per segment (views on one buffer). */
export function bleuSegmentStats(hyps: readonly string[], refs: readonly (readonly string[])[], o?: BleuOptions): Float64Array[] {
  const m = bleuStatsMatrix(hyps, refs, o);
  return hyps.map((_, i) => m.subarray(i * BLEU_STATS_WIDTH, (i + 1) * BLEU_STATS_WIDTH));
}

/** sacrebleu's my_log: log, with log(0) floored to -9999999999. */
function myLog(x: number): number {
  return x === 0 ? -9999999999 : Math.log(x);
}

/**
 * `BLEU.compute_bleu`, operation for operation. As in sacrebleu, add-k
 * smoothing adds k to the reported counts and totals of orders 2..4.
 */
export function computeBleu(
  correctIn: readonly number[],
  totalIn: readonly number[],
  sysLen: number,
  refLen: number,
  smooth: Smoothing,
  smoothValueIn: number | null,
  effectiveOrder: boolean,
): Omit<BleuResult, 'signature'> {
  const maxOrder = BLEU_MAX_ORDER;
  const smoothValue = smoothValueIn ?? SMOOTH_DEFAULTS[smooth] ?? 0;
  const correct = correctIn.slice();
  const total = totalIn.slice();
  let bp = 1.0;
  if (sysLen < refLen) bp = sysLen > 0 ? Math.exp(1 - refLen / sysLen) : 0.0;
  const precisions = new Array<number>(maxOrder).fill(0);
  // Early stop if there are no matches (sacrebleu #141).
  if (!correct.some((c) => c !== 0)) return { score: 0, counts: correct, totals: total, precisions, bp, sysLen, refLen };

  let smoothMteval = 1;
  let effOrder = maxOrder;
  for (let n = 1; n <= maxOrder; n++) {
    if (smooth === 'add-k' && n > 1) {
      correct[n - 1] += smoothValue;
      total[n - 1] += smoothValue;
    }
    if (total[n - 1] === 0) break;
    if (effectiveOrder) effOrder = n;
    if (correct[n - 1] === 0) {
      if (smooth === 'exp') {
        smoothMteval *= 2;
        precisions[n - 1] = 100 / (smoothMteval * total[n - 1]);
      } else if (smooth === 'floor') precisions[n - 1] = (100 * smoothValue) / total[n - 1];
    } else precisions[n - 1] = (100 * correct[n - 1]) / total[n - 1];
  }
  // Left-to-right sum, as Python 3.11's sum() does.
  let logSum = 0;
  for (let n = 0; n < effOrder; n++) logSum += myLog(precisions[n]);
  const score = bp * Math.exp(logSum / effOrder);
  return { score, counts: correct, totals: total, precisions, bp, sysLen, refLen };
}

/** BLEU from summed statistics (a BLEU_STATS_WIDTH row, e.g. from sumStats). */
export function bleuFromStats(stats: ArrayLike<number>, o?: BleuOptions, nrefs = 1): BleuResult {
  const opt = resolve(o, false);
  return bleuFromResolved(stats, opt, nrefs);
}

function bleuFromResolved(stats: ArrayLike<number>, opt: ResolvedBleu, nrefs: number): BleuResult {
  if (stats.length !== BLEU_STATS_WIDTH) throw new Error(`BLEU statistics have ${BLEU_STATS_WIDTH} numbers, got ${stats.length}`);
  const correct: number[] = [];
  const total: number[] = [];
  for (let n = 0; n < BLEU_MAX_ORDER; n++) {
    correct.push(stats[2 + n]);
    total.push(stats[2 + BLEU_MAX_ORDER + n]);
  }
  const r = computeBleu(correct, total, stats[0], stats[1], opt.smooth, opt.smoothValue, opt.effectiveOrder);
  return { ...r, signature: bleuSignature({ ...opt, nrefs }) };
}

/** Corpus BLEU; refs[k][i] is the k-th reference of segment i (sacrebleu's layout). */
export function corpusBleu(hyps: readonly string[], refs: readonly (readonly string[])[], o?: BleuOptions): BleuResult {
  const opt = resolve(o, false);
  const m = statsMatrix(hyps, refs, opt.tokenize, opt.lowercase);
  return bleuFromResolved(sumRows(m, BLEU_STATS_WIDTH), opt, refs.length);
}

/** Sentence BLEU against one or more references; effective order is on by default, as in sacrebleu.sentence_bleu. */
export function sentenceBleu(hyp: string, refs: readonly string[], o?: BleuOptions): BleuResult {
  const opt = resolve(o, true);
  const m = statsMatrix(
    [hyp],
    refs.map((r) => [r]),
    opt.tokenize,
    opt.lowercase,
  );
  return bleuFromResolved(m, opt, refs.length);
}
