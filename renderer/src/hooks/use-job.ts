import { useCallback, useRef, useState } from 'react';
import type { Progress } from '../../../main/api/schemas';
import { client, isCancelled } from '../api/client';
import { useJobProgress } from './use-job-progress';

export type JobPhase = 'idle' | 'running' | 'done' | 'failed' | 'cancelled';

export interface Job<T> {
  phase: JobPhase;
  jobId: string | null;
  progress: Progress | null;
  result: T | null;
  error: unknown;
  cancelling: boolean;
  /** Runs `work` under a fresh job id; progress events for that id drive `progress`. */
  start(work: (jobId: string) => Promise<T>): Promise<void>;
  cancel(): Promise<void>;
  reset(): void;
}

/** Jobs started by this window, which show their progress where they were started. */
export const ownJobIds = new Set<string>();

/** A job id the services accept; randomUUID needs a secure context, which 127.0.0.1 and file: are. */
export function newJobId(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/** The call that cancels a job, by the service that runs it. */
export type CancelCall = 'corpus:cancel' | 'pipeline:cancel' | 'models:cancel-download' | 'models:cancel-export';

/** One long-running call with a job id: progress, cancel, result or error. */
export function useJob<T>(cancelCall: CancelCall = 'corpus:cancel'): Job<T> {
  const [phase, setPhase] = useState<JobPhase>('idle');
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [cancelling, setCancelling] = useState(false);
  const current = useRef<string | null>(null);
  const progress = useJobProgress(jobId);

  const start = useCallback(async (work: (jobId: string) => Promise<T>) => {
    const id = newJobId();
    ownJobIds.add(id);
    current.current = id;
    setJobId(id);
    setPhase('running');
    setResult(null);
    setError(null);
    setCancelling(false);
    try {
      const value = await work(id);
      if (current.current !== id) return;
      setResult(value);
      setPhase('done');
    } catch (err) {
      if (current.current !== id) return;
      setError(err);
      setPhase(isCancelled(err) ? 'cancelled' : 'failed');
    } finally {
      if (current.current === id) setCancelling(false);
    }
  }, []);

  const cancel = useCallback(async () => {
    const id = current.current;
    if (!id) return;
    setCancelling(true);
    try {
      await client.call(cancelCall, { jobId: id });
    } catch (err) {
      // The job goes on; say why it could not be stopped.
      if (current.current === id) {
        setCancelling(false);
        setError(err);
      }
    }
  }, [cancelCall]);

  const reset = useCallback(() => {
    current.current = null;
    setJobId(null);
    setPhase('idle');
    setResult(null);
    setError(null);
    setCancelling(false);
  }, []);

  return { phase, jobId, progress, result, error, cancelling, start, cancel, reset };
}
