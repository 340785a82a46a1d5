import { useCallback, useEffect, useReducer, useRef, useState } from 'react';
import type { DocumentRow, Role } from '../../../../main/api/schemas';
import { client, ClientError } from '../../api/client';

export const PAGE_SIZE = 200;
/** Pages kept in memory (~12,000 rows); the ones farthest from the view go first. */
const MAX_CACHED_PAGES = 60;
/** Requests in flight at once: enough to fill the view, few enough that a fast scroll does not queue dozens. */
const MAX_IN_FLIGHT = 2;

export interface DocumentFilterState {
  lang?: string;
  role?: Role;
}

export interface PagedDocuments {
  /** Null until the first page has answered. */
  total: number | null;
  rowAt(index: number): DocumentRow | undefined;
  /** Tells which rows are on screen; pages not yet fetched are requested. */
  want(first: number, last: number): void;
  error: ClientError | null;
  retry(): void;
}

/**
 * Rows of corpus:documents fetched a page at a time, only for what is on
 * screen. `version` changes keep the old rows visible until fresh ones arrive
 * (no flash of empty rows when an import elsewhere changes the corpus); filter
 * changes start from nothing.
 */
export function usePagedDocuments(filter: DocumentFilterState, version: number): PagedDocuments {
  const cache = useRef(new Map<number, DocumentRow[]>());
  const stale = useRef(new Map<number, DocumentRow[]>());
  const inFlight = useRef(new Set<number>());
  /** Pages whose request failed: not asked again until retry(), or a failing server is hammered. */
  const failed = useRef(new Set<number>());
  const wanted = useRef<number[]>([0]);
  const generation = useRef(0);
  const filterRef = useRef(filter);
  filterRef.current = filter;

  const [total, setTotal] = useState<number | null>(null);
  const [error, setError] = useState<ClientError | null>(null);
  const [, rerender] = useReducer((n: number) => n + 1, 0);

  const evict = useCallback(() => {
    if (cache.current.size <= MAX_CACHED_PAGES) return;
    const centre = wanted.current[0] ?? 0;
    const far = [...cache.current.keys()].sort((a, b) => Math.abs(b - centre) - Math.abs(a - centre));
    for (const page of far.slice(0, cache.current.size - MAX_CACHED_PAGES)) cache.current.delete(page);
  }, []);

  const pump = useCallback(() => {
    for (const page of wanted.current) {
      if (inFlight.current.size >= MAX_IN_FLIGHT) return;
      if (cache.current.has(page) || inFlight.current.has(page) || failed.current.has(page)) continue;
      const gen = generation.current;
      inFlight.current.add(page);
      client
        .call('corpus:documents', { ...filterRef.current, offset: page * PAGE_SIZE, limit: PAGE_SIZE })
        .then(
          (result) => {
            if (gen !== generation.current) return;
            cache.current.set(page, result.rows);
            stale.current.delete(page);
            evict();
            setTotal(result.total);
            setError(null);
          },
          (err: unknown) => {
            if (gen !== generation.current) return;
            failed.current.add(page);
            setError(err instanceof ClientError ? err : new ClientError({ code: 'internal', message: String(err) }));
          },
        )
        .finally(() => {
          if (gen !== generation.current) return;
          inFlight.current.delete(page);
          rerender();
          pump();
        });
    }
  }, [evict]);

  const filterKey = `${filter.lang ?? ''}|${filter.role ?? ''}`;
  const lastFilterKey = useRef(filterKey);

  useEffect(() => {
    generation.current += 1;
    if (lastFilterKey.current !== filterKey) {
      lastFilterKey.current = filterKey;
      stale.current = new Map();
      setTotal(null);
      wanted.current = [0];
    } else {
      // Same filter, changed corpus: show the old rows until their page is fetched again.
      for (const [k, v] of cache.current) stale.current.set(k, v);
    }
    cache.current = new Map();
    inFlight.current = new Set();
    failed.current = new Set();
    setError(null);
    pump();
  }, [filterKey, version, pump]);

  const want = useCallback(
    (first: number, last: number) => {
      const a = Math.floor(Math.max(0, first) / PAGE_SIZE);
      const b = Math.floor(Math.max(0, last) / PAGE_SIZE);
      const pages: number[] = [];
      for (let p = a; p <= b; p++) pages.push(p);
      const same = pages.length === wanted.current.length && pages.every((p, i) => p === wanted.current[i]);
      if (same) return;
      wanted.current = pages;
      pump();
    },
    [pump],
  );

  const rowAt = useCallback((index: number) => {
    const page = Math.floor(index / PAGE_SIZE);
    const rows = cache.current.get(page) ?? stale.current.get(page);
    return rows?.[index - page * PAGE_SIZE];
  }, []);

  const retry = useCallback(() => {
    failed.current = new Set();
    setError(null);
    pump();
  }, [pump]);

  return { total, rowAt, want, error, retry };
}
