import { useEffect, useRef, useState } from 'react';
import type { JobInfo } from '../../../../main/api/train-schemas';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';

export interface EvalJobs {
  jobs: readonly JobInfo[];
  error: unknown;
  upsert: (j: JobInfo) => void;
  /** Bumped each time an evaluation job ends: the results to show have changed. */
  finished: number;
}

const ENDED = new Set<JobInfo['status']>(['succeeded', 'failed', 'cancelled', 'interrupted']);

/** Every evaluation job, newest first, kept current by `jobs:changed` (jobs started from the CLI or another window included). */
export function useEvalJobs(): EvalJobs {
  const list = useCall('jobs:list', {}, []);
  const [jobs, setJobs] = useState<readonly JobInfo[]>([]);
  const [finished, setFinished] = useState(0);
  /** The last status seen per job: an end is counted once, on the event that brings it. */
  const seen = useRef(new Map<number, JobInfo['status']>());
  useEffect(() => {
    if (!list.data) return;
    const evals = list.data.filter((j) => j.kind === 'eval');
    for (const j of evals) if (!seen.current.has(j.id)) seen.current.set(j.id, j.status);
    setJobs(evals);
  }, [list.data]);
  const upsert = (j: JobInfo) => {
    if (j.kind !== 'eval') return;
    const before = seen.current.get(j.id);
    seen.current.set(j.id, j.status);
    if (ENDED.has(j.status) && (before === undefined || !ENDED.has(before))) setFinished((n) => n + 1);
    setJobs((prev) => {
      const i = prev.findIndex((x) => x.id === j.id);
      if (i < 0) return [j, ...prev].sort((a, b) => b.id - a.id);
      const next = [...prev];
      next[i] = j;
      return next;
    });
  };
  useEvent('jobs:changed', upsert);
  return { jobs, error: list.error, upsert, finished };
}
