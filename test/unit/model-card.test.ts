/**
 * The model card of an export, from a dataset manifest, a training run and
 * stored evaluation rows: front matter the Hub reads, the lineage, the
 * recipe, the evaluation table with deltas, and an honest card when there is
 * nothing to report.
 */
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { datasetManifest as manifest } from './helpers/dataset-manifest';
import { buildModelCard, cardLicense, hubLanguage, hubLicense, type CardInput } from '../../main/services/models/model-card';

function input(over: Partial<CardInput> = {}): CardInput {
  return {
    title: 'UDHR run · step 40 (tiny-qwen2, continually pretrained)',
    modelRef: 'run:7@40',
    kind: 'checkpoint',
    baseModel: 'Qwen/Qwen2.5-0.5B',
    baseModelIsHubId: true,
    format: 'hf',
    variant: 'full',
    dataset: manifest(['CC-BY-4.0', 'cc-by-4.0']),
    training: {
      jobId: 7,
      runName: 'UDHR run',
      step: 40,
      tokensSeen: 163_840,
      method: 'full',
      lora: null,
      seqLen: 256,
      globalBatchTokens: 4096,
      precision: 'fp32',
      maxSteps: 40,
      stages: [
        { name: 'Stage I', peakLr: 1e-5, steps: 30, tokens: 122_880, schedule: 'cosine' },
        { name: 'Stage II', peakLr: 6e-6, steps: 10, tokens: 40_960, schedule: 'wsd' },
      ],
      parameters: 9_800_000,
      trainableParameters: 9_800_000,
    },
    scores: { model: [], base: [], baseLabel: null },
    baseLicense: null,
    langbridgeVersion: '0.1.0',
    createdAt: '2026-02-04T12:00:00.000Z',
    ...over,
  };
}

function frontMatter(card: string): Record<string, unknown> {
  const m = /^---\n([\s\S]*?)\n---\n/.exec(card);
  expect(m).not.toBeNull();
  return parseYaml(m![1]!) as Record<string, unknown>;
}

describe('model card', () => {
  it('maps licences and language codes to what the Hub reads', () => {
    expect(hubLicense('CC BY-SA 4.0')).toBe('cc-by-sa-4.0');
    expect(hubLicense('Apache 2.0')).toBe('apache-2.0');
    expect(hubLicense('proprietary, ask the church')).toBeNull();
    expect(cardLicense(manifest(['CC-BY-4.0', 'cc-by-4.0']).sources)).toEqual({ license: 'cc-by-4.0', names: ['CC-BY-4.0', 'cc-by-4.0'] });
    expect(cardLicense(manifest(['CC-BY-4.0', null]).sources)).toEqual({ license: 'other', names: ['CC-BY-4.0', 'unknown'] });
    expect(hubLanguage('eng_Latn')).toBe('en');
    expect(hubLanguage('yor_Latn')).toBe('yo');
    // Individual languages without a two-letter code keep ISO 639-3.
    expect(hubLanguage('swh_Latn')).toBe('swh');
  });

  it('writes front matter, languages, lineage, recipe and the evaluation table against the base', () => {
    const card = buildModelCard(
      input({
        scores: {
          model: [
            { benchmark: 'heldout-pairs', subset: 'eng_Latn-swh_Latn', metric: 'chrf++', score: 31.25, n: 50 },
            { benchmark: 'belebele', subset: 'swh_Latn', metric: 'acc', score: 0.31, n: 100 },
            { benchmark: 'bpc', subset: 'swh_Latn', metric: 'bpc', score: 1.5, n: 7 },
          ],
          base: [
            { benchmark: 'heldout-pairs', subset: 'eng_Latn-swh_Latn', metric: 'chrf++', score: 22.5, n: 50 },
            { benchmark: 'belebele', subset: 'swh_Latn', metric: 'acc', score: 0.28, n: 100 },
          ],
          baseLabel: 'Qwen/Qwen2.5-0.5B',
        },
      }),
    );
    expect(frontMatter(card)).toEqual({
      license: 'cc-by-4.0',
      language: ['swh', 'en', 'yo'],
      base_model: 'Qwen/Qwen2.5-0.5B',
      library_name: 'transformers',
      pipeline_tag: 'text-generation',
      tags: ['langbridge', 'continual-pretraining', 'hf'],
      datasets: ['source-1', 'source-2'],
    });
    expect(card).toContain('- Swahili (`swh_Latn`): 2,800 tokens of text');
    expect(card).toContain('- Yoruba (`yor_Latn`): in translation pairs only');
    expect(card).toContain('| English → Yoruba | eng_Latn-yor_Latn | 20 | 200 |');
    expect(card).toContain('| source-2 | text | cc-by-4.0 | 111111111111 |');
    expect(card).toContain('| Stage II | 6e-6 | 50 | 1,000 |');
    expect(card).toContain('kept 150 of 200 documents and 20 of 30 parallel pairs; 12 evaluation items');
    expect(card).toContain('this export is the checkpoint at step 40, after 163,840 tokens');
    expect(card).toContain('| Method | full fine-tuning (every weight trained) |');
    expect(card).toContain('| Stage I | 1e-5 | cosine | 30 | 122,880 |');
    expect(card).toContain('| Benchmark | Subset | Metric | Items | Base | This model | Δ |');
    expect(card).toContain('| belebele | swh_Latn | acc | 100 | 0.280 | 0.310 | +0.030 |');
    expect(card).toContain('| heldout-pairs | eng_Latn-swh_Latn | chrf++ | 50 | 22.5 | 31.3 | +8.8 |');
    expect(card).toContain('| bpc | swh_Latn | bpc | 7 | — | 1.500 | — |');
    expect(card).not.toContain('has not been evaluated');
    expect(card).toContain('## Limitations');
  });

  it('says plainly when there is no evaluation, and lists mixed licences as other', () => {
    const card = buildModelCard(input({ dataset: manifest(['CC-BY-4.0', 'proprietary']), format: 'onnx', variant: 'fp32,int8' }));
    const fm = frontMatter(card);
    expect(fm.license).toBe('other');
    expect(fm.license_name).toBe('mixed');
    expect(fm.library_name).toBe('transformers.js');
    expect(card).toContain('This model has not been evaluated in Langbridge yet: no scores are reported.');
    expect(card).toContain('- No evaluation was run, so nothing above shows that this model is better than its base.');
    expect(card).toContain('different or unstated licences (CC-BY-4.0, proprietary)');
    expect(card).toContain("dtype: 'q8'");
  });

  it('describes a LoRA adapter export and how to load it', () => {
    const training = { ...input().training!, method: 'lora' as const, lora: { r: 8, alpha: 16, dropout: 0.05, targetModules: ['q_proj', 'v_proj'] } };
    const card = buildModelCard(input({ variant: 'adapter', training }));
    expect(frontMatter(card).library_name).toBe('peft');
    expect(frontMatter(card).tags).toContain('lora');
    expect(card).toContain('| Method | LoRA (r 8, alpha 16, dropout 0.05, modules q_proj, v_proj) |');
    expect(card).toContain('PeftModel.from_pretrained(base, "path/to/this/folder")');
  });

  it('gives a base model a short card with its own licence and no training sections', () => {
    const card = buildModelCard(input({ kind: 'base', modelRef: 'Qwen/Qwen2.5-0.5B', title: 'Qwen/Qwen2.5-0.5B', dataset: null, training: null, format: 'gguf', variant: 'f16,q8_0', baseLicense: 'apache-2.0' }));
    expect(frontMatter(card)).toMatchObject({ license: 'apache-2.0', base_model: 'Qwen/Qwen2.5-0.5B', tags: ['langbridge', 'gguf', 'llama.cpp'] });
    expect(card).toContain('Langbridge did not train it');
    expect(card).not.toContain('## Training data');
    expect(card).not.toContain('## Training procedure');
    expect(card).toContain('llama-cli -m model-q8_0.gguf');
  });
});
