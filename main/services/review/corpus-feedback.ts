import type { Db } from '../../../db/open';
import { upsertLanguage } from '../../../db/queries/corpus';
import {
  createReviewedSource,
  deleteReviewedPair,
  findReviewedSource,
  getPair,
  insertReviewedPair,
  updateReviewedPair,
  type ReviewedSourceSpec,
  type SideStats,
} from '../../../db/queries/reviewed-pairs';
import { setJudgementPair, type ItemRow, type JudgementRow } from '../../../db/queries/review';
import { resolveLanguage } from '../corpus/languages';
import { countCodePoints, countWords } from '../corpus/text-stats';
import { countTokens } from '../corpus/tokenizer';
import { UNSPACED_SCRIPTS } from '../corpus/scripts';

/** The corpus source every reviewed translation goes to, created on first use. */
export const REVIEWED_SOURCE: ReviewedSourceSpec = {
  name: 'reviewed translations',
  format: 'review',
  key: 'langbridge:review:reviewed-translations',
  notes: 'Post-edited and accepted translations from the review queues; each pair keeps its provenance in its meta.',
};

/** Whether the judgement gives the corpus a translation, and which. */
export function reviewedTarget(output: string | null, postEdit: string | null, accepted: boolean): { text: string; postEdited: boolean } | null {
  const edited = postEdit?.trim();
  if (edited) return { text: edited, postEdited: output === null || edited !== output.trim() };
  if (accepted && output?.trim()) return { text: output.trim(), postEdited: false };
  return null;
}

function sideStats(lang: string, text: string): SideStats {
  const l = resolveLanguage(lang, text);
  const characters = countCodePoints(text);
  // Counted exactly, like an import's sample: one sentence is cheap to tokenise.
  return {
    lang,
    characters,
    words: countWords(text, l.script, UNSPACED_SCRIPTS.has(l.script) ? l.iso6393 : 'und'),
    tokens: countTokens(text),
  };
}

function ensureLanguage(db: Db, code: string, sample: string): void {
  const l = resolveLanguage(code, sample);
  upsertLanguage(db, { code, iso639_3: l.iso6393, script: l.script, name: l.name, direction: l.direction, known: l.known });
}

export interface FeedbackResult {
  change: 'added' | 'updated' | 'removed' | 'none';
  sourceId: number | null;
}

/**
 * Brings the corpus in line with one saved judgement, inside the caller's
 * transaction: a new pair for a first post-edit or acceptance, the same pair
 * changed when the post-edit is edited, the pair removed when the reviewer
 * takes it back. The pair's meta records where it came from.
 */
export function syncJudgementPair(
  db: Db,
  item: ItemRow,
  judgement: JudgementRow,
  output: string | null,
): FeedbackResult {
  const target = reviewedTarget(output, judgement.post_edit, judgement.accepted === 1);
  const existing = judgement.pair_id !== null ? getPair(db, judgement.pair_id) : undefined;
  if (!target) {
    if (!existing) return { change: 'none', sourceId: null };
    deleteReviewedPair(db, existing, sideStats(existing.srcLang, existing.srcText), sideStats(existing.tgtLang, existing.tgtText));
    setJudgementPair(db, judgement.id, null);
    return { change: 'removed', sourceId: existing.sourceId };
  }
  const meta = JSON.stringify({
    review: {
      queueId: item.queue_id,
      itemId: item.id,
      judgementId: judgement.id,
      reviewer: judgement.reviewer,
      system: judgement.system,
      output,
      reference: item.reference,
      postEdited: target.postEdited,
      score: judgement.score,
    },
  });
  if (existing) {
    if (existing.tgtText === target.text && existing.meta === meta) return { change: 'none', sourceId: existing.sourceId };
    updateReviewedPair(db, existing, target.text, meta, sideStats(existing.tgtLang, existing.tgtText), sideStats(existing.tgtLang, target.text));
    return { change: 'updated', sourceId: existing.sourceId };
  }
  ensureLanguage(db, item.src_lang, item.source);
  ensureLanguage(db, item.tgt_lang, target.text);
  const sourceId = findReviewedSource(db, REVIEWED_SOURCE) ?? createReviewedSource(db, REVIEWED_SOURCE);
  const pairId = insertReviewedPair(
    db,
    sourceId,
    { srcLang: item.src_lang, tgtLang: item.tgt_lang, srcText: item.source, tgtText: target.text, ref: `review:${item.queue_id}:${item.ordinal}`, meta },
    sideStats(item.src_lang, item.source),
    sideStats(item.tgt_lang, target.text),
  );
  setJudgementPair(db, judgement.id, pairId);
  return { change: 'added', sourceId };
}
