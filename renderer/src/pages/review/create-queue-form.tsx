import { useId, useState, type FormEvent } from 'react';
import type { CreateQueueRequest, QueueInfo } from '../../../../main/api/review-schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { useCall } from '../../hooks/use-call';
import { languageLabel } from '../../languages';
import { useCorpus } from '../corpus/corpus-context';

type Kind = CreateQueueRequest['from']['kind'];

const KINDS: { value: Kind; label: string }[] = [
  { value: 'file', label: 'Translated file' },
  { value: 'eval', label: 'Evaluation runs' },
  { value: 'dataset', label: 'Held-out pairs' },
  { value: 'corpus', label: 'Corpus eval pairs' },
];

/** A file input that also takes a path typed on this machine; the browser uploads the chosen file first. */
function FileOrPath({ label, file, path, onFile, onPath, optional }: { label: string; file: File | null; path: string; onFile: (f: File | null) => void; onPath: (p: string) => void; optional?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={`${id}-file`}>
        {label}
        {optional ? <span className="muted"> (optional)</span> : null}
      </label>
      <input id={`${id}-file`} type="file" accept=".tsv,.tab,.txt,.jsonl,.json,.ndjson" onChange={(e) => onFile(e.target.files?.[0] ?? null)} />
      {!file ? (
        <input type="text" aria-label={`${label}: or a path on this machine`} placeholder="…or a path on this machine" value={path} onChange={(e) => onPath(e.target.value)} />
      ) : null}
      <p className="hint">TSV (source⇥output⇥reference) or the JSONL of `langbridge translate --json`.</p>
    </div>
  );
}

async function pathOf(file: File | null, path: string): Promise<string | undefined> {
  if (file) return client.fileToPath(file);
  return path.trim() || undefined;
}

/** Creates a review queue from a translated file, one or two evaluation runs, a dataset's held-out pairs or the corpus evaluation pairs. */
export function CreateQueueForm({ onCreated }: { onCreated: (q: QueueInfo) => void }) {
  const id = useId();
  const { languageList, languages } = useCorpus();
  const [kind, setKind] = useState<Kind>('file');
  const [file, setFile] = useState<File | null>(null);
  const [path, setPath] = useState('');
  const [src, setSrc] = useState('');
  const [tgt, setTgt] = useState('');
  const [name, setName] = useState('');
  const [limit, setLimit] = useState('');
  const [runs, setRuns] = useState<number[]>([]);
  const [datasetId, setDatasetId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [created, setCreated] = useState<QueueInfo | null>(null);
  const evalRuns = useCall('eval:runs', kind === 'eval' ? {} : null, [kind]);
  const datasets = useCall('datasets:list', kind === 'dataset' ? {} : null, [kind]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setCreated(null);
    try {
      const langs = { ...(src.trim() ? { srcLang: src.trim() } : {}), ...(tgt.trim() ? { tgtLang: tgt.trim() } : {}) };
      const filePath = await pathOf(file, path);
      let from: CreateQueueRequest['from'];
      if (kind === 'file') {
        if (!filePath) throw new Error('Choose the translated file.');
        if (!langs.srcLang || !langs.tgtLang) throw new Error('Give the language of the sources and of the translations.');
        from = { kind, path: filePath, srcLang: langs.srcLang, tgtLang: langs.tgtLang };
      } else if (kind === 'eval') {
        if (!runs.length) throw new Error('Choose one evaluation run, or two to compare.');
        from = { kind, runIds: runs, ...langs };
      } else if (kind === 'dataset') {
        if (!datasetId) throw new Error('Choose a dataset version.');
        from = { kind, datasetId: Number(datasetId), ...langs, ...(filePath ? { outputsPath: filePath } : {}) };
      } else {
        if (!langs.srcLang || !langs.tgtLang) throw new Error('Give the source and the target language.');
        from = { kind, srcLang: langs.srcLang, tgtLang: langs.tgtLang, ...(filePath ? { outputsPath: filePath } : {}) };
      }
      const q = await client.call('review:create-queue', {
        from,
        ...(name.trim() ? { name: name.trim() } : {}),
        ...(limit.trim() ? { limit: Number(limit) } : {}),
      });
      setCreated(q);
      setFile(null);
      setPath('');
      onCreated(q);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const toggleRun = (runId: number) =>
    setRuns((r) => (r.includes(runId) ? r.filter((x) => x !== runId) : r.length >= 2 ? [r[1]!, runId] : [...r, runId]));

  const translationRuns = (evalRuns.data ?? []).filter((r) => r.status === 'succeeded' && r.benchmarks.some((b) => b === 'flores' || b === 'heldout-pairs'));
  const needsLangs = kind === 'file' || kind === 'corpus';
  return (
    <form className="create-queue" onSubmit={(e) => void submit(e)} aria-label="Create a review queue">
      <fieldset className="field">
        <legend>Items from</legend>
        <div className="segmented">
          {KINDS.map((k) => (
            <label key={k.value} className={kind === k.value ? 'active' : undefined}>
              <input type="radio" name={`${id}-kind`} value={k.value} checked={kind === k.value} onChange={() => setKind(k.value)} />
              {k.label}
            </label>
          ))}
        </div>
      </fieldset>

      {kind === 'file' || kind === 'dataset' || kind === 'corpus' ? (
        <FileOrPath
          label={kind === 'file' ? 'File to review' : 'Translations to review'}
          optional={kind !== 'file'}
          file={file}
          path={path}
          onFile={setFile}
          onPath={setPath}
        />
      ) : null}
      {kind !== 'file' && kind !== 'eval' ? <p className="hint">Without translations, the reviewer writes each one (matched to the pairs by source text).</p> : null}

      {kind === 'eval' ? (
        <fieldset className="field">
          <legend>Evaluation runs (one, or two to compare blind)</legend>
          <ErrorMessage error={evalRuns.error} prefix="Could not list the runs:" />
          {translationRuns.length ? (
            translationRuns.map((r) => (
              <label key={r.id} className="check">
                <input type="checkbox" checked={runs.includes(r.id)} onChange={() => toggleRun(r.id)} /> #{r.id} {r.modelLabel}
                {r.step !== null ? ` (step ${r.step})` : ''} <span className="muted small">{r.benchmarks.join(', ')}</span>
              </label>
            ))
          ) : (
            <p className="muted small">{evalRuns.loading ? 'Loading…' : 'No finished evaluation with translations yet (Flores or held-out pairs).'}</p>
          )}
        </fieldset>
      ) : null}

      {kind === 'dataset' ? (
        <div className="field">
          <label htmlFor={`${id}-dataset`}>Dataset version</label>
          <select id={`${id}-dataset`} value={datasetId} onChange={(e) => setDatasetId(e.target.value)}>
            <option value="">Choose…</option>
            {(datasets.data ?? []).map((d) => (
              <option key={d.id} value={d.id}>
                #{d.id} {d.name}
              </option>
            ))}
          </select>
        </div>
      ) : null}

      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-src`}>
            Source language{needsLangs ? '' : <span className="muted"> (optional)</span>}
          </label>
          <input type="text" id={`${id}-src`} list={`${id}-langs`} value={src} onChange={(e) => setSrc(e.target.value)} placeholder="en, eng, eng_Latn" />
        </div>
        <div className="field">
          <label htmlFor={`${id}-tgt`}>
            Target language{needsLangs ? '' : <span className="muted"> (optional)</span>}
          </label>
          <input type="text" id={`${id}-tgt`} list={`${id}-langs`} value={tgt} onChange={(e) => setTgt(e.target.value)} placeholder="sw, swh, swh_Latn" />
        </div>
        <datalist id={`${id}-langs`}>
          {languageList.map((l) => (
            <option key={l.code} value={l.code}>
              {languageLabel(l.code, languages)}
            </option>
          ))}
        </datalist>
      </div>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${id}-name`}>
            Queue name <span className="muted">(optional)</span>
          </label>
          <input type="text" id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-limit`}>
            At most <span className="muted">(items, optional)</span>
          </label>
          <input id={`${id}-limit`} type="number" min={1} value={limit} onChange={(e) => setLimit(e.target.value)} />
        </div>
      </div>
      <button type="submit" className="button primary" disabled={busy}>
        {busy ? 'Creating…' : 'Create queue'}
      </button>
      <ErrorMessage error={error} prefix="Could not create the queue:" />
      {created ? (
        <div role="status" className="notice">
          Created “{created.name}” with {created.items} items.
          {created.warnings.map((w) => (
            <div key={w} className="small">
              {w}
            </div>
          ))}
        </div>
      ) : null}
    </form>
  );
}
