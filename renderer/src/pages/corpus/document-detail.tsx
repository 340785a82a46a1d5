import { ErrorMessage } from '../../components/error-message';
import { Modal } from '../../components/modal';
import { useCall } from '../../hooks/use-call';
import { langAttr } from '../../languages';
import { LangLabel } from './lang-label';

interface DocumentDetailProps {
  id: number | null;
  onClose: () => void;
}

/** One document in full: text, where it came from, its metadata, and its aligned translations. */
export function DocumentDetail({ id, onClose }: DocumentDetailProps) {
  const { data, error, loading } = useCall('corpus:document', id === null ? null : { id }, [id]);
  const doc = data && data.id === id ? data : undefined;

  return (
    <Modal open={id !== null} title="Document" onClose={onClose} variant="drawer">
      <ErrorMessage error={error} prefix="Could not open the document:" />
      {loading && !doc ? <p className="muted">Loading…</p> : null}
      {doc ? (
        <div className="document-detail">
          <dl className="facts">
            <dt>Language</dt>
            <dd>
              <LangLabel code={doc.lang} />
            </dd>
            <dt>Source</dt>
            <dd>{doc.sourceName}</dd>
            <dt>Reference</dt>
            <dd>{doc.ref ?? <span className="muted">—</span>}</dd>
            <dt>Role</dt>
            <dd>{doc.role}</dd>
            <dt>Position</dt>
            <dd>#{doc.ordinal}</dd>
          </dl>
          <h3>Text</h3>
          <p className="document-text" dir={doc.direction} lang={langAttr(doc.lang)}>
            {doc.text}
          </p>
          {doc.aligned.length > 0 ? (
            <>
              <h3>Aligned texts</h3>
              <ul className="aligned">
                {doc.aligned.map((a, i) => (
                  <li key={`${a.lang}-${i}`}>
                    <span className="aligned-lang">
                      <LangLabel code={a.lang} />
                    </span>
                    <p dir={a.direction} lang={langAttr(a.lang)}>
                      {a.text}
                    </p>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
          <h3>Metadata</h3>
          {doc.meta && Object.keys(doc.meta).length > 0 ? (
            <pre className="meta">{JSON.stringify(doc.meta, null, 2)}</pre>
          ) : (
            <p className="muted">None.</p>
          )}
        </div>
      ) : null}
    </Modal>
  );
}
