import type { Db } from '../open';

/** A training document as the pipeline reads it. */
export interface PipelineDocRow {
  id: number;
  source_id: number;
  lang: string;
  script: string;
  text: string;
}

export interface PipelinePairRow {
  id: number;
  source_id: number;
  src_lang: string;
  tgt_lang: string;
  src_script: string;
  tgt_script: string;
  src_text: string;
  tgt_text: string;
}

/** Training documents with lo <= id < hi (the pipeline's chunks are id ranges: one index seek each). */
export function documentsInRange(db: Db, lo: number, hi: number): PipelineDocRow[] {
  return db
    .prepare(
      `SELECT d.id, d.source_id, d.lang, l.script, d.text FROM documents d JOIN languages l ON l.code = d.lang
       WHERE d.id >= ? AND d.id < ? AND d.role = 'train' ORDER BY d.id`,
    )
    .all(lo, hi) as PipelineDocRow[];
}

export function documentsByIds(db: Db, ids: number[]): PipelineDocRow[] {
  const stmt = db.prepare(
    `SELECT d.id, d.source_id, d.lang, l.script, d.text FROM documents d JOIN languages l ON l.code = d.lang WHERE d.id = ?`,
  );
  return ids.map((id) => stmt.get(id) as PipelineDocRow | undefined).filter((r): r is PipelineDocRow => !!r);
}

export function pairsInRange(db: Db, lo: number, hi: number): PipelinePairRow[] {
  return db
    .prepare(
      `SELECT p.id, p.source_id, p.src_lang, p.tgt_lang, ls.script AS src_script, lt.script AS tgt_script, p.src_text, p.tgt_text
       FROM pairs p JOIN languages ls ON ls.code = p.src_lang JOIN languages lt ON lt.code = p.tgt_lang
       WHERE p.id >= ? AND p.id < ? AND p.role = 'train' ORDER BY p.id`,
    )
    .all(lo, hi) as PipelinePairRow[];
}

export function pairsByIds(db: Db, ids: number[]): PipelinePairRow[] {
  const stmt = db.prepare(
    `SELECT p.id, p.source_id, p.src_lang, p.tgt_lang, ls.script AS src_script, lt.script AS tgt_script, p.src_text, p.tgt_text
     FROM pairs p JOIN languages ls ON ls.code = p.src_lang JOIN languages lt ON lt.code = p.tgt_lang WHERE p.id = ?`,
  );
  return ids.map((id) => stmt.get(id) as PipelinePairRow | undefined).filter((r): r is PipelinePairRow => !!r);
}

/** Id bounds and counts of the training items, to cut the work into chunks. */
export function trainingExtent(db: Db): { docMin: number; docMax: number; docs: number; pairMin: number; pairMax: number; pairs: number } {
  const d = db.prepare(`SELECT MIN(id) AS lo, MAX(id) AS hi, COUNT(*) AS n FROM documents WHERE role = 'train'`).get() as { lo: number | null; hi: number | null; n: number };
  const p = db.prepare(`SELECT MIN(id) AS lo, MAX(id) AS hi, COUNT(*) AS n FROM pairs WHERE role = 'train'`).get() as { lo: number | null; hi: number | null; n: number };
  return { docMin: d.lo ?? 0, docMax: d.hi ?? -1, docs: d.n, pairMin: p.lo ?? 0, pairMax: p.hi ?? -1, pairs: p.n };
}

/** Training document ids per language (for samples), ascending. */
export function documentIdsOfLanguage(db: Db, lang: string): number[] {
  return (db.prepare(`SELECT id FROM documents WHERE lang = ? AND role = 'train' ORDER BY id`).pluck().all(lang) as number[]);
}

export function trainingLanguages(db: Db): string[] {
  return db.prepare(`SELECT DISTINCT lang FROM documents WHERE role = 'train' ORDER BY lang`).pluck().all() as string[];
}

export function pairIdsOfDirection(db: Db, src: string, tgt: string): number[] {
  return db.prepare(`SELECT id FROM pairs WHERE src_lang = ? AND tgt_lang = ? AND role = 'train' ORDER BY id`).pluck().all(src, tgt) as number[];
}

export function trainingPairDirections(db: Db): Array<{ src_lang: string; tgt_lang: string }> {
  return db.prepare(`SELECT DISTINCT src_lang, tgt_lang FROM pairs WHERE role = 'train' ORDER BY src_lang, tgt_lang`).all() as Array<{ src_lang: string; tgt_lang: string }>;
}

/** Evaluation items: documents with role 'eval' and both sides of evaluation pairs, with a readable reference. */
export function evalTexts(db: Db): Array<{ lang: string; script: string; text: string; ref: string }> {
  return db
    .prepare(
      `SELECT d.lang, l.script, d.text, s.name || ' ' || COALESCE(d.ref, '#' || d.id) AS ref
         FROM documents d JOIN languages l ON l.code = d.lang JOIN sources s ON s.id = d.source_id WHERE d.role = 'eval'
       UNION ALL SELECT p.src_lang, l.script, p.src_text, s.name || ' ' || COALESCE(p.ref, '#' || p.id)
         FROM pairs p JOIN languages l ON l.code = p.src_lang JOIN sources s ON s.id = p.source_id WHERE p.role = 'eval'
       UNION ALL SELECT p.tgt_lang, l.script, p.tgt_text, s.name || ' ' || COALESCE(p.ref, '#' || p.id)
         FROM pairs p JOIN languages l ON l.code = p.tgt_lang JOIN sources s ON s.id = p.source_id WHERE p.role = 'eval'`,
    )
    .all() as Array<{ lang: string; script: string; text: string; ref: string }>;
}

/** The first training texts of a language, to derive its stop words. */
export function firstTexts(db: Db, lang: string, limit: number): string[] {
  return db.prepare(`SELECT text FROM documents WHERE lang = ? AND role = 'train' ORDER BY id LIMIT ?`).pluck().all(lang, limit) as string[];
}

export function sourceNames(db: Db): Map<number, string> {
  const rows = db.prepare(`SELECT id, name FROM sources`).all() as Array<{ id: number; name: string }>;
  return new Map(rows.map((r) => [r.id, r.name]));
}

/** Tokens per code point per language, measured on the import's tokenizer sample. */
export function tokensPerChar(db: Db): Map<string, number> {
  const rows = db
    .prepare(`SELECT lang, SUM(tokens) AS tokens, SUM(characters) AS chars FROM source_language_stats GROUP BY lang`)
    .all() as Array<{ lang: string; tokens: number; chars: number }>;
  return new Map(rows.filter((r) => r.chars > 0 && r.tokens > 0).map((r) => [r.lang, r.tokens / r.chars]));
}

export function sourceRows(db: Db): Array<{ id: number; name: string; format: string; license: string | null; sha256: string }> {
  return db.prepare(`SELECT id, name, format, license, sha256 FROM sources ORDER BY id`).all() as Array<{
    id: number;
    name: string;
    format: string;
    license: string | null;
    sha256: string;
  }>;
}

export function languageNames(db: Db): Map<string, string> {
  const rows = db.prepare(`SELECT code, name FROM languages`).all() as Array<{ code: string; name: string }>;
  return new Map(rows.map((r) => [r.code, r.name]));
}

// ------------------------------------------------------------------ recipes

export interface RecipeRow {
  name: string;
  body: string;
  revision: number;
  updated_at: string;
}

export function listRecipes(db: Db): RecipeRow[] {
  return db.prepare(`SELECT name, body, revision, updated_at FROM recipes ORDER BY name`).all() as RecipeRow[];
}

export function getRecipe(db: Db, name: string): RecipeRow | undefined {
  return db.prepare(`SELECT name, body, revision, updated_at FROM recipes WHERE name = ?`).get(name) as RecipeRow | undefined;
}

export function saveRecipe(db: Db, name: string, body: string): RecipeRow {
  db.prepare(
    `INSERT INTO recipes (name, body) VALUES (?, ?)
     ON CONFLICT(name) DO UPDATE SET body = excluded.body, revision = revision + 1,
       updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')`,
  ).run(name, body);
  return getRecipe(db, name)!;
}

export function deleteRecipe(db: Db, name: string): boolean {
  return db.prepare(`DELETE FROM recipes WHERE name = ?`).run(name).changes > 0;
}

// ------------------------------------------------------------------ datasets

export interface DatasetRow {
  id: number;
  name: string;
  recipe_name: string;
  recipe: string;
  seed: number;
  status: 'building' | 'ready';
  pid: number | null;
  folder: string;
  created_at: string;
  summary: string | null;
  report: string | null;
}

export function nextDatasetName(db: Db, recipeName: string): string {
  const names = new Set(db.prepare(`SELECT name FROM datasets`).pluck().all() as string[]);
  for (let n = 1; ; n++) if (!names.has(`${recipeName}-${n}`)) return `${recipeName}-${n}`;
}

export function insertBuildingDataset(db: Db, d: { name: string; recipeName: string; recipe: string; seed: number; pid: number; folder: (id: number) => string }): number {
  return db.transaction(() => {
    const id = Number(
      db.prepare(`INSERT INTO datasets (name, recipe_name, recipe, seed, status, pid, folder) VALUES (?, ?, ?, ?, 'building', ?, '')`)
        .run(d.name, d.recipeName, d.recipe, d.seed, d.pid).lastInsertRowid,
    );
    db.prepare(`UPDATE datasets SET folder = ? WHERE id = ?`).run(d.folder(id), id);
    return id;
  }).immediate();
}

export interface LineageInsert {
  itemKind: 'document' | 'pair';
  itemId: number;
  lang: string;
  stepIndex: number;
  step: string;
  action: 'removed' | 'changed' | 'flagged';
  code: string;
  message: string;
}

/** Marks a dataset ready and stores its lineage, in one transaction: either both are there or neither. */
export function finishDataset(db: Db, id: number, summary: string, report: string, lineage: Iterable<LineageInsert>): void {
  db.transaction(() => {
    const ins = db.prepare(
      `INSERT INTO dataset_lineage (dataset_id, item_kind, item_id, lang, step_index, step, action, code, message) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const l of lineage) ins.run(id, l.itemKind, l.itemId, l.lang, l.stepIndex, l.step, l.action, l.code, l.message);
    db.prepare(`UPDATE datasets SET status = 'ready', pid = NULL, summary = ?, report = ? WHERE id = ?`).run(summary, report, id);
  }).immediate();
}

export function deleteDatasetRow(db: Db, id: number): void {
  db.prepare(`DELETE FROM datasets WHERE id = ?`).run(id);
}

export function listDatasets(db: Db, status: 'ready' | 'building' = 'ready'): DatasetRow[] {
  return db.prepare(`SELECT * FROM datasets WHERE status = ? ORDER BY id DESC`).all(status) as DatasetRow[];
}

export function getDataset(db: Db, id: number): DatasetRow | undefined {
  return db.prepare(`SELECT * FROM datasets WHERE id = ?`).get(id) as DatasetRow | undefined;
}

export function lineageRows(
  db: Db,
  f: { id: number; stepIndex?: number; step?: string; lang?: string; action?: string; offset: number; limit: number },
): { total: number; rows: Array<LineageInsert & { ordinal: number | null; ref: string | null }> } {
  const where = ['l.dataset_id = @id'];
  if (f.step !== undefined) where.push('l.step = @step');
  if (f.lang !== undefined) where.push('l.lang = @lang');
  if (f.action !== undefined) where.push('l.action = @action');
  const w = where.join(' AND ');
  const total = (db.prepare(`SELECT COUNT(*) FROM dataset_lineage l WHERE ${w}`).pluck().get(f) as number) ?? 0;
  const rows = db
    .prepare(
      `SELECT l.item_kind AS itemKind, l.item_id AS itemId, l.lang, l.step_index AS stepIndex, l.step, l.action, l.code, l.message,
              COALESCE(d.ordinal, p.ordinal) AS ordinal, COALESCE(d.ref, p.ref) AS ref
       FROM dataset_lineage l
       LEFT JOIN documents d ON l.item_kind = 'document' AND d.id = l.item_id
       LEFT JOIN pairs p ON l.item_kind = 'pair' AND p.id = l.item_id
       WHERE ${w} ORDER BY l.rowid LIMIT @limit OFFSET @offset`,
    )
    .all(f) as Array<LineageInsert & { ordinal: number | null; ref: string | null }>;
  return { total, rows };
}
