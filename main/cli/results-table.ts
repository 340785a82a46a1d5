/**
 * The comparison table of `langbridge results` (and of `eval --follow`):
 * one block per benchmark and metric, rows = languages or directions,
 * columns = models (the reference first), each cell the score and, beside a
 * compared model's score, its difference from the reference with `*` when
 * the 95% paired-bootstrap interval excludes 0.
 */
import type { EvalResults, EvalScore } from '../api/eval-schemas';
import { table } from './format-table';

const LOWER_IS_BETTER = new Set(['bpc']);

function cell(s: EvalScore | undefined): string {
  if (!s) return '—';
  const digits = s.metric === 'bpc' ? 3 : 1;
  const score = s.score.toFixed(digits);
  if (!s.delta) return score;
  const d = s.delta.value;
  const sign = d > 0 ? '+' : d < 0 ? '−' : '±';
  // The mark says whether the change is real, the arrow whether it is good.
  const better = LOWER_IS_BETTER.has(s.metric) ? d < 0 : d > 0;
  const mark = s.delta.significant ? (better ? '*▲' : '*▼') : '';
  return `${score} (${sign}${Math.abs(d).toFixed(digits)}${mark})`;
}

export function resultsTables(r: EvalResults): string {
  if (!r.scores.length) return 'No evaluation results yet: `langbridge eval --model REF --benchmarks ...` computes some.';
  const runs = r.runs.filter((x) => r.scores.some((s) => s.runId === x.id));
  const columnLabel = (id: number) => {
    const run = runs.find((x) => x.id === id)!;
    return `${run.modelLabel}${run.isBase ? ' (ref)' : ''} #${run.id}`;
  };
  const blocks: string[] = [];
  const keys = [...new Set(r.scores.map((s) => `${s.benchmark}\u0000${s.metric}`))];
  for (const key of keys) {
    const [benchmark, metric] = key.split('\u0000') as [string, string];
    const scores = r.scores.filter((s) => s.benchmark === benchmark && s.metric === metric);
    const cols = runs.filter((x) => scores.some((s) => s.runId === x.id)).map((x) => x.id);
    const subsets = [...new Set(scores.map((s) => s.subset))].sort();
    const rows = subsets.map((subset) => [subset, ...cols.map((id) => cell(scores.find((s) => s.runId === id && s.subset === subset)))]);
    const n = scores[0]!.n;
    blocks.push(`${benchmark} · ${metric}${LOWER_IS_BETTER.has(metric) ? ' (lower is better)' : ''} · ${n} items per row\n` + table(['', ...cols.map(columnLabel)], rows, [false, ...cols.map(() => true)]));
  }
  blocks.push('(+x) difference from the reference model on the same items; * the 95% paired-bootstrap interval (1000 resamples) excludes 0; ▲ better, ▼ worse.');
  return blocks.join('\n\n');
}
