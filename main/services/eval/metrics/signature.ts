/**
 * sacrebleu 2.6.0's reproducibility signatures (sacrebleu/metrics/base.py
 * Signature.format, BLEUSignature, CHRFSignature): the global fields that are
 * set (nrefs; bs, ar, seed, test set... are None for a plain score and left
 * out), then the metric's own fields, version last.
 */

import { pyFixed } from './python-strings';
import type { BleuTokenizer } from './tokenizers';

export const SACREBLEU_VERSION = '2.6.0';

const SMOOTH_WITH_VALUE: Record<string, number | null> = { none: null, floor: 0.1, 'add-k': 1, exp: null };

export function bleuSignature(o: {
  nrefs: number;
  lowercase: boolean;
  effectiveOrder: boolean;
  tokenize: BleuTokenizer;
  smooth: string;
  smoothValue: number | null;
}): string {
  let smooth = o.smooth;
  const def = SMOOTH_WITH_VALUE[o.smooth];
  // A method that takes a value shows it, e.g. floor[0.10] (Python's :.2f).
  if (def !== null && def !== undefined) smooth += `[${pyFixed(o.smoothValue ?? def, 2)}]`;
  return [
    `nrefs:${o.nrefs}`,
    `case:${o.lowercase ? 'lc' : 'mixed'}`,
    `eff:${o.effectiveOrder ? 'yes' : 'no'}`,
    `tok:${o.tokenize}`,
    `smooth:${smooth}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|');
}

export function chrfSignature(o: {
  nrefs: number;
  lowercase: boolean;
  epsSmoothing: boolean;
  charOrder: number;
  wordOrder: number;
  whitespace: boolean;
}): string {
  return [
    `nrefs:${o.nrefs}`,
    `case:${o.lowercase ? 'lc' : 'mixed'}`,
    // "eff" is effective-order averaging, which epsilon smoothing replaces.
    `eff:${o.epsSmoothing ? 'no' : 'yes'}`,
    `nc:${o.charOrder}`,
    `nw:${o.wordOrder}`,
    `space:${o.whitespace ? 'yes' : 'no'}`,
    `version:${SACREBLEU_VERSION}`,
  ].join('|');
}

/** The metric name sacrebleu prints before the signature: BLEU, chrF2, chrF2++. */
export function chrfName(beta: number, wordOrder: number): string {
  return `chrF${beta}${'+'.repeat(wordOrder)}`;
}
