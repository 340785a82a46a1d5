import type { Db } from '../open';

/** Row shapes as stored; the services turn them into the contract's types. */
export interface SourceRow {
  id: number;
  name: string;
  format: string;
  original_path: string;
  sha256: string;
  size_bytes: number;
  license: string | null;
  notes: string | null;
  imported_at: string;
  documents: number;
  pairs: number;
  skipped: number;
  status: string;
  languages: string | null;
}

export interface LanguageRow {
  code: string;
  iso639_3: string;
  script: string;
  name: string;
  direction: 'ltr' | 'rtl';
  known: number;
}

export interface NewSource {
  name: string;
  format: string;
  originalPath: string;
  sha256: string;
  sizeBytes: number;
  license?: string | null;
  notes?: string | null;
  options?: unknown;
}

export interface LanguageTally {
  documents: number;
  evalDocuments: number;
  pairSides: number;
  characters: number;
  words: number;
  tokens: number;
  tokenizedChars: number;
}

export function findSourceBySha(db: Db, sha256: string): SourceRow | undefined {
  return db.prepare('SELECT * FROM sources WHERE sha256 = ?').get(sha256) as SourceRow | undefined;
}

export function upsertLanguage(db: Db, l: Omit<LanguageRow, 'known'> & { known: boolean }): void {
  db.prepare(
    `INSERT INTO languages (code, iso639_3, script, name, direction, known)
     VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(code) DO NOTHING`,
  ).run(l.code, l.iso639_3, l.script, l.name, l.direction, l.known ? 1 : 0);
}

/**
 * Writes one import inside one IMMEDIATE transaction: either the whole file
 * lands, or (error, cancel, killed process) nothing of it does.
 */
export class ImportWriter {
  private readonly insDoc;
  private readonly insPair;
  sourceId = 0;
  private open = false;

  constructor(private readonly db: Db) {
    this.insDoc = db.prepare(
      'INSERT INTO documents (source_id, lang, ordinal, text, meta, role, ref) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.insPair = db.prepare(
      `INSERT INTO pairs (source_id, ordinal, src_lang, tgt_lang, src_text, tgt_text, ref, meta, role)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
  }

  begin(src: NewSource): number {
    this.db.exec('BEGIN IMMEDIATE');
    this.open = true;
    const r = this.db
      .prepare(
        `INSERT INTO sources (name, format, original_path, sha256, size_bytes, license, notes, options, status)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, 'ready')`,
      )
      .run(
        src.name,
        src.format,
        src.originalPath,
        src.sha256,
        src.sizeBytes,
        src.license ?? null,
        src.notes ?? null,
        src.options === undefined ? null : JSON.stringify(src.options),
      );
    this.sourceId = Number(r.lastInsertRowid);
    return this.sourceId;
  }

  document(lang: string, ordinal: number, text: string, meta: string | null, role: string, ref: string | null): void {
    this.insDoc.run(this.sourceId, lang, ordinal, text, meta, role, ref);
  }

  pair(
    ordinal: number,
    srcLang: string,
    tgtLang: string,
    srcText: string,
    tgtText: string,
    ref: string | null,
    meta: string | null,
    role: string,
  ): void {
    this.insPair.run(this.sourceId, ordinal, srcLang, tgtLang, srcText, tgtText, ref, meta, role);
  }

  finish(
    counts: { documents: number; pairs: number; skipped: number; replacedBytes: number; warnings: string[] },
    languages: Map<string, LanguageTally>,
    pairCounts: Map<string, { src: string; tgt: string; n: number }>,
  ): void {
    const insLang = this.db.prepare(
      `INSERT INTO source_language_stats
         (source_id, lang, documents, eval_documents, pair_sides, characters, words, tokens, tokenized_chars)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const [lang, t] of languages) {
      insLang.run(this.sourceId, lang, t.documents, t.evalDocuments, t.pairSides, t.characters, t.words, t.tokens, t.tokenizedChars);
    }
    const insPairStat = this.db.prepare(
      'INSERT INTO source_pair_stats (source_id, src_lang, tgt_lang, pairs) VALUES (?, ?, ?, ?)',
    );
    for (const p of pairCounts.values()) insPairStat.run(this.sourceId, p.src, p.tgt, p.n);
    this.db
      .prepare(
        `UPDATE sources SET documents = ?, pairs = ?, skipped = ?, replaced_bytes = ?, warnings = ? WHERE id = ?`,
      )
      .run(
        counts.documents,
        counts.pairs,
        counts.skipped,
        counts.replacedBytes,
        counts.warnings.length ? JSON.stringify(counts.warnings) : null,
        this.sourceId,
      );
  }

  commit(): void {
    this.db.exec('COMMIT');
    this.open = false;
  }

  rollback(): void {
    if (this.open && this.db.inTransaction) this.db.exec('ROLLBACK');
    this.open = false;
  }
}

export function listSources(db: Db): SourceRow[] {
  return db
    .prepare(
      `SELECT s.*, (SELECT group_concat(lang, ',') FROM source_language_stats WHERE source_id = s.id) AS languages
       FROM sources s ORDER BY s.id`,
    )
    .all() as SourceRow[];
}

export function getSource(db: Db, id: number): SourceRow | undefined {
  return db.prepare('SELECT *, NULL AS languages FROM sources WHERE id = ?').get(id) as SourceRow | undefined;
}

/** Deletes a source and (by cascade, through the FTS triggers) everything imported from it. */
export function deleteSource(db: Db, id: number): { documents: number; pairs: number } | null {
  return db.transaction(() => {
    const s = db.prepare('SELECT documents, pairs FROM sources WHERE id = ?').get(id) as
      | { documents: number; pairs: number }
      | undefined;
    if (!s) return null;
    db.prepare('DELETE FROM sources WHERE id = ?').run(id);
    // Languages no longer used by any source go too.
    db.prepare(
      `DELETE FROM languages WHERE code NOT IN (SELECT lang FROM source_language_stats)
         AND code NOT IN (SELECT src_lang FROM source_pair_stats)
         AND code NOT IN (SELECT tgt_lang FROM source_pair_stats)`,
    ).run();
    return s;
  }).immediate();
}

export function listLanguages(db: Db): LanguageRow[] {
  return db.prepare('SELECT code, iso639_3, script, name, direction, known FROM languages ORDER BY code').all() as LanguageRow[];
}

export interface LanguageStatsRow extends LanguageTally {
  code: string;
  name: string;
  script: string;
  direction: 'ltr' | 'rtl';
}

export function languageStats(db: Db): LanguageStatsRow[] {
  return db
    .prepare(
      `SELECT l.code, l.name, l.script, l.direction,
              COALESCE(SUM(s.documents), 0) AS documents,
              COALESCE(SUM(s.eval_documents), 0) AS evalDocuments,
              COALESCE(SUM(s.pair_sides), 0) AS pairSides,
              COALESCE(SUM(s.characters), 0) AS characters,
              COALESCE(SUM(s.words), 0) AS words,
              COALESCE(SUM(s.tokens), 0) AS tokens,
              COALESCE(SUM(s.tokenized_chars), 0) AS tokenizedChars
       FROM languages l LEFT JOIN source_language_stats s ON s.lang = l.code
       GROUP BY l.code ORDER BY l.code`,
    )
    .all() as LanguageStatsRow[];
}

export function pairStats(db: Db): { src_lang: string; tgt_lang: string; pairs: number }[] {
  return db
    .prepare('SELECT src_lang, tgt_lang, SUM(pairs) AS pairs FROM source_pair_stats GROUP BY src_lang, tgt_lang')
    .all() as { src_lang: string; tgt_lang: string; pairs: number }[];
}

export interface DocFilter {
  lang?: string;
  role?: string;
  sourceId?: number;
}

export interface DocumentDbRow {
  id: number;
  source_id: number;
  lang: string;
  direction: 'ltr' | 'rtl';
  ordinal: number;
  role: 'train' | 'eval';
  ref: string | null;
  text: string;
}

/** Document count for a filter, from the per-source statistics (no scan). */
export function countDocuments(db: Db, f: DocFilter): number {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.lang) (where.push('lang = ?'), args.push(f.lang));
  if (f.sourceId !== undefined) (where.push('source_id = ?'), args.push(f.sourceId));
  const col = f.role === 'eval' ? 'eval_documents' : f.role === 'train' ? 'documents - eval_documents' : 'documents';
  const sql = `SELECT COALESCE(SUM(${col}), 0) AS n FROM source_language_stats${where.length ? ' WHERE ' + where.join(' AND ') : ''}`;
  return (db.prepare(sql).get(...args) as { n: number }).n;
}

/**
 * A page of documents for the browser. Ordered by (language, role, id), or by
 * ordinal within one source, so that the offset is found on an index alone;
 * a million-row table then pages in milliseconds at any depth.
 */
export function listDocuments(db: Db, f: DocFilter, offset: number, limit: number, maxChars = 500): DocumentDbRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.lang) (where.push('lang = ?'), args.push(f.lang));
  if (f.role) (where.push('role = ?'), args.push(f.role));
  if (f.sourceId !== undefined) (where.push('source_id = ?'), args.push(f.sourceId));
  const order = f.sourceId !== undefined ? 'source_id, ordinal' : 'lang, role, id';
  const ids = (
    db
      .prepare(
        `SELECT id FROM documents${where.length ? ' WHERE ' + where.join(' AND ') : ''} ORDER BY ${order} LIMIT ? OFFSET ?`,
      )
      .all(...args, limit, offset) as { id: number }[]
  ).map((r) => r.id);
  if (ids.length === 0) return [];
  const rows = db
    .prepare(
      `SELECT d.id, d.source_id, d.lang, l.direction, d.ordinal, d.role, d.ref, substr(d.text, 1, ?) AS text
       FROM documents d JOIN languages l ON l.code = d.lang
       WHERE d.id IN (SELECT value FROM json_each(?))`,
    )
    .all(maxChars, JSON.stringify(ids)) as DocumentDbRow[];
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => byId.get(id)!).filter(Boolean);
}

export interface DocumentFull extends DocumentDbRow {
  meta: string | null;
  source_name: string;
}

export function getDocument(db: Db, id: number): DocumentFull | undefined {
  return db
    .prepare(
      `SELECT d.id, d.source_id, d.lang, l.direction, d.ordinal, d.role, d.ref, d.text, d.meta, s.name AS source_name
       FROM documents d JOIN languages l ON l.code = d.lang JOIN sources s ON s.id = d.source_id WHERE d.id = ?`,
    )
    .get(id) as DocumentFull | undefined;
}

/**
 * Texts in other languages aligned with a document, through pairs with the
 * same reference, or with its parent reference when a pair spans the whole
 * unit (a UDHR article whose paragraph counts differ: "udhr:article 3").
 */
export function alignedTexts(db: Db, lang: string, ref: string): { lang: string; direction: 'ltr' | 'rtl'; text: string }[] {
  const parent = ref.includes(':') ? ref.replace(/:[^:]*$/, '') : ref;
  return db
    .prepare(
      `SELECT DISTINCT other_lang AS lang, l.direction, other_text AS text FROM (
         SELECT tgt_lang AS other_lang, tgt_text AS other_text FROM pairs WHERE ref IN (?, ?) AND src_lang = ?
         UNION ALL
         SELECT src_lang, src_text FROM pairs WHERE ref IN (?, ?) AND tgt_lang = ?
       ) JOIN languages l ON l.code = other_lang LIMIT 50`,
    )
    .all(ref, parent, lang, ref, parent, lang) as { lang: string; direction: 'ltr' | 'rtl'; text: string }[];
}

export interface PairDbRow {
  id: number;
  source_id: number;
  src_lang: string;
  tgt_lang: string;
  src_direction: 'ltr' | 'rtl';
  tgt_direction: 'ltr' | 'rtl';
  src_text: string;
  tgt_text: string;
  ref: string | null;
  role: 'train' | 'eval';
}

const PAIR_COLUMNS = `p.id, p.source_id, p.src_lang, p.tgt_lang, ls.direction AS src_direction, lt.direction AS tgt_direction,
  p.src_text, p.tgt_text, p.ref, p.role`;
const PAIR_JOINS = 'JOIN languages ls ON ls.code = p.src_lang JOIN languages lt ON lt.code = p.tgt_lang';

export function listPairs(db: Db, f: { lang?: string; sourceId?: number }, offset: number, limit: number): { total: number; rows: PairDbRow[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (f.lang) (where.push('(p.src_lang = ? OR p.tgt_lang = ?)'), args.push(f.lang, f.lang));
  if (f.sourceId !== undefined) (where.push('p.source_id = ?'), args.push(f.sourceId));
  const w = where.length ? ' WHERE ' + where.join(' AND ') : '';
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM pairs p${w}`).get(...args) as { n: number }).n;
  const rows = db
    .prepare(`SELECT ${PAIR_COLUMNS} FROM pairs p ${PAIR_JOINS}${w} ORDER BY p.id LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as PairDbRow[];
  return { total, rows };
}

/** An FTS5 phrase: the trigram tokenizer matches it as a substring. */
function phrase(q: string): string {
  return '"' + q.replace(/"/g, '""') + '"';
}

function likePattern(q: string): string {
  return '%' + q.replace(/[\\%_]/g, (c) => '\\' + c) + '%';
}

export function searchDocuments(
  db: Db,
  q: string,
  f: { lang?: string; role?: string },
  offset: number,
  limit: number,
  method: 'trigram' | 'scan',
): DocumentDbRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  // The trigram form drives the query from the FTS index, which yields rowids
  // in ascending order and stops at LIMIT: a common substring costs no more
  // than a rare one. Queries under 3 characters cannot use trigrams and scan.
  let from = 'documents d';
  if (method === 'trigram') {
    from = 'documents_fts f JOIN documents d ON d.id = f.rowid';
    where.push('documents_fts MATCH ?');
    args.push(phrase(q));
  } else {
    where.push("d.text LIKE ? ESCAPE '\\'");
    args.push(likePattern(q));
  }
  if (f.lang) (where.push('d.lang = ?'), args.push(f.lang));
  if (f.role) (where.push('d.role = ?'), args.push(f.role));
  return db
    .prepare(
      `SELECT d.id, d.source_id, d.lang, l.direction, d.ordinal, d.role, d.ref, d.text
       FROM ${from} JOIN languages l ON l.code = d.lang
       WHERE ${where.join(' AND ')} LIMIT ? OFFSET ?`,
    )
    .all(...args, limit, offset) as DocumentDbRow[];
}

export function searchPairs(
  db: Db,
  q: string,
  f: { lang?: string; role?: string },
  offset: number,
  limit: number,
  method: 'trigram' | 'scan',
): PairDbRow[] {
  const where: string[] = [];
  const args: unknown[] = [];
  let from = 'pairs p';
  if (method === 'trigram') {
    from = 'pairs_fts f JOIN pairs p ON p.id = f.rowid';
    where.push('pairs_fts MATCH ?');
    args.push(phrase(q));
  } else {
    where.push("(p.src_text LIKE ? ESCAPE '\\' OR p.tgt_text LIKE ? ESCAPE '\\')");
    args.push(likePattern(q), likePattern(q));
  }
  if (f.lang) (where.push('(p.src_lang = ? OR p.tgt_lang = ?)'), args.push(f.lang, f.lang));
  if (f.role) (where.push('p.role = ?'), args.push(f.role));
  return db
    .prepare(`SELECT ${PAIR_COLUMNS} FROM ${from} ${PAIR_JOINS} WHERE ${where.join(' AND ')} LIMIT ? OFFSET ?`)
    .all(...args, limit, offset) as PairDbRow[];
}
