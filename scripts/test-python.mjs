// Runs the trainer's pytest suite on CPU, in the trainer's own environment
// (built or reused by scripts/ensure-trainer-env.mjs, test extras included).
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const env = spawnSync('node', ['scripts/ensure-trainer-env.mjs'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
if (env.status !== 0) process.exit(env.status ?? 1);
const python = env.stdout.trim().split('\n').at(-1);
console.log(`trainer environment: ${python}`);

mkdirSync('test-results', { recursive: true });
const r = spawnSync(python, ['-m', 'pytest', '-q', `--junitxml=${resolve('test-results/pytest.xml')}`], {
  cwd: 'native/trainer',
  stdio: 'inherit',
  env: { ...process.env, CUDA_VISIBLE_DEVICES: '' },
});
// pytest exits 5 when it collects no tests: that is a failure here, not a pass.
process.exit(r.status ?? 1);
