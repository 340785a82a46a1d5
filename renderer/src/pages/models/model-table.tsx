import type { ModelListing } from '../../../../main/api/model-schemas';
import { formatCompact } from '../../format';

const kindLabel = (m: ModelListing) => (m.kind === 'base' ? 'Base model' : m.lora ? 'LoRA' : 'Full');

/** Scores as people read them: 0-100 scales with one decimal, fractions with three. */
const score = (x: number) => (Math.abs(x) >= 10 ? x.toFixed(1) : x.toFixed(3));

/** Base models and every checkpoint; choosing one opens its Export form. */
export function ModelTable({ models, selected, onSelect }: { models: ModelListing[]; selected: string | null; onSelect: (ref: string) => void }) {
  if (!models.length) {
    return <p className="empty">No models yet. Create the tiny demo model or download one on the Train page; each training run's checkpoints appear here.</p>;
  }
  return (
    <div className="table-scroll">
      <table className="data-table models-table">
        <thead>
          <tr>
            <th scope="col">Model</th>
            <th scope="col">Kind</th>
            <th scope="col" className="num">Parameters</th>
            <th scope="col" className="num">Step</th>
            <th scope="col">Evaluation</th>
            <th scope="col">Exports</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.ref} className={m.ref === selected ? 'selected' : undefined} aria-selected={m.ref === selected}>
              <th scope="row">
                <span className="model-label">{m.label}</span>
                <code className="muted small">{m.ref}</code>
              </th>
              <td>
                <span className="badge">{kindLabel(m)}</span>
              </td>
              <td className="num">{m.parameters === null ? '—' : formatCompact(m.parameters)}</td>
              <td className="num">{m.step ?? '—'}</td>
              <td className="small">
                {m.evaluation.length ? (
                  <ul className="plain-list">
                    {m.evaluation.map((e) => (
                      <li key={`${e.benchmark}-${e.metric}`}>
                        {e.benchmark} {e.metric} <strong>{score(e.score)}</strong>
                        {e.subsets > 1 ? <span className="muted"> (mean of {e.subsets})</span> : null}
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="muted">not evaluated</span>
                )}
              </td>
              <td className="small">{m.exports.length ? m.exports.map((e) => e.format.toUpperCase()).join(', ') : <span className="muted">none</span>}</td>
              <td className="actions">
                <button type="button" className="button" onClick={() => onSelect(m.ref)} aria-label={`Export ${m.label}`}>
                  Export…
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
