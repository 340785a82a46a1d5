import { useState } from 'react';
import { useEvent } from './use-event';

export interface EnvProgress {
  step: string;
  done: number;
  total: number;
}

/** The trainer environment's install progress (jobs:progress of kind 'python'), null when none is under way. */
export function useEnvProgress(): EnvProgress | null {
  const [progress, setProgress] = useState<EnvProgress | null>(null);
  useEvent('jobs:progress', (p) => {
    if (p.kind === 'python') setProgress(p.state === 'running' ? { step: p.step, done: p.done, total: p.total } : null);
  });
  return progress;
}
