-- Human review (issue 5). A queue is a list of items to judge: a source, the
-- outputs of one or two systems, and the reference when there is one. Queues
-- from evaluation runs, held-out pairs or a translated file all end up in the
-- same shape, so the review screen never asks where an item came from.
CREATE TABLE review_queues (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  kind       TEXT NOT NULL CHECK (kind IN ('file', 'eval', 'dataset', 'corpus')),
  -- NULL when the items span several directions (an evaluation run over Flores).
  src_lang   TEXT,
  tgt_lang   TEXT,
  systems    TEXT NOT NULL,          -- JSON array of system names; [] when the reviewer writes the translation
  origin     TEXT NOT NULL,          -- JSON: where the items came from, and the shuffle seed
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);

CREATE TABLE review_items (
  id        INTEGER PRIMARY KEY,
  queue_id  INTEGER NOT NULL REFERENCES review_queues(id) ON DELETE CASCADE,
  ordinal   INTEGER NOT NULL,
  src_lang  TEXT NOT NULL,
  tgt_lang  TEXT NOT NULL,
  source    TEXT NOT NULL,
  reference TEXT,
  outputs   TEXT NOT NULL,           -- JSON [{system, text}], in the queue's system order
  -- JSON array of indexes into outputs, in display order (slot A first): the
  -- blind, per-item shuffle. Judgements are stored by system, never by slot.
  "order"   TEXT NOT NULL,
  meta      TEXT,
  UNIQUE (queue_id, ordinal)
);

-- One judgement per item, system and reviewer: saving again replaces it.
CREATE TABLE review_judgements (
  id         INTEGER PRIMARY KEY,
  item_id    INTEGER NOT NULL REFERENCES review_items(id) ON DELETE CASCADE,
  system     TEXT NOT NULL,
  reviewer   TEXT NOT NULL,
  score      REAL CHECK (score IS NULL OR (score >= 0 AND score <= 100)),
  post_edit  TEXT,
  accepted   INTEGER NOT NULL DEFAULT 0 CHECK (accepted IN (0, 1)),
  -- The corpus pair this judgement's post-edit or accepted output became;
  -- NULL when it gave none, or when the reviewed-translations source was deleted.
  pair_id    INTEGER REFERENCES pairs(id) ON DELETE SET NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
  UNIQUE (item_id, system, reviewer)
);
CREATE INDEX review_judgements_pair ON review_judgements(pair_id);

-- Error spans (MQM-lite): code-point offsets into the judged output.
CREATE TABLE review_spans (
  judgement_id INTEGER NOT NULL REFERENCES review_judgements(id) ON DELETE CASCADE,
  start        INTEGER NOT NULL CHECK (start >= 0),
  "end"        INTEGER NOT NULL,
  category     TEXT NOT NULL CHECK (category IN (
    'accuracy/mistranslation', 'accuracy/omission', 'accuracy/addition', 'accuracy/untranslated',
    'fluency/grammar', 'fluency/spelling', 'fluency/punctuation', 'fluency/register',
    'terminology', 'style', 'other')),
  severity     TEXT NOT NULL CHECK (severity IN ('minor', 'major', 'critical')),
  CHECK ("end" >= start)
);
CREATE INDEX review_spans_judgement ON review_spans(judgement_id);
