import type { Db } from '../open';

export type EvalRunStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled' | 'interrupted';

export interface EvalRunRow {
  id: number;
  job_id: number | null;
  model_ref: string;
  model_label: string;
  step: number | null;
  train_job_id: number | null;
  base_ref: string | null;
  items_hash: string;
  items_digest: string;
  /** JSON array of benchmark names. */
  benchmarks: string;
  /** JSON: the request, the model folder, the item count. */
  config: string;
  status: EvalRunStatus;
  error: string | null;
  created_at: string;
  scored_at: string | null;
}

export interface EvalItemDbRow {
  run_id: number;
  item_id: string;
  benchmark: string;
  subset: string;
  src_lang: string | null;
  tgt_lang: string | null;
  source: string | null;
  reference: string | null;
  hypothesis: string | null;
  score: number | null;
  correct: number | null;
  meta: string | null;
}

export interface EvalScoreRow {
  run_id: number;
  benchmark: string;
  subset: string;
  metric: string;
  score: number;
  n: number;
  signature: string;
}

export interface EvalDeltaRow {
  run_id: number;
  base_run_id: number;
  benchmark: string;
  subset: string;
  metric: string;
  value: number;
  low: number;
  high: number;
  significant: number;
}

export function insertRun(db: Db, r: Omit<EvalRunRow, 'id' | 'created_at' | 'scored_at' | 'error'>): number {
  return Number(
    db
      .prepare(
        `INSERT INTO eval_runs (job_id, model_ref, model_label, step, train_job_id, base_ref, items_hash, items_digest, benchmarks, config, status)
         VALUES (@job_id, @model_ref, @model_label, @step, @train_job_id, @base_ref, @items_hash, @items_digest, @benchmarks, @config, @status)`,
      )
      .run(r).lastInsertRowid,
  );
}

export function getRun(db: Db, id: number): EvalRunRow | undefined {
  return db.prepare(`SELECT * FROM eval_runs WHERE id = ?`).get(id) as EvalRunRow | undefined;
}

export function listRuns(db: Db): EvalRunRow[] {
  return db.prepare(`SELECT * FROM eval_runs ORDER BY id DESC`).all() as EvalRunRow[];
}

export function runOfJob(db: Db, jobId: number): EvalRunRow | undefined {
  return db.prepare(`SELECT * FROM eval_runs WHERE job_id = ?`).get(jobId) as EvalRunRow | undefined;
}

/** A run of the same model on the same items that succeeded or is on its way (the newest). */
export function reusableRun(db: Db, itemsHash: string): EvalRunRow | undefined {
  return db.prepare(`SELECT * FROM eval_runs WHERE items_hash = ? AND status IN ('succeeded', 'queued', 'running') ORDER BY (status = 'succeeded') DESC, id DESC LIMIT 1`).get(itemsHash) as EvalRunRow | undefined;
}

/** The reference run for a comparison: the newest scored run of `modelRef` on the same items. */
export function baseRunFor(db: Db, modelRef: string, itemsDigest: string): EvalRunRow | undefined {
  return db.prepare(`SELECT * FROM eval_runs WHERE model_ref = ? AND items_digest = ? AND status = 'succeeded' AND scored_at IS NOT NULL ORDER BY id DESC LIMIT 1`).get(modelRef, itemsDigest) as EvalRunRow | undefined;
}

export function setRunStatus(db: Db, id: number, status: EvalRunStatus, error: string | null = null): void {
  db.prepare(`UPDATE eval_runs SET status = ?, error = ? WHERE id = ?`).run(status, error, id);
}

export function setRunJob(db: Db, id: number, jobId: number): void {
  db.prepare(`UPDATE eval_runs SET job_id = ? WHERE id = ?`).run(jobId, id);
}

export function deleteRun(db: Db, id: number): boolean {
  return db.prepare(`DELETE FROM eval_runs WHERE id = ?`).run(id).changes === 1;
}

export function insertItems(db: Db, rows: EvalItemDbRow[]): void {
  const s = db.prepare(
    `INSERT OR REPLACE INTO eval_items (run_id, item_id, benchmark, subset, src_lang, tgt_lang, source, reference, hypothesis, score, correct, meta)
     VALUES (@run_id, @item_id, @benchmark, @subset, @src_lang, @tgt_lang, @source, @reference, @hypothesis, @score, @correct, @meta)`,
  );
  db.transaction(() => {
    for (const r of rows) s.run(r);
  })();
}

export function runItems(db: Db, runId: number): EvalItemDbRow[] {
  return db.prepare(`SELECT * FROM eval_items WHERE run_id = ? ORDER BY rowid`).all(runId) as EvalItemDbRow[];
}

export function pageItems(db: Db, runId: number, benchmark: string, subset: string, offset: number, limit: number): { total: number; rows: EvalItemDbRow[] } {
  const total = (db.prepare(`SELECT COUNT(*) AS n FROM eval_items WHERE run_id = ? AND benchmark = ? AND subset = ?`).get(runId, benchmark, subset) as { n: number }).n;
  const rows = db.prepare(`SELECT * FROM eval_items WHERE run_id = ? AND benchmark = ? AND subset = ? ORDER BY rowid LIMIT ? OFFSET ?`).all(runId, benchmark, subset, limit, offset) as EvalItemDbRow[];
  return { total, rows };
}

export function itemsById(db: Db, runId: number, ids: string[]): Map<string, EvalItemDbRow> {
  const s = db.prepare(`SELECT * FROM eval_items WHERE run_id = ? AND item_id = ?`);
  const out = new Map<string, EvalItemDbRow>();
  for (const id of ids) {
    const r = s.get(runId, id) as EvalItemDbRow | undefined;
    if (r) out.set(id, r);
  }
  return out;
}

/**
 * Writes a run's scored items and scores and marks it scored, once: when two
 * Langbridge processes (app and CLI) both see the job end, the second finds
 * the run already scored and writes nothing. Returns whether it wrote.
 */
export function storeScores(db: Db, runId: number, items: Array<Pick<EvalItemDbRow, 'item_id' | 'hypothesis' | 'score' | 'correct' | 'meta'>>, scores: Array<Omit<EvalScoreRow, 'run_id'>>): boolean {
  return db.transaction(() => {
    const run = getRun(db, runId);
    if (!run || run.scored_at) return false;
    const u = db.prepare(`UPDATE eval_items SET hypothesis = @hypothesis, score = @score, correct = @correct, meta = @meta WHERE run_id = @run_id AND item_id = @item_id`);
    for (const it of items) u.run({ ...it, run_id: runId });
    db.prepare(`DELETE FROM eval_scores WHERE run_id = ?`).run(runId);
    const s = db.prepare(`INSERT INTO eval_scores (run_id, benchmark, subset, metric, score, n, signature) VALUES (@run_id, @benchmark, @subset, @metric, @score, @n, @signature)`);
    for (const r of scores) s.run({ ...r, run_id: runId });
    db.prepare(`UPDATE eval_runs SET status = 'succeeded', error = NULL, scored_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE id = ?`).run(runId);
    return true;
  }).immediate();
}

export function scoresOf(db: Db, runIds: number[]): EvalScoreRow[] {
  if (!runIds.length) return [];
  return db.prepare(`SELECT * FROM eval_scores WHERE run_id IN (${runIds.map(() => '?').join(',')}) ORDER BY run_id, benchmark, subset, metric`).all(...runIds) as EvalScoreRow[];
}

export function deltasOf(db: Db, runId: number, baseRunId: number): EvalDeltaRow[] {
  return db.prepare(`SELECT * FROM eval_deltas WHERE run_id = ? AND base_run_id = ?`).all(runId, baseRunId) as EvalDeltaRow[];
}

export function storeDeltas(db: Db, rows: EvalDeltaRow[]): void {
  const s = db.prepare(
    `INSERT OR REPLACE INTO eval_deltas (run_id, base_run_id, benchmark, subset, metric, value, low, high, significant)
     VALUES (@run_id, @base_run_id, @benchmark, @subset, @metric, @value, @low, @high, @significant)`,
  );
  db.transaction(() => {
    for (const r of rows) s.run(r);
  })();
}
