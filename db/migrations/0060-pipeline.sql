-- Recipes the team saved (presets live in code). One row per name; the
-- revision counts saves so the UI can say which edit a dataset was built from.
CREATE TABLE recipes (
  name       TEXT PRIMARY KEY,
  body       TEXT NOT NULL,              -- JSON, validated by the recipe schema
  revision   INTEGER NOT NULL DEFAULT 1,
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

-- Dataset versions. A row is 'building' while its files are written in a
-- temporary folder; it becomes 'ready' in the same transaction that stores its
-- lineage, after the folder was renamed into place. A 'building' row whose
-- process is gone is a crashed run: its row and files are removed at start-up.
CREATE TABLE datasets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  recipe_name TEXT NOT NULL,
  recipe      TEXT NOT NULL,             -- JSON: the exact recipe that ran
  seed        INTEGER NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('building', 'ready')),
  pid         INTEGER,
  folder      TEXT NOT NULL,             -- relative to the workspace
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  summary     TEXT,                      -- JSON DatasetSummary
  report      TEXT                       -- JSON PipelineReport
);

-- What each step did to each item. item_id points at documents.id or
-- pairs.id without a foreign key: a dataset is immutable and outlives the
-- deletion of a source.
CREATE TABLE dataset_lineage (
  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  item_kind  TEXT NOT NULL CHECK (item_kind IN ('document', 'pair')),
  item_id    INTEGER NOT NULL,
  lang       TEXT NOT NULL,
  step_index INTEGER NOT NULL,
  step       TEXT NOT NULL,
  action     TEXT NOT NULL CHECK (action IN ('removed', 'changed', 'flagged')),
  code       TEXT NOT NULL,
  message    TEXT NOT NULL
);
CREATE INDEX dataset_lineage_step ON dataset_lineage(dataset_id, step_index, lang);
CREATE INDEX dataset_lineage_item ON dataset_lineage(item_kind, item_id);
