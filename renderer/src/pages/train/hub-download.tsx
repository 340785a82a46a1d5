import { useState } from 'react';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { formatBytes } from '../../format';
import { useJob } from '../../hooks/use-job';

const REPO = /^[\w.-]+\/[\w.-]+$/;

/**
 * Downloads a Hugging Face Hub model into the workspace: only on this
 * button, never otherwise (Langbridge works offline). Resumable: a cancelled
 * or broken download continues where it stopped; every file is checked
 * against the Hub's size and hash.
 */
export function HubDownload({ onDownloaded }: { onDownloaded: (path: string) => void }) {
  const [open, setOpen] = useState(false);
  const [repo, setRepo] = useState('');
  const job = useJob<{ path: string; bytes: number; resumedBytes: number }>('models:cancel-download');
  const valid = REPO.test(repo.trim());

  async function download() {
    await job.start(async (jobId) => {
      const r = await client.call('models:download', { repo: repo.trim(), jobId });
      onDownloaded(r.path);
      return r;
    });
  }

  if (!open)
    return (
      <p className="hub-open">
        <button type="button" className="button" onClick={() => setOpen(true)}>
          Download a model from the Hugging Face Hub…
        </button>
      </p>
    );
  return (
    <fieldset className="hub-download">
      <legend>Download from the Hugging Face Hub</legend>
      <p className="muted small">Needs the network (everything else in Langbridge works offline). Safetensors weights, config and tokenizer only; an interrupted download resumes.</p>
      <div className="field-row">
        <div className="field">
          <label htmlFor="hub-repo">Model id</label>
          <input id="hub-repo" type="text" placeholder="Qwen/Qwen2.5-0.5B" value={repo} onChange={(e) => setRepo(e.target.value)} aria-invalid={repo !== '' && !valid} />
        </div>
        <button type="button" className="button primary" disabled={!valid || job.phase === 'running'} onClick={() => void download()}>
          Download
        </button>
        <button type="button" className="button" onClick={() => setOpen(false)} disabled={job.phase === 'running'}>
          Close
        </button>
      </div>
      {job.phase === 'running' ? <JobProgress progress={job.progress} onCancel={() => void job.cancel()} cancelling={job.cancelling} /> : null}
      {job.phase === 'done' && job.result ? (
        <p className="ok">
          Downloaded {formatBytes(job.result.bytes)}
          {job.result.resumedBytes ? ` (${formatBytes(job.result.resumedBytes)} of it resumed from an earlier attempt)` : ''} to <code>{job.result.path}</code>; it is now the base model.
        </p>
      ) : null}
      {job.phase === 'cancelled' ? <p className="muted">Stopped. Download again to resume where it stopped.</p> : null}
      <ErrorMessage error={job.phase === 'failed' ? job.error : null} prefix="The download failed:" />
    </fieldset>
  );
}
