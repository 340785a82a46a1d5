// Runs the trainer's pytest suite on CPU. Installs pytest (from PyPI) into the
// user site when this Python lacks it, so a fresh machine needs no manual step.
import { spawnSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';

const python = process.env.PYTHON ?? 'python3';
const has = spawnSync(python, ['-c', 'import pytest'], { stdio: 'ignore' });
if (has.status !== 0) {
  console.log('pytest is missing: installing it with pip (--user)…');
  const pip = spawnSync(python, ['-m', 'pip', 'install', '--user', '--quiet', 'pytest==8.3.4'], { stdio: 'inherit' });
  if (pip.status !== 0) {
    const again = spawnSync(python, ['-m', 'pip', 'install', '--quiet', '--break-system-packages', 'pytest==8.3.4'], { stdio: 'inherit' });
    if (again.status !== 0) process.exit(again.status ?? 1);
  }
}
mkdirSync('test-results', { recursive: true });
const r = spawnSync(python, ['-m', 'pytest', '-q', `--junitxml=${resolve('test-results/pytest.xml')}`], {
  cwd: 'native/trainer',
  stdio: 'inherit',
});
// pytest exits 5 when it collects no tests: that is a failure here, not a pass.
process.exit(r.status ?? 1);
