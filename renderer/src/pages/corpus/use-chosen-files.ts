import { useCallback, useRef, useState } from 'react';
import type { DetectedFormat } from '../../../../main/api/schemas';
import { client } from '../../api/client';

export interface ChosenFile {
  file: File;
  /** Where the services can read it; null while the browser transport uploads it. */
  path: string | null;
  uploaded: number;
  error: unknown;
}

export interface ChosenFiles {
  /** Slot 0 is the file (or a Moses pair's source side), slot 1 a Moses pair's target side. */
  slots: Array<ChosenFile | null>;
  detected: DetectedFormat | null;
  detecting: boolean;
  detectError: unknown;
  uploading: boolean;
  choose(slot: 0 | 1, file: File | null): void;
  cancelUploads(): void;
  clear(): void;
}

/**
 * Files the user picked or dropped, turned into paths (uploaded to the
 * workspace by the browser transport) and, for the first, a detected format
 * with a preview.
 */
export function useChosenFiles(): ChosenFiles {
  const [slots, setSlots] = useState<Array<ChosenFile | null>>([null, null]);
  const [detected, setDetected] = useState<DetectedFormat | null>(null);
  const [detecting, setDetecting] = useState(false);
  const [detectError, setDetectError] = useState<unknown>(null);
  const controllers = useRef<Array<AbortController | null>>([null, null]);
  // Identifies the latest choice per slot, so a superseded upload cannot land.
  const seq = useRef([0, 0]);

  const update = useCallback((slot: number, id: number, patch: Partial<ChosenFile>) => {
    if (seq.current[slot] !== id) return;
    setSlots((prev) => prev.map((s, i) => (i === slot && s ? { ...s, ...patch } : s)));
  }, []);

  const choose = useCallback(
    (slot: 0 | 1, file: File | null) => {
      controllers.current[slot]?.abort();
      const id = ++seq.current[slot];
      if (slot === 0) {
        setDetected(null);
        setDetectError(null);
      }
      if (!file) {
        setSlots((prev) => prev.map((s, i) => (i === slot ? null : s)));
        return;
      }
      const controller = new AbortController();
      controllers.current[slot] = controller;
      setSlots((prev) => prev.map((s, i) => (i === slot ? { file, path: null, uploaded: 0, error: null } : s)));
      void (async () => {
        let path: string;
        try {
          path = await client.fileToPath(file, {
            signal: controller.signal,
            onProgress: (done) => update(slot, id, { uploaded: done }),
          });
        } catch (error) {
          update(slot, id, { error });
          return;
        }
        update(slot, id, { path, uploaded: file.size });
        if (slot !== 0) return;
        setDetecting(true);
        try {
          const d = await client.call('corpus:detect-format', { path });
          if (seq.current[0] === id) setDetected(d);
        } catch (error) {
          if (seq.current[0] === id) setDetectError(error);
        } finally {
          if (seq.current[0] === id) setDetecting(false);
        }
      })();
    },
    [update],
  );

  const cancelUploads = useCallback(() => {
    for (const c of controllers.current) c?.abort();
  }, []);

  const clear = useCallback(() => {
    cancelUploads();
    seq.current = [seq.current[0] + 1, seq.current[1] + 1];
    setSlots([null, null]);
    setDetected(null);
    setDetectError(null);
    setDetecting(false);
  }, [cancelUploads]);

  const uploading = slots.some((s) => s !== null && s.path === null && !s.error);
  return { slots, detected, detecting, detectError, uploading, choose, cancelUploads, clear };
}
