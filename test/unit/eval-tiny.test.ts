/**
 * An evaluation job on the tiny model, on the CPU, with the real trainer
 * (`python -m langbridge_trainer eval`): items from small fixtures (Flores
 * lines in two languages, Belebele and XCOPA items, a dataset's held-out
 * pairs and texts), stored scores and per-item outputs; then a second tiny
 * model (another seed) compared with it, the first one reused as the
 * reference row. Needs the trainer's Python environment (built on first use).
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Langbridge } from '../../main/services/langbridge';
import { preset } from '../../main/services/pipeline/presets';
import { Recipe } from '../../main/services/pipeline/recipe';
import { ensureTrainerEnv, runProcess, trainerProcessEnv } from '../../main/services/python/python-env';
import { qwenTokenizerDir } from '../../main/services/corpus/tokenizer';
import { makeDoc, writeJsonl } from './helpers/pipeline-corpus';
import { tempDir } from './helpers/workspace';

const fixture = (...p: string[]) => resolve('test/fixtures', ...p);

/** Resolves once every run is settled (scored or failed), failing the test on a timeout. */
function settled(lb: Langbridge, ms = 240_000): Promise<void> {
  return new Promise((res, rej) => {
    const done = async () => (await lb.invoke('eval:runs', {})).every((r) => !['queued', 'running'].includes(r.status));
    const t = setTimeout(() => rej(new Error('the evaluation did not end in time')), ms);
    const off = lb.on('jobs:changed', () => {
      void done().then((ok) => {
        if (!ok) return;
        off();
        clearTimeout(t);
        res();
      });
    });
  });
}

describe('evaluation of the tiny model (real trainer, CPU)', () => {
  it('runs end to end, stores scores and items, and compares a second tiny model with the reused first', async () => {
    const dir = tempDir();
    const files = tempDir('lb-files-');
    const lb = new Langbridge(dir);
    try {
      await lb.invoke('corpus:import', { paths: [fixture('flores', 'flores200_dataset')], format: 'flores' });
      await lb.invoke('corpus:import', { paths: [fixture('belebele', 'swh_Latn.jsonl')], format: 'belebele' });
      await lb.invoke('corpus:import', { paths: [fixture('xcopa', 'test.sw.jsonl')], format: 'xcopa' });
      await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'eng.jsonl', Array.from({ length: 12 }, (_, i) => makeDoc('eng', i, 30)))], lang: 'en' });
      await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'swh.jsonl', Array.from({ length: 12 }, (_, i) => makeDoc('swh', i, 30)))], lang: 'sw' });
      writeFileSync(join(files, 'p.en-sw.en'), Array.from({ length: 12 }, (_, i) => `The river ${i} is near the village.`).join('\n') + '\n');
      writeFileSync(join(files, 'p.en-sw.sw'), Array.from({ length: 12 }, (_, i) => `Mto ${i} uko karibu na kijiji.`).join('\n') + '\n');
      await lb.invoke('corpus:import', { paths: [join(files, 'p.en-sw.en'), join(files, 'p.en-sw.sw')], format: 'moses', srcLang: 'en', tgtLang: 'sw' });
      await lb.invoke('pipeline:run', { recipe: Recipe.parse({ ...preset('marco'), split: { ...preset('marco').split, minPerLanguage: 2, minPairsPerLanguagePair: 3 } }) });

      const request = (models: string[]) => ({
        models,
        benchmarks: ['flores', 'belebele', 'xcopa', 'heldout-pairs', 'heldout-bpc'] as const,
        langs: ['eng_Latn', 'swh_Latn'],
        maxItems: 2,
        shots: { flores: 1, belebele: 1, xcopa: 1 },
        maxNewTokens: 4,
        device: 'cpu' as const,
      });
      const first = await lb.invoke('eval:start', { ...request(['tiny']), benchmarks: [...request([]).benchmarks] });
      expect(first).toHaveLength(1);
      await settled(lb);
      const runs = await lb.invoke('eval:runs', {});
      const job = await lb.invoke('jobs:show', { id: first[0]!.jobId! });
      expect(job.kind).toBe('eval');
      expect(job.status, JSON.stringify(job.failure)).toBe('succeeded');
      expect(runs[0]!.status).toBe('succeeded');

      const { scores } = await lb.invoke('eval:results', { models: ['tiny'] });
      const by = (b: string, m: string) => scores.filter((s) => s.benchmark === b && s.metric === m);
      expect(by('flores', 'bleu').map((s) => s.subset).sort()).toEqual(['eng_Latn-swh_Latn', 'swh_Latn-eng_Latn']);
      expect(by('flores', 'chrf++')).toHaveLength(2);
      expect(by('heldout-pairs', 'chrf++')).toHaveLength(2);
      expect(by('belebele', 'acc_norm')).toHaveLength(1);
      expect(by('xcopa', 'acc')).toHaveLength(1);
      const bpc = by('heldout-bpc', 'bpc');
      expect(bpc.map((s) => s.subset).sort()).toEqual(['eng_Latn', 'swh_Latn']);
      // A random tiny model: far from knowing the text, so several bits per character.
      for (const s of bpc) expect(s.score).toBeGreaterThan(1);
      for (const s of scores) expect(Number.isFinite(s.score)).toBe(true);
      const items = await lb.invoke('eval:items', { runId: first[0]!.runId, benchmark: 'flores', subset: 'eng_Latn-swh_Latn', offset: 0, limit: 10 });
      expect(items.total).toBe(2);
      for (const r of items.rows) {
        expect(typeof r.hypothesis).toBe('string');
        expect(r.score).not.toBeNull();
      }

      // A second tiny model (another seed), compared with the first: the first is reused, not rerun.
      const python = await ensureTrainerEnv();
      await runProcess(python, ['-m', 'langbridge_trainer', 'create-tiny', '--out', join(dir, 'models', 'tiny-seed1'), '--tokenizer', qwenTokenizerDir(), '--seed', '1'], { env: trainerProcessEnv() });
      const second = await lb.invoke('eval:start', { ...request(['tiny', 'tiny-seed1']), benchmarks: [...request([]).benchmarks] });
      expect(second.map((e) => [e.modelRef, e.reused, e.isBase])).toEqual([
        ['tiny', true, true],
        ['tiny-seed1', false, false],
      ]);
      expect(second[0]!.runId).toBe(first[0]!.runId);
      await settled(lb);
      const compared = await lb.invoke('eval:results', { models: ['tiny', 'tiny-seed1'] });
      const other = compared.scores.filter((s) => s.modelRef === 'tiny-seed1');
      expect(other.length).toBe(scores.length);
      for (const s of other) {
        expect(s.delta, `${s.benchmark} ${s.subset} ${s.metric}`).not.toBeNull();
        expect(s.delta!.baseRunId).toBe(first[0]!.runId);
        expect(s.delta!.low).toBeLessThanOrEqual(s.delta!.high);
      }
      expect(lb.train.jobs.list().filter((j) => j.kind === 'eval')).toHaveLength(2);
    } finally {
      lb.close();
    }
  }, 600_000);
});
