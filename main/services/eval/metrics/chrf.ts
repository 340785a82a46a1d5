/**
 * chrF and chrF++ exactly as sacrebleu 2.6.0 computes them
 * (sacrebleu/metrics/chrf.py, helpers.py): character n-grams 1..charOrder
 * over the text with Python whitespace removed (unless `whitespace`), word
 * n-grams 1..wordOrder over words with one leading or trailing ASCII
 * punctuation mark split off, per-order [hyp, ref, match] statistics, the
 * reference with the best F-score when there are several, and the same
 * floating-point operation order in the F-score.
 */

import { CodePointIds, clippedMatches, numericKeysFit, RollingKeys, stringClippedMatches, stringNgramCounts, WordIds, type IdSeq } from './ngram-counts';
import { isPySpace, pyLower, pySplit } from './python-strings';
import { chrfSignature } from './signature';
import { checkStreams, sumRows } from './streams';

export interface ChrfOptions {
  charOrder?: number;
  /** 0 for chrF, 2 for chrF++. */
  wordOrder?: number;
  beta?: number;
  lowercase?: boolean;
  /** Keep whitespace inside character n-grams (sacrebleu's --chrf-whitespace). */
  whitespace?: boolean;
  /** chrF++.py/NLTK/Moses epsilon smoothing instead of sacrebleu's default effective-order averaging. */
  epsSmoothing?: boolean;
}

export interface ChrfResult {
  score: number;
  charOrder: number;
  wordOrder: number;
  beta: number;
  signature: string;
}

interface ResolvedChrf {
  charOrder: number;
  wordOrder: number;
  beta: number;
  lowercase: boolean;
  whitespace: boolean;
  epsSmoothing: boolean;
}

function resolve(o: ChrfOptions | undefined): ResolvedChrf {
  const r = {
    charOrder: o?.charOrder ?? 6,
    wordOrder: o?.wordOrder ?? 0,
    beta: o?.beta ?? 2,
    lowercase: o?.lowercase ?? false,
    whitespace: o?.whitespace ?? false,
    epsSmoothing: o?.epsSmoothing ?? false,
  };
  if (!Number.isInteger(r.charOrder) || r.charOrder < 0) throw new Error(`chrF character order must be a whole number >= 0, got ${r.charOrder}`);
  if (!Number.isInteger(r.wordOrder) || r.wordOrder < 0) throw new Error(`chrF word order must be a whole number >= 0, got ${r.wordOrder}`);
  if (r.charOrder + r.wordOrder === 0) throw new Error('chrF needs a character order or a word order above 0');
  return r;
}

/** Number of statistics per segment: [hyp, ref, match] for every order, characters first. */
export function chrfStatsWidth(o?: ChrfOptions): number {
  const r = resolve(o);
  return 3 * (r.charOrder + r.wordOrder);
}

const PUNCTS = new Set('!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~');

/**
 * `CHRF._remove_punctuation`: split on whitespace; a word longer than one
 * character loses one trailing ASCII punctuation mark, else one leading one
 * ('(hi)' gives '(hi' and ')', sacrebleu issue #124). The marks are ASCII, so
 * checking the last UTF-16 unit is exact; the length test counts code points.
 */
export function removePunctuation(sent: string): string[] {
  const out: string[] = [];
  for (const w of pySplit(sent)) {
    const single = w.length === 1 || (w.length === 2 && w.codePointAt(0)! > 0xffff);
    if (single) out.push(w);
    else if (PUNCTS.has(w[w.length - 1])) out.push(w.slice(0, -1), w[w.length - 1]);
    else if (PUNCTS.has(w[0])) out.push(w[0], w.slice(1));
    else out.push(w);
  }
  return out;
}

/** `CHRF._compute_f_score` on one statistics row (or a sum of rows). */
export function chrfFScore(stats: ArrayLike<number>, order: number, beta: number, epsSmoothing: boolean, offset = 0): number {
  const eps = 1e-16;
  let score = 0.0;
  let effectiveOrder = 0;
  const factor = beta ** 2;
  let avgPrec = 0.0;
  let avgRec = 0.0;
  for (let i = 0; i < order; i++) {
    const nHyp = stats[offset + 3 * i];
    const nRef = stats[offset + 3 * i + 1];
    const nMatch = stats[offset + 3 * i + 2];
    const prec = nHyp > 0 ? nMatch / nHyp : eps;
    const rec = nRef > 0 ? nMatch / nRef : eps;
    const denom = factor * prec + rec;
    score += denom > 0 ? ((1 + factor) * prec * rec) / denom : eps;
    if (nHyp > 0 && nRef > 0) {
      avgPrec += prec;
      avgRec += rec;
      effectiveOrder += 1;
    }
  }
  if (epsSmoothing) return (100 * score) / order;
  if (effectiveOrder === 0) {
    avgPrec = 0.0;
    avgRec = 0.0;
  } else {
    avgPrec /= effectiveOrder;
    avgRec /= effectiveOrder;
  }
  if (avgPrec + avgRec) {
    score = (1 + factor) * avgPrec * avgRec;
    score /= factor * avgPrec + avgRec;
    return 100 * score;
  }
  return 0.0;
}

const charIds = new CodePointIds();
const wordIds = new WordIds();
const SKIP_SPACE = (unit: number): boolean => isPySpace(unit);

/** Match statistics of one order between a hypothesis and each reference, written into rows[r]. */
function orderStats(hyp: IdSeq, refs: IdSeq[], base: number, n: number, hypKeys: RollingKeys, refKeys: RollingKeys[], rows: Float64Array[], col: number): void {
  hypKeys.next();
  for (const k of refKeys) k.next();
  const hypCount = hypKeys.count;
  if (numericKeysFit(base, n)) {
    for (let r = 0; r < refs.length; r++) {
      writeOrder(rows[r], col, hypCount, refKeys[r].count, clippedMatches(hypKeys, [refKeys[r]]));
    }
  } else {
    const hc = stringNgramCounts(hyp.ids, hyp.len, n);
    for (let r = 0; r < refs.length; r++) {
      const matches = stringClippedMatches(hc, [stringNgramCounts(refs[r].ids, refs[r].len, n)]);
      writeOrder(rows[r], col, hypCount, refKeys[r].count, matches);
    }
  }
}

/** `_get_match_statistics`: the hypothesis count only counts when the reference has n-grams of this order. */
function writeOrder(row: Float64Array, col: number, hypCount: number, refCount: number, matches: number): void {
  row[col] = refCount > 0 ? hypCount : 0;
  row[col + 1] = refCount;
  row[col + 2] = matches;
}

/** One segment's statistics against its best reference, into out[offset ..]. */
function segmentStats(hyp: string, refs: string[], o: ResolvedChrf, out: Float64Array, offset: number): void {
  const width = 3 * (o.charOrder + o.wordOrder);
  const rows = refs.map(() => new Float64Array(width));

  charIds.reset();
  const skip = o.whitespace ? null : SKIP_SPACE;
  const hc = charIds.encode(hyp, skip, 0);
  const rc = refs.map((r, k) => charIds.encode(r, skip, k + 1));
  const cBase = charIds.size;
  const hKeys = new RollingKeys(hc.ids, hc.len, cBase, 0);
  const rKeys = rc.map((r, k) => new RollingKeys(r.ids, r.len, cBase, k + 1));
  for (let n = 1; n <= o.charOrder; n++) orderStats(hc, rc, cBase, n, hKeys, rKeys, rows, 3 * (n - 1));

  if (o.wordOrder > 0) {
    // The character ids and keys are done with: the word ones reuse their buffers.
    wordIds.reset();
    const hw = wordIds.encode(removePunctuation(hyp), 0);
    const rw = refs.map((r, k) => wordIds.encode(removePunctuation(r), k + 1));
    const wBase = wordIds.size;
    const hwKeys = new RollingKeys(hw.ids, hw.len, wBase, 0);
    const rwKeys = rw.map((r, k) => new RollingKeys(r.ids, r.len, wBase, k + 1));
    for (let n = 1; n <= o.wordOrder; n++) orderStats(hw, rw, wBase, n, hwKeys, rwKeys, rows, 3 * (o.charOrder + n - 1));
  }

  // The reference with the best F-score; the first one on a tie.
  let best = 0;
  if (rows.length > 1) {
    let bestF = -1.0;
    const order = o.charOrder + o.wordOrder;
    for (let r = 0; r < rows.length; r++) {
      const f = chrfFScore(rows[r], order, o.beta, o.epsSmoothing);
      if (f > bestF) {
        bestF = f;
        best = r;
      }
    }
  }
  out.set(rows[best], offset);
}

function statsMatrix(hyps: readonly string[], refs: readonly (readonly string[])[], o: ResolvedChrf): Float64Array {
  checkStreams(hyps, refs);
  const width = 3 * (o.charOrder + o.wordOrder);
  const out = new Float64Array(hyps.length * width);
  const prep = o.lowercase ? pyLower : (s: string) => s;
  for (let i = 0; i < hyps.length; i++) {
    segmentStats(
      prep(hyps[i]),
      refs.map((stream) => prep(stream[i])),
      o,
      out,
      i * width,
    );
  }
  return out;
}

/** Per-segment statistics as one flat row-major matrix (chrfStatsWidth(o) per segment). */
export function chrfStatsMatrix(hyps: readonly string[], refs: readonly (readonly string[])[], o?: ChrfOptions): Float64Array {
  return statsMatrix(hyps, refs, resolve(o));
}

/** Per-segment sufficient statistics, one row per segment (views on one buffer). */
export function chrfSegmentStats(hyps: readonly string[], refs: readonly (readonly string[])[], o?: ChrfOptions): Float64Array[] {
  const r = resolve(o);
  const width = 3 * (r.charOrder + r.wordOrder);
  const m = statsMatrix(hyps, refs, r);
  return hyps.map((_, i) => m.subarray(i * width, (i + 1) * width));
}

/** chrF from summed statistics (e.g. sumStats of some segments' rows). */
export function chrfFromStats(stats: ArrayLike<number>, o?: ChrfOptions, nrefs = 1): ChrfResult {
  const r = resolve(o);
  const width = 3 * (r.charOrder + r.wordOrder);
  if (stats.length !== width) throw new Error(`chrF statistics for these orders have ${width} numbers, got ${stats.length}`);
  return {
    score: chrfFScore(stats, r.charOrder + r.wordOrder, r.beta, r.epsSmoothing),
    charOrder: r.charOrder,
    wordOrder: r.wordOrder,
    beta: r.beta,
    signature: chrfSignature({ ...r, nrefs }),
  };
}

/** Corpus chrF (chrF++ with wordOrder 2); refs[k][i] is the k-th reference of segment i. */
export function corpusChrf(hyps: readonly string[], refs: readonly (readonly string[])[], o?: ChrfOptions): ChrfResult {
  const r = resolve(o);
  const m = statsMatrix(hyps, refs, r);
  return chrfFromStats(sumRows(m, 3 * (r.charOrder + r.wordOrder)), r, refs.length);
}

/** Sentence chrF against one or more references. */
export function sentenceChrf(hyp: string, refs: readonly string[], o?: ChrfOptions): ChrfResult {
  const r = resolve(o);
  const m = statsMatrix(
    [hyp],
    refs.map((x) => [x]),
    r,
  );
  return chrfFromStats(m, r, refs.length);
}
