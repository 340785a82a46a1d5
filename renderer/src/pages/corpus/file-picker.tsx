import { useRef } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { formatBytes } from '../../format';
import type { ChosenFile } from './use-chosen-files';

interface FilePickerProps {
  id: string;
  label: string;
  chosen: ChosenFile | null;
  onChoose: (file: File | null) => void;
  onCancel: () => void;
}

/**
 * A file chooser that shows the file the dialog holds (also one dropped on it,
 * which a native file input cannot show), the upload's progress (browser
 * transport) and any error.
 */
export function FilePicker({ id, label, chosen, onChoose, onCancel }: FilePickerProps) {
  const input = useRef<HTMLInputElement>(null);
  const uploading = chosen !== null && chosen.path === null && !chosen.error;
  return (
    <div className="field file-field">
      <span className="field-label" id={`${id}-label`}>
        {label}
      </span>
      <div className="file-row">
        <button type="button" className="button" aria-describedby={`${id}-label`} onClick={() => input.current?.click()}>
          {chosen ? 'Choose another file…' : 'Choose a file…'}
        </button>
        {chosen ? (
          <span>
            <strong>{chosen.file.name}</strong> <span className="muted">· {formatBytes(chosen.file.size)}</span>
          </span>
        ) : (
          <span className="muted">No file chosen. You can also drop one on this dialog.</span>
        )}
      </div>
      <input
        ref={input}
        id={id}
        type="file"
        className="visually-hidden"
        tabIndex={-1}
        aria-label={label}
        onChange={(e) => {
          onChoose(e.target.files?.[0] ?? null);
          // Cleared, so that choosing the same file again (after editing it) is seen as a change.
          e.target.value = '';
        }}
      />
      {uploading ? (
        <div className="job-progress">
          <ProgressBar
            fraction={chosen.file.size > 0 ? chosen.uploaded / chosen.file.size : null}
            label={`Uploading ${chosen.file.name}`}
            detail={`${formatBytes(chosen.uploaded)} of ${formatBytes(chosen.file.size)}`}
          />
          <button type="button" className="button" onClick={onCancel}>
            Cancel
          </button>
        </div>
      ) : null}
      {chosen?.error ? <ErrorMessage error={chosen.error} /> : null}
    </div>
  );
}
