import type { ExportInfo } from '../../../../main/api/model-schemas';
import { client } from '../../api/client';
import { ConfirmDeleteButton } from '../../components/confirm-delete-button';
import { formatBytes, formatDate, formatInt } from '../../format';
import { MarkdownView } from './markdown-view';

const FORMAT_NAMES = { hf: 'Hugging Face', onnx: 'ONNX', gguf: 'GGUF' } as const;

function ExportItem({ e, onDeleted }: { e: ExportInfo; onDeleted: () => void }) {
  const failed = e.checks.filter((c) => !c.ok);
  if (e.status === 'exporting') {
    // Started elsewhere (another window, the CLI) and still being written: its files and checks come at its end.
    return (
      <li className="export-item" aria-label={`Export #${e.id}`}>
        <strong>{e.modelLabel}</strong> <span className="badge">{FORMAT_NAMES[e.format]}</span> <span className="muted small">being written to <code>{e.path}</code>…</span>
      </li>
    );
  }
  return (
    <li className="export-item" aria-label={`Export #${e.id}`}>
      <div className="export-head">
        <div>
          <strong>{e.modelLabel}</strong> <span className="badge">{FORMAT_NAMES[e.format]}</span> <span className="muted small">{e.variant.split(',').join(' · ')}</span>
          <div className="muted small">
            #{e.id} · {formatBytes(e.bytes)} · {formatDate(e.createdAt)} · <code>{e.path}</code>
            {e.exists ? null : <strong className="danger-text"> · folder missing</strong>}
          </div>
          {e.checks.length ? (
            <div className={`small ${failed.length ? 'danger-text' : 'ok'}`}>
              {failed.length ? `${failed.length} of ${e.checks.length} checks failed: ${failed.map((c) => c.detail).join(' ')}` : `${e.checks.length === 1 ? 'The check' : `All ${e.checks.length} checks`} passed (${[...new Set(e.checks.map((c) => c.check))].join(', ')})`}
            </div>
          ) : null}
        </div>
        <ConfirmDeleteButton
          what={`export #${e.id}`}
          ariaLabel={`Delete export #${e.id}`}
          question={e.managed ? <>Delete this export and its folder?</> : <>Forget this export? Its folder is outside the workspace and stays on disk.</>}
          action={() => client.call('models:delete-export', { id: e.id })}
          onDone={onDeleted}
        />
      </div>
      <details>
        <summary>Files and checksums ({e.files.length})</summary>
        <div className="table-scroll">
          <table className="data-table compact export-files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col" className="num">Bytes</th>
                <th scope="col">sha256</th>
              </tr>
            </thead>
            <tbody>
              {e.files.map((f) => (
                <tr key={f.path}>
                  <td>
                    <code>{f.path}</code>
                  </td>
                  <td className="num">{formatInt(f.bytes)}</td>
                  <td>
                    <code className="sha">{f.sha256}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
      {e.card ? (
        <details>
          <summary>Model card (README.md)</summary>
          <MarkdownView text={e.card} />
        </details>
      ) : null}
    </li>
  );
}

/** Every export, newest first, with its files, sizes, checksums and model card. */
export function ExportList({ exports, onChanged }: { exports: ExportInfo[]; onChanged: () => void }) {
  if (!exports.length) return <p className="empty">No exports yet. Choose a model above and export it.</p>;
  return (
    <ul className="export-list">
      {exports.map((e) => (
        <ExportItem key={e.id} e={e} onDeleted={onChanged} />
      ))}
    </ul>
  );
}
