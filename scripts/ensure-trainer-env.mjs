// Builds (or reuses) the trainer's Python environment — the same cached venv
// the app and the demo use (`langbridge doctor --install`: torch,
// transformers, onnx, gguf… from PyPI the first time) — plus the trainer's
// test extras (pytest, jsonschema, sacrebleu). `npm test` runs it before the
// unit tests, because some of them (ONNX export parity, evaluation jobs on the
// tiny model) drive that environment. Prints the interpreter's path last.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const ws = mkdtempSync(join(tmpdir(), 'lb-env-ws-'));
console.error("Building (or reusing) the trainer's Python environment…");
const doctor = spawnSync('node', ['bin/langbridge.js', 'doctor', '--install', '--json', '--workspace', ws], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (doctor.status !== 0) {
  console.error(doctor.stdout);
  process.exit(doctor.status ?? 1);
}
const python = JSON.parse(doctor.stdout).environment.python;
if (!python) {
  console.error('langbridge doctor --install did not produce a trainer environment.');
  process.exit(1);
}

// Test extras, pinned in the trainer's pyproject ([project.optional-dependencies] test).
const pyproject = readFileSync('native/trainer/pyproject.toml', 'utf8');
const extras = /\ntest\s*=\s*\[([^\]]*)\]/.exec(pyproject)?.[1]?.match(/"([^"]+)"/g)?.map((s) => s.slice(1, -1)) ?? ['pytest'];
const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...extras], { stdio: ['ignore', 'inherit', 'inherit'] });
if (pip.status !== 0) process.exit(pip.status ?? 1);
console.log(python);
