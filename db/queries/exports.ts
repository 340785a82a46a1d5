import type { Db } from '../open';

export type ExportFormat = 'hf' | 'onnx' | 'gguf';

export interface ExportRow {
  id: number;
  model_ref: string;
  model_label: string;
  format: ExportFormat;
  variant: string;
  path: string;
  bytes: number;
  /** JSON [{path, bytes, sha256}]. */
  files: string;
  status: 'exporting' | 'ready';
  pid: number | null;
  created_at: string;
}

export function insertExport(db: Db, e: { modelRef: string; modelLabel: string; format: ExportFormat; variant: string; path: string; pid: number }): number {
  return Number(
    db
      .prepare(`INSERT INTO exports (model_ref, model_label, format, variant, path, status, pid) VALUES (?, ?, ?, ?, ?, 'exporting', ?)`)
      .run(e.modelRef, e.modelLabel, e.format, e.variant, e.path, e.pid).lastInsertRowid,
  );
}

export function finishExport(db: Db, id: number, bytes: number, files: string): void {
  db.prepare(`UPDATE exports SET status = 'ready', bytes = ?, files = ?, pid = NULL WHERE id = ?`).run(bytes, files, id);
}

export function getExport(db: Db, id: number): ExportRow | undefined {
  return db.prepare(`SELECT * FROM exports WHERE id = ?`).get(id) as ExportRow | undefined;
}

/** Newest first. */
export function listExports(db: Db): ExportRow[] {
  return db.prepare(`SELECT * FROM exports ORDER BY id DESC`).all() as ExportRow[];
}

/** The ready exports of one model in one format, newest first. */
export function readyExportsOf(db: Db, modelRef: string, format: ExportFormat): ExportRow[] {
  return db.prepare(`SELECT * FROM exports WHERE model_ref = ? AND format = ? AND status = 'ready' ORDER BY id DESC`).all(modelRef, format) as ExportRow[];
}

export function deleteExportRow(db: Db, id: number): boolean {
  return db.prepare(`DELETE FROM exports WHERE id = ?`).run(id).changes > 0;
}

export interface StoredScore {
  run_id: number;
  items_digest: string;
  base_ref: string | null;
  benchmark: string;
  subset: string;
  metric: string;
  score: number;
  n: number;
}

/**
 * A model's newest succeeded score per benchmark, subset and metric (the
 * evaluation tables of migration 0090). With `itemsDigest`, only runs on
 * those items: the base model's row to compare a checkpoint with.
 */
export function latestScoresOf(db: Db, modelRef: string, itemsDigest?: string): StoredScore[] {
  const rows = db
    .prepare(
      `SELECT r.id AS run_id, r.items_digest, r.base_ref, s.benchmark, s.subset, s.metric, s.score, s.n
       FROM eval_runs r JOIN eval_scores s ON s.run_id = r.id
       WHERE r.model_ref = ? AND r.status = 'succeeded' ${itemsDigest ? 'AND r.items_digest = ?' : ''}
       ORDER BY r.id DESC`,
    )
    .all(...(itemsDigest ? [modelRef, itemsDigest] : [modelRef])) as StoredScore[];
  const seen = new Set<string>();
  return rows.filter((r) => {
    const key = `${r.benchmark}\u0000${r.subset}\u0000${r.metric}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
