import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';
import { DatasetDetail } from './dataset-detail';
import { DatasetList } from './dataset-list';

/** The dataset versions in this workspace; one opened below the list. */
export function DatasetsSection() {
  const [version, setVersion] = useState(0);
  const [selected, setSelected] = useState<number | null>(null);
  // A run finished or a version was deleted, here, in another window or from the CLI.
  useEvent('datasets:changed', () => setVersion((v) => v + 1));
  const { data, error, loading } = useCall('datasets:list', {}, [version]);
  const open = selected !== null && data?.some((d) => d.id === selected) ? selected : null;

  return (
    <section className="card" aria-labelledby="datasets-title">
      <div className="card-header">
        <h2 id="datasets-title">Dataset versions</h2>
        {data && data.length > 0 ? <span className="muted small">{data.length}</span> : null}
        {loading && data ? <span className="muted small">Refreshing…</span> : null}
      </div>
      <ErrorMessage error={error} prefix="Could not list the dataset versions:" />
      {!data && loading ? <p className="muted">Loading…</p> : null}
      {data && data.length === 0 ? <p className="empty">No dataset versions yet: run the pipeline to build one.</p> : null}
      {data && data.length > 0 ? <DatasetList datasets={data} selected={open} onSelect={(id) => setSelected(id === open ? null : id)} /> : null}
      {open !== null ? (
        <DatasetDetail
          id={open}
          onDeleted={() => {
            setSelected(null);
            setVersion((v) => v + 1);
          }}
        />
      ) : null}
    </section>
  );
}
