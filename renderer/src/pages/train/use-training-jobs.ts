import { useEffect, useState } from 'react';
import type { JobInfo } from '../../../../main/api/train-schemas';
import { useCall } from '../../hooks/use-call';
import { useEvent } from '../../hooks/use-event';

/** Every training job, newest first, kept current by `jobs:changed` (runs started from the CLI or another window included). */
export function useTrainingJobs(): { jobs: readonly JobInfo[]; error: unknown; loading: boolean; upsert: (j: JobInfo) => void } {
  const list = useCall('jobs:list', {}, []);
  const [jobs, setJobs] = useState<readonly JobInfo[]>([]);
  useEffect(() => {
    // Evaluation jobs share the queue (jobs:list) but belong to the Evaluate page.
    if (list.data) setJobs(list.data.filter((j) => j.kind === 'train'));
  }, [list.data]);
  const upsert = (j: JobInfo) => {
    if (j.kind !== 'train') return;
    setJobs((prev) => {
      const i = prev.findIndex((x) => x.id === j.id);
      if (i < 0) return [j, ...prev].sort((a, b) => b.id - a.id);
      const next = [...prev];
      next[i] = j;
      return next;
    });
  };
  useEvent('jobs:changed', upsert);
  return { jobs, error: list.error, loading: list.loading, upsert };
}
