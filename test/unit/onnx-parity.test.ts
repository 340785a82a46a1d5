/**
 * Requirement 8, ONNX: the tiny model exported by the trainer (`python -m
 * langbridge_trainer export --format onnx`) and loaded in Node with
 * @huggingface/transformers on onnxruntime-node continues 3 prompts greedily
 * token for token as PyTorch does (fp32); the int8 model loads and generates.
 *
 * PyTorch's side runs in the trainer's Python environment
 * (test/fixtures/onnx-parity/reference.py), on a copy of the tiny model whose
 * attention and MLP weights are re-drawn so that its continuations depend on
 * the whole context (the stock tiny model only repeats the last token).
 * In CI the environment must exist (the lead builds it before vitest runs):
 * without it this test fails; locally it is skipped, saying why.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AutoModelForCausalLM, AutoTokenizer, env, Tensor, type PreTrainedModel } from '@huggingface/transformers';
import { afterEach, describe, expect, it } from 'vitest';
import { readyTrainerPython, trainerProcessEnv } from '../../main/services/python/python-env';

env.allowRemoteModels = false;
env.allowLocalModels = true;
env.useFSCache = false;

const NEW_TOKENS = 16;
const PROMPTS = ['Hello world, this is', 'Toute personne a droit à la vie, à la liberté', 'Kila mtu ana haki ya kuishi'];
const REFERENCE = resolve('test/fixtures/onnx-parity/reference.py');

const python = readyTrainerPython();
if (!python && process.env.CI === 'true') {
  throw new Error(
    "onnx-parity: no trainer Python environment (readyTrainerPython() found none). In CI it must be built before vitest runs: `node scripts/ensure-trainer-env.mjs` (or `langbridge doctor --install`).",
  );
}
const skipReason = python ? null : 'no trainer Python environment found (build it with `node bin/langbridge.js doctor --install`)';
if (skipReason) console.warn(`onnx-parity skipped: ${skipReason}`);

/** Runs the trainer's Python; resolves with stdout, rejects with the tail of stderr. */
function runPython(args: string[]): Promise<string> {
  return new Promise((res, rej) => {
    const child = spawn(python!, args, {
      cwd: resolve('native/trainer'),
      env: { ...process.env, ...trainerProcessEnv({ CUDA_VISIBLE_DEVICES: '', OMP_NUM_THREADS: '1' }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (err = (err + b.toString('utf8')).slice(-4000)));
    child.on('error', rej);
    child.on('exit', (code) => (code === 0 ? res(out) : rej(new Error(`${args.slice(0, 3).join(' ')} exited ${code}:\n${err}\n${out.slice(-2000)}`))));
  });
}

interface Reference {
  prompt: string;
  inputIds: number[];
  outputIds: number[];
}

async function generateIds(model: PreTrainedModel, inputIds: number[]): Promise<number[]> {
  const ids = new Tensor('int64', BigInt64Array.from(inputIds.map(BigInt)), [1, inputIds.length]);
  const mask = new Tensor('int64', BigInt64Array.from(inputIds.map(() => 1n)), [1, inputIds.length]);
  const out = (await model.generate({ input_ids: ids, attention_mask: mask, do_sample: false, max_new_tokens: NEW_TOKENS })) as { data: BigInt64Array; dims: number[] };
  return Array.from(out.data, Number).slice(inputIds.length);
}

describe.skipIf(skipReason !== null)('ONNX export parity with PyTorch (tiny model)', () => {
  let work = '';
  afterEach(() => rmSync(work, { recursive: true, force: true }));

  it(
    'greedy continuations of 3 prompts are token-identical in fp32; int8 loads and generates',
    async () => {
      work = mkdtempSync(join(tmpdir(), 'lb-onnx-parity-'));
      const tiny = join(work, 'tiny');
      const model = join(work, 'model');
      const onnx = join(work, 'onnx');
      await runPython(['-m', 'langbridge_trainer', 'create-tiny', '--out', tiny]);
      const ref = JSON.parse(
        await runPython([REFERENCE, '--tiny', tiny, '--out', model, '--max-new-tokens', String(NEW_TOKENS), ...PROMPTS.flatMap((p) => ['--prompt', p])]),
      ) as { results: Reference[] };
      const events = (await runPython(['-m', 'langbridge_trainer', 'export', '--model', model, '--format', 'onnx', '--out', onnx]))
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { kind: string; files?: { path: string }[] });
      const finished = events.at(-1)!;
      expect(finished.kind).toBe('finished');
      expect(finished.files!.map((f) => f.path)).toEqual(expect.arrayContaining(['config.json', 'generation_config.json', 'tokenizer.json', 'onnx/model.onnx', 'onnx/model_quantized.onnx']));

      // The continuations must be worth comparing: not a token repeated.
      for (const r of ref.results) expect(new Set(r.outputIds).size).toBeGreaterThan(4);

      const tokenizer = await AutoTokenizer.from_pretrained(onnx, { local_files_only: true });
      const fp32 = await AutoModelForCausalLM.from_pretrained(onnx, { local_files_only: true, dtype: 'fp32', device: 'cpu' });
      try {
        for (const r of ref.results) {
          // The same tokenizer in both languages: the prompts' ids agree before the models are compared.
          expect(tokenizer.encode(r.prompt)).toEqual(r.inputIds);
          expect(await generateIds(fp32, r.inputIds)).toEqual(r.outputIds);
        }
      } finally {
        await fp32.dispose();
      }

      const int8 = await AutoModelForCausalLM.from_pretrained(onnx, { local_files_only: true, dtype: 'q8', device: 'cpu' });
      try {
        for (const r of ref.results) {
          const ids = await generateIds(int8, r.inputIds);
          expect(ids).toHaveLength(NEW_TOKENS);
          // Quantisation moves the re-drawn weights' logits, but the first step stays PyTorch's choice.
          expect(ids[0]).toBe(r.outputIds[0]);
        }
      } finally {
        await int8.dispose();
      }
    },
    300_000,
  );
});
