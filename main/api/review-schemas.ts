/**
 * Human review: the shapes of the review:* calls. The review screen sees
 * outputs by slot (A, B), never by system: the blind order is resolved back to
 * systems inside the service.
 */
import { z } from 'zod';

const int = z.number().int();

/** MQM-lite: the MQM top-level dimensions a small team can apply consistently. */
export const ErrorCategory = z.enum([
  'accuracy/mistranslation',
  'accuracy/omission',
  'accuracy/addition',
  'accuracy/untranslated',
  'fluency/grammar',
  'fluency/spelling',
  'fluency/punctuation',
  'fluency/register',
  'terminology',
  'style',
  'other',
]);
export type ErrorCategory = z.output<typeof ErrorCategory>;

export const Severity = z.enum(['minor', 'major', 'critical']);
export type Severity = z.output<typeof Severity>;

/** MQM's usual weights; the error score of an item is the sum over its spans. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { minor: 1, major: 5, critical: 10 };

export const Slot = z.enum(['A', 'B']);
export type Slot = z.output<typeof Slot>;

export const QueueKind = z.enum(['file', 'eval', 'dataset', 'corpus']);
export type QueueKind = z.output<typeof QueueKind>;

const lang = z.string().min(1);

/** Where a queue's items come from. */
export const QueueFrom = z.discriminatedUnion('kind', [
  /** A translated file: TSV (source, output[, reference]) or the translate command's JSONL. */
  z.object({ kind: z.literal('file'), path: z.string().min(1), srcLang: lang, tgtLang: lang, system: z.string().min(1).optional() }).strict(),
  /** One evaluation run (one system) or two on the same items (blind, side by side). */
  z
    .object({
      kind: z.literal('eval'),
      runIds: z.array(int).min(1).max(2),
      srcLang: lang.optional(),
      tgtLang: lang.optional(),
    })
    .strict(),
  /** The held-out pairs of a dataset version; outputs from a translated file, or none (the reviewer translates). */
  z
    .object({
      kind: z.literal('dataset'),
      datasetId: int,
      srcLang: lang.optional(),
      tgtLang: lang.optional(),
      outputsPath: z.string().min(1).optional(),
    })
    .strict(),
  /** The corpus pairs marked 'eval' in one direction. */
  z.object({ kind: z.literal('corpus'), srcLang: lang, tgtLang: lang, outputsPath: z.string().min(1).optional() }).strict(),
]);
export type QueueFrom = z.output<typeof QueueFrom>;

export const CreateQueueRequest = z
  .object({
    name: z.string().trim().min(1).max(200).optional(),
    from: QueueFrom,
    /** At most this many items (the first ones, in the origin's order). */
    limit: int.positive().max(100_000).optional(),
    /** Seed of the blind left/right shuffle; default: fixed per queue, recorded in its origin. */
    seed: int.min(0).optional(),
  })
  .strict();
export type CreateQueueRequest = z.output<typeof CreateQueueRequest>;

export const QueueInfo = z.object({
  id: int,
  name: z.string(),
  kind: QueueKind,
  srcLang: z.string().nullable(),
  tgtLang: z.string().nullable(),
  /** Hidden in the review screen; shown in aggregates and exports. */
  systems: z.array(z.string()),
  origin: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  items: int,
  /** Items with at least one saved judgement (by anyone). */
  reviewed: int,
  /** Warnings from building the queue (skipped lines, unmatched sources). */
  warnings: z.array(z.string()),
});
export type QueueInfo = z.output<typeof QueueInfo>;

export const Span = z
  .object({
    /** Code-point offsets into the output (Python's len, not UTF-16 units). */
    start: int.min(0),
    end: int.min(0),
    category: ErrorCategory,
    severity: Severity,
  })
  .strict()
  .refine((s) => s.end >= s.start, { message: 'a span ends before it starts' });
export type Span = z.output<typeof Span>;

/** What the reviewer said about one output (or wrote, when the item has none). */
export const SlotJudgement = z.object({
  slot: Slot,
  score: z.number().min(0).max(100).nullable(),
  spans: z.array(Span),
  postEdit: z.string().nullable(),
  accepted: z.boolean(),
  savedAt: z.string().nullable(),
});
export type SlotJudgement = z.output<typeof SlotJudgement>;

export const ItemView = z.object({
  id: int,
  queueId: int,
  ordinal: int,
  total: int,
  reviewed: int,
  srcLang: z.string(),
  tgtLang: z.string(),
  source: z.string(),
  reference: z.string().nullable(),
  /** In display order; empty when the reviewer is to write the translation. */
  outputs: z.array(z.object({ slot: Slot, text: z.string() })),
  /** This reviewer's earlier judgements of the item, by slot. */
  judgements: z.array(SlotJudgement),
  /** The translation this reviewer wrote for an item without outputs. */
  written: z.string().nullable(),
});
export type ItemView = z.output<typeof ItemView>;

export const ItemRequest = z
  .object({
    queueId: int,
    /** 1-based position; without it, the first item this reviewer has not judged (else the last). */
    ordinal: int.positive().optional(),
    reviewer: z.string().trim().min(1).max(100),
  })
  .strict();

export const JudgeRequest = z
  .object({
    itemId: int,
    reviewer: z.string().trim().min(1).max(100),
    outputs: z.array(SlotJudgement.omit({ savedAt: true }).strict()).max(2).default([]),
    /** For an item without outputs: the reviewer's translation. */
    written: z.string().nullable().optional(),
  })
  .strict();
export type JudgeRequest = z.output<typeof JudgeRequest>;

export const JudgeResult = z.object({
  saved: int,
  pairsAdded: int,
  pairsUpdated: int,
  pairsRemoved: int,
  /** The corpus source the pairs went to (null when none did). */
  sourceId: int.nullable(),
  reviewed: int,
  total: int,
});
export type JudgeResult = z.output<typeof JudgeResult>;

export const Interval = z.object({ low: z.number(), high: z.number() });

export const SystemAggregate = z.object({
  system: z.string(),
  /** `src-tgt`, or 'all' for the system over every direction. */
  direction: z.string(),
  srcLang: z.string().nullable(),
  tgtLang: z.string().nullable(),
  judgements: int,
  scored: int,
  meanScore: z.number().nullable(),
  /** 95% Student-t interval of the mean score (null under 2 scores). */
  ci: Interval.nullable(),
  /** MQM-lite: mean over judged items of the severity-weighted error count (minor 1, major 5, critical 10). */
  errorScore: z.number().nullable(),
  errors: z.object({ minor: int, major: int, critical: int }),
  categories: z.record(z.string(), int),
  postEdited: int,
  accepted: int,
});
export type SystemAggregate = z.output<typeof SystemAggregate>;

export const Aggregates = z.object({
  queueId: int.nullable(),
  rows: z.array(SystemAggregate),
  /** Two-system queues: how often each system's score was higher on the same item and reviewer. */
  comparisons: z.array(z.object({ direction: z.string(), a: z.string(), b: z.string(), aWins: int, bWins: int, ties: int })),
  method: z.string(),
});
export type Aggregates = z.output<typeof Aggregates>;

export const ReviewExportRequest = z
  .object({
    format: z.enum(['tsv', 'jsonl']),
    queueId: int.optional(),
    /** A file to write (relative to the workspace); without it the text comes back in `content`. */
    out: z.string().min(1).optional(),
  })
  .strict();

export const ReviewExportResult = z.object({ rows: int, path: z.string().nullable(), content: z.string().nullable() });
