import { DatasetManifest } from '../../../main/api/pipeline-schemas';
import { preset } from '../../../main/services/pipeline/presets';

const lang = (code: string, records: number, tokens: number) => ({ lang: code, group: code.includes('-') ? 'parallel' : 'text', records, documents: records, characters: tokens * 3, tokens, epochs: 1 });

/** A valid dataset manifest (two stages, Swahili and English text, English→Yoruba pairs) with one source per licence given. */
export function datasetManifest(licenses: Array<string | null>): DatasetManifest {
  return DatasetManifest.parse({
    formatVersion: 1,
    id: 3,
    name: 'udhr-marco-v1',
    createdAt: '2026-02-03T10:00:00.000Z',
    appVersion: '0.1.0',
    recipe: preset('minimal'),
    seed: 42,
    recordFields: ['text', 'lang', 'origin'],
    shardFormat: 'jsonl.gz',
    tokenizer: { name: 'Qwen2', estimated: true },
    stages: [
      { name: 'Stage I', directory: 'stage-1', peakLr: 1e-5, budget: 5000, records: 120, characters: 9000, tokens: 3000, groups: [], shards: [], languages: [lang('swh_Latn', 60, 1800), lang('eng_Latn', 40, 1000), lang('eng_Latn-yor_Latn', 20, 200)] },
      { name: 'Stage II', directory: 'stage-2', peakLr: 6e-6, budget: 2000, records: 50, characters: 3000, tokens: 1000, groups: [], shards: [], languages: [lang('swh_Latn', 50, 1000)] },
    ],
    heldOut: [{ lang: 'swh_Latn', path: 'heldout/swh_Latn.jsonl.gz', documents: 7, characters: 700, tokens: 230, sha256: 'a'.repeat(64), bytes: 300 }],
    sources: licenses.map((license, i) => ({ id: i + 1, name: `source-${i + 1}`, format: 'text', license, sha256: String(i).repeat(64) })),
    pipeline: { documentsIn: 200, documentsOut: 150, pairsIn: 30, pairsOut: 20, evalItems: 12, steps: [{ index: 0, kind: 'exact-dedup', removed: 50, changed: 0, flagged: 0 }] },
    plan: { stages: [], warnings: [] },
    warnings: [],
  });
}
