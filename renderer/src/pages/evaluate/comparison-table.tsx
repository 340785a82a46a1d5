import type { ReactNode } from 'react';
import type { EvalScore } from '../../../../main/api/eval-schemas';
import { deltaSaturation, formatDelta, formatScore, groupTitle, higherIsBetter } from './benchmarks';
import { deltaColor, textOn } from './color-scale';
import { describeScore, verdict } from './describe';
import type { ModelColumn, PivotGroup } from './results-pivot';
import { SubsetLabel } from './subset-label';

const MARK = { gain: '▲', loss: '▼' } as const;

function ScoreCell({ s, baseLabel, onOpen }: { s: EvalScore; baseLabel: string | null; onOpen: (s: EvalScore) => void }) {
  const v = verdict(s);
  const bg = s.delta ? deltaColor(s.delta.value, deltaSaturation(s.metric), higherIsBetter(s.metric)) : undefined;
  const description = describeScore(s, baseLabel);
  return (
    <td className="num score-cell" style={bg ? { background: bg, color: textOn(bg) } : undefined} data-verdict={v ?? 'reference'}>
      <button type="button" className="cell-button" title={`${description}\n${s.signature}`} aria-label={`${description}. Open the items.`} onClick={() => onOpen(s)}>
        <span className="score tabular">{formatScore(s.metric, s.score)}</span>
        {s.delta ? (
          <span className="delta tabular">
            {formatDelta(s.metric, s.delta.value)}
            {v === 'gain' || v === 'loss' ? <span className="sig" aria-hidden="true">{MARK[v]}</span> : null}
          </span>
        ) : null}
      </button>
    </td>
  );
}

function ColumnHead({ c }: { c: ModelColumn }) {
  return (
    <th scope="col" className="num model-col" title={c.key}>
      <span className="model-name">{c.isBase ? c.label : c.label.replace(/ · step \d+$/, '')}</span>
      <span className="model-step">{c.isBase ? <span className="badge">base</span> : `step ${c.step}`}</span>
    </th>
  );
}

/**
 * One benchmark × metric: a row per language or direction, a column per
 * model; each trained model's cell coloured by its change against its base
 * (green gain, red loss, deeper with size) and marked ▲/▼ when the 95%
 * paired-bootstrap interval excludes 0.
 */
export function ComparisonTable({ group, runLabels, onOpen }: { group: PivotGroup; runLabels: ReadonlyMap<number, string>; onOpen: (s: EvalScore) => void }) {
  const title = groupTitle(group.benchmark, group.metric);
  const firstReplay = group.rows.findIndex((r) => r.replay);
  const span = group.columns.length + 1;
  return (
    <div className="table-scroll comparison">
      <table className="data-table compact comparison-table" aria-label={title}>
        <caption>
          {title}
          {higherIsBetter(group.metric) ? null : <span className="muted small"> (lower is better)</span>}
        </caption>
        <thead>
          <tr>
            <th scope="col">{group.rows.some((r) => r.subset.includes('-')) ? 'Direction' : 'Language'}</th>
            {group.columns.map((c) => (
              <ColumnHead key={c.key} c={c} />
            ))}
          </tr>
        </thead>
        <tbody>
          {group.rows.map((r, i) => (
            <FragmentRow key={r.subset} separator={i === firstReplay && firstReplay > 0} span={span}>
              <tr className={r.replay ? 'replay-row' : undefined}>
                <th scope="row">
                  <SubsetLabel subset={r.subset} />
                </th>
                {group.columns.map((c) => {
                  const s = r.cells.get(c.key);
                  return s ? (
                    <ScoreCell key={c.key} s={s} baseLabel={s.delta ? runLabels.get(s.delta.baseRunId) ?? null : null} onOpen={onOpen} />
                  ) : (
                    <td key={c.key} className="num muted" title="Not evaluated on this subset">
                      —
                    </td>
                  );
                })}
              </tr>
            </FragmentRow>
          ))}
        </tbody>
        {group.mean.size ? (
          <tfoot>
            <tr>
              <th scope="row">Mean of {group.rows.length}</th>
              {group.columns.map((c) => {
                const m = group.mean.get(c.key);
                if (!m) return <td key={c.key} className="num muted" title="Not scored on every row">—</td>;
                const bg = m.delta !== null ? deltaColor(m.delta, deltaSaturation(group.metric), higherIsBetter(group.metric)) : undefined;
                return (
                  <td key={c.key} className="num score-cell mean-cell" style={bg ? { background: bg, color: textOn(bg) } : undefined}>
                    <span className="score tabular">{formatScore(group.metric, m.score)}</span>
                    {m.delta !== null ? <span className="delta tabular">{formatDelta(group.metric, m.delta)}</span> : null}
                  </td>
                );
              })}
            </tr>
          </tfoot>
        ) : null}
      </table>
    </div>
  );
}

/** A row, preceded by the heading of the replay block where it starts. */
function FragmentRow({ separator, span, children }: { separator: boolean; span: number; children: ReactNode }) {
  return (
    <>
      {separator ? (
        <tr className="group-row">
          <th scope="rowgroup" colSpan={span}>
            Replay languages: kept in the training mix to prevent forgetting; a red cell here is forgetting
          </th>
        </tr>
      ) : null}
      {children}
    </>
  );
}
