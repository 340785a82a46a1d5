import { useEffect, useRef, useState } from 'react';
import type { CallOutput } from '../../../../main/api/contract';
import { client } from '../../api/client';
import { useEvent } from '../../hooks/use-event';

type Metrics = CallOutput<'jobs:metrics'>;
export type StepPoint = Metrics['steps'][number];
export type EvalPoint = Metrics['evals'][number];

/**
 * One job's metrics: everything stored so far, then the throttled
 * `jobs:metrics` events. A resumed run repeats the steps after its last
 * checkpoint; the repeat replaces the first telling (same step number).
 */
export function useJobMetrics(jobId: number | null): { steps: readonly StepPoint[]; evals: readonly EvalPoint[]; error: unknown } {
  const [steps, setSteps] = useState<readonly StepPoint[]>([]);
  const [evals, setEvals] = useState<readonly EvalPoint[]>([]);
  const [error, setError] = useState<unknown>(null);
  // Events that arrive while the first fetch is in flight are kept and merged after it.
  const early = useRef<Metrics[]>([]);
  const loaded = useRef(false);

  useEffect(() => {
    setSteps([]);
    setEvals([]);
    setError(null);
    early.current = [];
    loaded.current = false;
    if (jobId === null) return;
    let live = true;
    client.call('jobs:metrics', { id: jobId }).then(
      (m) => {
        if (!live) return;
        loaded.current = true;
        let s: readonly StepPoint[] = m.steps;
        let e: readonly EvalPoint[] = m.evals;
        for (const u of early.current) {
          s = mergeSteps(s, u.steps);
          e = mergeEvals(e, u.evals);
        }
        early.current = [];
        setSteps(s);
        setEvals(e);
      },
      (err: unknown) => live && setError(err),
    );
    return () => {
      live = false;
    };
  }, [jobId]);

  useEvent('jobs:metrics', (m) => {
    if (m.jobId !== jobId) return;
    if (!loaded.current) {
      early.current.push(m);
      return;
    }
    if (m.steps.length) setSteps((prev) => mergeSteps(prev, m.steps));
    if (m.evals.length) setEvals((prev) => mergeEvals(prev, m.evals));
  });

  return { steps, evals, error };
}

export function mergeSteps(prev: readonly StepPoint[], add: readonly StepPoint[]): readonly StepPoint[] {
  if (!add.length) return prev;
  const first = add[0]!.step;
  // Usually an append; after a resume, the repeated steps replace the old ones.
  const kept = prev.length && prev.at(-1)!.step >= first ? prev.filter((p) => p.step < first) : prev;
  return [...kept, ...add];
}

export function mergeEvals(prev: readonly EvalPoint[], add: readonly EvalPoint[]): readonly EvalPoint[] {
  if (!add.length) return prev;
  const key = (e: EvalPoint) => `${e.step}\u0000${e.lang}`;
  const replaced = new Set(add.map(key));
  return [...prev.filter((e) => !replaced.has(key(e))), ...add].sort((a, b) => a.step - b.step || a.lang.localeCompare(b.lang));
}
