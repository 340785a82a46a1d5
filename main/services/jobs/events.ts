/**
 * The trainer's events, as the TypeScript side reads them. The JSON Schema in
 * native/trainer/langbridge_trainer/events.schema.json is the one source of
 * truth: the trainer's tests validate what it writes against it, and this
 * module validates what it reads with the same file (Ajv, draft 2020-12).
 * The types below name the fields the app uses; a unit test checks the
 * schema requires each of them, so the two cannot drift apart silently.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import schema from '../../../native/trainer/langbridge_trainer/events.schema.json';

export const EVENTS_SCHEMA = schema as Record<string, unknown>;
export const EVENTS_SCHEMA_VERSION = 1;

const ajv = new Ajv2020({ strict: false, allErrors: false });
addFormats(ajv);
const validate = ajv.compile(EVENTS_SCHEMA);

interface Common {
  v: 1;
  time: string;
}

export interface LanguageEval {
  loss: number;
  bpc: number;
  tokens: number;
  characters: number;
  documents: number;
}

export type TrainerEvent = Common &
  (
    | { kind: 'started'; worldSize: number; device: 'cpu' | 'cuda'; devices: string[]; precision: string; resumedFrom: { step: number; path: string } | null; pid: number }
    | { kind: 'progress'; task: string; done: number; total: number; unit: string }
    | {
        kind: 'plan';
        attention: string;
        attentionNote: string | null;
        totalSteps: number;
        maxSteps: number | null;
        parameters: number;
        trainableParameters: number;
        gradAccumulation: number;
        flopsPerToken: number;
        peakFlops: number | null;
        stages: Array<{ index: number; name: string; steps: number; tokens: number; peakLr: number; schedule: 'cosine' | 'wsd' }>;
      }
    | { kind: 'stage'; index: number; name: string; phase: 'start' | 'end'; step: number }
    | {
        kind: 'step';
        step: number;
        totalSteps: number;
        stage: number;
        tokens: number;
        loss: number;
        lr: number;
        gradNorm: number | null;
        tokensPerSecond: number;
        mfu: number | null;
        gpuMemoryPeak: number | null;
        elapsedSeconds: number;
      }
    | { kind: 'eval'; step: number; languages: Record<string, LanguageEval>; meanLoss: number | null; meanBpc: number | null }
    | { kind: 'checkpoint'; step: number; path: string; best: boolean; reason: 'interval' | 'stage-end' | 'final' | 'cancel' }
    | { kind: 'finished'; status: 'succeeded' | 'cancelled'; step: number; tokens: number; loss: number | null; evalLoss: number | null; checkpoint: string | null; elapsedSeconds: number }
    | { kind: 'error'; message: string; traceback: string; classification: string; step: number | null }
  );

/** The fields above, per kind: the unit test checks the schema requires them. */
export const FIELDS_USED: Record<TrainerEvent['kind'], string[]> = {
  started: ['worldSize', 'device', 'devices', 'precision', 'resumedFrom', 'pid'],
  progress: ['task', 'done', 'total', 'unit'],
  plan: ['attention', 'attentionNote', 'totalSteps', 'maxSteps', 'parameters', 'trainableParameters', 'gradAccumulation', 'flopsPerToken', 'peakFlops', 'stages'],
  stage: ['index', 'name', 'phase', 'step'],
  step: ['step', 'totalSteps', 'stage', 'tokens', 'loss', 'lr', 'gradNorm', 'tokensPerSecond', 'mfu', 'gpuMemoryPeak', 'elapsedSeconds'],
  eval: ['step', 'languages', 'meanLoss', 'meanBpc'],
  checkpoint: ['step', 'path', 'best', 'reason'],
  finished: ['status', 'step', 'tokens', 'loss', 'evalLoss', 'checkpoint', 'elapsedSeconds'],
  error: ['message', 'traceback', 'classification', 'step'],
};

/** One event, or why it is not one. */
export function parseEvent(line: string): { ok: true; event: TrainerEvent } | { ok: false; reason: string } {
  let data: unknown;
  try {
    data = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  if (!validate(data)) return { ok: false, reason: ajv.errorsText(validate.errors) };
  return { ok: true, event: data as TrainerEvent };
}

/**
 * The complete lines of an events file from byte `offset` on, and the offset
 * after the last complete line (a line still being written is left for the
 * next read). Lines that are not valid events are skipped, and counted.
 */
export function readEvents(path: string, offset: number): { events: TrainerEvent[]; offset: number; invalid: number } {
  return readLines(path, offset, parseEvent);
}

/** readEvents with another parser (evaluation jobs write other shapes to the same kind of file). */
export function readLines<T>(path: string, offset: number, parse: (line: string) => { ok: true; event: T } | { ok: false; reason: string }): { events: T[]; offset: number; invalid: number } {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    if (size <= offset) return { events: [], offset: Math.min(offset, size), invalid: 0 };
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    const end = buf.lastIndexOf(0x0a);
    if (end < 0) return { events: [], offset, invalid: 0 };
    const events: T[] = [];
    let invalid = 0;
    for (const line of buf.subarray(0, end).toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      const r = parse(line);
      if (r.ok) events.push(r.event);
      else invalid++;
    }
    return { events, offset: offset + end + 1, invalid };
  } finally {
    closeSync(fd);
  }
}
