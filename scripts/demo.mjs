// `npm run demo`: the whole loop on the embedded sample corpus, as far as it
// exists today (corpus and pipeline). Imports the UDHR for a handful of
// languages, prints the per-language statistics (with Qwen tokenizer
// fertility), runs a search, then previews and runs the `marco` recipe into a
// dataset version, printing what each step removed and the mixture plan;
// then creates the tiny demo model (random Qwen2, real Qwen tokenizer) and
// trains both stages on the CPU for a few minutes, printing the loss curve and
// each language's held-out bits per character before and after; evaluates the
// base and the trained model on the dataset's held-out pairs (BLEU, chrF++ in
// both directions, with paired-bootstrap significance) and held-out texts
// (bits per character), exports the trained model (Hugging Face folder with a
// model card, ONNX fp32 + int8), translates a sentence with the ONNX export
// in onnxruntime-node, helped by examples retrieved from the corpus, and
// prints a summary table.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const workspace = resolve(process.env.LANGBRIDGE_HOME ?? 'demo-workspace');
const langs = process.env.DEMO_LANGS ?? 'eng,swh,yor,quy,amh,arb,tha,khm,cmn';
mkdirSync(workspace, { recursive: true });

function step(title) {
  console.log(`\n== ${title}`);
}

function langbridge(args) {
  const r = spawnSync(process.execPath, ['bin/langbridge.js', ...args, '--workspace', workspace], { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

/** Runs a command with --json and returns what it printed. */
function langbridgeJson(args) {
  const r = spawnSync(process.execPath, ['bin/langbridge.js', ...args, '--json', '--workspace', workspace], { stdio: ['ignore', 'pipe', 'inherit'], encoding: 'utf8' });
  if (r.status !== 0) process.exit(r.status ?? 1);
  // Either one JSON document, or progress lines followed by one on the last line.
  try {
    return JSON.parse(r.stdout);
  } catch {
    return JSON.parse(r.stdout.trim().split('\n').at(-1));
  }
}

if (!existsSync('out/main/cli.js')) {
  step('Building Langbridge (first run)');
  const b = spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' });
  if (b.status !== 0) process.exit(b.status ?? 1);
}

step(`1/13 Importing the Universal Declaration of Human Rights (${langs}) into ${workspace}`);
langbridge(['import', '--sample', 'udhr', '--langs', langs]);

step('2/13 Per-language statistics (tokens under the Qwen2/Qwen3 tokenizer; tokens/word = fertility)');
langbridge(['stats']);

step('3/13 Full-text search for "dignity" and a substring in Thai (written without spaces)');
langbridge(['search', 'dignity', '--limit', '3']);
langbridge(['search', 'เสรีภาพ', '--limit', '3']);

step('4/13 Dry run of the marco recipe on the first 100 documents per language: what each step would remove, and why');
langbridge(['pipeline', 'preview', '--preset', 'marco', '--sample', '100']);

step('5/13 Building a dataset version with the marco recipe (two stages, replay of the big languages, templated pairs)');
langbridge(['pipeline', 'run', '--preset', 'marco']);

step('6/13 Dataset versions in this workspace');
langbridge(['datasets']);
// The newest version comes first.
const built = { dataset: langbridgeJson(['datasets'])[0] };

step("7/13 What this machine can train with (builds the trainer's Python environment on the first run: torch, transformers… from PyPI)");
langbridge(['doctor', '--install']);

step('8/13 Continual pretraining of the tiny demo model on both stages, on the CPU (recipe cpu-demo)');
const end = langbridgeJson(['train', '--dataset', String(built.dataset.id), '--base', 'tiny', '--recipe', 'cpu-demo', '--name', 'demo', '--follow']);
if (end.status !== 'succeeded') {
  console.error(`training ended ${end.status}`);
  process.exit(1);
}

step('9/13 Loss curve and held-out bits per character, before and after');
const { metrics } = langbridgeJson(['jobs', 'show', String(end.id)]);
const steps = metrics.steps;
const every = Math.max(1, Math.ceil(steps.length / 8));
for (const s of steps.filter((_, i) => i % every === 0 || i === steps.length - 1))
  console.log(`step ${String(s.step).padStart(4)}  stage ${s.stage + 1}  loss ${s.loss.toFixed(3)}  ${'#'.repeat(Math.max(1, Math.round(s.loss * 4)))}`);
const first = Math.min(...metrics.evals.map((e) => e.step));
const last = Math.max(...metrics.evals.map((e) => e.step));
console.log(`\nheld-out bits per character (step ${first} → step ${last}):`);
for (const e of metrics.evals.filter((x) => x.step === first)) {
  const after = metrics.evals.find((x) => x.step === last && x.lang === e.lang);
  console.log(`  ${e.lang.padEnd(10)} ${e.bpc.toFixed(3)} → ${after ? after.bpc.toFixed(3) : '—'}`);
}


step('10/13 Evaluating the base model and the trained one on the held-out pairs (both directions) and texts, on the CPU');
const evaluated = langbridgeJson(['eval', '--model', 'tiny', '--model', `run:${end.id}`, '--benchmarks', 'heldout-pairs,heldout-bpc', '--langs', 'eng_Latn,swh_Latn,yor_Latn', '--dataset', String(built.dataset.id), '--max-items', '12', '--shots', '1', '--max-new-tokens', '48', '--device', 'cpu', '--follow']);
langbridge(['results', '--model', 'tiny', '--model', `run:${end.id}`]);

step('11/13 Exporting the trained model: a Hugging Face folder with a model card, and ONNX (fp32 + int8) for in-app translation');
const exportsDir = resolve(workspace, 'exports');
rmSync(resolve(exportsDir, 'demo-hf'), { recursive: true, force: true });
rmSync(resolve(exportsDir, 'demo-onnx'), { recursive: true, force: true });
const hf = langbridgeJson(['export', 'model', `run:${end.id}`, '--format', 'hf', '--out', resolve(exportsDir, 'demo-hf')]);
const onnx = langbridgeJson(['export', 'model', `run:${end.id}`, '--format', 'onnx', '--out', resolve(exportsDir, 'demo-onnx')]);

step('12/13 Translating with the ONNX export in onnxruntime-node (English → Swahili, 2 examples retrieved from the corpus)');
const sentence = 'Everyone has the right to education.';
const translated = langbridgeJson(['translate', '--model', resolve(exportsDir, 'demo-onnx'), '--from', 'eng_Latn', '--to', 'swh_Latn', '--examples', '2', '--max-tokens', '32', sentence]);
for (const seg of translated.segments) {
  console.log(`source:      ${seg.source}`);
  for (const ex of seg.examples) console.log(`example:     ${ex.src} → ${ex.tgt}  (similarity ${ex.score.toFixed(1)})`);
  console.log(`translation: ${seg.output}`);
  console.log(`confidence:  mean token log-probability ${seg.confidence.toFixed(3)} (${seg.tokens} tokens, stopped at ${seg.stop})`);
}
console.log('(the demo model is tiny and trained for minutes: its translation is not meant to be good, only real)');

step('13/13 Summary');
const scores = evaluated.results.scores;
const rows = [];
for (const sc of scores.filter((x) => x.modelRef !== 'tiny')) {
  const base = scores.find((x) => x.modelRef === 'tiny' && x.benchmark === sc.benchmark && x.subset === sc.subset && x.metric === sc.metric);
  rows.push([`${sc.benchmark} ${sc.subset}`, sc.metric, base ? base.score.toFixed(2) : '—', sc.score.toFixed(2), sc.delta ? `${sc.delta.value >= 0 ? '+' : ''}${sc.delta.value.toFixed(2)}${sc.delta.significant ? ' *' : ''}` : '—']);
}
const header = ['benchmark / subset', 'metric', 'base', 'trained', 'delta'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
const line = (r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
for (const r of rows) console.log(line(r));
console.log('(* = the 95% paired-bootstrap interval of the difference excludes 0; bpc: lower is better)');
console.log(`\ntraining: ${steps.length} steps, loss ${steps[0].loss.toFixed(3)} → ${steps.at(-1).loss.toFixed(3)}`);
console.log(`exports: ${hf.path ?? resolve(exportsDir, 'demo-hf')} (Hugging Face), ${onnx.path ?? resolve(exportsDir, 'demo-onnx')} (ONNX)`);

console.log(`\nDone. Browse it: npx langbridge serve --workspace ${workspace}`);
