// The onnxruntime-node arm of `npm run bench:translate` (translate-bench.mjs runs it with tsx):
// Langbridge's own path, loadOnnxModel + decode, greedy, exactly --new-tokens per prompt (no stop
// at the line end or end-of-text), one prompt at a time, after one warm-up run. Prints JSON.
//
//   npx tsx test/bench/translate-bench-onnx.ts --model DIR --dtype fp32|q8 --prompts FILE --new-tokens 128 --threads N
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { decode } from '../../main/services/inference/decode';
import { loadOnnxModel, type OnnxDtype } from '../../main/services/inference/onnx-model';

const { values } = parseArgs({
  options: { model: { type: 'string' }, dtype: { type: 'string' }, prompts: { type: 'string' }, 'new-tokens': { type: 'string' }, threads: { type: 'string' } },
});
const dtype = values.dtype as OnnxDtype;
const newTokens = Number(values['new-tokens'] ?? 128);
const prompts = JSON.parse(readFileSync(values.prompts!, 'utf8')) as string[];

const model = await loadOnnxModel(values.model!, dtype, { threads: Number(values.threads) || undefined });
const run = (prompt: string, n: number) => decode(model.step, model.codec, model.encode(prompt), { maxNewTokens: n, beams: 1, stopAtLineEnd: false, eosTokenIds: new Set() });
await run(prompts[0]!, 8); // warm-up, as on the PyTorch side
const outputs: number[][] = [];
const started = performance.now();
for (const p of prompts) outputs.push((await run(p, newTokens)).tokens);
const seconds = (performance.now() - started) / 1000;
const tokens = outputs.reduce((a, o) => a + o.length, 0);
await model.dispose();
process.stdout.write(JSON.stringify({ tokens, seconds, tokens_per_s: tokens / seconds, outputs }));
