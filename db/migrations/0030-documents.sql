CREATE TABLE documents (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  lang      TEXT NOT NULL REFERENCES languages(code),
  ordinal   INTEGER NOT NULL,
  text      TEXT NOT NULL,
  meta      TEXT,               -- JSON object, or NULL
  role      TEXT NOT NULL DEFAULT 'train' CHECK (role IN ('train', 'eval')),
  ref       TEXT                -- verse, line, article, benchmark item id
);
CREATE INDEX documents_source ON documents(source_id, ordinal);
CREATE INDEX documents_lang_role ON documents(lang, role);

CREATE TABLE pairs (
  id        INTEGER PRIMARY KEY,
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  ordinal   INTEGER NOT NULL,
  src_lang  TEXT NOT NULL REFERENCES languages(code),
  tgt_lang  TEXT NOT NULL REFERENCES languages(code),
  src_text  TEXT NOT NULL,
  tgt_text  TEXT NOT NULL,
  ref       TEXT,
  meta      TEXT,
  role      TEXT NOT NULL DEFAULT 'train' CHECK (role IN ('train', 'eval'))
);
CREATE INDEX pairs_source ON pairs(source_id, ordinal);
CREATE INDEX pairs_langs ON pairs(src_lang, tgt_lang);
-- Aligned texts of a document (same verse, line, article) are found through pairs.
CREATE INDEX pairs_ref ON pairs(ref);
