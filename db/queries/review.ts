import type { Db } from '../open';

/** Row shapes of the review tables; main/services/review turns them into the contract's types. */
export interface QueueRow {
  id: number;
  name: string;
  kind: string;
  src_lang: string | null;
  tgt_lang: string | null;
  systems: string;
  origin: string;
  created_at: string;
  items: number;
  reviewed: number;
}

export interface ItemRow {
  id: number;
  queue_id: number;
  ordinal: number;
  src_lang: string;
  tgt_lang: string;
  source: string;
  reference: string | null;
  outputs: string;
  order: string;
  meta: string | null;
}

export interface JudgementRow {
  id: number;
  item_id: number;
  system: string;
  reviewer: string;
  score: number | null;
  post_edit: string | null;
  accepted: number;
  pair_id: number | null;
  created_at: string;
  updated_at: string;
}

export interface SpanRow {
  judgement_id: number;
  start: number;
  end: number;
  category: string;
  severity: string;
}

export interface NewQueue {
  name: string;
  kind: string;
  srcLang: string | null;
  tgtLang: string | null;
  systems: string[];
  origin: Record<string, unknown>;
}

export interface NewItem {
  srcLang: string;
  tgtLang: string;
  source: string;
  reference: string | null;
  outputs: { system: string; text: string }[];
  order: number[];
  meta: Record<string, unknown> | null;
}

const QUEUE_SELECT = `SELECT q.*,
  (SELECT COUNT(*) FROM review_items i WHERE i.queue_id = q.id) AS items,
  (SELECT COUNT(DISTINCT j.item_id) FROM review_judgements j JOIN review_items i ON i.id = j.item_id WHERE i.queue_id = q.id) AS reviewed
  FROM review_queues q`;

/** A queue and all its items, in one transaction. */
export function insertQueue(db: Db, q: NewQueue, items: NewItem[]): number {
  return db.transaction(() => {
    const id = Number(
      db
        .prepare('INSERT INTO review_queues (name, kind, src_lang, tgt_lang, systems, origin) VALUES (?, ?, ?, ?, ?, ?)')
        .run(q.name, q.kind, q.srcLang, q.tgtLang, JSON.stringify(q.systems), JSON.stringify(q.origin)).lastInsertRowid,
    );
    const ins = db.prepare(
      `INSERT INTO review_items (queue_id, ordinal, src_lang, tgt_lang, source, reference, outputs, "order", meta)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    items.forEach((it, i) =>
      ins.run(id, i + 1, it.srcLang, it.tgtLang, it.source, it.reference, JSON.stringify(it.outputs), JSON.stringify(it.order), it.meta ? JSON.stringify(it.meta) : null),
    );
    return id;
  }).immediate();
}

export function listQueues(db: Db): QueueRow[] {
  return db.prepare(`${QUEUE_SELECT} ORDER BY q.id DESC`).all() as QueueRow[];
}

export function getQueue(db: Db, id: number): QueueRow | undefined {
  return db.prepare(`${QUEUE_SELECT} WHERE q.id = ?`).get(id) as QueueRow | undefined;
}

export function deleteQueue(db: Db, id: number): boolean {
  return db.prepare('DELETE FROM review_queues WHERE id = ?').run(id).changes > 0;
}

export function getItem(db: Db, id: number): ItemRow | undefined {
  return db.prepare('SELECT * FROM review_items WHERE id = ?').get(id) as ItemRow | undefined;
}

export function itemAt(db: Db, queueId: number, ordinal: number): ItemRow | undefined {
  return db.prepare('SELECT * FROM review_items WHERE queue_id = ? AND ordinal = ?').get(queueId, ordinal) as ItemRow | undefined;
}

/** The first item of the queue that `reviewer` has not judged yet. */
export function firstUnjudged(db: Db, queueId: number, reviewer: string): ItemRow | undefined {
  return db
    .prepare(
      `SELECT * FROM review_items i WHERE i.queue_id = ?
         AND NOT EXISTS (SELECT 1 FROM review_judgements j WHERE j.item_id = i.id AND j.reviewer = ?)
       ORDER BY i.ordinal LIMIT 1`,
    )
    .get(queueId, reviewer) as ItemRow | undefined;
}

export function itemCount(db: Db, queueId: number): number {
  return (db.prepare('SELECT COUNT(*) AS n FROM review_items WHERE queue_id = ?').get(queueId) as { n: number }).n;
}

/** Items of the queue judged by `reviewer` (or by anyone, without one). */
export function reviewedCount(db: Db, queueId: number, reviewer?: string): number {
  const sql = `SELECT COUNT(DISTINCT j.item_id) AS n FROM review_judgements j JOIN review_items i ON i.id = j.item_id
               WHERE i.queue_id = ?${reviewer === undefined ? '' : ' AND j.reviewer = ?'}`;
  const args: unknown[] = reviewer === undefined ? [queueId] : [queueId, reviewer];
  return (db.prepare(sql).get(...args) as { n: number }).n;
}

export function judgementsOf(db: Db, itemId: number, reviewer: string): JudgementRow[] {
  return db.prepare('SELECT * FROM review_judgements WHERE item_id = ? AND reviewer = ?').all(itemId, reviewer) as JudgementRow[];
}

export function spansOf(db: Db, judgementIds: number[]): SpanRow[] {
  if (judgementIds.length === 0) return [];
  return db
    .prepare('SELECT * FROM review_spans WHERE judgement_id IN (SELECT value FROM json_each(?)) ORDER BY judgement_id, start, "end"')
    .all(JSON.stringify(judgementIds)) as SpanRow[];
}

/**
 * Inserts or replaces the judgement of (item, system, reviewer) and its spans;
 * the caller holds the transaction. Returns the judgement's row after the write.
 */
export function upsertJudgement(
  db: Db,
  j: { itemId: number; system: string; reviewer: string; score: number | null; postEdit: string | null; accepted: boolean },
  spans: { start: number; end: number; category: string; severity: string }[],
): JudgementRow {
  const row = db
    .prepare(
      `INSERT INTO review_judgements (item_id, system, reviewer, score, post_edit, accepted)
       VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (item_id, system, reviewer) DO UPDATE SET
         score = excluded.score, post_edit = excluded.post_edit, accepted = excluded.accepted,
         updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
       RETURNING *`,
    )
    .get(j.itemId, j.system, j.reviewer, j.score, j.postEdit, j.accepted ? 1 : 0) as JudgementRow;
  db.prepare('DELETE FROM review_spans WHERE judgement_id = ?').run(row.id);
  const ins = db.prepare('INSERT INTO review_spans (judgement_id, start, "end", category, severity) VALUES (?, ?, ?, ?, ?)');
  for (const s of spans) ins.run(row.id, s.start, s.end, s.category, s.severity);
  return row;
}

export function deleteJudgement(db: Db, id: number): void {
  db.prepare('DELETE FROM review_judgements WHERE id = ?').run(id);
}

export function setJudgementPair(db: Db, judgementId: number, pairId: number | null): void {
  db.prepare('UPDATE review_judgements SET pair_id = ? WHERE id = ?').run(pairId, judgementId);
}

export interface JudgementFull extends JudgementRow {
  queue_id: number;
  queue_name: string;
  ordinal: number;
  src_lang: string;
  tgt_lang: string;
  source: string;
  reference: string | null;
  outputs: string;
}

/** Every judgement (of one queue, or all), with its item, in queue and item order. */
export function allJudgements(db: Db, queueId?: number): JudgementFull[] {
  return db
    .prepare(
      `SELECT j.*, i.queue_id, q.name AS queue_name, i.ordinal, i.src_lang, i.tgt_lang, i.source, i.reference, i.outputs
       FROM review_judgements j JOIN review_items i ON i.id = j.item_id JOIN review_queues q ON q.id = i.queue_id
       ${queueId === undefined ? '' : 'WHERE i.queue_id = ?'}
       ORDER BY i.queue_id, i.ordinal, j.system, j.reviewer`,
    )
    .all(...(queueId === undefined ? [] : [queueId])) as JudgementFull[];
}
