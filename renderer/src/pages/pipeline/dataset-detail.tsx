import type { DatasetSummary } from '../../../../main/api/pipeline-schemas';
import { ErrorMessage } from '../../components/error-message';
import { formatBytes, formatCompact, formatInt } from '../../format';
import { useCall } from '../../hooks/use-call';
import { DatasetManifestView } from './dataset-manifest';
import { DeleteDatasetButton } from './delete-dataset-button';
import { LineageBrowser } from './lineage-browser';
import { StepReportTable } from './step-report-table';

interface DatasetDetailProps {
  id: number;
  onDeleted: () => void;
}

function Figures({ summary }: { summary: DatasetSummary }) {
  return (
    <dl className="summary-figures">
      <div>
        <dt>Records</dt>
        <dd data-testid="dataset-records">{formatInt(summary.records)}</dd>
      </div>
      <div>
        <dt>Tokens</dt>
        <dd>≈{formatCompact(summary.tokens)}</dd>
      </div>
      <div>
        <dt>Held-out documents</dt>
        <dd>{formatInt(summary.heldOutDocuments)}</dd>
      </div>
      <div>
        <dt>Size</dt>
        <dd>{formatBytes(summary.bytes)}</dd>
      </div>
    </dl>
  );
}

/** One dataset version: figures, manifest, what each step did, and the lineage of every item it touched. */
export function DatasetDetail({ id, onDeleted }: DatasetDetailProps) {
  const { data, error, loading } = useCall('datasets:show', { id }, [id]);
  return (
    <section className="dataset-detail" aria-labelledby="dataset-title" aria-busy={loading}>
      <ErrorMessage error={error} prefix="Could not open the dataset:" />
      {!data && loading ? <p className="muted">Loading…</p> : null}
      {data && data.summary.id === id ? (
        <>
          <div className="card-header">
            <h3 id="dataset-title">
              {data.summary.name} <span className="muted small">#{data.summary.id}</span>
            </h3>
            <code className="muted small">{data.summary.folder}</code>
            <DeleteDatasetButton dataset={data.summary} onDeleted={onDeleted} />
          </div>
          <Figures summary={data.summary} />
          <DatasetManifestView manifest={data.manifest} />
          <h4>What each step did</h4>
          <StepReportTable steps={data.report.steps} label={`${data.summary.name} per step`} />
          <LineageBrowser key={id} datasetId={id} report={data.report} />
        </>
      ) : null}
    </section>
  );
}
