/**
 * The work a scan worker does, shared by the worker thread and the inline
 * fallback (unit tests run from TypeScript sources, where no built worker
 * file exists): read a chunk of items from the database on the worker's own
 * read-only connection and run the per-item steps on it.
 */
import { openDatabase, type Db } from '../../../db/open';
import { documentsByIds, documentsInRange, pairsByIds, pairsInRange } from '../../../db/queries/pipeline';
import { evalKeys, HasherCache, processDocument, processPair, type ItemContext, type ItemOutcome } from './process-item';
import type { Recipe } from './recipe';
import { EvalNgramIndex } from './steps/ngram-overlap';

export interface ScanInit {
  dbPath: string;
  recipe: Recipe;
  stopWords: Record<string, string[]>;
  hasEvalItems: boolean;
  /** Evaluation n-grams as EvalNgramIndex.toArray() gives them, or null. */
  evalNgrams: { n: number; hashes: Float64Array } | null;
}

export type ScanTask =
  | { kind: 'documents'; lo: number; hi: number }
  | { kind: 'pairs'; lo: number; hi: number }
  | { kind: 'document-ids'; ids: number[] }
  | { kind: 'pair-ids'; ids: number[] }
  | { kind: 'eval'; items: Array<{ lang: string; script: string; text: string }> };

export type ScanResult = { kind: 'items'; items: ItemOutcome[] } | { kind: 'eval'; keys: Array<{ key: string; bands: number[] | null }> };

export interface ScanState {
  db: Db;
  ctx: ItemContext;
}

export async function createScanState(init: ScanInit): Promise<ScanState> {
  // Readers never block the coordinator's writes (WAL), and never write.
  const db = openDatabase(init.dbPath, { readonly: true });
  const evalNgrams = init.evalNgrams ? EvalNgramIndex.fromArray(init.evalNgrams.n, init.evalNgrams.hashes) : null;
  return { db, ctx: { recipe: init.recipe, stopWords: init.stopWords, hasEvalItems: init.hasEvalItems, evalNgrams, hashers: await HasherCache.create() } };
}

export function runScanTask(state: ScanState, task: ScanTask): ScanResult {
  const { db, ctx } = state;
  switch (task.kind) {
    case 'documents':
    case 'document-ids': {
      const rows = task.kind === 'documents' ? documentsInRange(db, task.lo, task.hi) : documentsByIds(db, task.ids);
      return { kind: 'items', items: rows.map((r) => processDocument({ id: r.id, sourceId: r.source_id, lang: r.lang, script: r.script, text: r.text }, ctx)) };
    }
    case 'pairs':
    case 'pair-ids': {
      const rows = task.kind === 'pairs' ? pairsInRange(db, task.lo, task.hi) : pairsByIds(db, task.ids);
      return {
        kind: 'items',
        items: rows.map((r) =>
          processPair(
            { id: r.id, sourceId: r.source_id, srcLang: r.src_lang, tgtLang: r.tgt_lang, srcScript: r.src_script, tgtScript: r.tgt_script, srcText: r.src_text, tgtText: r.tgt_text },
            ctx,
          ),
        ),
      };
    }
    case 'eval':
      return { kind: 'eval', keys: task.items.map((it) => evalKeys(it, ctx)) };
  }
}
