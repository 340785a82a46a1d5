import { useEffect, useRef, useState } from 'react';
import type { Progress } from '../../../../main/api/schemas';
import { client } from '../../api/client';
import { ErrorMessage } from '../../components/error-message';
import { JobProgress } from '../../components/job-progress';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';
import { ownJobIds } from '../../hooks/use-job';

function OtherRun({ progress }: { progress: Progress }) {
  const [cancelling, setCancelling] = useState(false);
  const [error, setError] = useState<unknown>(null);
  async function cancel() {
    setCancelling(true);
    try {
      await client.call('pipeline:cancel', { jobId: progress.jobId });
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
 * Pipeline runs this window did not start (begun before a reload, in another
 * tab or from the CLI against the same server). Progress events do not say
 * which service a job belongs to, so an unknown job id makes the list ask
 * `pipeline:jobs` again.
 */
export function OtherRuns() {
  const { data, reload } = useCall('pipeline:jobs', {}, []);
  const [jobs, setJobs] = useState<ReadonlyMap<string, Progress>>(new Map());
  /** Job ids already looked up: imports, or runs that have been listed. */
  const known = useRef(new Set<string>());
  /** The latest event per job: a listing answered after a job's last event must not bring it back. */
  const latest = useRef(new Map<string, Progress>());

  useEffect(() => {
    if (!data) return;
    const running: Array<[string, Progress]> = [];
    for (const listed of data) {
      known.current.add(listed.jobId);
      const p = latest.current.get(listed.jobId) ?? listed;
      if (p.state === 'running' && listed.state === 'running' && !ownJobIds.has(p.jobId)) running.push([p.jobId, p]);
    }
    setJobs(new Map(running));
  }, [data]);

  useEvent('jobs:progress', (p) => {
    if (ownJobIds.has(p.jobId)) return;
    latest.current.set(p.jobId, p);
    if (!known.current.has(p.jobId)) {
      known.current.add(p.jobId);
      if (p.state === 'running') reload();
      return;
    }
    setJobs((prev) => {
      if (!prev.has(p.jobId)) return prev;
      const next = new Map(prev);
      if (p.state === 'running') next.set(p.jobId, p);
      else next.delete(p.jobId);
      return next;
    });
  });

  if (jobs.size === 0) return null;
  return (
    <section className="card running-jobs" aria-labelledby="other-runs-title">
      <div className="card-header">
        <h2 id="other-runs-title">Runs in progress</h2>
      </div>
      <ul>
        {[...jobs.values()].map((p) => (
          <OtherRun key={p.jobId} progress={p} />
        ))}
      </ul>
    </section>
  );
}
