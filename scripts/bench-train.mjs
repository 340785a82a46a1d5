// `npm run bench:train [-- ARGS]`: the training benchmark (native/trainer/bench/bench_train.py),
// Langbridge's trainer against a plain Hugging Face Trainer on Qwen2-0.5B/1.5B-shaped models,
// in the trainer's Python. Arguments pass through, e.g.
//   npm run bench:train -- --models qwen2-1.5b --out bench-train.json
//   npm run bench:train -- --tiny --device cpu          (smoke run without a GPU)
// The Python is $LANGBRIDGE_PYTHON when that one has torch and transformers, else the trainer
// environment `langbridge doctor --json` reports (environment.python). Exits with the benchmark's
// code (2: no CUDA GPU).
import { spawnSync } from 'node:child_process';
import { delimiter, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const trainer = resolve(root, 'native/trainer');
const script = resolve(trainer, 'bench/bench_train.py');

function hasTrainerDeps(python) {
  const r = spawnSync(python, ['-c', 'import torch, transformers'], { stdio: 'ignore' });
  return r.status === 0;
}

function doctorPython() {
  const r = spawnSync(process.execPath, [resolve(root, 'bin/langbridge.js'), 'doctor', '--json'], {
    cwd: root,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (r.status !== 0 || !r.stdout) return null;
  try {
    return JSON.parse(r.stdout).environment?.python ?? null;
  } catch {
    // Progress lines before the JSON document: the document is the last line.
    try {
      return JSON.parse(r.stdout.trim().split('\n').at(-1)).environment?.python ?? null;
    } catch {
      return null;
    }
  }
}

function findPython() {
  const fromEnv = process.env.LANGBRIDGE_PYTHON;
  if (fromEnv) {
    if (hasTrainerDeps(fromEnv)) return fromEnv;
    // The app uses $LANGBRIDGE_PYTHON as the base Python it builds the trainer environment from.
    console.error(`bench:train: $LANGBRIDGE_PYTHON (${fromEnv}) lacks torch or transformers; trying the trainer environment`);
  }
  const venv = doctorPython();
  if (venv) return venv;
  console.error(
    "bench:train: no trainer Python found: set LANGBRIDGE_PYTHON to a Python with torch and transformers, or build the trainer environment with `node bin/langbridge.js doctor --install`.",
  );
  process.exit(1);
}

const python = findPython();
console.error(`bench:train: ${python} ${script}`);
const env = { ...process.env, PYTHONPATH: [trainer, process.env.PYTHONPATH].filter(Boolean).join(delimiter) };
const r = spawnSync(python, [script, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
if (r.error) {
  console.error(`bench:train: cannot run ${python}: ${r.error.message}`);
  process.exit(1);
}
process.exit(r.status ?? (r.signal ? 1 : 0));
