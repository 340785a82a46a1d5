import { useId, useState } from 'react';
import type { Progress } from '../../../main/api/schemas';
import { client } from '../api/client';
import type { CancelCall } from '../hooks/use-job';
import { useRunningJobs } from '../hooks/use-running-jobs';
import { ErrorMessage } from './error-message';
import { JobProgress } from './job-progress';

function RunningJob({ progress, cancelCall }: { progress: Progress; cancelCall: CancelCall }) {
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function cancel() {
    setCancelling(true);
    try {
      await client.call(cancelCall, { jobId: progress.jobId });
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

interface RunningJobsCardProps {
  title: string;
  listCall: 'corpus:jobs' | 'pipeline:jobs';
  cancelCall: CancelCall;
  /** Which `jobs:progress` events are this service's. */
  accepts: (p: Progress) => boolean;
}

/**
 * A card with the progress of each job of one service that this window did
 * not start, each with a Cancel button; nothing while there is none. The
 * services keep each job's last progress, so jobs show where they stand at once.
 */
export function RunningJobsCard({ title, listCall, cancelCall, accepts }: RunningJobsCardProps) {
  const titleId = useId();
  const jobs = useRunningJobs(listCall, accepts);
  if (jobs.length === 0) return null;
  return (
    <section className="card running-jobs" aria-labelledby={titleId}>
      <div className="card-header">
        <h2 id={titleId}>{title}</h2>
      </div>
      <ul>
        {jobs.map((p) => (
          <RunningJob key={p.jobId} progress={p} cancelCall={cancelCall} />
        ))}
      </ul>
    </section>
  );
}
