-- Model exports (Hugging Face, ONNX, GGUF): the files live in a folder, in
-- the workspace's exports/ folder or wherever the user asked; a row is the
-- export's metadata and lineage. A row is 'exporting' while the trainer
-- writes into a temporary sibling folder (pid says which Langbridge process
-- drives it: a row whose process is gone is a crashed export, removed when
-- exports are listed); it becomes 'ready' once the folder is in place, its
-- model card and checksum manifest written and its files validated. A
-- cancelled or failed export leaves no row.
CREATE TABLE exports (
  id          INTEGER PRIMARY KEY,
  model_ref   TEXT NOT NULL,             -- normalised reference: tiny, Org/Name, a folder, run:12@40
  model_label TEXT NOT NULL,
  format      TEXT NOT NULL CHECK (format IN ('hf', 'onnx', 'gguf')),
  variant     TEXT NOT NULL,             -- what the folder holds: 'fp32,int8', 'f16,q8_0', 'full', 'merged', 'adapter'
  path        TEXT NOT NULL,             -- absolute folder
  bytes       INTEGER NOT NULL DEFAULT 0,
  files       TEXT NOT NULL DEFAULT '[]', -- JSON [{path, bytes, sha256}] relative to the folder
  status      TEXT NOT NULL CHECK (status IN ('exporting', 'ready')),
  pid         INTEGER,
  created_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
CREATE INDEX exports_model ON exports(model_ref, format);
