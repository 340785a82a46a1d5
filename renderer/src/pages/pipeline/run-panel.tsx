import { useId, useState } from 'react';
import type { RunResult } from '../../../../main/api/pipeline-schemas';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { formatInt, plural } from '../../format';
import { useJob } from '../../hooks/use-job';

interface RunPanelProps {
  recipe: Recipe;
  valid: boolean | null;
}

/** Builds an immutable dataset version from the draft, with progress and Cancel. */
export function RunPanel({ recipe, valid }: RunPanelProps) {
  const job = useJob<RunResult>('pipeline:cancel');
  const [name, setName] = useState('');
  const nameId = useId();
  const running = job.phase === 'running';

  function run() {
    const wanted = name.trim();
    void job.start((jobId) => client.call('pipeline:run', { recipe, jobId, ...(wanted ? { name: wanted } : {}) }));
  }

  const result = job.result;
  return (
    <section className="card" aria-labelledby="run-title">
      <div className="card-header">
        <h2 id="run-title">Run</h2>
      </div>
      <form
        className="inline-row run-form"
        onSubmit={(e) => {
          e.preventDefault();
          run();
        }}
      >
        <label htmlFor={nameId} className="small">
          Dataset name
        </label>
        <input id={nameId} type="text" value={name} maxLength={100} placeholder={`${recipe.name}-<n>`} onChange={(e) => setName(e.target.value)} />
        <button type="submit" className="button primary" disabled={running || valid !== true}>
          Run pipeline
        </button>
        <span className="hint">
          Runs the recipe as it stands over the whole corpus and writes a new dataset version; earlier versions are never changed.
        </span>
      </form>
      {job.phase === 'running' || job.phase === 'done' ? (
        <JobProgress progress={job.progress} finished={job.phase === 'done'} onCancel={() => void job.cancel()} cancelling={job.cancelling} />
      ) : null}
      {job.phase === 'running' ? <ErrorMessage error={job.error} prefix="Could not cancel:" /> : null}
      {job.phase === 'done' && result ? (
        <p className="summary" role="status" aria-label="Run summary">
          Dataset <strong>{result.dataset.name}</strong> written: {plural(result.dataset.records, 'record')}, ≈{formatInt(result.dataset.tokens)} tokens
          in {plural(result.dataset.stages.length, 'stage')}, {plural(result.dataset.heldOutDocuments, 'held-out document')}.
        </p>
      ) : null}
      {job.phase === 'failed' ? <ErrorMessage error={job.error} prefix="The run failed:" /> : null}
      {job.phase === 'cancelled' ? (
        <p className="notice" role="status">
          Run cancelled; no dataset version was written.
        </p>
      ) : null}
    </section>
  );
}
