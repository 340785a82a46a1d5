/**
 * The model card (README.md) of an export, in the Hugging Face format: YAML
 * front matter (license, language, base_model, tags, datasets) and sections
 * for the languages, the dataset lineage, the training recipe and the
 * evaluation table. Built only from what Langbridge recorded: the dataset
 * version's manifest, the training job's spec and plan, the checkpoint's
 * state and the stored evaluation scores. What is unknown is said to be.
 */
import { iso6393To1 } from 'iso-639-3';
import { stringify as yaml } from 'yaml';
import type { DatasetManifest } from '../../api/pipeline-schemas';
import type { ExportFormat } from '../../api/model-schemas';
import { languageName } from '../eval/prompts';

export interface CardScore {
  benchmark: string;
  subset: string;
  metric: string;
  score: number;
  n: number;
}

export interface CardTraining {
  jobId: number;
  runName: string;
  /** The checkpoint exported. */
  step: number;
  /** Tokens the model had seen at that step (the checkpoint's state), when known. */
  tokensSeen: number | null;
  method: 'full' | 'lora';
  lora: { r?: number; alpha?: number; dropout?: number; targetModules?: string[] } | null;
  seqLen: number | null;
  globalBatchTokens: number | null;
  precision: string | null;
  maxSteps: number | null;
  /** The run's plan (from the trainer), else the spec's stages. */
  stages: Array<{ name: string; peakLr: number | null; steps: number | null; tokens: number | null; schedule: string | null }>;
  parameters: number | null;
  trainableParameters: number | null;
}

export interface CardInput {
  title: string;
  modelRef: string;
  kind: 'base' | 'checkpoint';
  /** For base_model: a Hub id when the base came from the Hub, else the folder's name. */
  baseModel: string;
  /** Whether baseModel is a Hub id (only then is it put in base_model, which the Hub links). */
  baseModelIsHubId: boolean;
  format: ExportFormat;
  variant: string;
  dataset: DatasetManifest | null;
  training: CardTraining | null;
  scores: { model: CardScore[]; base: CardScore[]; baseLabel: string | null };
  /** The base model's own licence (its README's front matter, kept by Hub downloads), when known. */
  baseLicense: string | null;
  langbridgeVersion: string;
  createdAt: string;
}

/** Licence identifiers the Hugging Face Hub knows (the common ones for text corpora); anything else becomes `other`. */
const HUB_LICENSES = new Set([
  'apache-2.0', 'mit', 'bsd-2-clause', 'bsd-3-clause', 'cc0-1.0', 'cc-by-2.0', 'cc-by-2.5', 'cc-by-3.0', 'cc-by-4.0', 'cc-by-sa-3.0', 'cc-by-sa-4.0',
  'cc-by-nc-2.0', 'cc-by-nc-3.0', 'cc-by-nc-4.0', 'cc-by-nd-4.0', 'cc-by-nc-sa-2.0', 'cc-by-nc-sa-3.0', 'cc-by-nc-sa-4.0', 'cc-by-nc-nd-3.0', 'cc-by-nc-nd-4.0',
  'gpl-2.0', 'gpl-3.0', 'lgpl-3.0', 'agpl-3.0', 'odc-by', 'odbl', 'pddl', 'unlicense', 'openrail', 'llama2', 'llama3', 'gemma', 'other', 'unknown',
]);

/** "CC BY-SA 4.0", "cc-by-sa-4.0", "Apache 2.0" -> the Hub's id, or null when it is not one. */
export function hubLicense(license: string): string | null {
  const id = license.trim().toLowerCase().replace(/[\s_]+/g, '-').replace(/^apache-(\d)/, 'apache-$1');
  return HUB_LICENSES.has(id) ? id : null;
}

/** The card's licence: the sources' one licence when they agree (and the Hub knows it), else `other`, listing them. */
export function cardLicense(sources: DatasetManifest['sources']): { license: string; names: string[] } {
  const names = [...new Set(sources.map((s) => s.license?.trim() || 'unknown'))].sort();
  // "CC-BY-4.0" and "cc-by-4.0" are one licence written two ways.
  const ids = new Set(names.map((n) => hubLicense(n) ?? n.toLowerCase()));
  if (ids.size === 1) {
    const id = hubLicense(names[0]!);
    if (id && id !== 'unknown') return { license: id, names };
  }
  return { license: 'other', names };
}

/** xxx_Scrp -> the ISO code the Hub's `language:` takes: ISO 639-1 where the language has one, else ISO 639-3. */
export function hubLanguage(code: string): string {
  const iso3 = code.split(/[_-]/)[0]!;
  return iso6393To1[iso3] ?? iso3;
}

const num = (n: number) => n.toLocaleString('en-US');
const tokens = (n: number | null) => (n === null ? 'unknown' : n >= 1e9 ? `${(n / 1e9).toFixed(2)}B` : n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : num(n));
/** Learning rates read as people write them: 1e-5, 6e-6, 0.0003. */
const lr = (x: number) => (x !== 0 && Math.abs(x) < 1e-3 ? x.toExponential() : String(x));
const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

function row(cells: string[]): string {
  return `| ${cells.map(cell).join(' | ')} |`;
}

function table(head: string[], rows: string[][]): string {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
}

/**
 * The dataset's languages with the tokens each received (all stages), and
 * its translation directions (manifest entries named `src-tgt`), whose two
 * sides count as languages trained on too.
 */
function datasetLanguages(d: DatasetManifest): Array<{ code: string; tokens: number; records: number }> {
  const by = new Map<string, { tokens: number; records: number }>();
  for (const s of d.stages) {
    for (const l of s.languages) {
      for (const side of l.lang.split('-')) if (!by.has(side)) by.set(side, { tokens: 0, records: 0 });
      if (l.lang.includes('-')) continue;
      const e = by.get(l.lang)!;
      e.tokens += l.tokens;
      e.records += l.records;
    }
  }
  return [...by.entries()].map(([code, v]) => ({ code, ...v })).sort((a, b) => b.tokens - a.tokens || a.code.localeCompare(b.code));
}

function datasetDirections(d: DatasetManifest): Array<{ code: string; tokens: number; records: number }> {
  const by = new Map<string, { tokens: number; records: number }>();
  for (const s of d.stages) {
    for (const l of s.languages) {
      if (!l.lang.includes('-')) continue;
      const e = by.get(l.lang) ?? { tokens: 0, records: 0 };
      e.tokens += l.tokens;
      e.records += l.records;
      by.set(l.lang, e);
    }
  }
  return [...by.entries()].map(([code, v]) => ({ code, ...v })).sort((a, b) => b.tokens - a.tokens || a.code.localeCompare(b.code));
}

const directionName = (code: string) => code.split('-').map(languageName).join(' → ');

const FORMAT_TEXT: Record<ExportFormat, string> = {
  hf: 'Hugging Face transformers (safetensors weights, config, generation config, tokenizer)',
  onnx: 'ONNX decoder with key/value cache for transformers.js / onnxruntime: `onnx/model.onnx` (fp32) and `onnx/model_quantized.onnx` (int8, dynamically quantised), with the config and tokenizer at the root',
  gguf: 'GGUF for llama.cpp: `model-f16.gguf` (f16) and `model-q8_0.gguf` (q8_0)',
};

function usage(i: CardInput): string {
  if (i.format === 'hf') {
    if (i.variant === 'adapter') {
      return ['```python', 'from peft import PeftModel', 'from transformers import AutoModelForCausalLM, AutoTokenizer', '', `base = AutoModelForCausalLM.from_pretrained("${i.baseModel}")`, 'model = PeftModel.from_pretrained(base, "path/to/this/folder")', `tokenizer = AutoTokenizer.from_pretrained("${i.baseModel}")`, '```'].join('\n');
    }
    return ['```python', 'from transformers import AutoModelForCausalLM, AutoTokenizer', '', 'model = AutoModelForCausalLM.from_pretrained("path/to/this/folder")', 'tokenizer = AutoTokenizer.from_pretrained("path/to/this/folder")', '```'].join('\n');
  }
  if (i.format === 'onnx') {
    return ['```js', "import { AutoModelForCausalLM, AutoTokenizer, env } from '@huggingface/transformers';", '', "env.allowRemoteModels = false;", "env.localModelPath = 'path/to/parent/folder/';", "const tokenizer = await AutoTokenizer.from_pretrained('this-folder-name');", "const model = await AutoModelForCausalLM.from_pretrained('this-folder-name', { dtype: 'q8' }); // or 'fp32'", '```'].join('\n');
  }
  return ['```sh', 'llama-cli -m model-q8_0.gguf -p "English sentence: Hello.\\nSwahili sentence:" -n 32', '```'].join('\n');
}

function lineage(d: DatasetManifest): string[] {
  const out: string[] = ['## Training data', ''];
  out.push(`Dataset version **${d.name}** (#${d.id}), built by Langbridge ${d.appVersion} on ${d.createdAt.slice(0, 10)} with the recipe "${d.recipe.name}" (seed ${d.seed}). Token counts are ${d.tokenizer.estimated ? 'estimated (characters times each language\'s measured tokens per character)' : 'exact'} for the ${d.tokenizer.name} tokenizer.`, '');
  out.push('### Sources', '');
  out.push(table(['Source', 'Format', 'License', 'sha256'], d.sources.map((s) => [s.name, s.format, s.license?.trim() || 'not stated', s.sha256.slice(0, 12)])), '');
  out.push('### Stages', '');
  out.push(table(['Stage', 'Peak LR', 'Records', 'Tokens'], d.stages.map((s) => [s.name, s.peakLr === undefined ? '—' : lr(s.peakLr), num(s.records), tokens(s.tokens)])), '');
  out.push('### Languages in the data', '');
  out.push(table(['Language', 'Code', 'Records', 'Tokens'], datasetLanguages(d).map((l) => [languageName(l.code), l.code, num(l.records), tokens(l.tokens)])), '');
  const dirs = datasetDirections(d);
  if (dirs.length) out.push('Parallel text (translation pairs, written out with the recipe\'s templates):', '', table(['Direction', 'Code', 'Records', 'Tokens'], dirs.map((l) => [directionName(l.code), l.code, num(l.records), tokens(l.tokens)])), '');
  const p = d.pipeline;
  out.push(`The cleaning pipeline kept ${num(p.documentsOut)} of ${num(p.documentsIn)} documents and ${num(p.pairsOut)} of ${num(p.pairsIn)} parallel pairs; ${num(p.evalItems)} evaluation items were checked for contamination and never trained on.`, '');
  if (p.steps.length) {
    out.push(table(['Step', 'Removed', 'Changed', 'Flagged'], p.steps.map((s) => [s.kind, num(s.removed), num(s.changed), num(s.flagged)])), '');
  }
  if (d.heldOut.length) out.push(`Held-out text (not trained on, used for the bits-per-character evaluation): ${d.heldOut.map((h) => `${h.lang} ${num(h.documents)} documents`).join(', ')}.`, '');
  return out;
}

function recipe(t: CardTraining): string[] {
  const out: string[] = ['## Training procedure', ''];
  out.push(`Continual pretraining with Langbridge (training run #${t.jobId}, "${t.runName}"); this export is the checkpoint at step ${num(t.step)}${t.tokensSeen !== null ? `, after ${tokens(t.tokensSeen)} tokens` : ''}.`, '');
  const method = t.method === 'lora' ? `LoRA${t.lora ? ` (r ${t.lora.r ?? 'default'}, alpha ${t.lora.alpha ?? 'default'}, dropout ${t.lora.dropout ?? 'default'}, modules ${t.lora.targetModules?.join(', ') ?? 'default'})` : ''}` : 'full fine-tuning (every weight trained)';
  const rows: string[][] = [
    ['Method', method],
    ['Sequence length', t.seqLen === null ? 'trainer default' : num(t.seqLen)],
    ['Tokens per optimizer step', t.globalBatchTokens === null ? 'trainer default' : num(t.globalBatchTokens)],
    ['Precision', t.precision ?? 'auto'],
    ['Step cap', t.maxSteps === null ? 'none (all stages)' : num(t.maxSteps)],
  ];
  if (t.parameters !== null) rows.push(['Parameters', `${num(t.parameters)}${t.trainableParameters !== null && t.trainableParameters !== t.parameters ? ` (${num(t.trainableParameters)} trained)` : ''}`]);
  out.push(table(['Setting', 'Value'], rows), '');
  if (t.stages.length) {
    out.push(table(['Stage', 'Peak LR', 'Schedule', 'Steps', 'Tokens'], t.stages.map((s) => [s.name, s.peakLr === null ? 'default' : lr(s.peakLr), s.schedule ?? 'default', s.steps === null ? '—' : num(s.steps), tokens(s.tokens)])), '');
  }
  out.push('Optimizer: AdamW with a warm-up and a decaying learning rate per stage (see each stage\'s schedule).', '');
  return out;
}

/** Scores on a 0-100 scale (BLEU, chrF) with one decimal, fractions (accuracy, bpc) with three; a delta as its scores. */
const digits = (...xs: number[]) => (Math.max(...xs.map(Math.abs)) >= 10 ? 1 : 3);
const fmtScore = (s: number, d = digits(s)) => s.toFixed(d);

function evaluation(i: CardInput): string[] {
  const out: string[] = ['## Evaluation', ''];
  const { model, base, baseLabel } = i.scores;
  if (!model.length) {
    out.push('This model has not been evaluated in Langbridge yet: no scores are reported. Evaluate it before relying on it (`langbridge eval`, or the Evaluate page), and re-export to include the results here.', '');
    return out;
  }
  const key = (s: CardScore) => `${s.benchmark}\u0000${s.subset}\u0000${s.metric}`;
  const baseBy = new Map(base.map((s) => [key(s), s]));
  const compare = i.kind === 'checkpoint' && base.length > 0;
  const rows = [...model]
    .sort((a, b) => a.benchmark.localeCompare(b.benchmark) || a.subset.localeCompare(b.subset) || a.metric.localeCompare(b.metric))
    .map((s) => {
      const b = baseBy.get(key(s));
      const cells = [s.benchmark, s.subset, s.metric, String(s.n)];
      if (!compare) return [...cells, fmtScore(s.score)];
      if (!b) return [...cells, '—', fmtScore(s.score), '—'];
      const d = digits(s.score, b.score);
      return [...cells, fmtScore(b.score, d), fmtScore(s.score, d), `${s.score - b.score >= 0 ? '+' : ''}${fmtScore(s.score - b.score, d)}`];
    });
  out.push(compare ? `Scores of this model against its base model${baseLabel ? ` (${baseLabel})` : ''} on the same items. BLEU and chrF++ as sacrebleu 2.x computes them; accuracy for multiple choice; bits per character (lower is better) on held-out text.` : 'Scores on the evaluated items. BLEU and chrF++ as sacrebleu 2.x computes them; accuracy for multiple choice; bits per character (lower is better) on held-out text.', '');
  out.push(table(compare ? ['Benchmark', 'Subset', 'Metric', 'Items', 'Base', 'This model', 'Δ'] : ['Benchmark', 'Subset', 'Metric', 'Items', 'Score'], rows), '');
  if (i.kind === 'checkpoint' && !base.length) out.push('The base model has no stored scores on these items, so no comparison is shown.', '');
  return out;
}

export function buildModelCard(i: CardInput): string {
  const d = i.dataset;
  const langs = d ? datasetLanguages(d) : [];
  const lic = d ? cardLicense(d.sources) : null;
  const front: Record<string, unknown> = {};
  // A base model's card takes the model's own licence; a trained model's, its training data's.
  const baseLic = i.baseLicense ? hubLicense(i.baseLicense) ?? 'other' : null;
  front.license = lic ? lic.license : baseLic ?? 'other';
  if (lic && lic.license === 'other') front.license_name = lic.names.length === 1 ? lic.names[0] : 'mixed';
  else if (!lic && baseLic === 'other') front.license_name = i.baseLicense;
  if (langs.length) front.language = [...new Set(langs.map((l) => hubLanguage(l.code)))];
  if (i.baseModelIsHubId) front.base_model = i.baseModel;
  if (i.variant === 'adapter') front.library_name = 'peft';
  else if (i.format === 'hf') front.library_name = 'transformers';
  else if (i.format === 'onnx') front.library_name = 'transformers.js';
  front.pipeline_tag = 'text-generation';
  const trained = i.kind === 'checkpoint' && i.training !== null;
  // An untrained base model's export is a conversion: it is not tagged as continually pretrained.
  front.tags = ['langbridge', ...(trained ? ['continual-pretraining'] : []), i.format, ...(i.format === 'gguf' ? ['llama.cpp'] : []), ...(i.variant === 'adapter' ? ['lora'] : [])];
  if (d) front.datasets = d.sources.map((s) => s.name);

  const out: string[] = ['---', yaml(front).trimEnd(), '---', '', `# ${i.title}`, ''];
  if (i.kind === 'base' || !i.training) {
    out.push(`An export of the base model **${i.baseModel}** as ${FORMAT_TEXT[i.format]}. Langbridge did not train it: see the original model's card for its data, licence, intended use and limitations. This card records only the conversion.`, '');
    if (!d) out.push(i.baseLicense ? `Licence: ${i.baseLicense}, as the original model's card states.` : 'Licence: that of the original model, which Langbridge does not know (`license: other` above until you set it).', '');
  } else {
    out.push(`**${i.baseModel}**, continually pretrained with Langbridge on ${langs.length ? `${langs.length} language${langs.length === 1 ? '' : 's'}` : 'a dataset version whose manifest is no longer in the workspace'}; exported as ${FORMAT_TEXT[i.format]}${i.variant === 'merged' ? ', with the LoRA adapter merged into the base weights' : i.variant === 'adapter' ? ' — the LoRA adapter alone: load it on top of the base model' : ''}.`, '');
    if (langs.length) {
      out.push('## Languages', '');
      out.push(langs.map((l) => `- ${languageName(l.code)} (\`${l.code}\`)${l.tokens ? `: ${tokens(l.tokens)} tokens of text` : ': in translation pairs only'}`).join('\n'), '');
    }
    if (d) out.push(...lineage(d));
    out.push(...recipe(i.training));
  }
  out.push(...evaluation(i));

  out.push('## Intended use', '');
  if (i.kind === 'checkpoint' && i.training) {
    out.push('A base (pretrained, not instruction-tuned) language model for the languages above: continuing text, few-shot translation with prompts such as `{Source} sentence: …\\n{Target} sentence:`, and as a starting point for further fine-tuning. It is not a chat model and does not follow instructions.', '');
  } else {
    out.push('As for the original model; this folder only changes its file format.', '');
  }
  out.push('## Limitations', '');
  const lim = ['The model generates fluent text that can be wrong, biased, or offensive; outputs in low-resource languages in particular need a speaker\'s review before use.'];
  if (trained) {
    lim.push('Continual pretraining on new languages can reduce quality in languages it saw less of (forgetting); compare the evaluation table\'s replay languages with the base model\'s before relying on them.');
    if (!i.scores.model.length) lim.push('No evaluation was run, so nothing above shows that this model is better than its base.');
  }
  if (d && cardLicense(d.sources).license === 'other') lim.push(`The training sources carry different or unstated licences (${cardLicense(d.sources).names.join(', ')}); check each before distributing the weights.`);
  if (i.format === 'gguf' || i.format === 'onnx') lim.push('Quantised files (int8, q8_0) trade a little quality for size and speed; the fp32/f16 files are the reference.');
  if (trained) lim.push('The licence of these weights also depends on the base model\'s licence: check it.');
  out.push(lim.map((l) => `- ${l}`).join('\n'), '');

  out.push('## How to use', '', usage(i), '');
  out.push('## Files', '', `Sizes and sha256 checksums of every file are in \`manifest.json\`. Exported by Langbridge ${i.langbridgeVersion} on ${i.createdAt.slice(0, 10)} from \`${i.modelRef}\`.`, '');
  return out.join('\n');
}
