import type { Db } from '../open';

/** One side-by-side example for translating from `src` to `tgt`, whichever way the pair was stored. */
export interface MemoryPair {
  id: number;
  src: string;
  tgt: string;
}

/**
 * The team's own training pairs between two languages, oriented src -> tgt
 * (a pair stored tgt -> src is turned round). Evaluation pairs are left out:
 * they must never leak into a prompt.
 */
export function memoryPairs(db: Db, src: string, tgt: string): MemoryPair[] {
  return db
    .prepare(
      `SELECT id, src_text AS src, tgt_text AS tgt FROM pairs WHERE src_lang = ? AND tgt_lang = ? AND role = 'train'
       UNION ALL
       SELECT id, tgt_text AS src, src_text AS tgt FROM pairs WHERE src_lang = ? AND tgt_lang = ? AND role = 'train'
       ORDER BY id`,
    )
    .all(src, tgt, tgt, src) as MemoryPair[];
}

/**
 * A cheap fingerprint of those pairs (count and id range, from the
 * (src_lang, tgt_lang) index): a cached index is rebuilt when it changes,
 * which any import or deletion of such pairs does.
 */
export function memoryFingerprint(db: Db, src: string, tgt: string): string {
  const r = db
    .prepare(
      `SELECT COUNT(*) AS n, COALESCE(MIN(id), 0) AS lo, COALESCE(MAX(id), 0) AS hi FROM pairs
       WHERE ((src_lang = ? AND tgt_lang = ?) OR (src_lang = ? AND tgt_lang = ?)) AND role = 'train'`,
    )
    .get(src, tgt, tgt, src) as { n: number; lo: number; hi: number };
  return `${r.n}:${r.lo}:${r.hi}`;
}
