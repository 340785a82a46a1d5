#!/usr/bin/env node
// Translation benchmark: `npm run bench:translate` (not part of the tests).
//
//   BENCH_MODELS=tiny,qwen2-0.5b BENCH_PROMPTS=20 BENCH_TOKENS=128 node test/bench/translate-bench.mjs
//
// For each model shape (the app's tiny model, and a Qwen2-0.5B-shaped model: Qwen2.5-0.5B's config
// with random weights), in the same run:
// 1. makes the model once (native/trainer/bench/bench_translate.py make) and exports it to ONNX with
//    Langbridge's exporter (`python -m langbridge_trainer export --format onnx`: fp32 and int8), in
//    BENCH_DIR (default $TMPDIR/langbridge-bench-translate; the 0.5B model takes ~5 GB there);
// 2. generates BENCH_TOKENS tokens (forced: no stop at the line end or end-of-text) greedily for each
//    of BENCH_PROMPTS Flores-style translation prompts (English sentences from the Flores fixture),
//    one prompt at a time, with
//    - Langbridge's onnxruntime-node path (loadOnnxModel + decode, as the Translate worker runs
//      them), fp32 and int8;
//    - PyTorch `generate` on the CPU, fp32 (min_new_tokens = max_new_tokens), the peer;
//    all on BENCH_THREADS threads (default: every core), each after one warm-up run;
// 3. prints one line per figure: tokens/s, the ratio to PyTorch fp32, and how many prompts gave
//    PyTorch's exact tokens (fp32 should give all of them; int8 is allowed to differ), and checks the
//    target (int8 >= 1.5x PyTorch fp32 on the 0.5B model). Writes bench-data/translate-bench.json.
// Exits 1 when the target is missed, 2 when the bench could not run.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const TRAINER = join(ROOT, 'native/trainer');
const MODELS = (process.env.BENCH_MODELS ?? 'tiny,qwen2-0.5b').split(',').map((s) => s.trim()).filter(Boolean);
const PROMPTS = Number(process.env.BENCH_PROMPTS ?? 20);
const TOKENS = Number(process.env.BENCH_TOKENS ?? 128);
const THREADS = Number(process.env.BENCH_THREADS ?? availableParallelism());
const DIR = process.env.BENCH_DIR ?? join(tmpdir(), 'langbridge-bench-translate');
const TARGET = 1.5;

function fail(message, code = 2) {
  console.error(`bench:translate: ${message}`);
  process.exit(code);
}

/** The trainer's Python: $LANGBRIDGE_PYTHON when it has torch and transformers, else the built trainer environment. */
function findPython() {
  const ok = (p) => p && spawnSync(p, ['-c', 'import torch, transformers, onnxruntime'], { stdio: 'ignore' }).status === 0;
  if (ok(process.env.LANGBRIDGE_PYTHON)) return process.env.LANGBRIDGE_PYTHON;
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/langbridge.js'), 'doctor', '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  // One JSON document, possibly after progress lines.
  for (const text of [r.stdout ?? '', (r.stdout ?? '').slice((r.stdout ?? '').indexOf('\n{') + 1)]) {
    try {
      const d = JSON.parse(text);
      const python = d.environment?.python ?? d.trainer?.executable;
      if (ok(python)) return python;
    } catch {
      // not this one
    }
  }
  fail('no Python with torch, transformers and onnxruntime: build the trainer environment (`langbridge doctor --install`) or set LANGBRIDGE_PYTHON.');
}

function run(cmd, args, what, env = {}) {
  const r = spawnSync(cmd, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 << 20, env: { ...process.env, CUDA_VISIBLE_DEVICES: '', PYTHONPATH: TRAINER, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) fail(`${what} failed (exit ${r.status}):\n${(r.stderr || '').split('\n').slice(-15).join('\n')}`);
  return r.stdout;
}

/** Flores-style translation prompts: 1-shot, English to Swahili, as the Translate panel builds them. */
function prompts() {
  const flores = join(ROOT, 'test/fixtures/flores/flores200_dataset');
  const eng = [...readFileSync(join(flores, 'dev/eng_Latn.dev'), 'utf8').split('\n'), ...readFileSync(join(flores, 'devtest/eng_Latn.devtest'), 'utf8').split('\n')].filter(Boolean);
  const swh = [...readFileSync(join(flores, 'dev/swh_Latn.dev'), 'utf8').split('\n'), ...readFileSync(join(flores, 'devtest/swh_Latn.devtest'), 'utf8').split('\n')].filter(Boolean);
  const out = [];
  for (let i = 0; out.length < PROMPTS; i++) {
    const k = i % eng.length;
    const shot = (k + 1) % eng.length;
    out.push(`English sentence: ${eng[shot]}\nSwahili sentence: ${swh[shot]}\n\nEnglish sentence: ${eng[k]}\nSwahili sentence:`);
  }
  return out;
}

function prepare(python, shape) {
  const hf = join(DIR, `${shape}-hf`);
  const onnx = join(DIR, `${shape}-onnx`);
  if (!existsSync(join(hf, 'config.json'))) {
    console.error(`making the ${shape} model in ${hf}…`);
    run(python, [join(TRAINER, 'bench/bench_translate.py'), 'make', '--shape', shape, '--out', hf], `making the ${shape} model`);
  }
  if (!existsSync(join(onnx, 'onnx/model_quantized.onnx'))) {
    console.error(`exporting ${shape} to ONNX (fp32 + int8) in ${onnx}…`);
    run(python, ['-m', 'langbridge_trainer', 'export', '--model', hf, '--format', 'onnx', '--out', onnx], `exporting ${shape}`);
  }
  return { hf, onnx };
}

function agreement(a, b) {
  let same = 0;
  a.forEach((o, i) => (same += JSON.stringify(o) === JSON.stringify(b[i]) ? 1 : 0));
  return same;
}

const python = findPython();
mkdirSync(DIR, { recursive: true });
const promptsFile = join(DIR, 'prompts.json');
writeFileSync(promptsFile, JSON.stringify(prompts()));
const results = [];
let missed = false;
console.log(`bench:translate: ${PROMPTS} prompts x ${TOKENS} new tokens, greedy, batch 1, ${THREADS} threads, CPU`);
for (const shape of MODELS) {
  const { hf, onnx } = prepare(python, shape);
  const torch = JSON.parse(run(python, [join(TRAINER, 'bench/bench_translate.py'), 'torch', '--model', hf, '--prompts', promptsFile, '--new-tokens', String(TOKENS), '--threads', String(THREADS)], `PyTorch on ${shape}`));
  const ort = {};
  for (const dtype of ['fp32', 'q8']) {
    const tsx = join(ROOT, 'node_modules/.bin/tsx');
    ort[dtype] = JSON.parse(run(tsx, [join(ROOT, 'test/bench/translate-bench-onnx.ts'), '--model', onnx, '--dtype', dtype, '--prompts', promptsFile, '--new-tokens', String(TOKENS), '--threads', String(THREADS)], `onnxruntime-node ${dtype} on ${shape}`));
  }
  const row = (label, r) => {
    const ratio = r.tokens_per_s / torch.tokens_per_s;
    const same = agreement(r.outputs, torch.outputs);
    console.log(`${shape.padEnd(11)} ${label.padEnd(28)} ${r.tokens_per_s.toFixed(1).padStart(8)} tokens/s   ${ratio.toFixed(2)}x PyTorch fp32   ${same}/${PROMPTS} prompts token-identical to PyTorch`);
    return { ratio, same };
  };
  console.log(`${shape.padEnd(11)} ${'PyTorch generate fp32'.padEnd(28)} ${torch.tokens_per_s.toFixed(1).padStart(8)} tokens/s   (torch ${torch.torch})`);
  const fp32 = row('Langbridge onnxruntime fp32', ort.fp32);
  const int8 = row('Langbridge onnxruntime int8', ort.q8);
  const entry = { shape, threads: THREADS, prompts: PROMPTS, newTokens: TOKENS, torch: { tokensPerS: torch.tokens_per_s, seconds: torch.seconds }, onnxFp32: { tokensPerS: ort.fp32.tokens_per_s, seconds: ort.fp32.seconds, ...fp32 }, onnxInt8: { tokensPerS: ort.q8.tokens_per_s, seconds: ort.q8.seconds, ...int8 } };
  if (shape !== 'tiny') {
    const pass = int8.ratio >= TARGET;
    missed ||= !pass;
    entry.target = { int8OverTorchFp32: TARGET, pass };
    console.log(`${shape.padEnd(11)} target: int8 >= ${TARGET}x PyTorch fp32: ${pass ? 'PASS' : 'FAIL'} (${int8.ratio.toFixed(2)}x)`);
  }
  results.push(entry);
}
mkdirSync(join(ROOT, 'bench-data'), { recursive: true });
writeFileSync(join(ROOT, 'bench-data/translate-bench.json'), JSON.stringify({ date: new Date().toISOString(), results }, null, 2));
process.exit(missed ? 1 : 0);
