import type { Db } from '../open';

/**
 * The corpus side of review: pairs added to, changed in or removed from one
 * growing source, with its per-language and per-direction statistics moved
 * by the same amounts in the caller's transaction (the FTS index follows the
 * pairs through its triggers). An import writes a source once; this source
 * changes one pair at a time, so the statistics are adjusted by deltas.
 */

export interface SideStats {
  lang: string;
  characters: number;
  words: number;
  tokens: number;
}

export interface ReviewedSourceSpec {
  name: string;
  format: string;
  /** Stands in for a file hash: the column is unique and this source has no file. */
  key: string;
  notes: string;
}

export function findReviewedSource(db: Db, spec: ReviewedSourceSpec): number | undefined {
  const r = db.prepare('SELECT id FROM sources WHERE sha256 = ?').get(spec.key) as { id: number } | undefined;
  return r?.id;
}

export function createReviewedSource(db: Db, spec: ReviewedSourceSpec): number {
  return Number(
    db
      .prepare(
        `INSERT INTO sources (name, format, original_path, sha256, size_bytes, notes, status)
         VALUES (?, ?, 'langbridge review', ?, 0, ?, 'ready')`,
      )
      .run(spec.name, spec.format, spec.key, spec.notes).lastInsertRowid,
  );
}

export interface PairText {
  srcLang: string;
  tgtLang: string;
  srcText: string;
  tgtText: string;
  ref: string;
  meta: string;
}

export interface StoredPair extends PairText {
  id: number;
  sourceId: number;
}

export function getPair(db: Db, id: number): StoredPair | undefined {
  return db
    .prepare(
      `SELECT id, source_id AS sourceId, src_lang AS srcLang, tgt_lang AS tgtLang, src_text AS srcText,
              tgt_text AS tgtText, ref, meta FROM pairs WHERE id = ?`,
    )
    .get(id) as StoredPair | undefined;
}

function adjustSide(db: Db, sourceId: number, s: SideStats, sign: 1 | -1): void {
  db.prepare(
    `INSERT INTO source_language_stats (source_id, lang, pair_sides, characters, words, tokens, tokenized_chars)
     VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (source_id, lang) DO UPDATE SET
       pair_sides = pair_sides + excluded.pair_sides, characters = characters + excluded.characters,
       words = words + excluded.words, tokens = tokens + excluded.tokens,
       tokenized_chars = tokenized_chars + excluded.tokenized_chars`,
  ).run(sourceId, s.lang, sign, sign * s.characters, sign * s.words, sign * s.tokens, sign * s.characters);
}

function adjustDirection(db: Db, sourceId: number, src: string, tgt: string, sign: 1 | -1): void {
  db.prepare(
    `INSERT INTO source_pair_stats (source_id, src_lang, tgt_lang, pairs) VALUES (?, ?, ?, ?)
     ON CONFLICT (source_id, src_lang, tgt_lang) DO UPDATE SET pairs = pairs + excluded.pairs`,
  ).run(sourceId, src, tgt, sign);
  db.prepare('UPDATE sources SET pairs = pairs + ? WHERE id = ?').run(sign, sourceId);
}

/** Rows that fell to zero are dropped, so a language leaves the source's list with its last pair. */
function dropEmpty(db: Db, sourceId: number): void {
  db.prepare('DELETE FROM source_language_stats WHERE source_id = ? AND pair_sides <= 0 AND documents <= 0').run(sourceId);
  db.prepare('DELETE FROM source_pair_stats WHERE source_id = ? AND pairs <= 0').run(sourceId);
}

export function insertReviewedPair(db: Db, sourceId: number, p: PairText, src: SideStats, tgt: SideStats): number {
  const ordinal = (db.prepare('SELECT COALESCE(MAX(ordinal), 0) + 1 AS n FROM pairs WHERE source_id = ?').get(sourceId) as { n: number }).n;
  const id = Number(
    db
      .prepare(
        `INSERT INTO pairs (source_id, ordinal, src_lang, tgt_lang, src_text, tgt_text, ref, meta, role)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'train')`,
      )
      .run(sourceId, ordinal, p.srcLang, p.tgtLang, p.srcText, p.tgtText, p.ref, p.meta).lastInsertRowid,
  );
  adjustSide(db, sourceId, src, 1);
  adjustSide(db, sourceId, tgt, 1);
  adjustDirection(db, sourceId, p.srcLang, p.tgtLang, 1);
  return id;
}

/** Replaces the target text and provenance of a pair; only the target side's statistics change. */
export function updateReviewedPair(db: Db, pair: StoredPair, tgtText: string, meta: string, oldTgt: SideStats, newTgt: SideStats): void {
  db.prepare('UPDATE pairs SET tgt_text = ?, meta = ? WHERE id = ?').run(tgtText, meta, pair.id);
  adjustSide(db, pair.sourceId, oldTgt, -1);
  adjustSide(db, pair.sourceId, newTgt, 1);
  dropEmpty(db, pair.sourceId);
}

export function deleteReviewedPair(db: Db, pair: StoredPair, src: SideStats, tgt: SideStats): void {
  db.prepare('DELETE FROM pairs WHERE id = ?').run(pair.id);
  adjustSide(db, pair.sourceId, src, -1);
  adjustSide(db, pair.sourceId, tgt, -1);
  adjustDirection(db, pair.sourceId, pair.srcLang, pair.tgtLang, -1);
  dropEmpty(db, pair.sourceId);
}
