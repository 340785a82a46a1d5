import { useEffect, useRef, useState } from 'react';
import type { CallInput, CallOutput } from '../../../../main/api/contract';
import { client } from '../../api/client';

type Estimate = CallOutput<'train:estimate'>;

/** The memory estimate for the form's current choices, debounced; a stale answer never replaces a newer one. */
export function useEstimate(input: CallInput<'train:estimate'> | null, key: string): { estimate: Estimate | null; stale: boolean; error: unknown } {
  const [estimate, setEstimate] = useState<Estimate | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [pending, setPending] = useState(false);
  const seq = useRef(0);
  const inputRef = useRef(input);
  inputRef.current = input;
  useEffect(() => {
    const current = inputRef.current;
    if (!current) return;
    const mine = ++seq.current;
    setPending(true);
    const t = setTimeout(() => {
      client.call('train:estimate', current).then(
        (e) => {
          if (mine !== seq.current) return;
          setEstimate(e);
          setError(null);
          setPending(false);
        },
        (err: unknown) => {
          if (mine !== seq.current) return;
          setError(err);
          setPending(false);
        },
      );
    }, 250);
    return () => clearTimeout(t);
  }, [key]);
  return { estimate, stale: pending, error };
}
