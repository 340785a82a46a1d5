import { useMemo, useState } from 'react';
import type { EvalScore, Metric } from '../../../../main/api/eval-schemas';
import { languageLabel } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';
import { formatDelta, formatScore, isReplayLanguage, metricLabel } from './benchmarks';
import { deltaColor, GAIN, LOSS, niceCeil, SEQUENTIAL, sequentialColor, textOn } from './color-scale';
import { ColorLegend } from './color-legend';
import { describeScore } from './describe';
import { cellKey, directionMatrix, latestScores, type ModelColumn } from './results-pivot';

type Mode = 'score' | 'delta';
const METRICS: readonly Metric[] = ['chrf++', 'bleu'];
/** Red through white to green, for a difference centred on 0. */
const DIVERGING = [...[...LOSS].reverse(), ...GAIN.slice(1)];

/**
 * Flores any-to-any: a source language per row, a target per column, one
 * model at a time; its scores, or its change against the base model. The
 * colour domain is shared by every model, so switching models compares them.
 */
export function FloresHeatmap({ scores, columns, runLabels, onOpen }: { scores: readonly EvalScore[]; columns: readonly ModelColumn[]; runLabels: ReadonlyMap<number, string>; onOpen: (s: EvalScore) => void }) {
  const { languages } = useCorpus();
  const [metric, setMetric] = useState<Metric>('chrf++');
  const [mode, setMode] = useState<Mode>('score');
  const latest = useMemo(() => latestScores(scores).filter((s) => s.benchmark === 'flores' && s.metric === metric), [scores, metric]);
  const models = useMemo(() => columns.filter((c) => latest.some((s) => s.modelRef === c.key)), [columns, latest]);
  // The newest trained model until the user picks one (results arriving later move the default along).
  const [picked, setModel] = useState<string | null>(null);
  const model = models.some((m) => m.key === picked) ? picked : (models.filter((m) => !m.isBase).at(-1)?.key ?? models[0]?.key ?? null);
  const column = models.find((m) => m.key === model) ?? null;
  const matrix = useMemo(() => (model ? directionMatrix(latest, model, 'flores', metric) : null), [latest, model, metric]);

  const max = niceCeil(Math.max(0, ...latest.map((s) => s.score)));
  const deltas = matrix ? [...matrix.cells.values()].map((s) => s.delta?.value).filter((d): d is number => typeof d === 'number') : [];
  const hasDelta = deltas.length > 0;
  const showDelta = mode === 'delta' && hasDelta;
  const deltaMax = niceCeil(Math.max(1, ...deltas.map(Math.abs)));
  const fmt = (v: number) => formatScore(metric, v);
  const fmtDelta = (v: number) => formatDelta(metric, v);

  if (!models.length || !matrix) return null;
  const name = (c: string) => languageLabel(c, languages);
  return (
    <section className="heatmap-card" aria-labelledby="heatmap-title">
      <div className="card-header">
        <h3 id="heatmap-title">Flores any-to-any: {metricLabel(metric)}</h3>
        <div className="field-inline">
          <label htmlFor="heatmap-model">Model</label>
          <select id="heatmap-model" value={model ?? ''} onChange={(e) => setModel(e.target.value)}>
            {models.map((m) => (
              <option key={m.key} value={m.key}>
                {m.label}
                {m.isBase ? ' (base)' : ''}
              </option>
            ))}
          </select>
        </div>
        <span className="toggle-group" role="group" aria-label="Metric">
          {METRICS.map((m) => (
            <button key={m} type="button" aria-pressed={metric === m} onClick={() => setMetric(m)}>
              {metricLabel(m)}
            </button>
          ))}
        </span>
        <span className="toggle-group" role="group" aria-label="Show">
          <button type="button" aria-pressed={!showDelta} onClick={() => setMode('score')}>
            scores
          </button>
          <button type="button" aria-pressed={showDelta} disabled={!hasDelta} title={hasDelta ? undefined : 'A base model has no change to show; pick a trained model.'} onClick={() => setMode('delta')}>
            change vs base
          </button>
        </span>
      </div>
      <div className="table-scroll">
        <table className="heatmap" aria-label={`${metricLabel(metric)} of ${column?.label ?? ''} from each source language (rows) into each target language (columns)${showDelta ? ', as the change against the base model' : ''}`}>
          <thead>
            <tr>
              <th scope="col" className="heatmap-corner">
                <span>source ↓</span> <span>target →</span>
              </th>
              {matrix.langs.map((t) => (
                <th key={t} scope="col" title={name(t)} className={isReplayLanguage(t) ? 'replay' : undefined}>
                  {t}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {matrix.langs.map((src) => (
              <tr key={src}>
                <th scope="row" title={name(src)} className={isReplayLanguage(src) ? 'replay' : undefined}>
                  {src}
                </th>
                {matrix.langs.map((tgt) => {
                  if (src === tgt) return <td key={tgt} className="heatmap-diag" aria-label={`${src} into itself: not a direction`} />;
                  const s = matrix.cells.get(cellKey(src, tgt));
                  if (!s) return <td key={tgt} className="heatmap-missing" aria-label={`${name(src)} → ${name(tgt)}: not evaluated`} title="Not evaluated" />;
                  const value = showDelta ? s.delta?.value ?? null : s.score;
                  const bg = value === null ? '#ffffff' : showDelta ? deltaColor(value, deltaMax) : sequentialColor(value, 0, max);
                  const text = `${name(src)} → ${name(tgt)}: ${describeScore(s, s.delta ? runLabels.get(s.delta.baseRunId) ?? null : null)}`;
                  return (
                    <td key={tgt} style={{ background: bg, color: textOn(bg) }} className={s.delta?.significant ? 'significant' : undefined}>
                      <button type="button" className="cell-button" title={`${text}\n${s.signature}`} aria-label={`${text}. Open the items.`} onClick={() => onOpen(s)}>
                        {value === null ? '—' : showDelta ? fmtDelta(value) : fmt(value)}
                        {showDelta && s.delta?.significant ? <span aria-hidden="true">*</span> : null}
                      </button>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <p className="muted small heatmap-note">
        Rows: the source language; columns: the target. <span className="replay">Purple codes</span> are replay (high-resource) languages. Hover a cell for its interval and signature; click it for
        the items.
      </p>
      {showDelta ? (
        <ColorLegend stops={DIVERGING} min={-deltaMax} max={deltaMax} format={fmtDelta} label={`Change in ${metricLabel(metric)} against the base model (* significant at 95%)`} />
      ) : (
        <ColorLegend stops={SEQUENTIAL} min={0} max={max} format={fmt} label={`${metricLabel(metric)}, the same scale for every model`} />
      )}
    </section>
  );
}
