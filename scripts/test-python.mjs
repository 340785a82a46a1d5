// Runs the trainer's pytest suite on CPU, in the trainer's own environment:
// the same cached venv the app and the demo use (built by `langbridge doctor
// --install`: torch, transformers, peft… from PyPI the first time), plus the
// trainer's test extras (pytest, jsonschema).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ws = mkdtempSync(join(tmpdir(), 'lb-pytest-ws-'));
console.log("Building (or reusing) the trainer's Python environment…");
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
console.log(`trainer environment: ${python}`);

// Test extras, pinned in the trainer's pyproject ([project.optional-dependencies] test).
const pyproject = readFileSync('native/trainer/pyproject.toml', 'utf8');
const extras = /\ntest\s*=\s*\[([^\]]*)\]/.exec(pyproject)?.[1]?.match(/"([^"]+)"/g)?.map((s) => s.slice(1, -1)) ?? ['pytest'];
const pip = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', ...extras], { stdio: 'inherit' });
if (pip.status !== 0) process.exit(pip.status ?? 1);

mkdirSync('test-results', { recursive: true });
const r = spawnSync(python, ['-m', 'pytest', '-q', `--junitxml=${resolve('test-results/pytest.xml')}`], {
  cwd: 'native/trainer',
  stdio: 'inherit',
  env: { ...process.env, CUDA_VISIBLE_DEVICES: '' },
});
// pytest exits 5 when it collects no tests: that is a failure here, not a pass.
process.exit(r.status ?? 1);
