import { appendFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_SCHEMA, EVENTS_SCHEMA_VERSION, FIELDS_USED, parseEvent, readEvents } from '../../main/services/jobs/events';

type Def = { required?: string[]; properties?: Record<string, { const?: unknown }> };
const defs = (EVENTS_SCHEMA as { $defs: Record<string, Def> }).$defs;

const step = (n: number) => ({
  v: 1,
  kind: 'step',
  time: '2026-11-21T10:00:00.000Z',
  step: n,
  totalSteps: 10,
  stage: 0,
  stageStep: n,
  tokens: n * 100,
  loss: 2.5,
  lr: 1e-5,
  gradNorm: null,
  tokensPerSecond: 900.5,
  mfu: null,
  gpuMemoryAllocated: null,
  gpuMemoryPeak: null,
  elapsedSeconds: 1.5,
});

describe('trainer events (the schema shared with native/trainer)', () => {
  it('requires every field the app reads, for every kind the app knows', () => {
    for (const [kind, fields] of Object.entries(FIELDS_USED)) {
      const def = defs[kind];
      expect(def, `schema has no "${kind}" event`).toBeDefined();
      expect(def!.properties?.kind?.const).toBe(kind);
      for (const f of fields) expect(def!.required, `${kind}.${f} is read by the app`).toContain(f);
    }
    expect(defs.common!.properties!.v!.const).toBe(EVENTS_SCHEMA_VERSION);
  });

  it('accepts a valid event and refuses wrong kinds, missing fields, extra fields and other versions', () => {
    expect(parseEvent(JSON.stringify(step(1))).ok).toBe(true);
    expect(parseEvent(JSON.stringify({ ...step(1), kind: 'stepp' })).ok).toBe(false);
    const { loss: _loss, ...noLoss } = step(1);
    expect(parseEvent(JSON.stringify(noLoss)).ok).toBe(false);
    expect(parseEvent(JSON.stringify({ ...step(1), surprise: 1 })).ok).toBe(false);
    expect(parseEvent(JSON.stringify({ ...step(1), v: 2 })).ok).toBe(false);
    expect(parseEvent('{"v":1,').ok).toBe(false);
  });

  it('reads complete lines only, from an offset, and skips invalid ones', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'lb-ev-')), 'events.jsonl');
    writeFileSync(path, JSON.stringify(step(1)) + '\nnot json\n' + JSON.stringify(step(2)).slice(0, 20));
    const a = readEvents(path, 0);
    expect(a.events.map((e) => (e as { step: number }).step)).toEqual([1]);
    expect(a.invalid).toBe(1);
    // The half-written line is read once it is complete.
    appendFileSync(path, JSON.stringify(step(2)).slice(20) + '\n');
    const b = readEvents(path, a.offset);
    expect(b.events.map((e) => (e as { step: number }).step)).toEqual([2]);
    expect(readEvents(path, b.offset).events).toEqual([]);
  });
});
