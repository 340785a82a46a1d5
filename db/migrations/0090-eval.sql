-- Evaluation jobs run through the same queue as training: jobs.kind widens
-- to ('train', 'eval').
--
-- SQLite cannot alter a CHECK constraint, so jobs is rebuilt. Migrations run
-- inside a transaction with foreign_keys ON (db/open.ts), where the pragma
-- cannot be switched off; dropping jobs would then cascade-delete every
-- training metric in job_steps and job_evals. So the children are set aside
-- first (copied, dropped), the parent is swapped, and the children are
-- rebuilt with their rows. Nothing references job_steps or job_evals, and no
-- trigger sits on any of the three tables.
CREATE TABLE jobs_new (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('train', 'eval')),
  name             TEXT NOT NULL,
  spec             TEXT NOT NULL,
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  gpu              INTEGER NOT NULL DEFAULT 1,
  launcher_pid     INTEGER,
  pid              INTEGER,
  pgid             INTEGER,
  run_dir          TEXT NOT NULL,
  attempts         INTEGER NOT NULL DEFAULT 0,
  resume           INTEGER NOT NULL DEFAULT 0,
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  events_offset    INTEGER NOT NULL DEFAULT 0,
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at       TEXT,
  ended_at         TEXT,
  exit_code        INTEGER,
  failure          TEXT,
  summary          TEXT,
  live             TEXT
);
INSERT INTO jobs_new (id, kind, name, spec, status, gpu, launcher_pid, pid, pgid, run_dir, attempts, resume, cancel_requested, events_offset, created_at, started_at, ended_at, exit_code, failure, summary, live)
  SELECT id, kind, name, spec, status, gpu, launcher_pid, pid, pgid, run_dir, attempts, resume, cancel_requested, events_offset, created_at, started_at, ended_at, exit_code, failure, summary, live FROM jobs;

CREATE TEMP TABLE job_steps_keep AS SELECT * FROM job_steps;
CREATE TEMP TABLE job_evals_keep AS SELECT * FROM job_evals;
DROP TABLE job_steps;
DROP TABLE job_evals;
DROP TABLE jobs;
ALTER TABLE jobs_new RENAME TO jobs;
CREATE INDEX jobs_status ON jobs(status);

CREATE TABLE job_steps (
  job_id      INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  step        INTEGER NOT NULL,
  stage       INTEGER NOT NULL,
  tokens      INTEGER NOT NULL,
  loss        REAL NOT NULL,
  lr          REAL NOT NULL,
  grad_norm   REAL,
  tokens_per_s REAL,
  mfu         REAL,
  gpu_memory  INTEGER,
  time        TEXT NOT NULL,
  PRIMARY KEY (job_id, step)
) WITHOUT ROWID;
INSERT INTO job_steps (job_id, step, stage, tokens, loss, lr, grad_norm, tokens_per_s, mfu, gpu_memory, time)
  SELECT job_id, step, stage, tokens, loss, lr, grad_norm, tokens_per_s, mfu, gpu_memory, time FROM job_steps_keep;

CREATE TABLE job_evals (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  step   INTEGER NOT NULL,
  lang   TEXT NOT NULL,
  loss   REAL NOT NULL,
  bpc    REAL NOT NULL,
  PRIMARY KEY (job_id, step, lang)
) WITHOUT ROWID;
INSERT INTO job_evals (job_id, step, lang, loss, bpc) SELECT job_id, step, lang, loss, bpc FROM job_evals_keep;
DROP TABLE temp.job_steps_keep;
DROP TABLE temp.job_evals_keep;

-- One model (base or checkpoint) evaluated on one set of items. items_hash
-- covers the items and the model folder's identity, so a model evaluated
-- again on the same items is reused instead of rerun; items_digest covers
-- the items alone, so runs of different models on the same items are found
-- for paired comparisons. base_ref names the reference row's model (the
-- training run's base), NULL for a base model.
CREATE TABLE eval_runs (
  id           INTEGER PRIMARY KEY,
  job_id       INTEGER REFERENCES jobs(id) ON DELETE SET NULL,
  model_ref    TEXT NOT NULL,
  model_label  TEXT NOT NULL,
  step         INTEGER,
  train_job_id INTEGER,
  base_ref     TEXT,
  items_hash   TEXT NOT NULL,
  items_digest TEXT NOT NULL,
  benchmarks   TEXT NOT NULL,              -- JSON array of benchmark names
  config       TEXT NOT NULL,              -- JSON: the request, the model folder, the items count
  status       TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  error        TEXT,                       -- why scoring failed, in words
  created_at   TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  scored_at    TEXT
);
CREATE INDEX eval_runs_items_hash ON eval_runs(items_hash);
CREATE INDEX eval_runs_items_digest ON eval_runs(items_digest);
CREATE INDEX eval_runs_job ON eval_runs(job_id);

-- Scores per benchmark and language or direction (subset `eng_Latn-swh_Latn`).
CREATE TABLE eval_scores (
  run_id    INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  benchmark TEXT NOT NULL,
  subset    TEXT NOT NULL,
  metric    TEXT NOT NULL,
  score     REAL NOT NULL,
  n         INTEGER NOT NULL,
  signature TEXT NOT NULL,
  PRIMARY KEY (run_id, benchmark, subset, metric)
) WITHOUT ROWID;

-- Per-item outputs: the drill-down and the review queues (main/services/review) read these columns by name.
CREATE TABLE eval_items (
  run_id     INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  item_id    TEXT NOT NULL,
  benchmark  TEXT NOT NULL,
  subset     TEXT NOT NULL,
  src_lang   TEXT,
  tgt_lang   TEXT,
  source     TEXT,
  reference  TEXT,
  hypothesis TEXT,
  score      REAL,
  correct    INTEGER,
  meta       TEXT,                          -- JSON
  PRIMARY KEY (run_id, item_id)
);
CREATE INDEX eval_items_subset ON eval_items(run_id, benchmark, subset);

-- Paired-bootstrap deltas of a run against its reference run, computed on
-- first demand (1000 resamples per subset and metric) and kept.
CREATE TABLE eval_deltas (
  run_id      INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  base_run_id INTEGER NOT NULL REFERENCES eval_runs(id) ON DELETE CASCADE,
  benchmark   TEXT NOT NULL,
  subset      TEXT NOT NULL,
  metric      TEXT NOT NULL,
  value       REAL NOT NULL,
  low         REAL NOT NULL,
  high        REAL NOT NULL,
  significant INTEGER NOT NULL,
  PRIMARY KEY (run_id, base_run_id, benchmark, subset, metric)
) WITHOUT ROWID;
CREATE INDEX eval_deltas_base ON eval_deltas(base_run_id);
