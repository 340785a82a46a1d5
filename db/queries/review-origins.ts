import type { Db } from '../open';

/** Where review queues take their items from: evaluation results and evaluation pairs. */

export function tableExists(db: Db, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

export interface EvalRunRow {
  id: number;
  model_ref: string;
  model_label: string;
}

export function evalRun(db: Db, id: number): EvalRunRow | undefined {
  return db.prepare('SELECT id, model_ref, model_label FROM eval_runs WHERE id = ?').get(id) as EvalRunRow | undefined;
}

export interface EvalItemRow {
  item_id: string;
  benchmark: string;
  subset: string;
  src_lang: string;
  tgt_lang: string;
  source: string;
  reference: string | null;
  hypothesis: string;
  score: number | null;
}

/**
 * The translation items of a run (those with a direction and a hypothesis;
 * multiple-choice and bits-per-character items have nothing to read), in the
 * order the run stored them, optionally in one direction.
 */
export function evalTranslationItems(db: Db, runId: number, dir?: { src: string; tgt: string }): EvalItemRow[] {
  const where = ['run_id = ?', 'hypothesis IS NOT NULL', 'source IS NOT NULL', 'src_lang IS NOT NULL', 'tgt_lang IS NOT NULL'];
  const args: unknown[] = [runId];
  if (dir) (where.push('src_lang = ? AND tgt_lang = ?'), args.push(dir.src, dir.tgt));
  return db
    .prepare(
      `SELECT item_id, benchmark, subset, src_lang, tgt_lang, source, reference, hypothesis, score
       FROM eval_items WHERE ${where.join(' AND ')} ORDER BY rowid`,
    )
    .all(...args) as EvalItemRow[];
}

export interface EvalPairRow {
  id: number;
  src_text: string;
  tgt_text: string;
  ref: string | null;
  source_id: number;
}

/** Corpus pairs marked 'eval' in one direction, either way round in the table. */
export function evalPairs(db: Db, src: string, tgt: string): EvalPairRow[] {
  return db
    .prepare(
      `SELECT id, src_text, tgt_text, ref, source_id FROM pairs WHERE role = 'eval' AND src_lang = ? AND tgt_lang = ?
       UNION ALL
       SELECT id, tgt_text, src_text, ref, source_id FROM pairs WHERE role = 'eval' AND src_lang = ? AND tgt_lang = ?
       ORDER BY id`,
    )
    .all(src, tgt, tgt, src) as EvalPairRow[];
}
