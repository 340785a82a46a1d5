#!/usr/bin/env node
// Pipeline benchmark: `npm run bench:pipeline` (not part of the tests).
//
//   BENCH_DOCS=N BENCH_REPEAT=K node test/bench/pipeline-bench.mjs
//
// Environment: BENCH_DOCS (default 200,000 documents; 3000 makes a quick
// check), BENCH_REPEAT (default 1: every timed figure is the median over K
// runs, alternating which tool goes first), BENCH_SEED, BENCH_SKIP_MARCO=1
// (leave out the marco run), BENCH_ONLY=datatrove (its half only, e.g. before
// the CLI is built), BENCH_KEEP=1 (keep the workspace and datatrove's files in
// bench-data/).
//
// 1. Generates (or reuses) bench-data/dedup-N.jsonl, N English-like documents
//    ({"id": "<line>", "text": ...}) of which ~10% are planted near-duplicates
//    (generate-dedup-corpus.mjs; ground truth in dedup-N.jsonl.planted.json).
// 2. Makes (or reuses) a throwaway venv, bench-data/venv-datatrove, with
//    datatrove 0.10.1 and what its MinHash needs, from PyPI.
// 3. MinHash dedup, same parameters (5-gram word shingles, 14 bands x 8 rows,
//    seed 1, xxhash64), same documents, both pinned to core 0 (`taskset -c 0`):
//    - datatrove: its 4-stage pipeline (datatrove_minhash.py), timed inside
//      Python over the 4 stages;
//    - Langbridge: `langbridge pipeline run` of a recipe with the one step
//      minhash-dedup, LANGBRIDGE_WORKERS=1; documents/s = documentsIn /
//      elapsedMs, which includes reading the database and writing the shards.
//    Then Langbridge once more on all cores (no pinning, default workers).
// 4. Compares the removed ids (Langbridge: `dataset lineage --step
//    minhash-dedup`; datatrove: its exclusion writer) by Jaccard, after putting
//    datatrove's clusters on Langbridge's keep rule (lowest id kept), and the
//    recall of the planted duplicates for each tool.
// 5. Runs the whole `marco` preset on all cores: documents/s and peak RSS.
// Prints one line per figure (Langbridge, datatrove measured in the same run,
// the ratio, PASS/FAIL against the targets: >= 3x datatrove's documents/s per
// core, agreement >= 0.95) and writes them to bench-data/pipeline-bench-N.json.
// Exits 1 when a target is missed, 2 when the bench could not run.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, statfsSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { treeRssKb } from './bench-utils.mjs';
import { DEDUP_GENERATOR_VERSION, DEFAULT_SEED, generateDedupCorpus } from './generate-dedup-corpus.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'bench-data');
const VENV = join(DATA, 'venv-datatrove');
const VENV_PY = join(VENV, 'bin/python');
const TIME = '/usr/bin/time';
const CLI = join(ROOT, 'bin/langbridge.js');
const DT_SCRIPT = join(ROOT, 'test/bench/datatrove_minhash.py');

const TARGET_RATIO = 3;
const TARGET_AGREEMENT = 0.95;

/**
 * What the venv gets. datatrove's MinHash imports xxhash (HashConfig's
 * xxhash64), spaCy (its English word tokenizer is spacy.blank("en")), regex
 * (word_tokenizers), tokenizers (pulled in by pipeline.dedup's __init__) and
 * orjson (JsonlReader/JsonlWriter); none of them is in datatrove's core
 * dependencies. spaCy is held to 3.8, the version Langbridge's English
 * contraction table was generated from; xxhash<4 is datatrove's own bound.
 */
const VENV_REQUIREMENTS = ['datatrove==0.10.1', 'xxhash<4', 'spacy>=3.8,<3.9', 'regex', 'tokenizers', 'orjson'];

const MINHASH_RECIPE = {
  version: 1,
  name: 'bench-minhash',
  steps: [{ kind: 'minhash-dedup' }],
  mixture: {
    groups: [{ id: 'text', label: 'Text', match: { kind: 'rest' } }],
    stages: [{ name: 'Main' }],
    allocation: { method: 'proportional', maxEpochs: 1 },
  },
  split: { heldOutPercent: 0, minPerLanguage: 0 },
};

// ---------------------------------------------------------------- options

function envInt(name, def) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw.replace(/[_,]/g, ''));
  if (!Number.isInteger(n) || n < 1) throw new BenchError(`${name} must be a positive integer (got "${raw}")`);
  return n;
}

function options() {
  if (process.argv.slice(2).some((a) => a === '--help' || a === '-h')) {
    const src = readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n');
    console.log(src.slice(1, src.findIndex((l, i) => i > 0 && !l.startsWith('//'))).join('\n'));
    process.exit(0);
  }
  if (process.argv.length > 2) throw new BenchError(`this bench takes no arguments (see --help): ${process.argv.slice(2).join(' ')}`);
  return {
    docs: envInt('BENCH_DOCS', 200_000),
    repeat: envInt('BENCH_REPEAT', 1),
    seed: process.env.BENCH_SEED ? Number(process.env.BENCH_SEED) : DEFAULT_SEED,
    skipMarco: process.env.BENCH_SKIP_MARCO === '1',
    datatroveOnly: process.env.BENCH_ONLY === 'datatrove',
    keep: process.env.BENCH_KEEP === '1',
  };
}

// ---------------------------------------------------------------- helpers

const fmt = (n, d = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

function median(xs) {
  const s = xs.filter((x) => x !== null && x !== undefined && !Number.isNaN(x)).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function log(msg) {
  console.log(`[bench] ${msg}`);
}

function tail(s, n = 3000) {
  return s.length > n ? '...' + s.slice(-n) : s;
}

class BenchError extends Error {}


/**
 * Runs a command (under /usr/bin/time when there is one) and returns its wall
 * seconds, peak RSS in MB (the larger of time's %M, the largest single
 * process, and the polled process-tree sum), stdout and stderr.
 */
async function measure(cmd, args, { env = process.env, tools } = {}) {
  const timeOut = join(DATA, `.time-${process.pid}.txt`);
  rmSync(timeOut, { force: true });
  const argv = tools.hasTime ? [TIME, '-f', '%e %M', '-o', timeOut, cmd, ...args] : [cmd, ...args];
  const t0 = performance.now();
  const child = spawn(argv[0], argv.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
    if (stderr.length > 1_000_000) stderr = stderr.slice(-100_000);
  });
  let polledKb = 0;
  const timer = setInterval(() => {
    try {
      polledKb = Math.max(polledKb, treeRssKb(child.pid));
    } catch {
      // racing with exit
    }
  }, 200);
  const code = await new Promise((res, rej) => {
    child.on('error', rej);
    child.on('close', (c, sig) => res(sig ? 128 : c));
  });
  const wall = (performance.now() - t0) / 1000;
  clearInterval(timer);
  let timeKb = null;
  if (tools.hasTime && existsSync(timeOut)) {
    const m = /^([\d.]+) (\d+)$/.exec(readFileSync(timeOut, 'utf8').trim().split('\n').at(-1));
    if (m) timeKb = Number(m[2]);
    rmSync(timeOut, { force: true });
  }
  // time's %M is the biggest single process; the tree sum counts it again, so take the larger, not the sum.
  return { code, wall, peakMb: Math.max(timeKb ?? 0, polledKb) / 1024, stdout, stderr };
}

/** Pinned to core 0 when taskset exists (the targets are per core). */
function pinned(cmd, args, tools) {
  return tools.taskset ? ['taskset', ['-c', '0', cmd, ...args]] : [cmd, args];
}

/** The JSON object a `--json` command printed: the whole stdout, else its last line that parses. */
function parseJsonOutput(stdout, what) {
  try {
    return JSON.parse(stdout);
  } catch {
    // fall through
  }
  for (const line of stdout.trim().split('\n').reverse()) {
    if (!line.trimStart().startsWith('{')) continue;
    try {
      return JSON.parse(line);
    } catch {
      // keep looking
    }
  }
  throw new BenchError(`${what} printed no JSON object on stdout:\n${tail(stdout, 1500)}`);
}

function setJaccard(a, b) {
  const A = new Set(a);
  const B = new Set(b);
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  const union = A.size + B.size - inter;
  return union === 0 ? 1 : inter / union;
}

// ---------------------------------------------------------------- tools

function checkTools() {
  const tools = { hasTime: existsSync(TIME), taskset: spawnSync('taskset', ['-c', '0', 'true']).status === 0 };
  if (!tools.hasTime) log(`${TIME} not found (Debian package "time"); peak RSS comes from polling /proc only.`);
  if (!tools.taskset) log('taskset not found or not allowed (util-linux): the 1-core runs are NOT pinned.');
  const py = spawnSync('python3', ['--version'], { encoding: 'utf8' });
  if (py.status !== 0) throw new BenchError('python3 is missing: the datatrove half needs it (apt-get install python3 python3-venv).');
  tools.python = py.stdout.trim();
  return tools;
}

/**
 * Is the Langbridge half runnable? The CLI must be built (out/main/cli.js) and
 * have `pipeline run` and `dataset lineage`. commander answers `X --help` for
 * an unknown X with the top-level help and exit code 0, so the exit code alone
 * proves nothing: the help text must be the sub-command's own.
 */
function langbridgeStatus() {
  if (!existsSync(join(ROOT, 'out/main/cli.js'))) {
    return { ok: false, why: 'the CLI is not built (out/main/cli.js is missing): run `npm run build` first' };
  }
  const help = (args) => spawnSync(process.execPath, [CLI, ...args, '--help'], { cwd: ROOT, encoding: 'utf8' });
  const run = help(['pipeline', 'run']);
  if (run.status !== 0 || !/Usage: langbridge pipeline run\b/.test(run.stdout)) {
    return { ok: false, why: 'the built CLI has no `langbridge pipeline run` command yet (rebuild with `npm run build` once it exists)' };
  }
  const lineage = help(['dataset', 'lineage']);
  if (lineage.status !== 0 || !/Usage: langbridge dataset lineage\b/.test(lineage.stdout)) {
    return { ok: false, why: 'the built CLI has no `langbridge dataset lineage` command yet (rebuild with `npm run build` once it exists)' };
  }
  return { ok: true };
}

// ---------------------------------------------------------------- corpus

async function ensureCorpus(docs, seed) {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `dedup-${docs}.jsonl`);
  const plantedFile = `${file}.planted.json`;
  const metaFile = `${file}.meta.json`;
  if (existsSync(file) && existsSync(metaFile) && existsSync(plantedFile)) {
    try {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
      if (meta.version === DEDUP_GENERATOR_VERSION && meta.docs === docs && meta.seed === seed && statSync(file).size === meta.bytes) {
        log(`reusing ${basename(file)} (${fmt(meta.bytes / 1e6, 1)} MB, ${fmt(meta.copies)} planted copies)`);
        return { file, plantedFile, ...meta };
      }
    } catch {
      // regenerate
    }
  }
  const free = statfsSync(DATA).bavail * statfsSync(DATA).bsize;
  if (free < docs * 1800 * 6) throw new BenchError(`not enough disk in ${DATA} for the corpus, the workspace and datatrove's output (~${fmt((docs * 1800 * 6) / 1e9, 1)} GB)`);
  log(`generating ${fmt(docs)} documents into ${basename(file)} ...`);
  const t0 = performance.now();
  const meta = await generateDedupCorpus({ docs, seed, out: file });
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  log(`generated ${fmt(meta.bytes / 1e6, 1)} MB in ${fmt((performance.now() - t0) / 1000, 1)} s: ${fmt(meta.copies)} planted copies in ${fmt(meta.clusters)} clusters, shingle Jaccard p10/median/p90 ${meta.jaccard.p10}/${meta.jaccard.median}/${meta.jaccard.p90}`);
  return { file, plantedFile, ...meta };
}

// ---------------------------------------------------------------- datatrove

function venvReady() {
  if (!existsSync(VENV_PY)) return false;
  const marker = join(VENV, '.bench-requirements');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== VENV_REQUIREMENTS.join('\n')) return false;
  const probe = spawnSync(VENV_PY, ['-c', 'import datatrove.pipeline.dedup.minhash, spacy, xxhash, orjson'], { encoding: 'utf8' });
  return probe.status === 0;
}

/** Creates or repairs the venv. Returns the seconds it took, or null when it was reused as is. */
function ensureVenv() {
  if (venvReady()) {
    log(`reusing ${basename(VENV)} (${VENV_REQUIREMENTS.join(' ')})`);
    return null;
  }
  log(`installing ${VENV_REQUIREMENTS.join(' ')} into ${basename(VENV)} (python3 -m venv + pip, from PyPI) ...`);
  const t0 = performance.now();
  if (!existsSync(VENV_PY)) {
    const mk = spawnSync('python3', ['-m', 'venv', VENV], { encoding: 'utf8' });
    if (mk.status !== 0) throw new BenchError(`python3 -m venv failed (Debian: apt-get install python3-venv):\n${tail(mk.stderr)}`);
  }
  const pip = spawnSync(VENV_PY, ['-m', 'pip', 'install', '--disable-pip-version-check', '-q', ...VENV_REQUIREMENTS], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (pip.status !== 0) throw new BenchError(`pip install into ${VENV} failed:\n${tail(pip.stderr + pip.stdout)}`);
  writeFileSync(join(VENV, '.bench-requirements'), VENV_REQUIREMENTS.join('\n'));
  if (!venvReady()) throw new BenchError(`the venv ${VENV} still cannot import datatrove's MinHash after the install`);
  const s = (performance.now() - t0) / 1000;
  log(`venv ready in ${fmt(s, 1)} s`);
  return s;
}

async function runDatatrove(corpus, workDir, tools) {
  const out = join(DATA, `.datatrove-${process.pid}.json`);
  rmSync(out, { force: true });
  const [cmd, args] = pinned(VENV_PY, [DT_SCRIPT, '--input', corpus.file, '--work', workDir, '--out', out], tools);
  const saved = join(DATA, `datatrove-result-${corpus.docs}.json`);
  const key = { docs: corpus.docs, seed: corpus.seed, bytes: corpus.bytes, version: DEDUP_GENERATOR_VERSION };
  // BENCH_REUSE_DATATROVE=1: datatrove takes ~25 min at 200k on one core; reuse the last
  // measurement of the very same corpus (same generator version, seed, size) and say so.
  if (process.env.BENCH_REUSE_DATATROVE === '1' && existsSync(saved)) {
    const prev = JSON.parse(readFileSync(saved, 'utf8'));
    if (JSON.stringify(prev.key) === JSON.stringify(key)) {
      log(`datatrove: REUSED the measurement of ${prev.measuredAt} on the same corpus (BENCH_REUSE_DATATROVE=1): ${fmt(prev.result.docsPerS)} docs/s`);
      return { ...prev.result, reusedFrom: prev.measuredAt };
    }
  }
  const m = await measure(cmd, args, { tools, env: { ...process.env, PYTHONHASHSEED: '0', OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1' } });
  if (m.code !== 0 || !existsSync(out)) throw new BenchError(`datatrove failed (exit ${m.code}):\n${tail(m.stderr)}`);
  const r = JSON.parse(readFileSync(out, 'utf8'));
  rmSync(out, { force: true });
  writeFileSync(saved, JSON.stringify({ key, measuredAt: new Date().toISOString(), result: { ...r, docsPerS: corpus.docs / r.total_s, processWall: m.wall, peakMb: m.peakMb } }));
  if (!r.ids_are_indices) log('WARNING: datatrove\'s removed "id"s are not its document indices: the ids in the file are not the line numbers?');
  if (r.docs_in !== null && r.docs_in !== corpus.docs) log(`WARNING: datatrove read ${r.docs_in} documents, the file has ${corpus.docs}`);
  const docsPerS = corpus.docs / r.total_s;
  log(
    `datatrove: ${fmt(docsPerS)} docs/s (${fmt(r.total_s, 1)} s: ` +
      Object.entries(r.stage_s)
        .map(([k, v]) => `${k} ${fmt(v, 1)}`)
        .join(', ') +
      `), removed ${fmt(r.removed.length)}, peak RSS ${fmt(m.peakMb)} MB`,
  );
  return { ...r, docsPerS, processWall: m.wall, peakMb: m.peakMb };
}

// ---------------------------------------------------------------- langbridge

async function langbridge(args, { tools, env = {}, pin = false, what }) {
  const [cmd, argv] = pin ? pinned(process.execPath, [CLI, ...args], tools) : [process.execPath, [CLI, ...args]];
  const m = await measure(cmd, argv, { tools, env: { ...process.env, ...env } });
  if (m.code !== 0) throw new BenchError(`${what} failed (exit ${m.code}):\n${tail(m.stderr + '\n' + m.stdout)}`);
  return { ...m, json: parseJsonOutput(m.stdout, what) };
}

async function importCorpus(corpus, ws, tools) {
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(ws, { recursive: true });
  log(`importing ${basename(corpus.file)} into ${basename(ws)} (not timed as part of either figure) ...`);
  const r = await langbridge(['import', corpus.file, '--format', 'jsonl', '--lang', 'eng', '--workspace', ws, '--json'], {
    tools,
    what: 'langbridge import',
  });
  log(`imported in ${fmt(r.wall, 1)} s (${fmt(corpus.docs / r.wall)} docs/s)`);
  return { wall: r.wall, summary: r.json };
}

async function runPipeline(ws, source, { tools, workers, pin, label }) {
  const env = workers ? { LANGBRIDGE_WORKERS: String(workers) } : {};
  const args = ['pipeline', 'run', ...source, '--workspace', ws, '--json'];
  const r = await langbridge(args, { tools, env, pin, what: `langbridge ${args.join(' ')}` });
  const j = r.json;
  for (const k of ['datasetId', 'documentsIn', 'elapsedMs']) {
    if (j[k] === undefined) throw new BenchError(`langbridge pipeline run --json has no "${k}": ${JSON.stringify(j).slice(0, 500)}`);
  }
  const docsPerS = j.documentsIn / (j.elapsedMs / 1000);
  log(
    `langbridge ${label}: ${fmt(docsPerS)} docs/s (${fmt(j.elapsedMs / 1000, 1)} s, ${j.workers ?? '?'} workers; ` +
      Object.entries(j.phases ?? {})
        .map(([k, v]) => `${k} ${fmt(v / 1000, 1)}`)
        .join(', ') +
      `), peak RSS ${fmt(j.peakRssMb)} MB reported / ${fmt(r.peakMb)} MB measured`,
  );
  return { ...j, docsPerS, processWall: r.wall, measuredPeakMb: r.peakMb };
}

/** Removed document ids (= JSONL "id" = 0-based line) of a dataset's minhash-dedup step. */
async function removedIds(ws, datasetId, tools, limit) {
  const args = ['dataset', 'lineage', String(datasetId), '--step', 'minhash-dedup', '--action', 'removed', '--limit', String(limit), '--workspace', ws, '--json'];
  const r = await langbridge(args, { tools, what: `langbridge ${args.join(' ')}` });
  const rows = r.json.rows;
  if (!Array.isArray(rows)) throw new BenchError(`dataset lineage --json has no "rows" array: ${r.stdout.slice(0, 500)}`);
  if (typeof r.json.total === 'number' && r.json.total > rows.length) {
    throw new BenchError(`dataset lineage returned ${rows.length} of ${r.json.total} rows; the bench needs all of them`);
  }
  const ids = [];
  let disagree = 0;
  for (const row of rows) {
    if (row.action !== 'removed' || (row.step !== undefined && row.step !== 'minhash-dedup')) continue;
    // The JSONL importer's ref is "line N" (1-based); ordinal counts imported records from 1.
    const m = typeof row.ref === 'string' ? /^line (\d+)$/.exec(row.ref) : null;
    const fromRef = m ? Number(m[1]) - 1 : null;
    const fromOrdinal = typeof row.ordinal === 'number' ? row.ordinal - 1 : null;
    if (fromRef !== null && fromOrdinal !== null && fromRef !== fromOrdinal) disagree++;
    const id = fromRef ?? fromOrdinal;
    if (id === null) throw new BenchError(`a lineage row has neither a "line N" ref nor an ordinal: ${JSON.stringify(row)}`);
    ids.push(id);
  }
  if (disagree) log(`WARNING: ${disagree} lineage rows have ref line - 1 != ordinal - 1 (the ids come from the ref)`);
  return ids.sort((a, b) => a - b);
}

// ---------------------------------------------------------------- main

function recallFigures(removed, planted) {
  const R = new Set(removed);
  const copies = planted.pairs.map((p) => p[0]);
  const C = new Set(copies);
  let hit = 0;
  for (const c of copies) if (R.has(c)) hit++;
  let falseRemovals = 0;
  for (const x of R) if (!C.has(x)) falseRemovals++;
  return { recall: copies.length ? hit / copies.length : null, falseRemovals, removed: R.size };
}

/** Recall of a planted pair at Jaccard s under 14 bands x 8 rows, if s were the MinHash similarity. */
function lshExpectedRecall(planted) {
  if (!planted.pairs.length) return null;
  let sum = 0;
  for (const [, , s] of planted.pairs) sum += 1 - (1 - s ** 8) ** 14;
  return sum / planted.pairs.length;
}

async function main() {
  const o = options();
  const tools = checkTools();
  const corpus = await ensureCorpus(o.docs, o.seed);
  const planted = JSON.parse(readFileSync(corpus.plantedFile, 'utf8'));
  const venvInstallS = ensureVenv();
  const lb = o.datatroveOnly ? { ok: false, why: 'BENCH_ONLY=datatrove', chosen: true } : langbridgeStatus();
  if (!lb.ok) log(`Langbridge half unavailable: ${lb.why}. Running the datatrove half only.`);

  const ws = join(DATA, `pipeline-ws-${o.docs}`);
  const dtWork = join(DATA, `datatrove-work-${o.docs}`);
  const recipeFile = join(DATA, 'bench-minhash.recipe.json');
  writeFileSync(recipeFile, JSON.stringify(MINHASH_RECIPE, null, 2));

  let imported = null;
  if (lb.ok) imported = await importCorpus(corpus, ws, tools);

  log(`${o.repeat} run(s) of each tool on one core${tools.taskset ? ' (taskset -c 0)' : ''}; datatrove does ~100-150 docs/s there, so expect ~${fmt(o.docs / 130 / 60, 1)} min per datatrove run`);
  const dtRuns = [];
  const lbRuns = [];
  for (let r = 0; r < o.repeat; r++) {
    const order = r % 2 === 0 ? ['datatrove', 'langbridge'] : ['langbridge', 'datatrove'];
    for (const side of order) {
      if (side === 'datatrove') dtRuns.push(await runDatatrove(corpus, dtWork, tools));
      else if (lb.ok) lbRuns.push(await runPipeline(ws, ['--recipe', recipeFile], { tools, workers: 1, pin: true, label: 'minhash (1 core)' }));
    }
  }
  const dt = dtRuns.at(-1);
  const dtDocsPerS = median(dtRuns.map((x) => x.docsPerS));

  const lines = [];
  const results = [];
  const note = (s) => lines.push(`note: ${s}`);
  lines.push(
    `corpus: ${fmt(corpus.docs)} documents (${fmt(corpus.bytes / 1e6, 1)} MB), ${fmt(planted.pairs.length)} planted near-duplicates in ${fmt(corpus.clusters)} clusters, shingle Jaccard p10/median/p90 ${corpus.jaccard.p10}/${corpus.jaccard.median}/${corpus.jaccard.p90}; medians over ${o.repeat} run(s)`,
  );
  lines.push(
    `datatrove ${dt.versions.datatrove} (spaCy ${dt.versions.spacy}, numpy ${dt.versions.numpy}, xxhash ${dt.versions.xxhash}, Python ${dt.versions.python}), ${dt.config}; venv ${venvInstallS === null ? 'reused' : `installed in ${fmt(venvInstallS, 1)} s`}`,
  );
  lines.push(
    `datatrove stages (s, median): ` +
      Object.keys(dt.stage_s)
        .map((k) => `${k} ${fmt(median(dtRuns.map((x) => x.stage_s[k])), 1)}`)
        .join(', ') +
      ` (+ ${fmt(dt.import_s, 1)} s of Python imports, not counted)`,
  );

  let lbMinhash = null;
  let lbAll = null;
  let marco = null;
  let agreement = null;
  if (lb.ok) {
    const lbDocsPerS = median(lbRuns.map((x) => x.docsPerS));
    const ratio = lbDocsPerS / dtDocsPerS;
    const pass = ratio >= TARGET_RATIO;
    results.push({ figure: 'minhash docs/s (1 core)', langbridge: lbDocsPerS, datatrove: dtDocsPerS, ratio, target: `>= ${TARGET_RATIO}x`, pass });
    lines.push(
      `minhash docs/s (1 core)  langbridge ${fmt(lbDocsPerS)}  datatrove ${fmt(dtDocsPerS)}  ratio ${fmt(ratio, 2)}x  target >= ${TARGET_RATIO}x ${pass ? 'PASS' : 'FAIL'}`,
    );
    const last = lbRuns.at(-1);
    lines.push(
      `langbridge minhash phases (s, last 1-core run): ` +
        Object.entries(last.phases ?? {})
          .map(([k, v]) => `${k} ${fmt(v / 1000, 1)}`)
          .join(', '),
    );
    if (last.documentsIn !== corpus.docs) note(`langbridge's documentsIn is ${last.documentsIn}, the file has ${corpus.docs} documents`);

    lbAll = await runPipeline(ws, ['--recipe', recipeFile], { tools, pin: false, label: 'minhash (all cores)' });
    results.push({ figure: 'minhash docs/s (all cores)', langbridge: lbAll.docsPerS, workers: lbAll.workers, datatrove1Core: dtDocsPerS });
    lines.push(
      `minhash docs/s (all cores, ${lbAll.workers ?? '?'} workers)  langbridge ${fmt(lbAll.docsPerS)}  datatrove (1 core, one input file: its tasks shard by file) ${fmt(dtDocsPerS)}  ratio ${fmt(lbAll.docsPerS / dtDocsPerS, 2)}x`,
    );
    lines.push(
      `minhash peak RSS MB (1 core)  langbridge ${fmt(last.measuredPeakMb)} (reported ${fmt(last.peakRssMb)})  datatrove ${fmt(dt.peakMb)}`,
    );

    // Agreement: the removed ids of the (last) 1-core run.
    const lbRemoved = await removedIds(ws, last.datasetId, tools, corpus.docs);
    const lbAllRemoved = await removedIds(ws, lbAll.datasetId, tools, corpus.docs);
    if (setJaccard(lbRemoved, lbAllRemoved) !== 1) note('langbridge removed different documents with 1 worker and with all workers');
    agreement = setJaccard(lbRemoved, dt.removed_lowest_kept);
    const rawAgreement = setJaccard(lbRemoved, dt.removed);
    const passA = agreement >= TARGET_AGREEMENT;
    results.push({ figure: 'removed-set agreement (Jaccard)', value: agreement, rawDatatroveKeepRule: rawAgreement, target: `>= ${TARGET_AGREEMENT}`, pass: passA });
    lines.push(
      `removed-set agreement (Jaccard) ${fmt(agreement, 3)}  target >= ${TARGET_AGREEMENT} ${passA ? 'PASS' : 'FAIL'}  (langbridge ${fmt(lbRemoved.length)} removed, datatrove ${fmt(dt.removed_lowest_kept.length)} with the lowest id of each cluster kept)`,
    );
    lines.push(
      `removed-set agreement with datatrove's own keep rule (Jaccard) ${fmt(rawAgreement, 3)}  (datatrove keeps a document that is not its cluster's lowest id in ${fmt(dt.clusters_kept_not_lowest)} of ${fmt(dt.clusters)} clusters)`,
    );
    const lr = recallFigures(lbRemoved, planted);
    const dr = recallFigures(dt.removed_lowest_kept, planted);
    const drRaw = recallFigures(dt.removed, planted);
    results.push({ figure: 'planted-duplicate recall', langbridge: lr, datatrove: dr, datatroveOwnKeepRule: drRaw, lshExpected: lshExpectedRecall(planted) });
    lines.push(
      `planted-duplicate recall  langbridge ${fmt(lr.recall, 3)}  datatrove ${fmt(dr.recall, 3)} (own keep rule ${fmt(drRaw.recall, 3)})  LSH curve on the planted Jaccards ${fmt(lshExpectedRecall(planted), 3)}`,
    );
    lines.push(`removed but not planted  langbridge ${fmt(lr.falseRemovals)}  datatrove ${fmt(dr.falseRemovals)} (own keep rule ${fmt(drRaw.falseRemovals)})`);
    lbMinhash = { runs: lbRuns, docsPerS: lbDocsPerS, removed: lbRemoved.length };
  } else {
    const dr = recallFigures(dt.removed_lowest_kept, planted);
    lines.push(`minhash docs/s (1 core)  langbridge n/a  datatrove ${fmt(dtDocsPerS)}`);
    lines.push(`planted-duplicate recall  datatrove ${fmt(dr.recall, 3)} (own keep rule ${fmt(recallFigures(dt.removed, planted).recall, 3)})  LSH curve ${fmt(lshExpectedRecall(planted), 3)}`);
    lines.push(`removed but not planted  datatrove ${fmt(dr.falseRemovals)}; datatrove keeps a non-lowest id in ${fmt(dt.clusters_kept_not_lowest)} of ${fmt(dt.clusters)} clusters`);
  }

  if (lb.ok && !o.skipMarco) {
    marco = await runPipeline(ws, ['--preset', 'marco'], { tools, pin: false, label: 'marco (all cores)' });
    results.push({ figure: 'marco pipeline docs/s', langbridge: marco.docsPerS, workers: marco.workers });
    results.push({ figure: 'marco peak RSS MB', reported: marco.peakRssMb, measured: marco.measuredPeakMb });
    lines.push(`marco pipeline docs/s (all cores, ${marco.workers ?? '?'} workers)  langbridge ${fmt(marco.docsPerS)}  (${fmt(marco.elapsedMs / 1000, 1)} s for ${fmt(marco.documentsIn)} documents)`);
    lines.push(`marco peak RSS  ${fmt(marco.measuredPeakMb)} MB measured (process tree)  ${fmt(marco.peakRssMb)} MB reported`);
    lines.push(
      `marco phases (s): ` +
        Object.entries(marco.phases ?? {})
          .map(([k, v]) => `${k} ${fmt(v / 1000, 1)}`)
          .join(', ') +
        '; removed per step: ' +
        (marco.steps ?? []).map((s) => `${s.kind} ${fmt(s.removed)}`).join(', '),
    );
  }

  note(
    "import time is in neither figure: datatrove reads the JSONL file directly, Langbridge reads documents it had imported into its database" +
      (imported ? ` (the import took ${fmt(imported.wall, 1)} s here)` : ''),
  );
  note(
    "datatrove's time is its 4 stages (signatures, buckets, clusters, filter writing the kept documents gzipped and the removed ones through its exclusion writer); Langbridge's is the pipeline's elapsedMs (reading the database, signatures, clustering, writing the shards)",
  );
  note('1-core figures are pinned to core 0 (taskset -c 0) for both tools, LANGBRIDGE_WORKERS=1; other runs use every core');

  console.log(['', ...lines, ''].join('\n'));
  const failed = !lb.ok || results.some((r) => r.pass === false);
  console.log(lb.ok ? `RESULT: ${failed ? 'FAIL' : 'PASS'}` : `RESULT: INCOMPLETE: ${lb.why}`);

  const strip = (x) => {
    if (!x) return x;
    const { removed, removed_lowest_kept, ...rest } = x;
    return { ...rest, removedCount: removed?.length, removedLowestKeptCount: removed_lowest_kept?.length };
  };
  writeFileSync(
    join(DATA, `pipeline-bench-${o.docs}.json`),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        docs: corpus.docs,
        bytes: corpus.bytes,
        seed: corpus.seed,
        repeat: o.repeat,
        node: process.version,
        python: tools.python,
        pinned: tools.taskset,
        venvInstallS,
        langbridgeAvailable: lb.ok,
        langbridgeUnavailableWhy: lb.ok ? undefined : lb.why,
        importWallS: imported?.wall,
        datatrove: { docsPerS: dtDocsPerS, runs: dtRuns.map(strip) },
        langbridge: lbMinhash ? { docsPerS: lbMinhash.docsPerS, runs: lbMinhash.runs, allCores: lbAll, marco } : undefined,
        agreement,
        results,
        lines,
      },
      null,
      2,
    ),
  );
  if (!o.keep) {
    rmSync(dtWork, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  } else log(`kept ${basename(ws)} and ${basename(dtWork)} in bench-data/`);
  process.exitCode = lb.chosen ? 0 : !lb.ok ? 2 : failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[bench] ${process.env.BENCH_DEBUG || !(err instanceof BenchError) ? err.stack : err.message}`);
    process.exitCode = 2;
  });
}
