import type { Source } from '../../../../main/api/schemas';
import { ErrorMessage } from '../../components/error-message';
import { formatBytes, formatDate, formatInt } from '../../format';
import { useCall } from '../../hooks/use-call';
import { useCorpus } from './corpus-context';
import { DeleteSourceButton } from './delete-source-button';
import { LangChip } from './lang-label';

function SourceRow({ source }: { source: Source }) {
  return (
    <tr>
      <th scope="row" className="source-name">
        <span title={source.originalPath}>{source.name}</span>
        <span className="muted small">
          {[source.sizeBytes > 0 ? formatBytes(source.sizeBytes) : null, source.status !== 'ready' ? source.status : null]
            .filter(Boolean)
            .join(' · ')}
        </span>
      </th>
      <td>
        <span className="badge">{source.format}</span>
      </td>
      <td className="source-langs">
        {source.languages.map((code) => (
          <LangChip key={code} code={code} />
        ))}
      </td>
      <td className="num">{formatInt(source.documents)}</td>
      <td className="num">{formatInt(source.pairs)}</td>
      <td className="source-license" title={source.license ?? undefined}>
        {source.license || <span className="muted">—</span>}
      </td>
      <td className="nowrap">{formatDate(source.importedAt)}</td>
      <td className="actions">
        <DeleteSourceButton source={source} />
      </td>
    </tr>
  );
}

export function SourcesList() {
  const { version } = useCorpus();
  const { data, error, loading } = useCall('corpus:sources', {}, [version]);

  return (
    <section className="card" aria-labelledby="sources-title">
      <div className="card-header">
        <h2 id="sources-title">Sources</h2>
        {data && data.length > 0 ? <span className="muted small">{data.length}</span> : null}
        {loading && data ? <span className="muted small">Refreshing…</span> : null}
      </div>
      <ErrorMessage error={error} prefix="Could not list the sources:" />
      {!data && loading ? <p className="muted">Loading…</p> : null}
      {data && data.length === 0 ? (
        <p className="empty">No sources yet. Import a file with “Import…”, drop one on this page, or add the sample corpus.</p>
      ) : null}
      {data && data.length > 0 ? (
        <div className="table-scroll sources-scroll">
          <table className="data-table sticky-head">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Format</th>
                <th scope="col">Languages</th>
                <th scope="col" className="num">Documents</th>
                <th scope="col" className="num">Pairs</th>
                <th scope="col">License</th>
                <th scope="col">Imported</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {data.map((s) => (
                <SourceRow key={s.id} source={s} />
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </section>
  );
}
