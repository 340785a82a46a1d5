import { useState } from 'react';
import type { Progress } from '../../../main/api/schemas';
import { useEvent } from './use-event';

/** The latest `jobs:progress` event for one job, or null before the first (or without a job). */
export function useJobProgress(jobId: string | null): Progress | null {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [forJob, setForJob] = useState<string | null>(jobId);
  if (forJob !== jobId) {
    // A new job: forget the old one's progress (state adjusted during render, React's documented pattern).
    setForJob(jobId);
    setProgress(null);
  }
  useEvent('jobs:progress', (p) => {
    if (jobId !== null && p.jobId === jobId) setProgress(p);
  });
  return forJob === jobId ? progress : null;
}
