import { useState } from 'react';
import type { JobInfo } from '../../../../main/api/train-schemas';
import { client, errorMessage } from '../../api/client';
import { ProgressBar } from '../../components/progress-bar';
import { formatDate, formatInt } from '../../format';
import { RunStatus } from '../train/run-status';

const ACTIVE = new Set<JobInfo['status']>(['queued', 'running']);

function progressOf(job: JobInfo): { fraction: number | null; label: string; detail?: string } {
  if (job.status === 'queued') return { fraction: null, label: 'Waiting for the device (another job is using it)' };
  const p = job.live?.progress;
  if (!p) return { fraction: null, label: 'Starting the evaluator…' };
  const label = job.live?.phase === 'evaluating' ? 'Evaluating' : p.task === 'load' ? 'Loading the model' : p.task.charAt(0).toUpperCase() + p.task.slice(1);
  const rate = typeof p.rate === 'number' && p.rate > 0 ? ` · ${p.rate.toFixed(p.rate < 10 ? 1 : 0)} ${p.unit}/s` : '';
  return { fraction: p.total ? p.done / p.total : null, label, detail: `${formatInt(p.done)} of ${formatInt(p.total)} ${p.unit}${rate}` };
}

function EvalJob({ job, onChanged }: { job: JobInfo; onChanged: (j: JobInfo) => void }) {
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const active = ACTIVE.has(job.status);
  async function cancel() {
    setBusy(true);
    setError(null);
    try {
      onChanged(await client.call('jobs:cancel', { id: job.id }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const p = progressOf(job);
  return (
    <li className="eval-job" aria-label={`Evaluation job #${job.id}`}>
      <div className="eval-job-head">
        <span>
          <strong>#{job.id}</strong> {job.name}
        </span>
        <RunStatus job={job} />
        <span className="muted small">{formatDate(job.startedAt ?? job.createdAt)}</span>
        {active ? (
          <button type="button" className="button" disabled={busy || job.stopping} onClick={() => void cancel()}>
            {job.stopping ? 'Stopping…' : 'Cancel'}
          </button>
        ) : null}
      </div>
      {active && !job.stopping ? <ProgressBar fraction={p.fraction} label={p.label} detail={p.detail} /> : null}
      {job.failure ? (
        <div className="failure" role="alert">
          <strong>Why it failed: {job.failure.reason}</strong>
          {job.failure.fixes.length ? (
            <ul>
              {job.failure.fixes.map((f) => (
                <li key={f}>{f}</li>
              ))}
            </ul>
          ) : null}
          {job.failure.log.length ? (
            <details>
              <summary>The last {job.failure.log.length} lines of the log</summary>
              <pre className="log-view">{job.failure.log.join('\n')}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="error-message" role="alert">
          {error}
        </p>
      ) : null}
    </li>
  );
}

/** Evaluation jobs: the running ones with progress and Cancel, then the few that ended last. */
export function EvalJobs({ jobs, onChanged }: { jobs: readonly JobInfo[]; onChanged: (j: JobInfo) => void }) {
  const active = jobs.filter((j) => ACTIVE.has(j.status));
  const recent = jobs.filter((j) => !ACTIVE.has(j.status)).slice(0, 3);
  if (!jobs.length) return null;
  return (
    <section className="card" aria-labelledby="eval-jobs-title">
      <div className="card-header">
        <h2 id="eval-jobs-title">Evaluation jobs</h2>
        <span className="muted small">{active.length ? `${active.length} running` : 'none running'}</span>
      </div>
      <ul className="eval-jobs">
        {[...active, ...recent].map((j) => (
          <EvalJob key={j.id} job={j} onChanged={onChanged} />
        ))}
      </ul>
    </section>
  );
}
