import { useCallback, useEffect, useRef, useState } from 'react';
import type { Progress } from '../../../../main/api/schemas';
import type { TranslatedSegment, TranslateFileRequest, TranslateResult, TranslateTextRequest } from '../../../../main/api/translate-schemas';
import { client, isCancelled } from '../../api/client';

export interface TranslationState {
  jobId: string | null;
  running: boolean;
  cancelling: boolean;
  /** Finished sentences, by index. */
  segments: Map<number, TranslatedSegment>;
  /** The output so far of the sentence being translated. */
  live: { segment: number; text: string } | null;
  /** Sentences in the document, once known. */
  total: number;
  progress: Progress | null;
  result: TranslateResult | null;
  error: unknown;
}

const IDLE: TranslationState = { jobId: null, running: false, cancelling: false, segments: new Map(), live: null, total: 0, progress: null, result: null, error: null };

export type TranslateInput = { kind: 'text'; request: Omit<TranslateTextRequest, 'jobId'> } | { kind: 'file'; request: Omit<TranslateFileRequest, 'jobId'> };

/**
 * One translation at a time: starts translate:text or translate:file under a
 * job id of its own, follows that job's token, sentence and progress events,
 * and cancels it on request (or when the panel goes away).
 */
export function useTranslation() {
  const [state, setState] = useState<TranslationState>(IDLE);
  const jobRef = useRef<string | null>(null);

  useEffect(() => {
    const offToken = client.on('translate:token', (e) => {
      if (e.jobId === jobRef.current) setState((s) => ({ ...s, live: { segment: e.segment, text: e.text } }));
    });
    const offSegment = client.on('translate:segment', (e) => {
      if (e.jobId !== jobRef.current) return;
      setState((s) => {
        const segments = new Map(s.segments);
        segments.set(e.segment.index, e.segment);
        return { ...s, segments, total: e.total, live: s.live?.segment === e.segment.index ? null : s.live };
      });
    });
    const offProgress = client.on('translate:progress', (p) => {
      if (p.jobId === jobRef.current) setState((s) => ({ ...s, progress: p, total: p.unit === 'sentences' && p.total ? p.total : s.total }));
    });
    return () => {
      offToken();
      offSegment();
      offProgress();
      // A translation nobody is watching any more is not worth the CPU.
      if (jobRef.current) void client.call('translate:cancel', { jobId: jobRef.current }).catch(() => undefined);
    };
  }, []);

  const start = useCallback(async (input: TranslateInput) => {
    const jobId = crypto.randomUUID();
    jobRef.current = jobId;
    setState({ ...IDLE, jobId, running: true, segments: new Map() });
    try {
      const result = input.kind === 'text' ? await client.call('translate:text', { ...input.request, jobId }) : await client.call('translate:file', { ...input.request, jobId });
      if (jobRef.current !== jobId) return;
      setState((s) => ({ ...s, running: false, cancelling: false, result, live: null, segments: new Map(result.segments.map((seg) => [seg.index, seg])), total: result.segments.length }));
    } catch (error) {
      if (jobRef.current !== jobId) return;
      setState((s) => ({ ...s, running: false, cancelling: false, live: null, error: isCancelled(error) ? null : error }));
    } finally {
      if (jobRef.current === jobId) jobRef.current = null;
    }
  }, []);

  const cancel = useCallback(async () => {
    const jobId = jobRef.current;
    if (!jobId) return;
    setState((s) => ({ ...s, cancelling: true }));
    try {
      await client.call('translate:cancel', { jobId });
    } catch (error) {
      setState((s) => ({ ...s, cancelling: false, error }));
    }
  }, []);

  return { state, start, cancel };
}
