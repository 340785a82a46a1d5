-- Trigram indexes find any substring of 3+ characters in every script,
-- including those written without spaces (Thai, Khmer, Chinese), which a
-- unicode61 word index cannot. External content: the text is stored once.
CREATE VIRTUAL TABLE documents_fts USING fts5(
  text, content='documents', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
  INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER documents_fts_delete AFTER DELETE ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF text ON documents BEGIN
  INSERT INTO documents_fts(documents_fts, rowid, text) VALUES ('delete', old.id, old.text);
  INSERT INTO documents_fts(rowid, text) VALUES (new.id, new.text);
END;

CREATE VIRTUAL TABLE pairs_fts USING fts5(
  src_text, tgt_text, content='pairs', content_rowid='id', tokenize='trigram'
);
CREATE TRIGGER pairs_fts_insert AFTER INSERT ON pairs BEGIN
  INSERT INTO pairs_fts(rowid, src_text, tgt_text) VALUES (new.id, new.src_text, new.tgt_text);
END;
CREATE TRIGGER pairs_fts_delete AFTER DELETE ON pairs BEGIN
  INSERT INTO pairs_fts(pairs_fts, rowid, src_text, tgt_text)
    VALUES ('delete', old.id, old.src_text, old.tgt_text);
END;
CREATE TRIGGER pairs_fts_update AFTER UPDATE OF src_text, tgt_text ON pairs BEGIN
  INSERT INTO pairs_fts(pairs_fts, rowid, src_text, tgt_text)
    VALUES ('delete', old.id, old.src_text, old.tgt_text);
  INSERT INTO pairs_fts(rowid, src_text, tgt_text) VALUES (new.id, new.src_text, new.tgt_text);
END;
