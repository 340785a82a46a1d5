import { useEffect, useRef, useState, type DragEvent } from 'react';
import type { Format, ImportSummary } from '../../../../main/api/schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { Modal } from '../../components/modal';
import { useCall } from '../../hooks/use-call';
import { useJob } from '../../hooks/use-job';
import { useCorpus } from './corpus-context';
import { FilePicker } from './file-picker';
import { CommonFields, FormatFields } from './import-fields';
import { FORMAT_LABELS, buildRequest, emptyForm, type ImportForm } from './import-form';
import { ImportSummaryView } from './import-summary';
import { useChosenFiles, type ChosenFiles } from './use-chosen-files';

interface ImportDialogProps {
  /** Files dropped on the page that opened the dialog. */
  initialFiles: readonly File[];
  onClose: () => void;
}

function hasFiles(e: DragEvent): boolean {
  return e.dataTransfer.types.includes('Files');
}

export function ImportDialog({ initialFiles, onClose }: ImportDialogProps) {
  const { refresh } = useCorpus();
  const files = useChosenFilesWithDefaults(initialFiles);
  const job = useJob<ImportSummary>();
  // Two files dropped together are taken for a Moses pair.
  const [form, setForm] = useState<ImportForm>(() =>
    initialFiles.length > 1 ? { ...emptyForm, format: 'moses', formatChosen: true } : emptyForm,
  );
  const formats = useCall('corpus:formats', {}, []);

  function set<K extends keyof ImportForm>(key: K, value: ImportForm[K]) {
    setForm((f) => ({ ...f, [key]: value, ...(key === 'format' ? { formatChosen: true } : {}) }));
  }

  // Preselect the detected format unless the user has chosen one.
  const detectedFormat = files.detected?.format ?? null;
  useEffect(() => {
    if (detectedFormat) setForm((f) => (f.formatChosen ? f : { ...f, format: detectedFormat }));
  }, [detectedFormat]);

  useEffect(() => {
    if (job.phase === 'done') refresh();
  }, [job.phase, refresh]);

  const effective: Format | null = form.format !== 'auto' ? form.format : detectedFormat;
  const running = job.phase === 'running';
  const editing = job.phase === 'idle' || job.phase === 'failed' || job.phase === 'cancelled';
  const first = files.slots[0];
  const second = files.slots[1];
  const needsSecond = effective === 'moses';

  let blocked: string | null = null;
  if (!first) blocked = 'Choose a file first.';
  else if (files.uploading) blocked = 'Waiting for the upload to finish…';
  else if (first.error || (needsSecond && second?.error)) blocked = 'The file could not be read; choose it again.';
  else if (needsSecond && !second) blocked = 'A Moses pair needs the target-language file too.';

  async function start() {
    const paths = [first, needsSecond ? second : null].flatMap((s) => (s?.path ? [s.path] : []));
    const withName = form.name.trim() || !first ? form : { ...form, name: first.file.name };
    await job.start((jobId) => client.call('corpus:import', buildRequest(withName, effective, paths, jobId)));
  }

  function pick(list: readonly File[]) {
    if (!editing || list.length === 0) return;
    files.choose(0, list[0] ?? null);
    if (list[1]) {
      files.choose(1, list[1]);
      setForm((f) => ({ ...f, format: 'moses', formatChosen: true }));
    }
  }

  function again() {
    job.reset();
    files.clear();
    setForm(emptyForm);
  }

  function close() {
    files.cancelUploads();
    onClose();
  }

  return (
    <Modal open title="Import a corpus file" onClose={close} closable={!running}>
      <div
        className="import-dialog"
        onDragOver={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.stopPropagation();
        }}
        onDrop={(e) => {
          if (!hasFiles(e)) return;
          e.preventDefault();
          e.stopPropagation();
          pick([...e.dataTransfer.files]);
        }}
      >
        {editing ? (
          <>
            <FilePicker
              id="import-file"
              label={needsSecond ? 'Source-language file' : 'File'}
              chosen={first}
              onChoose={(f) => files.choose(0, f)}
              onCancel={files.cancelUploads}
            />
            {needsSecond ? (
              <FilePicker
                id="import-file-2"
                label="Target-language file"
                chosen={second}
                onChoose={(f) => files.choose(1, f)}
                onCancel={files.cancelUploads}
              />
            ) : null}
            <Detection files={files} />
            <div className="field">
              <label htmlFor="import-format">Format</label>
              <select
                id="import-format"
                value={form.format}
                onChange={(e) => set('format', e.target.value as ImportForm['format'])}
              >
                <option value="auto">Detect automatically</option>
                {(formats.data ?? (Object.keys(FORMAT_LABELS) as Format[])).map((f) => (
                  <option key={f} value={f}>
                    {FORMAT_LABELS[f] ?? f}
                  </option>
                ))}
              </select>
              <ErrorMessage error={formats.error} prefix="Could not list the formats:" />
            </div>
            <FormatFields form={form} set={set} format={effective} fields={files.detected?.fields ?? []} />
            <CommonFields form={form} set={set} />
            {job.phase === 'failed' ? <ErrorMessage error={job.error} prefix="The import failed:" /> : null}
            {job.phase === 'cancelled' ? (
              <p className="notice" role="status">
                Import cancelled. Nothing was added to the corpus.
              </p>
            ) : null}
            <footer className="modal-footer">
              {blocked && first ? <span className="muted small">{blocked}</span> : null}
              <button type="button" className="button" onClick={close}>
                Close
              </button>
              <button type="button" className="button primary" onClick={() => void start()} disabled={blocked !== null}>
                Start import
              </button>
            </footer>
          </>
        ) : null}
        {running || job.phase === 'done' ? (
          <>
            <p>
              {job.phase === 'done' ? 'Imported' : 'Importing'} <strong>{first?.file.name}</strong>
              {needsSecond && second ? (
                <>
                  {' '}
                  and <strong>{second.file.name}</strong>
                </>
              ) : null}
            </p>
            <JobProgress
              progress={job.progress}
              finished={job.phase === 'done'}
              onCancel={() => void job.cancel()}
              cancelling={job.cancelling}
            />
            {running && job.error ? <ErrorMessage error={job.error} prefix="Could not cancel:" /> : null}
            {job.result ? <ImportSummaryView summary={job.result} /> : null}
            {job.phase === 'done' ? (
              <footer className="modal-footer">
                <button type="button" className="button" onClick={again}>
                  Import another file
                </button>
                <button type="button" className="button primary" onClick={close}>
                  Done
                </button>
              </footer>
            ) : null}
          </>
        ) : null}
      </div>
    </Modal>
  );
}

/** Chosen files, seeded once with the files dropped on the page. */
function useChosenFilesWithDefaults(initial: readonly File[]): ChosenFiles {
  const files = useChosenFiles();
  const seeded = useRef(false);
  const { choose } = files;
  useEffect(() => {
    if (seeded.current) return;
    seeded.current = true;
    if (initial[0]) choose(0, initial[0]);
    if (initial[1]) choose(1, initial[1]);
  }, [initial, choose]);
  return files;
}

function Detection({ files }: { files: ChosenFiles }) {
  if (files.detecting) return <p className="muted small">Looking at the file…</p>;
  if (files.detectError) return <ErrorMessage error={files.detectError} prefix="Could not read the file:" />;
  const d = files.detected;
  if (!d) return null;
  // A file's final newline makes an empty last line that says nothing.
  const preview = d.preview.at(-1) === '' ? d.preview.slice(0, -1) : d.preview;
  return (
    <div className="detection">
      <p className="small" data-testid="detection">
        {d.format ? (
          <>
            <strong>{FORMAT_LABELS[d.format]}</strong> · {d.reason}
          </>
        ) : (
          <>Format not recognised: {d.reason} Choose it below.</>
        )}
      </p>
      {preview.length > 0 ? (
        <ol className="preview" aria-label="Preview of the first lines">
          {preview.map((line, i) => (
            // Raw lines keep a left-to-right list; each line is isolated, so an Arabic line reads correctly inside it.
            <li key={i}>
              <span dir="auto">{line}</span>
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
