import { Fragment } from 'react';
import { Modal } from '../../components/modal';
import { ANCHORS } from './review-draft';
import { SHORTCUTS } from './shortcuts';

/** The keyboard shortcuts of the review screen (opened with ?). */
export function ShortcutsHelp({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} title="Keyboard shortcuts" onClose={onClose}>
      <table className="data-table compact shortcuts">
        <tbody>
          {SHORTCUTS.map((s) => (
            <tr key={s.what}>
              <th scope="row">
                {s.keys.map((k, i) => (k === '…' ? <span key={i}> … </span> : <kbd key={i}>{k}</kbd>))}
              </th>
              <td>{s.what}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3>Score anchors</h3>
      <dl className="facts">
        {ANCHORS.map((a) => (
          <Fragment key={a.at}>
            <dt>{a.at}</dt>
            <dd>{a.description}</dd>
          </Fragment>
        ))}
      </dl>
      <p className="muted small">Single-key shortcuts work whenever the caret is not in a text box; Esc leaves a text box.</p>
      <div className="modal-footer">
        <button type="button" className="button primary" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}
