import { writeFileSync } from 'node:fs';
import { LangbridgeError } from '../../api/errors';
import type { Aggregates, CreateQueueRequest, ItemView, JudgeRequest, JudgeResult, QueueInfo, SlotJudgement } from '../../api/review-schemas';
import type { Db } from '../../../db/open';
import * as q from '../../../db/queries/review';
import { aggregate, WRITTEN_SYSTEM } from './aggregates';
import { blindOrder, outputIndexOf, slotOf } from './blind-order';
import { codePointLength } from './code-points';
import { syncJudgementPair } from './corpus-feedback';
import { exportRows, toJsonl, toTsv } from './export';
import { fromCorpus, fromDataset, fromEval, fromFile, type BuiltQueue } from './queue-origins';

/** The default seed of the blind shuffle; recorded in each queue's origin so the order can be rebuilt. */
const DEFAULT_SEED = 20_251_121;

function queueInfo(r: q.QueueRow): QueueInfo {
  const origin = JSON.parse(r.origin) as Record<string, unknown>;
  return {
    id: r.id,
    name: r.name,
    kind: r.kind as QueueInfo['kind'],
    srcLang: r.src_lang,
    tgtLang: r.tgt_lang,
    systems: JSON.parse(r.systems) as string[],
    origin,
    createdAt: r.created_at,
    items: r.items,
    reviewed: r.reviewed,
    warnings: Array.isArray(origin.warnings) ? (origin.warnings as string[]) : [],
  };
}

interface Parsed {
  outputs: { system: string; text: string }[];
  order: number[];
}

function parseItem(item: q.ItemRow): Parsed {
  return { outputs: JSON.parse(item.outputs) as Parsed['outputs'], order: JSON.parse(item.order) as number[] };
}

export interface JudgeOutcome extends JudgeResult {
  /** Whether the corpus changed (the caller announces it). */
  corpusChanged: boolean;
}

/**
 * Review queues, judgements, aggregates and exports. Every judgement is saved
 * in one transaction with the corpus pair it gives, so the review and the
 * corpus never disagree.
 */
export class ReviewService {
  constructor(
    private readonly db: Db,
    private readonly workspaceDir: string,
  ) {}

  async createQueue(req: CreateQueueRequest): Promise<QueueInfo> {
    const from = req.from;
    const built: BuiltQueue =
      from.kind === 'file'
        ? await fromFile(from)
        : from.kind === 'eval'
          ? fromEval(this.db, from)
          : from.kind === 'dataset'
            ? await fromDataset(this.db, this.workspaceDir, from)
            : await fromCorpus(this.db, from);
    const seed = req.seed ?? DEFAULT_SEED;
    const items = (req.limit ? built.items.slice(0, req.limit) : built.items).map((it, i) => ({
      ...it,
      order: blindOrder(it.outputs.length, seed, i + 1),
    }));
    const id = q.insertQueue(
      this.db,
      {
        name: req.name ?? built.name,
        kind: built.kind,
        srcLang: built.srcLang,
        tgtLang: built.tgtLang,
        systems: built.systems,
        origin: { ...built.origin, seed, ...(built.warnings.length ? { warnings: built.warnings } : {}) },
      },
      items,
    );
    return this.queue(id);
  }

  queues(): QueueInfo[] {
    return q.listQueues(this.db).map(queueInfo);
  }

  queue(id: number): QueueInfo {
    const r = q.getQueue(this.db, id);
    if (!r) throw new LangbridgeError('not-found', `There is no review queue #${id}.`);
    return queueInfo(r);
  }

  deleteQueue(id: number): boolean {
    return q.deleteQueue(this.db, id);
  }

  /** An item as the reviewer sees it: outputs by slot in the blind order, and this reviewer's earlier judgements. */
  item(queueId: number, reviewer: string, ordinal?: number): ItemView {
    const queue = this.queue(queueId);
    if (queue.items === 0) throw new LangbridgeError('not-found', `Review queue #${queueId} has no items.`);
    const row =
      ordinal !== undefined
        ? q.itemAt(this.db, queueId, ordinal)
        : (q.firstUnjudged(this.db, queueId, reviewer) ?? q.itemAt(this.db, queueId, queue.items));
    if (!row) throw new LangbridgeError('not-found', `Review queue #${queueId} has ${queue.items} items; there is no item ${ordinal}.`);
    const { outputs, order } = parseItem(row);
    const mine = q.judgementsOf(this.db, row.id, reviewer);
    const spans = q.spansOf(this.db, mine.map((j) => j.id));
    const judgements: SlotJudgement[] = [];
    let written: string | null = null;
    for (const j of mine) {
      if (j.system === WRITTEN_SYSTEM) {
        written = j.post_edit;
        continue;
      }
      const slot = slotOf(order, outputs.findIndex((o) => o.system === j.system));
      if (!slot) continue;
      judgements.push({
        slot,
        score: j.score,
        spans: spans
          .filter((s) => s.judgement_id === j.id)
          .map((s) => ({ start: s.start, end: s.end, category: s.category as SlotJudgement['spans'][number]['category'], severity: s.severity as SlotJudgement['spans'][number]['severity'] })),
        postEdit: j.post_edit,
        accepted: j.accepted === 1,
        savedAt: j.updated_at,
      });
    }
    judgements.sort((a, b) => a.slot.localeCompare(b.slot));
    return {
      id: row.id,
      queueId,
      ordinal: row.ordinal,
      total: queue.items,
      reviewed: q.reviewedCount(this.db, queueId, reviewer),
      srcLang: row.src_lang,
      tgtLang: row.tgt_lang,
      source: row.source,
      reference: row.reference,
      outputs: order.map((index, i) => ({ slot: i === 0 ? 'A' : 'B', text: outputs[index]!.text })),
      judgements,
      written,
    };
  }

  /**
   * Saves what a reviewer said about an item: per output (by slot) a score,
   * error spans, a post-edit or an acceptance; or the translation written for
   * an item without outputs. One transaction, with the corpus pairs.
   */
  judge(req: JudgeRequest): JudgeOutcome {
    const item = q.getItem(this.db, req.itemId);
    if (!item) throw new LangbridgeError('not-found', `There is no review item #${req.itemId}.`);
    const { outputs, order } = parseItem(item);
    const reviewer = req.reviewer.trim();
    const entries: { system: string; output: string | null; score: number | null; spans: SlotJudgement['spans']; postEdit: string | null; accepted: boolean }[] = [];
    const seen = new Set<string>();
    for (const o of req.outputs) {
      if (seen.has(o.slot)) throw new LangbridgeError('bad-input', `Output ${o.slot} is judged twice in one save.`);
      seen.add(o.slot);
      const index = outputIndexOf(order, o.slot);
      const out = index === undefined ? undefined : outputs[index];
      if (!out) throw new LangbridgeError('bad-input', `Item ${item.ordinal} has no output ${o.slot}.`);
      const length = codePointLength(out.text);
      for (const s of o.spans) {
        if (s.end > length) throw new LangbridgeError('bad-input', `An error span (${s.start}-${s.end}) runs past the end of output ${o.slot} (${length} characters).`);
      }
      // A post-edit box is prefilled with the output: unchanged, it is no post-edit.
      const postEdit = o.postEdit !== null && o.postEdit.trim() && o.postEdit.trim() !== out.text.trim() ? o.postEdit.trim() : null;
      entries.push({ system: out.system, output: out.text, score: o.score, spans: o.spans, postEdit, accepted: o.accepted });
    }
    if (req.written !== undefined && req.written !== null) {
      if (outputs.length) throw new LangbridgeError('bad-input', `Item ${item.ordinal} has outputs to judge; post-edit one of them instead of writing a translation.`);
      entries.push({ system: WRITTEN_SYSTEM, output: null, score: null, spans: [], postEdit: req.written.trim() || null, accepted: false });
    }
    const result: JudgeOutcome = { saved: 0, pairsAdded: 0, pairsUpdated: 0, pairsRemoved: 0, sourceId: null, reviewed: 0, total: 0, corpusChanged: false };
    this.db
      .transaction(() => {
        for (const e of entries) {
          const empty = e.score === null && e.spans.length === 0 && e.postEdit === null && !e.accepted;
          const previous = q.judgementsOf(this.db, item.id, reviewer).find((j) => j.system === e.system);
          if (empty && !previous) continue;
          const row = q.upsertJudgement(this.db, { itemId: item.id, system: e.system, reviewer, score: e.score, postEdit: e.postEdit, accepted: e.accepted }, e.spans);
          const fb = syncJudgementPair(this.db, item, row, e.output);
          // A judgement emptied by its reviewer is taken back (with its pair, above): the item is unreviewed again.
          if (empty) q.deleteJudgement(this.db, row.id);
          else result.saved++;
          if (fb.change === 'added') result.pairsAdded++;
          if (fb.change === 'updated') result.pairsUpdated++;
          if (fb.change === 'removed') result.pairsRemoved++;
          if (fb.sourceId !== null) result.sourceId = fb.sourceId;
        }
      })
      .immediate();
    result.corpusChanged = result.pairsAdded + result.pairsUpdated + result.pairsRemoved > 0;
    result.reviewed = q.reviewedCount(this.db, item.queue_id, reviewer);
    result.total = q.itemCount(this.db, item.queue_id);
    return result;
  }

  aggregates(queueId?: number): Aggregates {
    if (queueId !== undefined) this.queue(queueId);
    const js = q.allJudgements(this.db, queueId);
    return aggregate(queueId ?? null, js, q.spansOf(this.db, js.map((j) => j.id)));
  }

  /** Judgements as TSV or JSONL; written to `out` (an absolute path) when given. */
  export(format: 'tsv' | 'jsonl', queueId: number | undefined, out: string | undefined): { rows: number; path: string | null; content: string | null } {
    if (queueId !== undefined) this.queue(queueId);
    const js = q.allJudgements(this.db, queueId);
    const rows = exportRows(js, q.spansOf(this.db, js.map((j) => j.id)));
    const text = format === 'tsv' ? toTsv(rows) : toJsonl(rows);
    if (!out) return { rows: rows.length, path: null, content: text };
    try {
      writeFileSync(out, text);
    } catch (err) {
      throw new LangbridgeError('not-found', `Cannot write ${out}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}.`, out);
    }
    return { rows: rows.length, path: out, content: null };
  }
}
