import type { DatasetSummary } from '../../../../main/api/pipeline-schemas';
import { formatBytes, formatCompact, formatDate, formatInt } from '../../format';

interface DatasetListProps {
  datasets: readonly DatasetSummary[];
  selected: number | null;
  onSelect: (id: number) => void;
}

/** The workspace's dataset versions, newest first as the services list them. */
export function DatasetList({ datasets, selected, onSelect }: DatasetListProps) {
  return (
    <div className="table-scroll datasets-scroll">
      <table className="data-table sticky-head" aria-label="Dataset versions">
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Recipe</th>
            <th scope="col">Created</th>
            <th scope="col">Stages</th>
            <th scope="col" className="num">Records</th>
            <th scope="col" className="num">Tokens</th>
            <th scope="col" className="num">Held out</th>
            <th scope="col" className="num">Size</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr key={d.id} className={d.id === selected ? 'selected' : undefined} data-dataset-id={d.id}>
              <th scope="row">
                <button type="button" className="link-button" aria-label={`Open ${d.name}`} aria-pressed={d.id === selected} onClick={() => onSelect(d.id)}>
                  {d.name}
                </button>
              </th>
              <td>{d.recipeName}</td>
              <td className="nowrap">{formatDate(d.createdAt)}</td>
              <td className="small">
                {d.stages.map((s) => (
                  <span key={s.name} className="stage-chip">
                    {s.name}: {formatInt(s.records)}
                  </span>
                ))}
              </td>
              <td className="num" data-field="records">{formatInt(d.records)}</td>
              <td className="num">≈{formatCompact(d.tokens)}</td>
              <td className="num">{formatInt(d.heldOutDocuments)}</td>
              <td className="num">{formatBytes(d.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
