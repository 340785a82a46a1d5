#!/usr/bin/env node
// Metrics benchmark: `npm run bench:metrics` (not part of the tests).
//
//   BENCH_DOCS=N BENCH_REPEAT=K node test/bench/metrics-bench.mjs
//
// Environment: BENCH_DOCS (default 100,000 segment pairs), BENCH_REPEAT
// (default 3: every timed figure is the median over K runs, alternating which
// tool goes first), BENCH_SEED, BENCH_PIN=0 (do not pin to one core),
// LANGBRIDGE_PYTHON (a Python with sacrebleu 2.6.0; default: the trainer
// environment that `langbridge doctor --json` reports).
//
// 1. Generates (or reuses) bench-data/metric-pairs-N-vV/{hyp,ref}.txt, N
//    line-aligned pairs in nine languages and eight scripts
//    (generate-metric-pairs.mjs).
// 2. For chrF++ and for BLEU (13a, exp smoothing), runs in the same session,
//    both pinned to core 0 (`taskset -c 0`):
//    - sacrebleu's command line: `python -m sacrebleu REF -i HYP -m chrf
//      --chrf-word-order 2 -b -w 10` (and `-m bleu`);
//    - Langbridge's command line: `langbridge score --metric chrf++ --hyp HYP
//      --ref REF --json` (and `--metric bleu`);
//    each timed end to end (process start, reading the files, scoring) with
//    /usr/bin/time: wall seconds and CPU seconds (user + sys).
//    Then the library alone, in process (files already read, no CLI start-up).
// 3. Compares the scores: sacrebleu prints 10 decimals; Langbridge's score is
//    formatted the same way (Python's rounding).
// Prints one line per figure (Langbridge, sacrebleu measured in the same run,
// the ratio, PASS/FAIL against the targets: >= 5x faster than sacrebleu in
// wall time AND in CPU time, since on a busy machine the wall-clock ratio
// flatters the faster tool; identical scores) and writes them to
// bench-data/metrics-bench-N.json.
// Exits 1 when a target is missed, 2 when the bench could not run.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_SEED, GENERATOR_VERSION, writeMetricPairs } from './generate-metric-pairs.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'bench-data');
const CLI = join(ROOT, 'bin/langbridge.js');
const TIME = '/usr/bin/time';
const TARGET_RATIO = 5;

const o = {
  docs: Number(process.env.BENCH_DOCS ?? 100_000),
  repeat: Number(process.env.BENCH_REPEAT ?? 3),
  seed: Number(process.env.BENCH_SEED ?? DEFAULT_SEED),
  pin: process.env.BENCH_PIN !== '0',
};

const log = (msg) => console.error(`[bench] ${msg}`);
const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? '—' : x.toFixed(d));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function die(msg) {
  console.log(`RESULT: INCOMPLETE: ${msg}`);
  process.exit(2);
}

function hasSacrebleu(python) {
  const r = spawnSync(python, ['-c', 'import sacrebleu, sys; sys.exit(0 if sacrebleu.__version__ == "2.6.0" else 3)'], { stdio: 'ignore' });
  return r.status === 0;
}

function findPython() {
  const fromEnv = process.env.LANGBRIDGE_PYTHON;
  if (fromEnv && hasSacrebleu(fromEnv)) return fromEnv;
  if (fromEnv) log(`$LANGBRIDGE_PYTHON (${fromEnv}) lacks sacrebleu 2.6.0; trying the trainer environment`);
  const r = spawnSync(process.execPath, [CLI, 'doctor', '--json'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  let py = null;
  for (const line of [r.stdout ?? '', ...(r.stdout ?? '').trim().split('\n').reverse()]) {
    try {
      py = JSON.parse(line).environment?.python ?? null;
      break;
    } catch {
      // progress lines come before the JSON document
    }
  }
  if (py && hasSacrebleu(py)) return py;
  return null;
}

/** Runs a command under /usr/bin/time; returns stdout and wall/cpu seconds. */
function timed(cmd, args) {
  const pinned = o.pin && existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', '0', cmd, ...args] : [cmd, ...args];
  const r = spawnSync(TIME, ['-f', '@@time %e %U %S', ...pinned], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 26 });
  const m = /@@time (\S+) (\S+) (\S+)\s*$/.exec(r.stderr ?? '');
  if (r.status !== 0 || !m) throw new Error(`${cmd} ${args.join(' ')} failed (exit ${r.status}): ${(r.stderr ?? '').replace(/@@time.*$/s, '').trim().slice(-800)}`);
  return { stdout: r.stdout, wall: Number(m[1]), cpu: Number(m[2]) + Number(m[3]) };
}

/** Python's f"{x:.10f}" (exact ties round half to even; never met by these scores in practice). */
function pyFixed(x, d) {
  const s2 = x * 2 ** (d + 1);
  if (Number.isInteger(s2) && Math.abs(s2 % 2) === 1) {
    let k = Math.floor(x * 10 ** d);
    if (k % 2) k += 1;
    return (k / 10 ** d).toFixed(d);
  }
  return x.toFixed(d);
}

const METRICS = [
  { name: 'chrF++', sacrebleu: ['-m', 'chrf', '--chrf-word-order', '2'], langbridge: ['--metric', 'chrf++'] },
  { name: 'BLEU', sacrebleu: ['-m', 'bleu'], langbridge: ['--metric', 'bleu'] },
];

async function main() {
  if (!existsSync(TIME)) die(`${TIME} is needed to time the runs (apt-get install time)`);
  if (!existsSync(join(ROOT, 'out/main/cli.js'))) die('the CLI is not built: run `npm run build` first');
  const help = spawnSync(process.execPath, [CLI, 'score', '--help'], { cwd: ROOT, encoding: 'utf8' });
  if (help.status !== 0) die('this build of the CLI has no `score` command: run `npm run build`');
  const python = findPython();
  if (!python) die('no Python with sacrebleu 2.6.0: set LANGBRIDGE_PYTHON, or build the trainer environment with `node bin/langbridge.js doctor --install`');

  const dir = join(DATA, `metric-pairs-${o.docs}-v${GENERATOR_VERSION}${o.seed === DEFAULT_SEED ? '' : `-s${o.seed}`}`);
  const hyp = join(dir, 'hyp.txt');
  const ref = join(dir, 'ref.txt');
  if (!existsSync(hyp) || !existsSync(ref)) {
    log(`generating ${o.docs} segment pairs in ${dir}`);
    writeMetricPairs(dir, o.docs, o.seed);
  }
  const bytes = readFileSync(hyp).length + readFileSync(ref).length;
  log(`python: ${python}; ${o.docs} pairs (${fmt(bytes / 1e6, 1)} MB); ${o.repeat} run(s) per tool${o.pin ? ', pinned to core 0' : ''}`);

  const results = [];
  for (const m of METRICS) {
    const runs = { sacrebleu: [], langbridge: [] };
    let sbScore = null;
    let lbScore = null;
    for (let k = 0; k < o.repeat; k++) {
      const order = k % 2 === 0 ? ['sacrebleu', 'langbridge'] : ['langbridge', 'sacrebleu'];
      for (const tool of order) {
        if (tool === 'sacrebleu') {
          const r = timed(python, ['-m', 'sacrebleu', ref, '-i', hyp, ...m.sacrebleu, '-b', '-w', '10']);
          sbScore = r.stdout.trim();
          runs.sacrebleu.push(r);
        } else {
          const r = timed(process.execPath, [CLI, 'score', ...m.langbridge, '--hyp', hyp, '--ref', ref, '--json']);
          lbScore = JSON.parse(r.stdout).score;
          runs.langbridge.push(r);
        }
        const last = runs[tool].at(-1);
        log(`${m.name} ${tool} run ${k + 1}: ${fmt(last.wall)} s wall, ${fmt(last.cpu)} s CPU`);
      }
    }
    const lib = libraryRun(m.name, hyp, ref);
    results.push({
      metric: m.name,
      sacrebleu: { wall: median(runs.sacrebleu.map((r) => r.wall)), cpu: median(runs.sacrebleu.map((r) => r.cpu)), score: sbScore },
      langbridge: { wall: median(runs.langbridge.map((r) => r.wall)), cpu: median(runs.langbridge.map((r) => r.cpu)), score: lbScore, score10: pyFixed(lbScore, 10) },
      library: lib,
      runs,
    });
  }

  const lines = [`${o.docs} segment pairs (${fmt(bytes / 1e6, 1)} MB, 9 languages, 8 scripts); medians over ${o.repeat} run(s), peer: sacrebleu 2.6.0 CLI (${python})`];
  let failed = false;
  for (const r of results) {
    const ratio = r.sacrebleu.wall / r.langbridge.wall;
    const cpuRatio = r.sacrebleu.cpu / r.langbridge.cpu;
    const pass = ratio >= TARGET_RATIO && cpuRatio >= TARGET_RATIO;
    const same = r.sacrebleu.score === r.langbridge.score10;
    failed ||= !pass || !same;
    lines.push(
      `${r.metric.padEnd(6)} CLI wall s   langbridge ${fmt(r.langbridge.wall)}  sacrebleu ${fmt(r.sacrebleu.wall)}  ratio ${fmt(ratio, 1)}x  target >= ${TARGET_RATIO}x ${ratio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`,
      `${r.metric.padEnd(6)} CLI CPU s    langbridge ${fmt(r.langbridge.cpu)}  sacrebleu ${fmt(r.sacrebleu.cpu)}  ratio ${fmt(cpuRatio, 1)}x  target >= ${TARGET_RATIO}x ${cpuRatio >= TARGET_RATIO ? 'PASS' : 'FAIL'}`,
      `${r.metric.padEnd(6)} library s    langbridge ${fmt(r.library.seconds)} (in process, files already read)  sacrebleu CLI CPU ${fmt(r.sacrebleu.cpu)}  ratio ${fmt(r.sacrebleu.cpu / r.library.seconds, 1)}x  (no target: shows the CLI start-up share)`,
      `${r.metric.padEnd(6)} score        langbridge ${r.langbridge.score10}  sacrebleu ${r.sacrebleu.score}  ${same ? 'IDENTICAL PASS' : 'DIFFERENT FAIL'}`,
    );
  }
  const out = join(DATA, `metrics-bench-${o.docs}.json`);
  writeFileSync(out, JSON.stringify({ docs: o.docs, repeat: o.repeat, seed: o.seed, python, results, at: new Date().toISOString() }, null, 2));
  console.log(['', ...lines, `written to ${out}`, ''].join('\n'));
  console.log(`RESULT: ${failed ? 'FAIL' : 'PASS'}`);
  process.exit(failed ? 1 : 0);
}

/** The metric alone, in a fresh Node process that imports the TypeScript source through tsx. */
function libraryRun(metric, hyp, ref) {
  const script = join(ROOT, 'test/bench/metrics-library-run.ts');
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, metric, hyp, ref, String(o.repeat)], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`library run failed: ${r.stderr.slice(-800)}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

main().catch((err) => die(err.message));
