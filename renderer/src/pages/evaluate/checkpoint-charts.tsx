import { useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ReferenceLine, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { EvalRunInfo, EvalScore } from '../../../../main/api/eval-schemas';
import { languageName } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import { formatAxis, formatScore, groupTitle, higherIsBetter, isReplayLanguage } from './benchmarks';
import { checkpointSeries, trainRunsWithCheckpoints, type PivotGroup } from './results-pivot';

const COLORS = ['#2563eb', '#d97706', '#059669', '#dc2626', '#7c3aed', '#0891b2', '#be185d', '#4d7c0f', '#9333ea', '#ea580c', '#0f766e', '#6b7280'];

function SeriesChart({ group, trainJobId, scores, runs }: { group: PivotGroup; trainJobId: number; scores: readonly EvalScore[]; runs: readonly EvalRunInfo[] }) {
  const { languages } = useCorpus();
  const series = useMemo(() => checkpointSeries(scores, trainJobId, runs, group.benchmark, group.metric), [scores, trainJobId, runs, group]);
  if (!series.rows.length) return null;
  const label = (k: string) => `${series.byTarget ? 'into ' : ''}${languageName(k, languages)}${isReplayLanguage(k) ? ' (replay)' : ''}`;
  const title = `${groupTitle(group.benchmark, group.metric)}${series.byTarget ? ', mean over directions into each language' : ''}`;
  const fmt = (v: number) => formatScore(group.metric, v);
  const axis = (v: number) => formatAxis(group.metric, v);
  const single = series.rows.length === 1;
  return (
    <figure className="train-chart" aria-label={`${title} over checkpoints`}>
      <figcaption>
        {title}
        {higherIsBetter(group.metric) ? null : <span className="muted"> (lower is better)</span>}
      </figcaption>
      <ResponsiveContainer width="100%" height={230}>
        <LineChart data={series.rows} margin={{ top: 6, right: 16, bottom: 0, left: 0 }}>
          <CartesianGrid stroke="#e3e6ea" />
          <XAxis dataKey="step" type="number" domain={single ? ['dataMin - 1', 'dataMax + 1'] : ['dataMin', 'dataMax']} ticks={series.rows.map((r) => r.step)} stroke="#6b7280" fontSize={11} allowDecimals={false} />
          <YAxis stroke="#6b7280" fontSize={11} width={52} domain={['auto', 'auto']} tickFormatter={axis} />
          <Tooltip formatter={(v, name) => [fmt(Number(v)), label(String(name))]} labelFormatter={(s) => `step ${String(s)}`} />
          <Legend formatter={(v: string) => label(v)} wrapperStyle={{ fontSize: 12 }} />
          {series.keys.map((k, i) => (
            <Line
              key={k}
              type="linear"
              dataKey={k}
              stroke={COLORS[i % COLORS.length]}
              // Replay languages drawn thinner with hollow dots: forgetting shows as these falling below their dashed base.
              strokeWidth={isReplayLanguage(k) ? 1.2 : 1.8}
              dot={isReplayLanguage(k) ? { r: 3, fill: '#fff' } : { r: 3, fill: COLORS[i % COLORS.length] }}
              isAnimationActive={false}
              connectNulls
            />
          ))}
          {series.keys.map((k, i) =>
            series.base.has(k) ? <ReferenceLine key={`base-${k}`} y={series.base.get(k)} stroke={COLORS[i % COLORS.length]} strokeDasharray="5 4" strokeOpacity={0.8} ifOverflow="extendDomain" /> : null,
          )}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
}

/** Per benchmark, one training run's checkpoints over steps, a line per language, its base model dashed. */
export function CheckpointCharts({ groups, scores, runs }: { groups: readonly PivotGroup[]; scores: readonly EvalScore[]; runs: readonly EvalRunInfo[] }) {
  const trainRuns = useMemo(() => trainRunsWithCheckpoints(scores, runs), [scores, runs]);
  // The newest run until the user picks one.
  const [picked, setTrainJobId] = useState<number | null>(null);
  const run = trainRuns.find((r) => r.trainJobId === picked) ?? trainRuns[0];
  const trainJobId = run?.trainJobId ?? null;
  if (!trainRuns.length || !run) {
    return <p className="muted">No checkpoint of a training run has been evaluated yet: choose checkpoints in New evaluation to follow a run over its steps.</p>;
  }
  return (
    <section aria-labelledby="over-checkpoints-title">
      <div className="card-header">
        <h3 id="over-checkpoints-title">Over checkpoints</h3>
        <div className="field-inline">
          <label htmlFor="series-run">Training run</label>
          <select id="series-run" value={trainJobId ?? ''} onChange={(e) => setTrainJobId(Number(e.target.value))}>
            {trainRuns.map((r) => (
              <option key={r.trainJobId} value={r.trainJobId}>
                #{r.trainJobId} {r.label} · {r.steps.length} {r.steps.length === 1 ? 'checkpoint' : 'checkpoints'}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p className="muted small">Dashed: the base model. Replay (high-resource) languages have hollow dots: a line falling below its dashed base is forgetting.</p>
      <div className="train-charts">
        {groups.map((g) => (
          <SeriesChart key={`${g.benchmark}-${g.metric}`} group={g} trainJobId={run.trainJobId} scores={scores} runs={runs} />
        ))}
      </div>
    </section>
  );
}
