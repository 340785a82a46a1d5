import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../../main/api/train-schemas';
import { client, errorMessage } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { ProgressBar } from '../../components/progress-bar';
import { formatCompact, formatDate, formatInt } from '../../format';
import { formatDuration, secondsLeft } from './eta';
import { RunCharts } from './run-charts';
import { RunStatus } from './run-status';
import { useJobMetrics } from './use-job-metrics';

type Tab = 'charts' | 'logs' | 'spec';

function LogView({ job }: { job: JobInfo }) {
  const [lines, setLines] = useState<string[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const running = job.status === 'running' || job.status === 'queued';
  useEffect(() => {
    let live = true;
    const load = () =>
      client.call('jobs:logs', { id: job.id, lines: 300 }).then(
        (r) => live && (setLines(r.lines), setError(null)),
        (err: unknown) => live && setError(err),
      );
    void load();
    // The log grows while the run does; an ended run's log is read once.
    const t = running ? setInterval(load, 2000) : undefined;
    return () => {
      live = false;
      if (t) clearInterval(t);
    };
  }, [job.id, running, job.status]);
  return (
    <div>
      <ErrorMessage error={error} prefix="Could not read the log:" />
      {lines && !lines.length ? <p className="muted">The log is empty so far.</p> : null}
      {lines?.length ? (
        <pre className="log-view" aria-label="Run log" tabIndex={0}>
          {lines.join('\n')}
        </pre>
      ) : null}
      <p className="muted small">
        The last 300 lines of <code>{job.runDir}/stderr.log</code>; the full log and <code>events.jsonl</code> are in the run folder.
      </p>
    </div>
  );
}

function Preparing({ job }: { job: JobInfo }) {
  const p = job.live?.progress;
  if (!p) return <ProgressBar fraction={null} label={job.status === 'queued' ? 'Waiting for the GPU (another run is using it)' : 'Starting the trainer…'} />;
  const what = p.task === 'tokenise' ? 'Tokenising the dataset (cached for the next run)' : 'Loading the model';
  return <ProgressBar fraction={p.total ? p.done / p.total : null} label={what} detail={`${formatInt(p.done)} of ${formatInt(p.total)} ${p.unit}`} />;
}

/** One run: its state and actions, live charts, log and spec. */
export function RunDetail({ job, onChanged }: { job: JobInfo; onChanged: (j: JobInfo) => void }) {
  const [tab, setTab] = useState<Tab>('charts');
  const [actionError, setActionError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const { steps, evals, error } = useJobMetrics(job.id);
  const live = job.live;
  const last = steps.at(-1);
  const total = live?.totalSteps ?? null;
  const running = job.status === 'running';
  const left = running && !job.stopping ? secondsLeft(steps, total) : null;

  async function act(name: 'jobs:cancel' | 'jobs:resume') {
    setBusy(true);
    setActionError(null);
    try {
      onChanged(await client.call(name, { id: job.id }));
    } catch (err) {
      setActionError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  const summary = job.summary as { step?: number; tokens?: number; loss?: number | null; evalLoss?: number | null; elapsedSeconds?: number; checkpoint?: string | null } | null;
  return (
    <section className="card run-detail" aria-labelledby="run-title">
      <div className="card-header">
        <h2 id="run-title">
          Run #{job.id}: {job.name} <RunStatus job={job} />
        </h2>
        <div className="page-actions">
          {running || job.status === 'queued' ? (
            <button type="button" className="button danger" disabled={busy || job.stopping} onClick={() => void act('jobs:cancel')}>
              {job.stopping ? 'Stopping…' : 'Cancel'}
            </button>
          ) : null}
          {job.resumable ? (
            <button type="button" className="button primary" disabled={busy} onClick={() => void act('jobs:resume')}>
              Resume
            </button>
          ) : null}
        </div>
      </div>
      {actionError ? <p className="error-message" role="alert">{actionError}</p> : null}
      {job.stopping ? <p className="notice">Stopping: the trainer finishes its current step, writes a checkpoint and exits. Resume continues from that checkpoint.</p> : null}

      <dl className="run-facts">
        <div>
          <dt>Started</dt>
          <dd>{job.startedAt ? formatDate(job.startedAt) : 'not yet'}</dd>
        </div>
        <div>
          <dt>Step</dt>
          <dd className="tabular" data-testid="run-step">
            {last ? formatInt(last.step) : '—'}
            {total ? ` of ${formatInt(total)}` : ''}
          </dd>
        </div>
        <div>
          <dt>Stage</dt>
          <dd>{live?.stage?.name ?? '—'}</dd>
        </div>
        <div>
          <dt>Tokens seen</dt>
          <dd className="tabular">{last ? formatCompact(last.tokens) : '—'}</dd>
        </div>
        <div>
          <dt>Time left</dt>
          <dd className="tabular">{left !== null ? `about ${formatDuration(left)}` : '—'}</dd>
        </div>
        <div>
          <dt>Device</dt>
          <dd>{live?.devices.length ? `${live.devices.join(', ')}${live.precision ? ` · ${live.precision}` : ''}` : '—'}</dd>
        </div>
        {live?.plan ? (
          <div>
            <dt>Attention</dt>
            <dd title={live.plan.attentionNote ?? undefined}>{live.plan.attention} (no attention across documents)</dd>
          </div>
        ) : null}
        {live?.checkpoint ? (
          <div>
            <dt>Last checkpoint</dt>
            <dd>
              step {live.checkpoint.step}
              {live.checkpoint.best ? ' (best so far)' : ''}
            </dd>
          </div>
        ) : null}
      </dl>

      {running && live?.phase !== 'training' ? <Preparing job={job} /> : null}
      {job.status === 'queued' ? <Preparing job={job} /> : null}
      {running && total && last ? <ProgressBar fraction={last.step / total} label="Training" detail={`step ${formatInt(last.step)} of ${formatInt(total)}`} /> : null}

      {job.failure ? (
        <div className="failure" role="alert">
          <h3>Why it failed: {job.failure.reason}</h3>
          <p className="muted">{job.failure.message}</p>
          {job.failure.fixes.length ? (
            <>
              <h4>What to try</h4>
              <ul>
                {job.failure.fixes.map((f) => (
                  <li key={f}>{f}</li>
                ))}
              </ul>
            </>
          ) : null}
          {job.failure.log.length ? (
            <details>
              <summary>The last {job.failure.log.length} lines of the log</summary>
              <pre className="log-view">{job.failure.log.join('\n')}</pre>
            </details>
          ) : null}
        </div>
      ) : null}
      {job.status === 'interrupted' ? (
        <p className="notice">This run's process ended without saying how (the app or the machine went down while it ran). {job.resumable ? 'Resume continues from its last checkpoint.' : 'It wrote no checkpoint, so it cannot be resumed.'}</p>
      ) : null}
      {summary && job.status === 'succeeded' ? (
        <p className="ok">
          Finished at step {summary.step} after {formatDuration(summary.elapsedSeconds ?? 0)}: loss {summary.loss?.toFixed(3) ?? '—'}, held-out loss {summary.evalLoss?.toFixed(3) ?? '—'}. The trained model is in{' '}
          <code>{summary.checkpoint ?? job.runDir}</code>.
        </p>
      ) : null}

      <div className="tabs" role="tablist" aria-label="Run views">
        {(['charts', 'logs', 'spec'] as const).map((t) => (
          <button key={t} type="button" role="tab" id={`tab-${t}`} aria-selected={tab === t} aria-controls={`panel-${t}`} onClick={() => setTab(t)}>
            {t === 'charts' ? 'Charts' : t === 'logs' ? 'Log' : 'Spec'}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`panel-${tab}`} aria-labelledby={`tab-${tab}`} className="tab-panel">
        {tab === 'charts' ? (
          <>
            <ErrorMessage error={error} prefix="Could not load the metrics:" />
            <RunCharts steps={steps} evals={evals} />
          </>
        ) : null}
        {tab === 'logs' ? <LogView job={job} /> : null}
        {tab === 'spec' ? (
          <>
            <p className="muted small">
              What the trainer was given (<code>{job.runDir}/spec.json</code>); its defaults fill the rest (see the log's first event).
            </p>
            <pre className="log-view">{JSON.stringify(job.spec, null, 2)}</pre>
          </>
        ) : null}
      </div>
    </section>
  );
}
