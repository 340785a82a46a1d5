import { useCallback, useEffect, useRef, useState } from 'react';
import type { Benchmark, EvalItemRow } from '../../../../main/api/eval-schemas';
import { client } from '../../api/client';

const PAGE = 200;

export interface ItemsQuery {
  runId: number;
  benchmark: Benchmark;
  subset: string;
  compareRunId?: number;
}

export interface EvalItems {
  total: number | null;
  rows: readonly EvalItemRow[];
  error: unknown;
  /** Asks for rows up to `index` (the last one on screen); the next page is fetched when it is not loaded yet. */
  want: (index: number) => void;
}

/**
 * A subset's items, a page at a time as the list scrolls. A subset holds at
 * most the evaluation's max items (hundreds, a few thousand), so pages are
 * appended and kept.
 */
export function useEvalItems(query: ItemsQuery): EvalItems {
  const [rows, setRows] = useState<EvalItemRow[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<unknown>(null);
  const loading = useRef(false);
  const generation = useRef(0);
  const key = JSON.stringify(query);
  const state = useRef({ rows: 0, total: null as number | null });

  const load = useCallback(
    (offset: number) => {
      if (loading.current) return;
      loading.current = true;
      const gen = generation.current;
      client.call('eval:items', { ...query, offset, limit: PAGE }).then(
        (r) => {
          loading.current = false;
          if (gen !== generation.current) return;
          state.current = { rows: offset + r.rows.length, total: r.total };
          setTotal(r.total);
          setRows((prev) => [...prev.slice(0, offset), ...r.rows]);
          setError(null);
        },
        (err: unknown) => {
          loading.current = false;
          if (gen === generation.current) setError(err);
        },
      );
    },
    // `key` stands for the query's values.
    [key],
  );

  useEffect(() => {
    generation.current += 1;
    loading.current = false;
    state.current = { rows: 0, total: null };
    setRows([]);
    setTotal(null);
    setError(null);
    load(0);
  }, [load]);

  const want = useCallback(
    (index: number) => {
      const { rows: have, total: all } = state.current;
      if (all !== null && have < all && index >= have - 20) load(have);
    },
    [load],
  );

  return { total, rows, error, want };
}
