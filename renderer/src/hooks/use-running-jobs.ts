import { useEffect, useRef, useState } from 'react';
import type { Progress } from '../../../main/api/schemas';
import { useCall } from './use-call';
import { useEvent } from './use-event';
import { ownJobIds } from './use-job';

/**
 * The running jobs of one service that this window did not start (begun
 * before a reload, in another tab or from the CLI against the same server):
 * listed by `listCall` once, then kept current by the `jobs:progress` events
 * that `accepts` (the events of every service arrive here).
 */
export function useRunningJobs(listCall: 'corpus:jobs' | 'pipeline:jobs', accepts: (p: Progress) => boolean): readonly Progress[] {
  const { data } = useCall(listCall, {}, []);
  const [jobs, setJobs] = useState<ReadonlyMap<string, Progress>>(new Map());
  /** The latest event per job: a listing answered after a job's last event must not bring it back. */
  const latest = useRef(new Map<string, Progress>());

  useEffect(() => {
    if (!data) return;
    const running: Array<[string, Progress]> = [];
    for (const listed of data) {
      const p = latest.current.get(listed.jobId) ?? listed;
      if (p.state === 'running' && listed.state === 'running' && !ownJobIds.has(p.jobId)) running.push([p.jobId, p]);
    }
    setJobs(new Map(running));
  }, [data]);

  useEvent('jobs:progress', (p) => {
    if (ownJobIds.has(p.jobId) || !accepts(p)) return;
    latest.current.set(p.jobId, p);
    setJobs((prev) => {
      const next = new Map(prev);
      if (p.state === 'running') next.set(p.jobId, p);
      else next.delete(p.jobId);
      return next;
    });
  });

  return [...jobs.values()];
}
