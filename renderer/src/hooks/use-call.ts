import { useCallback, useEffect, useRef, useState, type DependencyList } from 'react';
import type { CallInput, CallName, CallOutput } from '../../../main/api/contract';
import { client, ClientError } from '../api/client';

export interface CallState<T> {
  data: T | undefined;
  error: ClientError | null;
  /** True while a request is in flight; `data` keeps the previous value meanwhile (no flicker). */
  loading: boolean;
  reload: () => void;
}

function asClientError(err: unknown): ClientError {
  if (err instanceof ClientError) return err;
  return new ClientError({ code: 'internal', message: err instanceof Error ? err.message : String(err) });
}

/**
 * Calls `name` with `input` whenever a value in `deps` changes (or reload() is
 * called). Pass `null` as input to skip the call. Answers to superseded
 * requests are dropped, so a slow old answer never overwrites a newer one.
 */
export function useCall<K extends CallName>(
  name: K,
  input: CallInput<K> | null,
  deps: DependencyList = [],
): CallState<CallOutput<K>> {
  const [data, setData] = useState<CallOutput<K> | undefined>(undefined);
  const [error, setError] = useState<ClientError | null>(null);
  const [loading, setLoading] = useState(input !== null);
  const [tick, setTick] = useState(0);
  // The latest input, read when the effect runs; `deps` say when it has changed.
  const inputRef = useRef(input);
  inputRef.current = input;

  useEffect(() => {
    const current = inputRef.current;
    if (current === null) {
      setLoading(false);
      return;
    }
    let live = true;
    setLoading(true);
    client.call(name, current).then(
      (value) => {
        if (!live) return;
        setData(value);
        setError(null);
        setLoading(false);
      },
      (err: unknown) => {
        if (!live) return;
        setError(asClientError(err));
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
    // The caller's `deps` stand for `input`, which is read through inputRef.
  }, [name, tick, ...deps]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data, error, loading, reload };
}
