// `npm test`: every suite in order (typecheck, build, the trainer's Python
// environment, unit, trainer, end-to-end),
// then one closing line with the totals. A failing stage does not hide the
// others' results, but makes the whole run fail.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const stages = [
  { name: 'typecheck', cmd: ['npm', 'run', 'typecheck'] },
  { name: 'build', cmd: ['npm', 'run', 'build'] },
  // Before the unit tests: some of them drive the trainer's environment (ONNX parity, evaluation jobs).
  { name: 'trainer environment', cmd: ['node', 'scripts/ensure-trainer-env.mjs'] },
  { name: 'unit (vitest)', cmd: ['npx', 'vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile=test-results/vitest.json'], counts: vitestCounts },
  { name: 'trainer (pytest)', cmd: ['node', 'scripts/test-python.mjs'], counts: pytestCounts },
  { name: 'end-to-end (playwright)', cmd: ['npm', 'run', 'test:e2e'], counts: playwrightCounts },
];

function vitestCounts() {
  const r = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  return { passed: r.numPassedTests, failed: r.numFailedTests, skipped: r.numPendingTests + (r.numTodoTests ?? 0) };
}

function pytestCounts() {
  const xml = readFileSync('test-results/pytest.xml', 'utf8');
  const attr = (k) => Number(new RegExp(`<testsuite[^>]*\\s${k}="(\\d+)"`).exec(xml)?.[1] ?? 0);
  const tests = attr('tests');
  const failed = attr('failures') + attr('errors');
  const skipped = attr('skipped');
  return { passed: tests - failed - skipped, failed, skipped };
}

function playwrightCounts() {
  const r = JSON.parse(readFileSync('test-results/e2e.json', 'utf8'));
  const s = r.stats;
  return { passed: s.expected + (s.flaky ?? 0), failed: s.unexpected, skipped: s.skipped };
}

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });
const total = { passed: 0, failed: 0, skipped: 0 };
const failedStages = [];
for (const stage of stages) {
  console.log(`\n=== ${stage.name}`);
  const started = Date.now();
  const r = spawnSync(stage.cmd[0], stage.cmd.slice(1), { stdio: 'inherit' });
  const ok = r.status === 0;
  if (!ok) failedStages.push(stage.name);
  if (stage.counts) {
    try {
      const c = stage.counts();
      total.passed += c.passed;
      total.failed += c.failed;
      total.skipped += c.skipped;
      console.log(`=== ${stage.name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped (${Math.round((Date.now() - started) / 1000)} s)`);
      if (!ok && c.failed === 0) total.failed++; // the runner itself failed
    } catch {
      total.failed++;
      console.log(`=== ${stage.name}: no results (the runner failed before reporting)`);
    }
  } else if (!ok) {
    total.failed++;
  }
  // Later stages need the build; stop early if it did not happen.
  if (!ok && (stage.name === 'build' || !existsSync('out/main/cli.js'))) break;
}
if (failedStages.length) console.log(`\nFailed stages: ${failedStages.join(', ')}`);
console.log(`\nTotal: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(failedStages.length ? 1 : 0);
