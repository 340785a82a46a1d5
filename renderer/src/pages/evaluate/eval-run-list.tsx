import type { EvalRunInfo } from '../../../../main/api/eval-schemas';
import { client } from '../../api/client';
import { ConfirmDeleteButton } from '../../components/confirm-delete-button';
import { formatDate } from '../../format';
import { benchmarkLabel } from './benchmarks';

const TONE: Record<EvalRunInfo['status'], string> = {
  queued: '',
  running: 'badge-accent',
  succeeded: 'badge-ok',
  failed: 'badge-danger',
  cancelled: 'badge-warn',
  interrupted: 'badge-warn',
};

/** Every stored evaluation run (a model on a set of items), newest first, with Delete. */
export function EvalRunList({ runs, onDeleted }: { runs: readonly EvalRunInfo[]; onDeleted: () => void }) {
  if (!runs.length) return <p className="empty">No evaluation runs yet.</p>;
  const sorted = [...runs].sort((a, b) => b.id - a.id);
  return (
    <div className="table-scroll">
      <table className="data-table compact">
        <caption className="visually-hidden">Evaluation runs</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Model</th>
            <th scope="col">Benchmarks</th>
            <th scope="col">State</th>
            <th scope="col">When</th>
            <th scope="col">Job</th>
            <th scope="col">
              <span className="visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {sorted.map((r) => (
            <tr key={r.id}>
              <td className="num">{r.id}</td>
              <th scope="row">
                {r.modelLabel} {r.isBase ? <span className="badge">base</span> : null}
                <code className="muted small block">{r.modelRef}</code>
              </th>
              <td>{r.benchmarks.map(benchmarkLabel).join(', ')}</td>
              <td>
                <span className={`badge ${TONE[r.status]}`}>{r.status}</span>
              </td>
              <td className="nowrap">{formatDate(r.createdAt)}</td>
              <td>{r.jobId !== null ? `#${r.jobId}` : '—'}</td>
              <td className="actions">
                <ConfirmDeleteButton
                  what={`evaluation run ${r.id}`}
                  ariaLabel={`Delete evaluation run ${r.id}`}
                  question={`Delete the scores and item outputs of run ${r.id} (${r.modelLabel})?`}
                  action={() => client.call('eval:delete-run', { id: r.id })}
                  onDone={onDeleted}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
