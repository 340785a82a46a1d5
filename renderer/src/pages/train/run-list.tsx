import type { JobInfo } from '../../../../main/api/train-schemas';
import { formatDate } from '../../format';
import { RunStatus } from './run-status';

const num = (v: unknown, d = 3) => (typeof v === 'number' ? v.toFixed(d) : '—');

/** Every run, newest first: its state, when, and its final numbers. */
export function RunList({ jobs, selected, onSelect }: { jobs: readonly JobInfo[]; selected: number | null; onSelect: (id: number) => void }) {
  if (!jobs.length) return <p className="empty">No training runs yet. Choose a base model and a dataset above, then Start.</p>;
  return (
    <div className="table-scroll">
      <table className="data-table compact run-list">
        <caption className="visually-hidden">Training runs</caption>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Run</th>
            <th scope="col">State</th>
            <th scope="col">Started</th>
            <th scope="col" className="num">
              Steps
            </th>
            <th scope="col" className="num">
              Loss
            </th>
            <th scope="col" className="num">
              Held-out loss
            </th>
          </tr>
        </thead>
        <tbody>
          {jobs.map((j) => (
            <tr key={j.id} aria-selected={j.id === selected} className={j.id === selected ? 'selected' : undefined}>
              <td className="num">{j.id}</td>
              <th scope="row">
                <button type="button" className="link-button" onClick={() => onSelect(j.id)} aria-current={j.id === selected ? 'true' : undefined}>
                  {j.name}
                </button>
              </th>
              <td>
                <RunStatus job={j} />
              </td>
              <td className="nowrap">{j.startedAt ? formatDate(j.startedAt) : '—'}</td>
              <td className="num tabular">{typeof j.summary?.step === 'number' ? j.summary.step : j.live?.step ?? '—'}</td>
              <td className="num tabular">{num(j.summary?.loss)}</td>
              <td className="num tabular">{num(j.summary?.evalLoss)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
