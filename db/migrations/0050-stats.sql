-- Statistics are kept per source and language, written in the import's own
-- transaction and removed with the source: corpus totals are a SUM over a
-- handful of rows, never a rescan of the documents.
CREATE TABLE source_language_stats (
  source_id        INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  lang             TEXT NOT NULL REFERENCES languages(code),
  documents        INTEGER NOT NULL DEFAULT 0,
  eval_documents   INTEGER NOT NULL DEFAULT 0,
  pair_sides       INTEGER NOT NULL DEFAULT 0,
  characters       INTEGER NOT NULL DEFAULT 0,  -- Unicode code points, documents and pair sides
  words            INTEGER NOT NULL DEFAULT 0,
  tokens           INTEGER NOT NULL DEFAULT 0,
  -- characters actually run through the tokenizer; < characters means
  -- 'tokens' was extrapolated from that sample.
  tokenized_chars  INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, lang)
);
CREATE TABLE source_pair_stats (
  source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
  src_lang  TEXT NOT NULL,
  tgt_lang  TEXT NOT NULL,
  pairs     INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (source_id, src_lang, tgt_lang)
);
