/**
 * The events of an evaluation job (`python -m langbridge_trainer eval`), as
 * the job manager reads them: started, progress {done, total, itemsPerSecond},
 * finished {status}, error. They share the training events' envelope (v,
 * kind, time) and file (<runDir>/events.jsonl), but not their shapes: a
 * training 'finished' carries steps and losses an evaluation does not have.
 * The reader is lenient about fields it does not use, so the trainer can add
 * some without breaking the app; the fields it does use are checked.
 */
import { z } from 'zod';
import type { LiveState } from '../../api/train-schemas';
import { readLines } from './events';

const common = { v: z.literal(1), time: z.string() };

const EvalJobEvent = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('started'), device: z.enum(['cpu', 'cuda']).nullish(), devices: z.array(z.string()).nullish(), precision: z.string().nullish() }).passthrough(),
  z
    .object({
      ...common,
      kind: z.literal('progress'),
      /** Absent, or a preparation step ('load-model') before items are scored. */
      task: z.string().nullish(),
      done: z.number().min(0),
      total: z.number().min(0),
      unit: z.string().nullish(),
      itemsPerSecond: z.number().nullish(),
    })
    .passthrough(),
  z.object({ ...common, kind: z.literal('finished'), status: z.enum(['succeeded', 'cancelled']) }).passthrough(),
  z.object({ ...common, kind: z.literal('error'), message: z.string(), classification: z.string().nullish(), traceback: z.string().nullish() }).passthrough(),
]);
export type EvalJobEvent = z.output<typeof EvalJobEvent>;

/** Progress tasks that mean "scoring items" (anything else is preparation). */
const SCORING_TASKS = new Set(['eval', 'evaluate', 'items', 'generate', 'score']);

export function parseEvalEvent(line: string): { ok: true; event: EvalJobEvent } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  const r = EvalJobEvent.safeParse(data);
  // Kinds an evaluation does not send (step, plan, ...) are not errors, only not ours.
  return r.success ? { ok: true, event: r.data } : { ok: false, reason: r.error.issues[0]?.message ?? 'not an evaluation event' };
}

export function readEvalEvents(path: string, offset: number): { events: EvalJobEvent[]; offset: number; invalid: number } {
  return readLines(path, offset, parseEvalEvent);
}

export function foldEvalLive(prev: LiveState | null, e: EvalJobEvent): LiveState {
  const live: LiveState = prev ?? { phase: 'starting', device: null, devices: [], precision: null, worldSize: null, progress: null, plan: null, stage: null, step: null, totalSteps: null, checkpoint: null };
  switch (e.kind) {
    case 'started':
      return { ...live, phase: 'preparing', device: e.device ?? null, devices: e.devices ?? [], precision: e.precision ?? null, worldSize: 1, progress: null };
    case 'progress': {
      const scoring = !e.task || SCORING_TASKS.has(e.task);
      return {
        ...live,
        phase: scoring ? 'evaluating' : 'preparing',
        progress: { task: scoring ? 'evaluate' : e.task!, done: e.done, total: e.total, unit: e.unit ?? 'items', rate: e.itemsPerSecond ?? null },
      };
    }
    case 'finished':
      return { ...live, phase: 'ended', progress: live.progress && e.status === 'succeeded' ? { ...live.progress, done: live.progress.total } : live.progress };
    case 'error':
      return { ...live, phase: 'ended' };
  }
}

/** The outcome of the last attempt (a resumed run starts with a new 'started'). */
export function lastEvalOutcome(path: string): { finished: { status: 'succeeded' | 'cancelled' } | null; error: { message: string; classification: string } | null } {
  let finished: { status: 'succeeded' | 'cancelled' } | null = null;
  let error: { message: string; classification: string } | null = null;
  for (const e of readEvalEvents(path, 0).events) {
    if (e.kind === 'started') {
      finished = null;
      error = null;
    } else if (e.kind === 'finished') finished = { status: e.status };
    else if (e.kind === 'error') error = { message: e.message, classification: e.classification ?? 'other' };
  }
  return { finished, error };
}
