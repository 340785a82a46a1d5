/**
 * Translation end to end on the tiny model: create it, export it to ONNX
 * (the trainer's exporter, registered by the export service), translate
 * with it through the contract, and check against PyTorch on the same
 * prompts: the greedy output is PyTorch's greedy continuation cut at the
 * line break, token for token, and each confidence is the mean token
 * log-probability PyTorch gives those tokens. The tiny model is random, so
 * its "translations" are gibberish; what is tested is that they are exactly
 * the model's.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Progress } from '../../main/api/schemas';
import type { TranslatedSegment, TranslateResult } from '../../main/api/translate-schemas';
import { Langbridge } from '../../main/services/langbridge';
import { translationPrompt } from '../../main/services/eval/prompts';
import { decode } from '../../main/services/inference/decode';
import { loadOnnxModel } from '../../main/services/inference/onnx-model';
import { ensureTrainerEnv, trainerProcessEnv } from '../../main/services/python/python-env';
import { cli, requireBuild } from './helpers/cli';

let lb: Langbridge;
let ws: string;
let python: string;
let exportDir: string;

interface TorchResult {
  prompt_ids: number[];
  tokens: number[];
  log_probs: number[];
  text: string;
}

/** Runs test/unit/helpers/torch_reference.py on the model the export was made from (the workspace's tiny model). */
function torch(requests: Array<{ prompt: string; max_new_tokens?: number; tokens?: number[] }>): TorchResult[] {
  const r = spawnSync(python, [join(__dirname, 'helpers', 'torch_reference.py')], {
    input: JSON.stringify({ model: join(ws, 'models', 'tiny-qwen2'), requests }),
    env: { ...process.env, ...trainerProcessEnv(), CUDA_VISIBLE_DEVICES: '' },
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  if (r.status !== 0) throw new Error(`torch_reference.py failed: ${r.stderr}`);
  return (JSON.parse(r.stdout) as { results: TorchResult[] }).results;
}

/** The prompt the service built for a segment: its examples are listed most similar first, and go in most similar last. */
const promptOf = (s: TranslatedSegment) => translationPrompt('eng_Latn', 'swh_Latn', s.source, [...s.examples].reverse());

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

beforeAll(async () => {
  python = await ensureTrainerEnv();
  ws = mkdtempSync(join(tmpdir(), 'langbridge-translate-'));
  lb = new Langbridge(ws);
  const fixtures = join(__dirname, '../fixtures/moses');
  await lb.invoke('corpus:import', { paths: [join(fixtures, 'Corpus.en-sw.en'), join(fixtures, 'Corpus.en-sw.sw')], format: 'moses', srcLang: 'eng_Latn', tgtLang: 'swh_Latn' });
  await lb.invoke('train:create-tiny', {});
  exportDir = (await lb.invoke('models:export', { ref: 'tiny', format: 'onnx' })).path;
}, 900_000);

afterAll(() => {
  lb?.close();
  if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('translate with the exported tiny model', () => {
  it('finds the export from the model reference and gives PyTorch greedy output, cut at the line end, with its mean log-probability', async () => {
    const tokens: Array<{ segment: number; text: string }> = [];
    const offToken = lb.on('translate:token', (e) => tokens.push({ segment: e.segment, text: e.text }));
    const r = await lb.invoke('translate:text', {
      model: 'tiny',
      from: 'eng',
      to: 'swh',
      text: 'Good morning, my friends. I like reading books!\n\nWhere is the market?',
      examples: 2,
      maxNewTokens: 24,
    });
    offToken();
    expect(r.model).toEqual({ path: exportDir, dtype: 'fp32' });
    expect(r.segments.map((s) => s.source)).toEqual(['Good morning, my friends.', 'I like reading books!', 'Where is the market?']);
    expect(r.memoryPairs).toBeGreaterThan(0);
    // Examples come from the corpus, never the sentence itself.
    expect(r.segments.some((s) => s.examples.length > 0)).toBe(true);
    for (const s of r.segments) expect(s.examples.map((e) => e.src)).not.toContain(s.source);

    const ref = torch(r.segments.map((s) => ({ prompt: promptOf(s), max_new_tokens: 24 })));
    r.segments.forEach((s, i) => {
      const t = ref[i]!;
      expect(s.tokens).toBe(t.tokens.length);
      const nl = t.text.indexOf('\n');
      expect(s.output).toBe((nl >= 0 ? t.text.slice(0, nl) : t.text).trim());
      expect(s.stop).toBe(t.text.includes('\n') ? 'line-end' : t.tokens.length === 24 ? 'max-tokens' : 'eos');
      expect(s.confidence).toBeCloseTo(mean(t.log_probs), 4);
      expect(s.probability).toBeCloseTo(Math.exp(s.confidence), 10);
    });
    // The document keeps its blank line; tokens streamed for each sentence, ending with its output.
    expect(r.text).toBe(`${r.segments[0]!.output} ${r.segments[1]!.output}\n\n${r.segments[2]!.output}`);
    for (const s of r.segments) {
      const last = tokens.filter((e) => e.segment === s.index).at(-1);
      if (s.output) expect(last?.text).toBe(s.output);
    }
  }, 300_000);

  it('greedy and beam search: each token’s log-probability and the confidence are PyTorch’s for the chosen tokens', async () => {
    const model = await loadOnnxModel(exportDir, 'fp32');
    try {
      const prompt = translationPrompt('eng_Latn', 'swh_Latn', 'The children are going to school today.', [{ src: 'Good morning.', tgt: 'Habari ya asubuhi.' }]);
      const opts = { maxNewTokens: 12, stopAtLineEnd: true, eosTokenIds: model.eosTokenIds };
      const greedy = await decode(model.step, model.codec, model.encode(prompt), { ...opts, beams: 1 });
      const beam = await decode(model.step, model.codec, model.encode(prompt), { ...opts, beams: 3 });
      const [g, b] = torch([
        { prompt, tokens: greedy.tokens },
        { prompt, tokens: beam.tokens },
      ]);
      // Same tokenisation on both sides, and the same log-probabilities token by token.
      expect(b!.prompt_ids).toEqual(model.encode(prompt));
      beam.logProbs.forEach((lp, i) => expect(lp).toBeCloseTo(b!.log_probs[i]!, 4));
      expect(beam.confidence).toBeCloseTo(mean(b!.log_probs), 4);
      expect(greedy.confidence).toBeCloseTo(mean(g!.log_probs), 4);
    } finally {
      await model.dispose();
    }
  }, 300_000);

  it('int8: the quantised model translates a file, written where asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'langbridge-translate-file-'));
    const src = join(dir, 'in.txt');
    writeFileSync(src, 'Good morning.\n\nThank you very much.\n');
    const out = join(dir, 'out.txt');
    const r = await lb.invoke('translate:file', { model: 'tiny', from: 'eng_Latn', to: 'swh_Latn', path: src, out, int8: true, maxNewTokens: 8 });
    expect(r.model.dtype).toBe('q8');
    expect(r.format).toBe('text');
    expect(readFileSync(out, 'utf8')).toBe(`${r.segments[0]!.output}\n\n${r.segments[1]!.output}\n`);
    for (const s of r.segments) expect(s.confidence).toBeLessThan(0);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it('cancel stops a file between two tokens, writes nothing, and reports it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'langbridge-translate-cancel-'));
    const src = join(dir, 'in.txt');
    writeFileSync(src, Array.from({ length: 40 }, (_, i) => `Sentence number ${i} is here.`).join('\n'));
    const out = join(dir, 'out.txt');
    const progress: Progress[] = [];
    const offProgress = lb.on('translate:progress', (p) => p.jobId === 'cancel-me' && progress.push(p));
    const offSegment = lb.on('translate:segment', (e) => e.jobId === 'cancel-me' && e.segment.index === 1 && lb.translate.cancel('cancel-me'));
    await expect(lb.invoke('translate:file', { model: 'tiny', from: 'eng_Latn', to: 'swh_Latn', path: src, out, maxNewTokens: 16, jobId: 'cancel-me' })).rejects.toMatchObject({ code: 'cancelled' });
    offProgress();
    offSegment();
    expect(existsSync(out)).toBe(false);
    expect(progress.at(-1)).toMatchObject({ state: 'cancelled', unit: 'sentences', total: 40 });
    expect(progress.at(-1)!.done).toBeLessThan(40);
    rmSync(dir, { recursive: true, force: true });
  }, 300_000);

  it('the built CLI (translating in the worker thread) gives the same sentences and writes a review-ready JSONL', async () => {
    requireBuild();
    const text = 'Good morning, my friends. I like reading books!';
    const direct = await lb.invoke('translate:text', { model: 'tiny', from: 'eng_Latn', to: 'swh_Latn', text, examples: 2, maxNewTokens: 24 });
    const segments = join(ws, 'segments.jsonl');
    const r = cli(['translate', '--workspace', ws, '--model', 'tiny', '--from', 'eng_Latn', '--to', 'swh_Latn', '--examples', '2', '--max-tokens', '24', '--json', '--segments', segments, text]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const viaCli = JSON.parse(r.stdout) as TranslateResult;
    expect(viaCli.segments.map((s) => [s.source, s.output, s.examples.map((e) => e.pairId)])).toEqual(direct.segments.map((s) => [s.source, s.output, s.examples.map((e) => e.pairId)]));
    viaCli.segments.forEach((s, i) => expect(s.confidence).toBeCloseTo(direct.segments[i]!.confidence, 5));
    const lines = readFileSync(segments, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { source: string; output: string; confidence: number });
    expect(lines.map((l) => [l.source, l.output])).toEqual(direct.segments.map((s) => [s.source, s.output]));
    const usage = cli(['translate', '--workspace', ws, '--model', 'tiny', '--from', 'eng_Latn', '--to', 'eng_Latn', 'Hello.']);
    expect(usage.status).toBe(1);
    expect(usage.stderr).toBe('langbridge: The source and target languages are the same (eng_Latn).\n');
  }, 300_000);

  it('says how to make an ONNX export when a model has none', async () => {
    rmSync(join(exportDir, 'onnx'), { recursive: true, force: true });
    await expect(lb.invoke('translate:text', { model: 'tiny', from: 'eng_Latn', to: 'swh_Latn', text: 'Hello.' })).rejects.toThrow(
      'tiny-qwen2 has no ONNX export yet, and translation runs on one. Export it first with `langbridge export model tiny --format onnx`',
    );
  }, 300_000);
});
