import { useRef, useState } from 'react';
import type { TranslateFileRequest } from '../../../../main/api/translate-schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { formatBytes } from '../../format';

export interface PickedFile {
  file: File;
  /** Where the services can read it; null while the browser transport uploads it. */
  path: string | null;
}

interface TranslateFileInputProps {
  value: PickedFile | null;
  onChange: (f: PickedFile | null) => void;
  format: TranslateFileRequest['format'];
  onFormat: (f: TranslateFileRequest['format']) => void;
  disabled: boolean;
}

/** A plain-text or USFM file to translate: chosen, turned into a path the services can read (uploaded in the browser), its format. */
export function TranslateFileInput({ value, onChange, format, onFormat, disabled }: TranslateFileInputProps) {
  const input = useRef<HTMLInputElement>(null);
  const [uploaded, setUploaded] = useState(0);
  const [error, setError] = useState<unknown>(null);
  const seq = useRef(0);

  async function choose(file: File | undefined) {
    const id = ++seq.current;
    setError(null);
    if (!file) return onChange(null);
    onChange({ file, path: null });
    setUploaded(0);
    try {
      const path = await client.fileToPath(file, { onProgress: (done) => id === seq.current && setUploaded(done) });
      if (id === seq.current) onChange({ file, path });
    } catch (err) {
      if (id === seq.current) setError(err);
    }
  }

  return (
    <div className="field-row">
      <div className="field file-field">
        <span className="field-label" id="translate-file-label">
          File to translate
        </span>
        <div className="file-row">
          <button type="button" className="button" aria-describedby="translate-file-label" disabled={disabled} onClick={() => input.current?.click()}>
            {value ? 'Choose another file…' : 'Choose a file…'}
          </button>
          {value ? (
            <span>
              <strong>{value.file.name}</strong> <span className="muted">· {formatBytes(value.file.size)}</span>
            </span>
          ) : (
            <span className="muted">Plain text (translated line by line) or USFM (every marker kept).</span>
          )}
        </div>
        <input
          ref={input}
          type="file"
          className="visually-hidden"
          tabIndex={-1}
          aria-label="File to translate"
          accept=".txt,.usfm,.sfm,.SFM,text/plain"
          onChange={(e) => {
            void choose(e.target.files?.[0]);
            e.target.value = '';
          }}
        />
        {value && value.path === null && !error ? (
          <ProgressBar fraction={value.file.size ? uploaded / value.file.size : null} label={`Uploading ${value.file.name}`} detail={`${formatBytes(uploaded)} of ${formatBytes(value.file.size)}`} />
        ) : null}
        <ErrorMessage error={error} />
      </div>
      <div className="field">
        <label htmlFor="translate-format">Format</label>
        <select id="translate-format" value={format} disabled={disabled} onChange={(e) => onFormat(e.target.value as TranslateFileRequest['format'])}>
          <option value="auto">Detect (USFM by .usfm/.sfm or an \id line)</option>
          <option value="text">Plain text</option>
          <option value="usfm">USFM</option>
        </select>
      </div>
    </div>
  );
}
