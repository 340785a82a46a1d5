import { useId, useState } from 'react';
import type { LineageAction, PipelineReport } from '../../../../main/api/pipeline-schemas';
import type { StepKind } from '../../../../main/services/pipeline/recipe';
import { ErrorMessage } from '../../components/error-message';
import { formatInt } from '../../format';
import { useCall } from '../../hooks/use-call';
import { stepLabel } from './step-labels';

const PAGE = 50;
const ACTIONS: LineageAction[] = ['removed', 'changed', 'flagged'];

interface LineageBrowserProps {
  datasetId: number;
  report: PipelineReport;
}

/** Every item a step removed, changed or flagged in this version, a page at a time. */
export function LineageBrowser({ datasetId, report }: LineageBrowserProps) {
  const [step, setStep] = useState<StepKind | ''>('');
  const [lang, setLang] = useState('');
  const [action, setAction] = useState<LineageAction | ''>('');
  const [offset, setOffset] = useState(0);
  const id = useId();
  const langs = [...new Set(report.steps.flatMap((s) => s.languages.map((l) => l.lang)))].sort();
  const { data, error, loading } = useCall(
    'datasets:lineage',
    { id: datasetId, step: step || undefined, lang: lang || undefined, action: action || undefined, offset, limit: PAGE },
    [datasetId, step, lang, action, offset],
  );
  const total = data?.total ?? 0;

  function filter<T>(set: (v: T) => void) {
    return (v: T) => {
      set(v);
      setOffset(0);
    };
  }

  return (
    <section className="lineage" aria-labelledby={`${id}-title`}>
      <div className="card-header">
        <h3 id={`${id}-title`}>Lineage</h3>
        <div className="filters" role="group" aria-label="Lineage filters">
          <span className="field-inline">
            <label htmlFor={`${id}-step`}>Step</label>
            <select id={`${id}-step`} value={step} onChange={(e) => filter(setStep)(e.target.value as StepKind | '')}>
              <option value="">All steps</option>
              {report.steps.map((s) => (
                <option key={s.kind} value={s.kind}>
                  {stepLabel(s.kind)}
                </option>
              ))}
            </select>
          </span>
          <span className="field-inline">
            <label htmlFor={`${id}-lang`}>Language</label>
            <select id={`${id}-lang`} value={lang} onChange={(e) => filter(setLang)(e.target.value)}>
              <option value="">All languages</option>
              {langs.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </select>
          </span>
          <span className="field-inline">
            <label htmlFor={`${id}-action`}>Action</label>
            <select id={`${id}-action`} value={action} onChange={(e) => filter(setAction)(e.target.value as LineageAction | '')}>
              <option value="">All actions</option>
              {ACTIONS.map((a) => (
                <option key={a} value={a}>
                  {a}
                </option>
              ))}
            </select>
          </span>
        </div>
      </div>
      <ErrorMessage error={error} prefix="Could not load the lineage:" />
      {data && total === 0 ? <p className="empty">No item was {action || 'removed, changed or flagged'}{step || lang ? ' with these filters' : ''}.</p> : null}
      {data && total > 0 ? (
        <>
          <div className={`table-scroll lineage-scroll${loading ? ' stale' : ''}`}>
            <table className="data-table compact sticky-head" aria-label="Lineage rows">
              <thead>
                <tr>
                  <th scope="col">Item</th>
                  <th scope="col">Language</th>
                  <th scope="col">Step</th>
                  <th scope="col">Action</th>
                  <th scope="col">Reason</th>
                  <th scope="col">Where</th>
                </tr>
              </thead>
              <tbody>
                {data.rows.map((r) => (
                  <tr key={`${r.itemKind}-${r.id}-${r.stepIndex}-${r.code}`}>
                    <td className="nowrap">
                      {r.itemKind} #{r.id}
                    </td>
                    <td>
                      <code>{r.lang}</code>
                    </td>
                    <td className="nowrap">{stepLabel(r.step)}</td>
                    <td>
                      <span className={`badge action-${r.action}`}>{r.action}</span>
                    </td>
                    <td>
                      {r.message} <code className="muted">{r.code}</code>
                    </td>
                    <td className="muted small">{r.ref ?? (r.ordinal !== null ? `#${r.ordinal}` : 'no longer in the corpus')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="block-nav" role="group" aria-label="Lineage pages">
            <button type="button" className="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE))}>
              Previous
            </button>
            <span aria-live="polite">
              Rows {formatInt(offset + 1)}–{formatInt(Math.min(total, offset + PAGE))} of {formatInt(total)}
            </span>
            <button type="button" className="button" disabled={offset + PAGE >= total} onClick={() => setOffset(offset + PAGE)}>
              Next
            </button>
          </div>
        </>
      ) : null}
      {!data && loading ? <p className="muted">Loading…</p> : null}
    </section>
  );
}
