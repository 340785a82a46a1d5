-- One row per imported file (or file pair, or folder).
CREATE TABLE sources (
  id             INTEGER PRIMARY KEY,
  name           TEXT NOT NULL,
  format         TEXT NOT NULL,
  original_path  TEXT NOT NULL,
  sha256         TEXT NOT NULL UNIQUE,
  size_bytes     INTEGER NOT NULL DEFAULT 0,
  license        TEXT,
  notes          TEXT,
  options        TEXT,           -- JSON: the import request's options
  imported_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  documents      INTEGER NOT NULL DEFAULT 0,
  pairs          INTEGER NOT NULL DEFAULT 0,
  skipped        INTEGER NOT NULL DEFAULT 0,
  replaced_bytes INTEGER NOT NULL DEFAULT 0,
  warnings       TEXT,           -- JSON array of sentences
  -- An import is one transaction, so readers only ever see 'ready'; later
  -- issues add states (e.g. a pipeline marking a source stale).
  status         TEXT NOT NULL DEFAULT 'ready'
);
