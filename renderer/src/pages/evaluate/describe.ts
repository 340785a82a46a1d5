import type { EvalScore } from '../../../../main/api/eval-schemas';
import { formatDelta, formatScore, higherIsBetter, metricLabel } from './benchmarks';

export type Verdict = 'gain' | 'loss' | 'same' | null;

/** Whether a delta is a significant gain or loss (bits per character: lower is the gain), or within noise. */
export function verdict(s: EvalScore): Verdict {
  if (!s.delta) return null;
  if (!s.delta.significant) return 'same';
  const better = higherIsBetter(s.metric) ? s.delta.value > 0 : s.delta.value < 0;
  return better ? 'gain' : 'loss';
}

/** The cell's whole story in a sentence, for its tooltip and its accessible name. */
export function describeScore(s: EvalScore, baseLabel: string | null): string {
  const parts = [`${metricLabel(s.metric)} ${formatScore(s.metric, s.score)} on ${s.n} ${s.n === 1 ? 'item' : 'items'} (${s.modelLabel})`];
  if (s.delta) {
    const v = verdict(s);
    const what = v === 'gain' ? 'a significant gain' : v === 'loss' ? 'a significant loss' : 'not significant: the interval includes 0';
    parts.push(
      `change vs ${baseLabel ?? `run ${s.delta.baseRunId}`}: ${formatDelta(s.metric, s.delta.value)}, 95% interval ${formatDelta(s.metric, s.delta.low)} to ${formatDelta(s.metric, s.delta.high)} (${what})`,
    );
  }
  return parts.join('; ');
}
