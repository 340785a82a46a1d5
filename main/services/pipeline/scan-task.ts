/**
 * The work a scan worker does, shared by the worker thread and the inline
 * fallback (unit tests run from TypeScript sources, where no built worker
 * file exists): read a chunk of items from the database on the worker's own
 * read-only connection and run the per-item steps on it.
 */
import { join } from 'node:path';
import { threadId } from 'node:worker_threads';
import { openDatabase, type Db } from '../../../db/open';
import { WorkStore } from '../../../db/work-store';
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
  /**
   * Where each worker keeps the cleaned texts of kept items (a run; null for a
   * preview): texts then never pass through the coordinator during the scan.
   */
  scratchDir: string | null;
}

export type ScanTask =
  | { kind: 'documents'; lo: number; hi: number }
  | { kind: 'pairs'; lo: number; hi: number }
  | { kind: 'document-ids'; ids: number[] }
  | { kind: 'pair-ids'; ids: number[] }
  | { kind: 'eval'; items: Array<{ lang: string; script: string; text: string }> }
  /** Flush and close the scratch store (before the coordinator reads it). */
  | { kind: 'finish' };

export type ScanResult =
  | { kind: 'items'; items: ItemOutcome[] }
  | { kind: 'eval'; keys: Array<{ key: string; bands: number[] | null }> }
  | { kind: 'finished' };

/** The scratch-store key of an item (documents and pairs have separate id spaces). */
export const itemKey = (kind: 'document' | 'pair', id: number): number => id * 2 + (kind === 'pair' ? 1 : 0);

export const scratchPath = (dir: string, store: number): string => join(dir, `work-${store}.sqlite`);

export interface ScanState {
  db: Db;
  ctx: ItemContext;
  store: WorkStore | null;
  storeId: number;
}

export async function createScanState(init: ScanInit): Promise<ScanState> {
  // Readers never block the coordinator's writes (WAL), and never write.
  const db = openDatabase(init.dbPath, { readonly: true });
  const evalNgrams = init.evalNgrams ? EvalNgramIndex.fromArray(init.evalNgrams.n, init.evalNgrams.hashes) : null;
  // threadId is 0 on the main thread (the inline scanner) and unique per worker.
  const store = init.scratchDir ? new WorkStore(scratchPath(init.scratchDir, threadId)) : null;
  return {
    db,
    ctx: { recipe: init.recipe, stopWords: init.stopWords, hasEvalItems: init.hasEvalItems, evalNgrams, hashers: await HasherCache.create() },
    store,
    storeId: threadId,
  };
}

/** Moves kept items' texts into the scratch store, leaving only a reference in the result. */
function stash(state: ScanState, items: ItemOutcome[]): ItemOutcome[] {
  if (!state.store) return items;
  for (const it of items) {
    if (!it.texts) continue;
    state.store.add(itemKey(it.kind, it.id), JSON.stringify(it.texts));
    it.texts = null;
    it.store = state.storeId;
  }
  return items;
}

export function runScanTask(state: ScanState, task: ScanTask): ScanResult {
  const { db, ctx } = state;
  switch (task.kind) {
    case 'documents':
    case 'document-ids': {
      const rows = task.kind === 'documents' ? documentsInRange(db, task.lo, task.hi) : documentsByIds(db, task.ids);
      return { kind: 'items', items: stash(state, rows.map((r) => processDocument({ id: r.id, sourceId: r.source_id, lang: r.lang, script: r.script, text: r.text }, ctx))) };
    }
    case 'pairs':
    case 'pair-ids': {
      const rows = task.kind === 'pairs' ? pairsInRange(db, task.lo, task.hi) : pairsByIds(db, task.ids);
      return {
        kind: 'items',
        items: stash(state, rows.map((r) =>
          processPair(
            { id: r.id, sourceId: r.source_id, srcLang: r.src_lang, tgtLang: r.tgt_lang, srcScript: r.src_script, tgtScript: r.tgt_script, srcText: r.src_text, tgtText: r.tgt_text },
            ctx,
          ),
        )),
      };
    }
    case 'eval':
      return { kind: 'eval', keys: task.items.map((it) => evalKeys(it, ctx)) };
    case 'finish':
      state.store?.flush();
      state.store?.close();
      state.store = null;
      return { kind: 'finished' };
  }
}
