import { useMemo, useState } from 'react';
import type { Benchmark, EvalResults, EvalScore } from '../../../../main/api/eval-schemas';
import { BENCHMARKS } from './benchmarks';
import { CheckpointCharts } from './checkpoint-charts';
import { ComparisonTable } from './comparison-table';
import { FloresHeatmap } from './flores-heatmap';
import { ItemDrilldown } from './item-drilldown';
import { modelColumns, latestScores, pivotScores } from './results-pivot';

/** The stored results: a tab per benchmark with its comparison tables, the Flores heatmap, the checkpoint charts; a click opens the items. */
export function ResultsSection({ results }: { results: EvalResults }) {
  const { runs, scores } = results;
  const groups = useMemo(() => pivotScores(scores, runs), [scores, runs]);
  const columns = useMemo(() => modelColumns(latestScores(scores), runs), [scores, runs]);
  const runLabels = useMemo(() => new Map(runs.map((r) => [r.id, r.modelLabel])), [runs]);
  const benchmarks = useMemo(() => BENCHMARKS.filter((b) => groups.some((g) => g.benchmark === b.id)), [groups]);
  const [picked, setTab] = useState<Benchmark | null>(null);
  const tab = benchmarks.some((b) => b.id === picked) ? picked : (benchmarks[0]?.id ?? null);
  const [open, setOpen] = useState<EvalScore | null>(null);

  if (!groups.length) {
    return <p className="empty">No scores yet. Choose models and benchmarks in New evaluation and Start; the comparison appears here as each job ends.</p>;
  }
  const shown = groups.filter((g) => g.benchmark === tab);
  return (
    <>
      <div className="tabs" role="tablist" aria-label="Benchmarks">
        {benchmarks.map((b) => (
          <button key={b.id} type="button" role="tab" id={`eval-tab-${b.id}`} aria-selected={tab === b.id} aria-controls="eval-tab-panel" onClick={() => setTab(b.id)}>
            {b.label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id="eval-tab-panel" aria-labelledby={tab ? `eval-tab-${tab}` : undefined} className="tab-panel">
        <p className="muted small table-legend">
          <span className="swatch-inline gain" /> gain over the base model, <span className="swatch-inline loss" /> loss, deeper with size; ▲/▼ when the 95% paired-bootstrap interval excludes 0. Hover
          a cell for its interval and sacreBLEU signature; click it for the items.
        </p>
        <div className="comparison-tables">
          {shown.map((g) => (
            <ComparisonTable key={`${g.benchmark}-${g.metric}`} group={g} runLabels={runLabels} onOpen={setOpen} />
          ))}
        </div>
        {tab === 'flores' ? <FloresHeatmap scores={scores} columns={columns} runLabels={runLabels} onOpen={setOpen} /> : null}
        <CheckpointCharts groups={shown} scores={scores} runs={runs} />
      </div>
      <ItemDrilldown score={open} compareLabel={open?.delta ? (runLabels.get(open.delta.baseRunId) ?? null) : null} onClose={() => setOpen(null)} />
    </>
  );
}
