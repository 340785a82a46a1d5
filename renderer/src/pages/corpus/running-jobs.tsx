import { useEffect, useState } from 'react';
import type { Progress } from '../../../../main/api/schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';
import { ownJobIds } from '../../hooks/use-job';

function RunningJob({ progress }: { progress: Progress }) {
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function cancel() {
    setCancelling(true);
    try {
      await client.call('corpus:cancel', { jobId: progress.jobId });
    } catch (err) {
      setCancelling(false);
      setError(err);
    }
  }
  return (
    <li>
      <JobProgress progress={progress} onCancel={() => void cancel()} cancelling={cancelling} />
      <ErrorMessage error={error} prefix="Could not cancel:" />
    </li>
  );
}

/**
 * Imports this window did not start: begun before a reload, or in another
 * browser tab. The services keep each job's last progress, so they show
 * where they stand at once, with a Cancel button.
 */
export function RunningJobs() {
  const { data } = useCall('corpus:jobs', {}, []);
  const [jobs, setJobs] = useState<ReadonlyMap<string, Progress>>(new Map());

  useEffect(() => {
    if (!data) return;
    setJobs(new Map(data.filter((p) => p.state === 'running' && !ownJobIds.has(p.jobId)).map((p) => [p.jobId, p])));
  }, [data]);

  useEvent('jobs:progress', (p) => {
    // Pipeline runs are shown (and cancelled) on the Pipeline page.
    if (ownJobIds.has(p.jobId) || p.kind === 'pipeline') return;
    setJobs((prev) => {
      const next = new Map(prev);
      if (p.state === 'running') next.set(p.jobId, p);
      else next.delete(p.jobId);
      return next;
    });
  });

  if (jobs.size === 0) return null;
  return (
    <section className="card running-jobs" aria-labelledby="running-title">
      <div className="card-header">
        <h2 id="running-title">Imports in progress</h2>
      </div>
      <ul>
        {[...jobs.values()].map((p) => (
          <RunningJob key={p.jobId} progress={p} />
        ))}
      </ul>
    </section>
  );
}
