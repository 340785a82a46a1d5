import { useCallback, useEffect, useRef, useState } from 'react';
import type { PreviewResult } from '../../../../main/api/pipeline-schemas';
import type { Recipe } from '../../../../main/services/pipeline/recipe';
import { client } from '../../api/client';

/** Quiet time after the last edit before a preview starts: typing "50" is one preview, not two. */
export const PREVIEW_DEBOUNCE_MS = 600;

export interface SampleSpec {
  size: number;
  mode: 'first' | 'random';
}

export interface PreviewState {
  result: PreviewResult | null;
  error: unknown;
  /** A preview request is on its way. */
  running: boolean;
  /** When the running preview started (Date.now()), for the elapsed-time display. */
  startedAt: number | null;
  /** Wall time of the preview that produced `result`, as this window saw it. */
  wallMs: number | null;
  /** The shown result (or error) is for the current draft and sample. */
  current: boolean;
}

interface Job {
  seq: number;
  recipe: Recipe;
  sample: SampleSpec;
}

/**
 * Previews the draft whenever it (or the sample) changes, debounced. One
 * preview runs at a time (each one holds worker threads); edits made
 * meanwhile collapse into one follow-up with the newest draft. Answers are
 * numbered, and one older than what is shown is dropped, so a stale preview
 * never overwrites a newer one.
 */
export function usePreview(recipe: Recipe | null, sample: SampleSpec, valid: boolean, corpusVersion = 0): PreviewState {
  const [result, setResult] = useState<PreviewResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [running, setRunning] = useState(false);
  const [startedAt, setStartedAt] = useState<number | null>(null);
  const [wallMs, setWallMs] = useState<number | null>(null);
  const [shownSeq, setShownSeq] = useState(0);
  const [wantedSeq, setWantedSeq] = useState(0);

  const latest = useRef(0);
  const shown = useRef(0);
  const inFlight = useRef(false);
  const queued = useRef<Job | null>(null);
  const mounted = useRef(true);

  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  const launch = useCallback((job: Job) => {
    inFlight.current = true;
    const t0 = performance.now();
    setRunning(true);
    setStartedAt(Date.now());
    const settle = (apply: () => void) => {
      if (!mounted.current || job.seq <= shown.current) return;
      shown.current = job.seq;
      setShownSeq(job.seq);
      setWallMs(performance.now() - t0);
      apply();
    };
    client
      .call('pipeline:preview', { recipe: job.recipe, sample: job.sample })
      .then(
        (value) =>
          settle(() => {
            setResult(value);
            setError(null);
          }),
        (err: unknown) => settle(() => setError(err)),
      )
      .finally(() => {
        inFlight.current = false;
        const next = queued.current;
        queued.current = null;
        if (next && mounted.current) launch(next);
        else if (mounted.current) {
          setRunning(false);
          setStartedAt(null);
        }
      });
  }, []);

  useEffect(() => {
    latest.current += 1;
    const seq = latest.current;
    setWantedSeq(seq);
    if (!recipe || !valid) return;
    const timer = setTimeout(() => {
      const job: Job = { seq, recipe, sample };
      // The newest edit replaces any follow-up already waiting.
      if (inFlight.current) queued.current = job;
      else launch(job);
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
    // `sample` is listed by its fields: a new object with the same values is no change.
    // A changed corpus (an import, a deleted source) changes what the preview sees.
  }, [recipe, sample.size, sample.mode, valid, corpusVersion, launch]);

  return { result, error, running, startedAt, wallMs, current: valid && shownSeq === wantedSeq };
}
