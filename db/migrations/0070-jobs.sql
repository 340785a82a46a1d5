-- Long jobs (training now; evaluation and export later) run as detached
-- processes that outlive the app. A row is the job's whole story: what it
-- runs (spec), where (run_dir), which process (pid, pgid), and how it ended.
-- 'interrupted' = its process died without saying how it ended (app or
-- machine went down); such a job can be resumed from its last checkpoint.
CREATE TABLE jobs (
  id               INTEGER PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('train')),
  name             TEXT NOT NULL,
  spec             TEXT NOT NULL,          -- JSON: what the trainer was given
  status           TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  gpu              INTEGER NOT NULL DEFAULT 1, -- takes the GPU slot of the queue
  launcher_pid     INTEGER,                -- the Langbridge process that claimed it (while pid is still NULL)
  pid              INTEGER,
  pgid             INTEGER,
  run_dir          TEXT NOT NULL,          -- absolute
  attempts         INTEGER NOT NULL DEFAULT 0,
  resume           INTEGER NOT NULL DEFAULT 0, -- the next start continues from the last checkpoint
  cancel_requested INTEGER NOT NULL DEFAULT 0,
  events_offset    INTEGER NOT NULL DEFAULT 0, -- bytes of events.jsonl already read into job_metrics
  created_at       TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  started_at       TEXT,
  ended_at         TEXT,
  exit_code        INTEGER,
  failure          TEXT,                   -- JSON: classification, message, reason, fixes
  summary          TEXT                    -- JSON: final numbers from the 'finished' event
);
CREATE INDEX jobs_status ON jobs(status);

-- Training metrics as they stream in: one row per 'step' event, one per
-- language per 'eval' event.
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

CREATE TABLE job_evals (
  job_id INTEGER NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
  step   INTEGER NOT NULL,
  lang   TEXT NOT NULL,
  loss   REAL NOT NULL,
  bpc    REAL NOT NULL,
  PRIMARY KEY (job_id, step, lang)
) WITHOUT ROWID;
