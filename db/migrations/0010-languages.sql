-- Languages, keyed by Flores-style code: ISO 639-3 + '_' + ISO 15924 script.
CREATE TABLE languages (
  code       TEXT PRIMARY KEY,
  iso639_3   TEXT NOT NULL,
  script     TEXT NOT NULL,
  name       TEXT NOT NULL,
  direction  TEXT NOT NULL CHECK (direction IN ('ltr', 'rtl')),
  -- 0 when the code is not in ISO 639-3: kept as given, with a warning.
  known      INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
);
