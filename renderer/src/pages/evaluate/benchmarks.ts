import type { Benchmark, Metric } from '../../../../main/api/eval-schemas';
import { MARCO_HIGH_RESOURCE } from '../../../../main/services/pipeline/presets';

/** The benchmarks in the order the page lists them, with what a linguist calls them. */
export const BENCHMARKS: ReadonlyArray<{ id: Benchmark; label: string; what: string }> = [
  { id: 'flores', label: 'Flores-200', what: 'translation between every two chosen languages, BLEU and chrF++' },
  { id: 'belebele', label: 'Belebele', what: 'reading comprehension, multiple choice (1-shot)' },
  { id: 'xcopa', label: 'XCOPA', what: 'causal commonsense, multiple choice (5-shot)' },
  { id: 'mmmlu', label: 'MMMLU', what: 'knowledge questions, multiple choice (5-shot)' },
  { id: 'heldout-pairs', label: 'Held-out pairs', what: "the dataset version's own held-out parallel pairs, both directions" },
  { id: 'heldout-bpc', label: 'Held-out bits per character', what: "the dataset version's held-out text, per language (lower is better)" },
];

export function benchmarkLabel(id: Benchmark): string {
  return BENCHMARKS.find((b) => b.id === id)?.label ?? id;
}

const METRIC_LABELS: Record<Metric, string> = {
  bleu: 'BLEU',
  chrf: 'chrF',
  'chrf++': 'chrF++',
  acc: 'accuracy',
  acc_norm: 'accuracy (length-normalised)',
  bpc: 'bits per character',
};

export function metricLabel(m: Metric): string {
  return METRIC_LABELS[m];
}

/** "Flores-200 · chrF++"; a benchmark that is its own metric (held-out bits per character) is named once. */
export function groupTitle(b: Benchmark, m: Metric): string {
  return b === 'heldout-bpc' && m === 'bpc' ? benchmarkLabel(b) : `${benchmarkLabel(b)} · ${metricLabel(m)}`;
}

/** An axis tick: three significant digits at most, accuracy with its percent sign. */
export function formatAxis(m: Metric, v: number): string {
  const n = String(Number(v.toPrecision(3)));
  return m === 'acc' || m === 'acc_norm' ? `${n}%` : n;
}

/** Bits per character is a loss: a drop is the gain. Every other metric grows with quality. */
export function higherIsBetter(m: Metric): boolean {
  return m !== 'bpc';
}

/**
 * The delta that reads as "large" for a metric, where the colour saturates.
 * BLEU, chrF and accuracy are all on 0-100 as stored (main/services/eval/score-run.ts),
 * where 5 points is a large change; bits per character is on a scale where
 * 0.1 is already a clear shift.
 */
export function deltaSaturation(m: Metric): number {
  return m === 'bpc' ? 0.1 : 5;
}

/** A score as people read it: accuracy as a percentage, bpc with 3 decimals, BLEU/chrF with 1. */
export function formatScore(m: Metric, v: number): string {
  if (m === 'acc' || m === 'acc_norm') return `${v.toFixed(1)}%`;
  if (m === 'bpc') return v.toFixed(3);
  return v.toFixed(1);
}

/** A difference in the metric's own unit, always signed ("+2.3", "−0.8 pts" for accuracy). */
export function formatDelta(m: Metric, v: number): string {
  const sign = v > 0 ? '+' : v < 0 ? '−' : '±';
  const a = Math.abs(v);
  if (m === 'acc' || m === 'acc_norm') return `${sign}${a.toFixed(1)} pts`;
  if (m === 'bpc') return `${sign}${a.toFixed(3)}`;
  return `${sign}${a.toFixed(1)}`;
}

/**
 * Corpus source formats that hold a benchmark: what the user has imported
 * decides which benchmarks can run (held-out data comes from dataset versions).
 */
export const SOURCE_BENCHMARK: Partial<Record<string, Benchmark>> = {
  flores: 'flores',
  belebele: 'belebele',
  xcopa: 'xcopa',
  mmmlu: 'mmmlu',
};

/**
 * The languages a Marco-style mixture replays (English, Chinese, the other
 * high-resource ones): a drop on these is forgetting, a gain elsewhere is what
 * the training was for. Matched on the ISO 639-3 part, so `arb_Arab` and a
 * bare `arb` agree.
 */
const REPLAY = new Set(['eng', 'zho', 'cmn', 'yue', ...MARCO_HIGH_RESOURCE.map((c) => c.split('_')[0]!)]);

export function isReplayLanguage(code: string): boolean {
  return REPLAY.has(code.split('_')[0]!.toLowerCase());
}

/** Flores and held-out pair subsets are directions `src-tgt` (codes use `_`, never `-`). */
export function splitDirection(subset: string): [string, string] | null {
  const parts = subset.split('-');
  return parts.length === 2 && parts[0] && parts[1] ? [parts[0], parts[1]] : null;
}

/** A language is replay when it is; a direction when both of its ends are (a forgetting signal, not a gain). */
export function isReplaySubset(subset: string): boolean {
  const dir = splitDirection(subset);
  return dir ? isReplayLanguage(dir[0]) && isReplayLanguage(dir[1]) : isReplayLanguage(subset);
}
