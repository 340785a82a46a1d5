import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetManifest } from '../../main/api/pipeline-schemas';
import { Langbridge } from '../../main/services/langbridge';
import { readShardAsync } from '../../main/services/pipeline/pipeline-service';
import { preset } from '../../main/services/pipeline/presets';
import { Recipe } from '../../main/services/pipeline/recipe';
import { makeDoc, writeJsonl } from './helpers/pipeline-corpus';
import { tempDir } from './helpers/workspace';

/** English and Swahili documents, and 60 English-Swahili pairs (Moses). */
async function corpus(): Promise<{ lb: Langbridge; dir: string }> {
  const dir = tempDir();
  const files = tempDir('lb-files-');
  const lb = new Langbridge(dir);
  await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'eng.jsonl', Array.from({ length: 40 }, (_, i) => makeDoc('eng', i, 40)))], lang: 'en' });
  await lb.invoke('corpus:import', { paths: [writeJsonl(files, 'swh.jsonl', Array.from({ length: 40 }, (_, i) => makeDoc('swh', i, 40)))], lang: 'sw' });
  writeFileSync(join(files, 'p.en-sw.en'), Array.from({ length: 60 }, (_, i) => `The river ${i} is near the village number ${i}.`).join('\n') + '\n');
  writeFileSync(join(files, 'p.en-sw.sw'), Array.from({ length: 60 }, (_, i) => `Mto ${i} uko karibu na kijiji namba ${i}.`).join('\n') + '\n');
  await lb.invoke('corpus:import', { paths: [join(files, 'p.en-sw.en'), join(files, 'p.en-sw.sw')], format: 'moses', srcLang: 'en', tgtLang: 'sw' });
  return { lb, dir };
}

const recipe = (split: Record<string, number> = {}) => Recipe.parse({ ...preset('marco'), split: { ...preset('marco').split, ...split } });

describe('held-out pairs', () => {
  it('holds out a share of each language pair, writes them with a checksum, and never trains on them', async () => {
    const { lb, dir } = await corpus();
    const r = await lb.invoke('pipeline:run', { recipe: recipe({ heldOutPairsPercent: 10, minPairsPerLanguagePair: 5, maxPairsPerLanguagePair: 100 }) });
    const folder = join(dir, r.dataset.folder);
    const manifest = DatasetManifest.parse(JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')));
    expect(manifest.heldOutPairs).toHaveLength(1);
    const h = manifest.heldOutPairs![0]!;
    expect(h).toMatchObject({ srcLang: 'eng_Latn', tgtLang: 'swh_Latn', path: 'heldout/pairs.eng_Latn-swh_Latn.jsonl', pairs: 6 });
    const bytes = readFileSync(join(folder, h.path));
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(h.sha256);
    expect(bytes.length).toBe(h.bytes);
    const pairs = bytes.toString('utf8').trim().split('\n').map((l) => JSON.parse(l) as { src: string; tgt: string; src_lang: string; tgt_lang: string; pair_id: number });
    expect(pairs).toHaveLength(6);
    for (const p of pairs) {
      expect(p.src_lang).toBe('eng_Latn');
      expect(p.tgt_lang).toBe('swh_Latn');
      const n = /river (\d+)/.exec(p.src)![1];
      expect(p.tgt).toBe(`Mto ${n} uko karibu na kijiji namba ${n}.`);
    }
    // No held-out pair is in any stage, in either direction.
    const held = new Set(pairs.map((p) => p.pair_id));
    let trainedPairs = 0;
    for (const s of manifest.stages)
      for (const sh of s.shards)
        for (const rec of (await readShardAsync(join(folder, sh.path), manifest.shardFormat)) as Array<{ origin: { kind: string; id: number } }>) {
          if (rec.origin.kind !== 'pair') continue;
          trainedPairs++;
          expect(held.has(rec.origin.id)).toBe(false);
        }
    expect(trainedPairs).toBeGreaterThan(0);
    // The summary counts the file's bytes.
    expect(r.dataset.bytes).toBe(manifest.stages.reduce((a, s) => a + s.shards.reduce((b, x) => b + x.bytes, 0), 0) + manifest.heldOut.reduce((a, x) => a + x.bytes, 0) + h.bytes);
    // The same seed holds out the same pairs.
    const again = await lb.invoke('pipeline:run', { recipe: recipe({ heldOutPairsPercent: 10, minPairsPerLanguagePair: 5, maxPairsPerLanguagePair: 100 }) });
    expect(readFileSync(join(dir, again.dataset.folder, h.path))).toEqual(bytes);
    lb.close();
  }, 60_000);

  it('holds out no pairs at 0%, and reads a manifest written before pairs were held out', async () => {
    const { lb, dir } = await corpus();
    const r = await lb.invoke('pipeline:run', { recipe: recipe({ heldOutPairsPercent: 0 }) });
    const raw = JSON.parse(readFileSync(join(dir, r.dataset.folder, 'manifest.json'), 'utf8'));
    expect(raw.heldOutPairs).toEqual([]);
    delete raw.heldOutPairs;
    delete raw.recipe.split.heldOutPairsPercent;
    expect(DatasetManifest.parse(raw).heldOutPairs).toBeUndefined();
    lb.close();
  }, 60_000);
});
