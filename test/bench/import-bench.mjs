#!/usr/bin/env node
// Import benchmark: `npm run bench:import` (not part of the tests).
//
//   node test/bench/import-bench.mjs [--docs N] [--runs K] [--keep] [--seed S]
//                                    [--only langbridge|sqlite3] [--queries Q]
//
// 1. Generates (or reuses) a deterministic JSONL corpus in bench-data/
//    (generate-corpus.mjs; default 2,000,000 documents, ~500 MB, 7 languages
//    in 6 scripts).
// 2. Imports it with Langbridge's CLI (`langbridge import --format jsonl
//    --lang-field lang --json`) and, in the same run, loads the same rows into
//    the same schema with Debian's sqlite3 command-line shell (the "peer").
//    Each is timed by wall clock, with peak RSS from /usr/bin/time (%M) and a
//    poller summing VmRSS over the process tree.
// 3. Times full-text search (100 queries in Latin, Ethiopic and Thai script)
//    on both databases, in this process, through better-sqlite3.
// 4. Prints one line per figure: Langbridge, the peer measured in the same
//    run, the ratio, and PASS/FAIL against the targets (import throughput
//    >= 0.7x the peer's; Langbridge peak RSS < 400 MB; FTS p95 < 50 ms).
//    With --runs K > 1 the runs alternate which side goes first and every
//    figure is the median over the runs (the bench machine is small and noisy).
//    Exits 1 when a target is missed.
//
// How the peer is loaded, and why that is fair
// --------------------------------------------
// The peer reads the very same JSONL file; no CSV is generated for it. A CSV
// would hand the shell rows that are already split into columns with the
// language code already resolved, i.e. skip the JSON parsing and the
// language mapping that Langbridge has to do, and would not be the same
// bytes (so MB/s would not compare). Instead the shell's own C importer
// streams the file (`.import` in ascii mode with the field separator set to
// \x1f, a byte JSON text can never contain raw, so each line is one field)
// into a TEMP view whose INSTEAD OF trigger parses the line with SQLite's
// JSON functions (->>), maps the raw language ("sw") to its code (swh_Latn,
// as Langbridge resolves it) through a small temp table, takes the next
// ordinal from the documents(source_id, ordinal) index, and inserts into
// `documents` with the columns Langbridge's ImportWriter writes (1-based
// ordinal, role 'train', ref 'line N'). From there both sides do identical
// work: the same migration files (db/migrations/*.sql, applied one
// transaction each and bumping user_version as db/open.ts does), the same
// PRAGMAs as db/open.ts (WAL, synchronous=NORMAL, foreign_keys=ON so every
// row checks sources and languages, cache_size=-65536, temp_store=MEMORY),
// the same indexes, the same FTS5 trigram index kept by the same AFTER INSERT
// trigger, one sources row and one languages row per language, per-language
// document and character counts in source_language_stats, and the whole load
// in one transaction (Langbridge: one transaction per imported file). The
// shell streams the file (one line in memory at a time), so it needs no more
// memory for a bigger file than Langbridge should.
// Work only Langbridge does (and the peer does not): SHA-256 of the file for
// sources.sha256 (the peer gets the digest precomputed), word and token
// counts for the stats (tokens on a 500k-character sample per language),
// format sniffing, progress reporting, starting Node and a worker thread.
// Work only the peer does: a max(ordinal) index lookup per row (the shell
// has no row counter). The peer's SQLite is the system one (3.40 on Debian
// 12); Langbridge's is the one bundled with better-sqlite3 (3.53 now). After the
// imports, both databases are checked to return the same documents for every
// search. The FTS latency of both is measured in this process with the same
// (bundled) engine, both files read once into the OS page cache first, so it
// compares the databases the two imports built, not the engines.

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { treeRssKb } from './bench-utils.mjs';
import { DEFAULT_DOCS, DEFAULT_SEED, GENERATOR_VERSION, LANGUAGES, generateCorpus, prng } from './generate-corpus.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const DATA = join(ROOT, 'bench-data');
const SQLITE3 = '/usr/bin/sqlite3';
const TIME = '/usr/bin/time';

const TARGET_RATIO = 0.7;
const TARGET_RSS_MB = 400;
const TARGET_P95_MS = 50;

/** How Langbridge resolves the raw codes the generator writes (main/services/corpus/languages.ts). */
const LANG_CODES = {
  sw: { iso: 'swh', name: 'Swahili (individual language)' },
  yo: { iso: 'yor', name: 'Yoruba' },
  am: { iso: 'amh', name: 'Amharic' },
  ar: { iso: 'arb', name: 'Standard Arabic' },
  th: { iso: 'tha', name: 'Thai' },
  hi: { iso: 'hin', name: 'Hindi' },
  zh: { iso: 'zho', name: 'Chinese' },
};

// ---------------------------------------------------------------- options

function parseArgs(argv) {
  const o = { docs: DEFAULT_DOCS, runs: 1, keep: false, seed: DEFAULT_SEED, only: null, queries: 100 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${a} needs a value`);
      return argv[++i];
    };
    if (a === '--docs') o.docs = Number(val().replace(/[_,]/g, ''));
    else if (a === '--runs') o.runs = Number(val());
    else if (a === '--keep') o.keep = true;
    else if (a === '--seed') o.seed = Number(val());
    else if (a === '--queries') o.queries = Number(val());
    else if (a === '--only') {
      o.only = val();
      if (o.only === 'peer') o.only = 'sqlite3';
      if (!['langbridge', 'sqlite3'].includes(o.only)) throw new Error('--only takes langbridge or sqlite3');
    } else if (a === '--help' || a === '-h') {
      console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('\n').slice(1, 23).join('\n'));
      process.exit(0);
    } else throw new Error(`unknown option ${a} (see --help)`);
  }
  for (const k of ['docs', 'runs', 'queries']) {
    if (!Number.isInteger(o[k]) || o[k] < 1) throw new Error(`--${k} must be a positive integer`);
  }
  return o;
}

// ---------------------------------------------------------------- helpers

const fmt = (n, d = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en', { minimumFractionDigits: d, maximumFractionDigits: d });

function median(xs) {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b);
  if (s.length === 0) return null;
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Nearest-rank percentile. */
function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
}

function log(msg) {
  console.log(`[bench] ${msg}`);
}

function checkTools() {
  if (!existsSync(SQLITE3)) {
    throw new Error(`${SQLITE3} is missing: install Debian's sqlite3 shell (apt-get install sqlite3).`);
  }
  const v = spawnSync(SQLITE3, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const [maj, min] = v.split(/[ .]/).map(Number);
  if (maj < 3 || (maj === 3 && min < 34)) throw new Error(`sqlite3 ${v} is too old for tokenize='trigram' (needs >= 3.34).`);
  const probe = spawnSync(SQLITE3, [':memory:', "CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram');"], {
    encoding: 'utf8',
  });
  if (probe.status !== 0) throw new Error(`sqlite3 ${v} has no FTS5 trigram tokenizer: ${probe.stderr}`);
  const hasTime = existsSync(TIME);
  if (!hasTime) {
    log(`${TIME} not found (Debian package "time": apt-get install time); peak RSS comes from polling /proc only.`);
  }
  return { sqliteVersion: v.split(' ')[0], hasTime };
}

function cliBuilt() {
  return existsSync(join(ROOT, 'out/main/cli.js'));
}


/**
 * Runs a command under /usr/bin/time, stdin from a file or ignored. Returns
 * wall seconds (measured here), peak RSS in MB (time's %M: the largest single
 * process; and the polled process-tree sum, which catches helper processes),
 * stdout and stderr.
 */
async function measure(cmd, args, { stdinFile, cwd = ROOT, hasTime } = {}) {
  const timeOut = join(DATA, `.time-${process.pid}.txt`);
  rmSync(timeOut, { force: true });
  const argv = hasTime ? [TIME, '-f', '%e %M', '-o', timeOut, cmd, ...args] : [cmd, ...args];
  const stdinFd = stdinFile ? openSync(stdinFile, 'r') : 'ignore';
  const t0 = performance.now();
  const child = spawn(argv[0], argv.slice(1), { cwd, stdio: [stdinFd, 'pipe', 'pipe'] });
  if (typeof stdinFd === 'number') closeSync(stdinFd);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d) => {
    stderr += d;
    if (stderr.length > 1_000_000) stderr = stderr.slice(-100_000);
  });
  let polledKb = 0;
  const poll = () => {
    try {
      polledKb = Math.max(polledKb, treeRssKb(child.pid, hasTime));
    } catch {
      // racing with exit
    }
  };
  const timer = setInterval(poll, 200);
  const code = await new Promise((res, rej) => {
    child.on('error', rej);
    child.on('close', (c, sig) => res(sig ? 128 : c));
  });
  const wall = (performance.now() - t0) / 1000;
  clearInterval(timer);
  let timeKb = null;
  if (hasTime && existsSync(timeOut)) {
    const line = readFileSync(timeOut, 'utf8').trim().split('\n').at(-1);
    const m = /^([\d.]+) (\d+)$/.exec(line);
    if (m) timeKb = Number(m[2]);
    rmSync(timeOut, { force: true });
  }
  const peakKb = Math.max(timeKb ?? 0, polledKb);
  return { code, wall, peakMb: peakKb / 1024, timeMb: timeKb === null ? null : timeKb / 1024, polledMb: polledKb / 1024, stdout, stderr };
}

function tail(s, n = 2000) {
  return s.length > n ? '...' + s.slice(-n) : s;
}

/** Reads the whole file once so that both importers start with it in the page cache. */
async function warmFile(path) {
  for await (const _ of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) {
    // discard
  }
}

async function sha256File(path) {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 4 * 1024 * 1024 })) h.update(chunk);
  return h.digest('hex');
}

// ---------------------------------------------------------------- corpus

async function ensureCorpus(docs, seed) {
  mkdirSync(DATA, { recursive: true });
  const file = join(DATA, `corpus-${docs}-s${seed}.jsonl`);
  const metaFile = `${file}.meta.json`;
  if (existsSync(file) && existsSync(metaFile)) {
    try {
      const meta = JSON.parse(readFileSync(metaFile, 'utf8'));
      if (meta.version === GENERATOR_VERSION && meta.docs === docs && meta.seed === seed && statSync(file).size === meta.bytes) {
        log(`reusing ${basename(file)} (${fmt(meta.bytes / 1e6, 1)} MB)`);
        return { file, ...meta };
      }
    } catch {
      // regenerate
    }
  }
  const estimate = docs * 250;
  const free = statfsSync(DATA).bavail * statfsSync(DATA).bsize;
  if (free < estimate * 1.2) throw new Error(`not enough disk in ${DATA} for the corpus (~${fmt(estimate / 1e6)} MB)`);
  log(`generating ${fmt(docs)} documents into ${basename(file)} ...`);
  const t0 = performance.now();
  const res = await generateCorpus({ docs, seed, out: file });
  const sha256 = await sha256File(file);
  const meta = { version: GENERATOR_VERSION, docs, seed, bytes: res.bytes, perLang: res.perLang, sha256 };
  writeFileSync(metaFile, JSON.stringify(meta, null, 2));
  log(`generated ${fmt(res.bytes / 1e6, 1)} MB in ${fmt((performance.now() - t0) / 1000, 1)} s`);
  return { file, ...meta };
}

function checkDisk(corpus, runs) {
  // Measured at 20k documents: each database (documents + trigram index) is
  // ~3.5x the JSONL, plus a WAL of the same order while the one big
  // transaction commits. Ask for room for two databases plus their WALs.
  const need = corpus.bytes * 12;
  const free = statfsSync(DATA).bavail * statfsSync(DATA).bsize;
  if (free < need) {
    throw new Error(
      `not enough free disk in ${DATA}: ${fmt(free / 1e9, 1)} GB free, ~${fmt(need / 1e9, 1)} GB needed for two databases of ${fmt(corpus.docs)} documents`,
    );
  }
  log(`disk: ${fmt(free / 1e9, 1)} GB free, ~${fmt(need / 1e9, 1)} GB needed at peak (${runs} run(s), databases removed between runs)`);
}

// ---------------------------------------------------------------- peer (sqlite3 shell)

function migrationFiles() {
  const dir = join(ROOT, 'db/migrations');
  return readdirSync(dir)
    .filter((f) => /^\d+-.*\.sql$/.test(f))
    .map((f) => ({ version: Number(f.split('-')[0]), name: f, sql: readFileSync(join(dir, f), 'utf8') }))
    .sort((a, b) => a.version - b.version);
}

const sqlStr = (s) => `'${String(s).replace(/'/g, "''")}'`;

function peerScript(corpus, scriptFile) {
  const lines = [];
  lines.push('.bail on');
  // The PRAGMAs of db/open.ts, in the same order.
  lines.push('PRAGMA busy_timeout = 10000;');
  lines.push('PRAGMA journal_mode = WAL;');
  lines.push('PRAGMA synchronous = NORMAL;');
  lines.push('PRAGMA foreign_keys = ON;');
  lines.push('PRAGMA cache_size = -65536;');
  lines.push('PRAGMA temp_store = MEMORY;');
  // The same migration files, each in its own transaction with its user_version (db/open.ts migrate()).
  for (const m of migrationFiles()) {
    lines.push(`-- ${m.name}`);
    lines.push('BEGIN IMMEDIATE;');
    lines.push(m.sql.trim());
    lines.push(`PRAGMA user_version = ${m.version};`);
    lines.push('COMMIT;');
  }
  // The import: one transaction.
  lines.push('BEGIN IMMEDIATE;');
  const options = JSON.stringify({ segment: 'line', textField: 'text', langField: 'lang', header: true, replaceInvalid: false });
  lines.push(
    `INSERT INTO sources(id, name, format, original_path, sha256, size_bytes, options) VALUES (1, ${sqlStr(
      basename(corpus.file),
    )}, 'jsonl', ${sqlStr(corpus.file)}, ${sqlStr(corpus.sha256)}, ${corpus.bytes}, ${sqlStr(options)});`,
  );
  lines.push('CREATE TEMP TABLE lang_map(raw TEXT PRIMARY KEY, code TEXT NOT NULL) WITHOUT ROWID;');
  for (const l of LANGUAGES) {
    const c = LANG_CODES[l.lang];
    const code = `${c.iso}_${l.script}`;
    const dir = l.script === 'Arab' ? 'rtl' : 'ltr';
    lines.push(
      `INSERT INTO languages(code, iso639_3, script, name, direction) VALUES (${sqlStr(code)}, ${sqlStr(c.iso)}, ${sqlStr(
        l.script,
      )}, ${sqlStr(c.name)}, '${dir}');`,
    );
    lines.push(`INSERT INTO temp.lang_map VALUES (${sqlStr(l.lang)}, ${sqlStr(code)});`);
  }
  // One JSONL line in, one documents row out (FTS kept by documents_fts_insert).
  lines.push('CREATE TEMP VIEW jsonl_in(line) AS SELECT NULL;');
  // Same columns as Langbridge's ImportWriter: 1-based ordinal, role, ref "line N".
  lines.push(`CREATE TEMP TRIGGER jsonl_in_insert INSTEAD OF INSERT ON jsonl_in BEGIN
  INSERT INTO documents(source_id, lang, ordinal, text, meta, role, ref)
    SELECT 1, (SELECT code FROM temp.lang_map WHERE raw = new.line ->> '$.lang'), o,
           new.line ->> '$.text', NULL, 'train', 'line ' || o
    FROM (SELECT coalesce(max(ordinal), 0) + 1 AS o FROM documents WHERE source_id = 1);
END;`);
  lines.push('.mode ascii');
  lines.push('.separator "\\037" "\\n"');
  lines.push(`.import ${sqlStr(corpus.file)} jsonl_in`);
  lines.push('.mode list');
  // Per-language stats in the same transaction (Langbridge also counts words and tokens).
  lines.push(`INSERT INTO source_language_stats(source_id, lang, documents, characters)
  SELECT 1, lang, count(*), sum(length(text)) FROM documents WHERE source_id = 1 GROUP BY lang;`);
  lines.push('UPDATE sources SET documents = (SELECT count(*) FROM documents WHERE source_id = 1) WHERE id = 1;');
  lines.push('COMMIT;');
  lines.push('SELECT documents FROM sources WHERE id = 1;');
  writeFileSync(scriptFile, lines.join('\n') + '\n');
}

async function runPeer(corpus, runDir, tools) {
  const db = join(runDir, 'peer.db');
  for (const f of [db, `${db}-wal`, `${db}-shm`]) rmSync(f, { force: true });
  const script = join(runDir, 'peer.sql');
  peerScript(corpus, script);
  await warmFile(corpus.file);
  log(`sqlite3: loading ${basename(corpus.file)} into ${db} ...`);
  const r = await measure(SQLITE3, [db], { stdinFile: script, hasTime: tools.hasTime });
  if (r.code !== 0) throw new Error(`sqlite3 failed (exit ${r.code}):\n${tail(r.stderr)}\n${tail(r.stdout)}`);
  const documents = Number(r.stdout.trim().split('\n').at(-1));
  if (documents !== corpus.docs) throw new Error(`sqlite3 loaded ${documents} documents, expected ${corpus.docs}`);
  return { ...r, db, documents, dbBytes: dbSize(db) };
}

// ---------------------------------------------------------------- Langbridge

function findWorkspaceDb(dir) {
  const found = [];
  const walk = (d, depth) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory() && depth < 3) walk(p, depth + 1);
      else if (e.isFile() && /\.(db|sqlite|sqlite3)$/.test(e.name)) found.push(p);
    }
  };
  walk(dir, 0);
  found.sort((a, b) => statSync(b).size - statSync(a).size);
  return found[0] ?? null;
}

function dbSize(db) {
  let n = 0;
  for (const f of [db, `${db}-wal`]) if (existsSync(f)) n += statSync(f).size;
  return n;
}

async function runLangbridge(corpus, runDir, tools) {
  const ws = join(runDir, 'langbridge-workspace');
  rmSync(ws, { recursive: true, force: true });
  mkdirSync(ws, { recursive: true });
  await warmFile(corpus.file);
  log(`langbridge: importing ${basename(corpus.file)} into ${ws} ...`);
  const args = [
    join(ROOT, 'bin/langbridge.js'),
    'import',
    corpus.file,
    '--format',
    'jsonl',
    '--lang-field',
    'lang',
    '--workspace',
    ws,
    '--json',
  ];
  const r = await measure(process.execPath, args, { hasTime: tools.hasTime });
  if (r.code !== 0) throw new Error(`langbridge import failed (exit ${r.code}):\n${tail(r.stderr)}\n${tail(r.stdout)}`);
  let summary;
  try {
    const text = r.stdout.trim();
    summary = JSON.parse(text.slice(text.indexOf('{')));
  } catch {
    throw new Error(`langbridge import printed no JSON summary:\n${tail(r.stdout)}\n${tail(r.stderr)}`);
  }
  if (summary.documents !== corpus.docs) {
    throw new Error(`langbridge imported ${summary.documents} documents, expected ${corpus.docs}: ${JSON.stringify(summary)}`);
  }
  const db = findWorkspaceDb(ws);
  if (!db) throw new Error(`no database file found under ${ws}`);
  return { ...r, db, summary, documents: summary.documents, dbBytes: dbSize(db) };
}

// ---------------------------------------------------------------- FTS latency

/**
 * The query Langbridge's search service runs for a document search of 3+
 * characters without filters: search() in main/services/corpus/browse.ts
 * calls searchDocuments() in db/queries/corpus.ts with the default page
 * (limit 50, asked as 51 to know whether there are more, offset 0). Mirrored
 * here because the bench runs without a build step; checked against the
 * source so a change there is noticed.
 */
function searchSql() {
  const sql = `SELECT d.id, d.source_id, d.lang, l.direction, d.ordinal, d.role, d.ref, d.text
       FROM documents_fts f JOIN documents d ON d.id = f.rowid JOIN languages l ON l.code = d.lang
       WHERE documents_fts MATCH ? LIMIT ? OFFSET ?`;
  const bind = (q) => [`"${q.replace(/"/g, '""')}"`, 51, 0];
  const file = join(ROOT, 'db/queries/corpus.ts');
  const src = existsSync(file) ? readFileSync(file, 'utf8') : '';
  const mirrored =
    src.includes("from = 'documents_fts f JOIN documents d ON d.id = f.rowid'") &&
    src.includes("where.push('documents_fts MATCH ?')") &&
    src.includes('SELECT d.id, d.source_id, d.lang, l.direction, d.ordinal, d.role, d.ref, d.text');
  if (mirrored) return { sql, bind, source: "search service's SQL (db/queries/corpus.ts searchDocuments, limit 50+1)" };
  log('WARNING: db/queries/corpus.ts searchDocuments() changed or is missing; timing the bare FTS lookup instead.');
  return {
    sql: 'SELECT rowid FROM documents_fts WHERE documents_fts MATCH ? LIMIT ?',
    bind: (q) => [`"${q.replace(/"/g, '""')}"`, 50],
    source: 'bare FTS5 MATCH with a quoted phrase, LIMIT 50',
  };
}

/** `n` queries: substrings (3 to 6 code points) of words in Latin (sw, yo), Ethiopic (am) and Thai (th) script. */
export function makeQueries(n, seed = 7) {
  const rand = prng(seed);
  const groups = [
    { label: 'Latin', langs: ['sw', 'yo'] },
    { label: 'Ethiopic', langs: ['am'] },
    { label: 'Thai', langs: ['th'] },
  ];
  const out = [];
  for (let i = 0; i < n; i++) {
    const g = groups[i % groups.length];
    const code = g.langs[Math.floor(rand() * g.langs.length)];
    const l = LANGUAGES.find((x) => x.lang === code);
    let chars;
    if (l.sep === '' && rand() < 0.3) {
      // Scripts without spaces: sometimes a substring across a word boundary.
      const a = l.words[Math.floor(rand() * l.words.length)];
      const b = l.words[Math.floor(rand() * l.words.length)];
      chars = Array.from(a + b);
    } else {
      const long = l.words.filter((w) => Array.from(w).length >= 3);
      chars = Array.from(long[Math.floor(rand() * long.length)]);
    }
    const len = Math.min(chars.length, 3 + Math.floor(rand() * 4));
    const start = Math.floor(rand() * (chars.length - len + 1));
    out.push({ script: g.label, lang: l.lang, q: chars.slice(start, start + len).join('') });
  }
  return out;
}

function openForSearch(path) {
  // As db/open.ts opens a workspace read-only.
  const db = new Database(path, { readonly: true, fileMustExist: true });
  db.pragma('busy_timeout = 10000');
  db.pragma('foreign_keys = ON');
  db.pragma('cache_size = -65536');
  db.pragma('temp_store = MEMORY');
  return db;
}

export function ftsLatency(lbDbPath, peerDbPath, nQueries) {
  const queries = makeQueries(nQueries);
  const { sql, bind, source } = searchSql();
  const sides = [];
  if (lbDbPath) sides.push({ name: 'langbridge', db: openForSearch(lbDbPath) });
  if (peerDbPath) sides.push({ name: 'sqlite3', db: openForSearch(peerDbPath) });
  for (const s of sides) {
    s.stmt = s.db.prepare(sql);
    s.ms = [];
    s.hits = [];
    s.ids = [];
    // Warm-up with queries outside the timed set: schema, root pages.
    for (const w of makeQueries(6, 99)) s.stmt.all(...bind(w.q));
  }
  queries.forEach((qq, i) => {
    // Alternate which database goes first, so neither always runs on a warmer machine.
    const order = i % 2 ? [...sides].reverse() : sides;
    for (const s of order) {
      const t0 = process.hrtime.bigint();
      const rows = s.stmt.all(...bind(qq.q));
      s.ms[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      s.hits[i] = rows.length;
      s.ids[i] = rows.map((r) => r.id ?? r.rowid).join(',');
    }
  });
  // Sanity: both imports stored the same rows in the same order and indexed
  // them alike, so each query finds the same document ids in both.
  let mismatches = 0;
  if (sides.length === 2) {
    queries.forEach((_, i) => {
      if (sides[0].ids[i] !== sides[1].ids[i]) mismatches++;
    });
  }
  const byScript = {};
  const res = { source, sql, queries: queries.length, mismatches, sides: {} };
  for (const s of sides) {
    res.sides[s.name] = {
      p50: median(s.ms),
      p95: percentile(s.ms, 95),
      max: Math.max(...s.ms),
      zeroHits: s.hits.filter((h) => h === 0).length,
    };
    for (const g of ['Latin', 'Ethiopic', 'Thai']) {
      const ms = s.ms.filter((_, i) => queries[i].script === g);
      (byScript[g] ??= {})[s.name] = { p50: median(ms), p95: percentile(ms, 95) };
    }
    const slow = queries
      .map((q, i) => ({ ...q, ms: s.ms[i], hits: s.hits[i] }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, 3);
    res.sides[s.name].slowest = slow;
    s.db.close();
  }
  res.byScript = byScript;
  return res;
}

// ---------------------------------------------------------------- main

async function main() {
  const o = parseArgs(process.argv.slice(2));
  const tools = checkTools();
  const doLb = o.only !== 'sqlite3';
  const doPeer = o.only !== 'langbridge';
  if (doLb && !cliBuilt()) {
    throw new Error('out/main/cli.js is missing: build Langbridge first (npm run build), or run with --only sqlite3.');
  }
  log(`sqlite3 shell ${tools.sqliteVersion}; node ${process.version}; ${o.runs} run(s)`);
  const corpus = await ensureCorpus(o.docs, o.seed);
  checkDisk(corpus, o.runs);
  const runDir = join(DATA, 'run');
  mkdirSync(runDir, { recursive: true });

  const runs = [];
  let last = {};
  for (let k = 0; k < o.runs; k++) {
    const run = {};
    // Alternate the order between runs (the second side may find a warmer or busier machine).
    const order = k % 2 === 0 ? ['sqlite3', 'langbridge'] : ['langbridge', 'sqlite3'];
    for (const side of order) {
      if (side === 'sqlite3' && doPeer) run.sqlite3 = await runPeer(corpus, runDir, tools);
      if (side === 'langbridge' && doLb) run.langbridge = await runLangbridge(corpus, runDir, tools);
    }
    for (const [name, r] of Object.entries(run)) {
      r.rowsPerS = corpus.docs / r.wall;
      r.mbPerS = corpus.bytes / 1e6 / r.wall;
      log(
        `run ${k + 1}/${o.runs} ${name}: ${fmt(r.wall, 1)} s, ${fmt(r.rowsPerS)} rows/s, ${fmt(r.mbPerS, 1)} MB/s, peak RSS ${fmt(
          r.peakMb,
        )} MB (time %M ${fmt(r.timeMb)} MB, polled tree ${fmt(r.polledMb)} MB), db ${fmt(r.dbBytes / 1e6)} MB`,
      );
    }
    if (run.langbridge?.summary) {
      const s = run.langbridge.summary;
      log(`langbridge summary: ${JSON.stringify({ ...s, warnings: s.warnings?.length })}`);
    }
    runs.push(run);
    last = run;
  }

  log(`FTS latency: ${o.queries} queries on the last run's databases ...`);
  // Whichever import ran last left more of its database in the OS page cache;
  // read both files once so neither side starts colder.
  for (const r of [last.langbridge, last.sqlite3]) if (r) await warmFile(r.db);
  const fts = ftsLatency(last.langbridge?.db, last.sqlite3?.db, o.queries);

  // ------------------------------------------------------------ report
  const med = (side, key) => median(runs.map((r) => r[side]?.[key]));
  const lb = { rows: med('langbridge', 'rowsPerS'), mb: med('langbridge', 'mbPerS'), rss: med('langbridge', 'peakMb'), wall: med('langbridge', 'wall') };
  const pe = { rows: med('sqlite3', 'rowsPerS'), mb: med('sqlite3', 'mbPerS'), rss: med('sqlite3', 'peakMb'), wall: med('sqlite3', 'wall') };
  const mb = (bytes) => (bytes === null ? null : bytes / 1e6);
  const ratio = (a, b) => (a && b ? a / b : null);
  const verdict = (ok) => (ok === null ? '' : ok ? '  PASS' : '  FAIL');
  const results = [];
  const line = (label, a, b, d, target, ok) => {
    const r = ratio(a, b);
    results.push({ label, langbridge: a, sqlite3: b, ratio: r, target, pass: ok });
    const t = target ? `  (target ${target})` : '';
    return `${label.padEnd(18)} langbridge ${fmt(a, d).padStart(9)} | sqlite3 ${fmt(b, d).padStart(9)} | ratio ${fmt(r, 2)}${t}${verdict(ok)}`;
  };
  const lbF = fts.sides.langbridge;
  const peF = fts.sides.sqlite3;
  const both = doLb && doPeer;
  const out = [
    '',
    `Import of ${fmt(corpus.docs)} documents, ${fmt(corpus.bytes / 1e6, 1)} MB JSONL (${o.runs > 1 ? `median of ${o.runs} runs` : '1 run'}; MB = 10^6 bytes)`,
    line('import rows/s:', lb.rows, pe.rows, 0, both ? `ratio >= ${TARGET_RATIO}` : null, both ? ratio(lb.rows, pe.rows) >= TARGET_RATIO : null),
    line('import MB/s:', lb.mb, pe.mb, 1, both ? `ratio >= ${TARGET_RATIO}` : null, both ? ratio(lb.mb, pe.mb) >= TARGET_RATIO : null),
    line('import wall s:', lb.wall, pe.wall, 1, null, null),
    line('peak RSS MB:', lb.rss, pe.rss, 0, doLb ? `langbridge < ${TARGET_RSS_MB}` : null, doLb ? lb.rss < TARGET_RSS_MB : null),
    line('db size MB:', mb(med('langbridge', 'dbBytes')), mb(med('sqlite3', 'dbBytes')), 0, null, null),
    line('FTS p50 ms:', lbF?.p50, peF?.p50, 2, null, null),
    line('FTS p95 ms:', lbF?.p95, peF?.p95, 2, doLb ? `langbridge < ${TARGET_P95_MS}` : null, doLb ? lbF.p95 < TARGET_P95_MS : null),
    ...(both && runs.length > 1
      ? [`${'per-run ratio:'.padEnd(18)} ${runs.map((r) => fmt(r.sqlite3.wall / r.langbridge.wall, 2)).join(', ')} (rows/s, langbridge/sqlite3)`]
      : []),
    '',
    `FTS: ${fts.queries} queries (${Object.keys(fts.byScript).join(', ')}), both database files in the OS page cache, fresh connections; query = ${fts.source}`,
  ];
  for (const [g, v] of Object.entries(fts.byScript)) {
    out.push(
      `  ${g.padEnd(9)} p50/p95 ms: ` +
        Object.entries(v)
          .map(([n, x]) => `${n} ${fmt(x.p50, 2)}/${fmt(x.p95, 2)}`)
          .join(' | '),
    );
  }
  for (const [n, s] of Object.entries(fts.sides)) {
    out.push(`  ${n} slowest: ${s.slowest.map((x) => `"${x.q}" ${fmt(x.ms, 1)} ms (${x.hits} hits)`).join(', ')}; ${s.zeroHits} queries without hits`);
  }
  if (both && fts.mismatches) out.push(`  WARNING: ${fts.mismatches} queries found different documents in the two databases`);
  if (both && last.langbridge?.summary?.languages) {
    const peerCodes = LANGUAGES.map((l) => `${LANG_CODES[l.lang].iso}_${l.script}`).sort();
    const lbCodes = [...last.langbridge.summary.languages].sort();
    if (JSON.stringify(peerCodes) !== JSON.stringify(lbCodes)) {
      out.push(`  note: language codes differ: langbridge ${lbCodes.join(',')} | sqlite3 ${peerCodes.join(',')}`);
    }
  }
  const failed = results.some((r) => r.pass === false);
  out.push('', `RESULT: ${failed ? 'FAIL' : 'PASS'}`);
  console.log(out.join('\n'));

  const strip = (r) => (r ? { wall: r.wall, rowsPerS: r.rowsPerS, mbPerS: r.mbPerS, peakMb: r.peakMb, timeMb: r.timeMb, polledMb: r.polledMb, dbBytes: r.dbBytes } : undefined);
  writeFileSync(
    join(DATA, 'import-bench-result.json'),
    JSON.stringify(
      {
        date: new Date().toISOString(),
        docs: corpus.docs,
        bytes: corpus.bytes,
        sqlite3: tools.sqliteVersion,
        node: process.version,
        runs: runs.map((r) => ({ langbridge: strip(r.langbridge), sqlite3: strip(r.sqlite3) })),
        results,
        fts,
      },
      null,
      2,
    ),
  );
  if (!o.keep) rmSync(runDir, { recursive: true, force: true });
  else log(`kept the databases in ${runDir}`);
  process.exitCode = failed ? 1 : 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((err) => {
    console.error(`[bench] ${process.env.BENCH_DEBUG ? err.stack : (err.message ?? err)}`);
    process.exitCode = 2;
  });
}
