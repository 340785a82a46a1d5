/**
 * Evaluation, results, translation, review and export: the shapes the
 * contract's issue-5 calls take and return. One definition, read by the
 * services, the three front doors and the renderer.
 */
import { z } from 'zod';

const int = z.number().int();

export const Benchmark = z.enum(['flores', 'belebele', 'xcopa', 'mmmlu', 'heldout-pairs', 'heldout-bpc']);
export type Benchmark = z.output<typeof Benchmark>;

export const Metric = z.enum(['bleu', 'chrf', 'chrf++', 'acc', 'acc_norm', 'bpc']);
export type Metric = z.output<typeof Metric>;

/** What to evaluate: each model on each benchmark, restricted to some languages. */
export const EvalRequest = z
  .object({
    /** Model references (see main/services/models/model-ref.ts); the base of a run is added as the reference row when missing. */
    models: z.array(z.string().min(1)).min(1),
    benchmarks: z.array(Benchmark).min(1),
    /** Flores-style codes; empty: every language the benchmark has in the corpus. */
    langs: z.array(z.string()).default([]),
    /** The dataset version whose held-out texts and pairs are scored (heldout-*); default: the run's own. */
    datasetId: int.optional(),
    /** Items per language or direction (the first N, in the benchmark's order); null: all. */
    maxItems: int.positive().nullable().default(100),
    /** Flores shots from dev (k-shot); Belebele 1, XCOPA 5 per SPECS. */
    shots: z.object({ flores: int.min(0).max(8).default(1), belebele: int.min(0).max(5).default(1), xcopa: int.min(0).max(8).default(5), mmmlu: int.min(0).max(5).default(5) }).partial().default({}),
    device: z.enum(['auto', 'cpu', 'cuda']).default('auto'),
    batchSize: int.positive().max(512).optional(),
    maxNewTokens: int.positive().max(1024).default(256),
  })
  .strict();
export type EvalRequest = z.output<typeof EvalRequest>;

/** One score: a model on a benchmark, for a language or a direction (`eng_Latn-swh_Latn`). */
export const EvalScore = z.object({
  runId: int,
  modelRef: z.string(),
  modelLabel: z.string(),
  /** Checkpoint step, null for a base model. */
  step: int.nullable(),
  benchmark: Benchmark,
  subset: z.string(),
  metric: Metric,
  score: z.number(),
  n: int,
  signature: z.string(),
  /** Against the reference (base) row: difference, its 95% paired-bootstrap interval, and whether it excludes 0. */
  delta: z
    .object({ value: z.number(), low: z.number(), high: z.number(), significant: z.boolean(), baseRunId: int })
    .nullable(),
});
export type EvalScore = z.output<typeof EvalScore>;

export const EvalRunInfo = z.object({
  id: int,
  jobId: int.nullable(),
  modelRef: z.string(),
  modelLabel: z.string(),
  step: int.nullable(),
  /** Training job the checkpoint belongs to, null for a base model. */
  trainJobId: int.nullable(),
  benchmarks: z.array(Benchmark),
  status: z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']),
  createdAt: z.string(),
  /** Whether this run is the reference row for its model (a base model evaluated once and reused). */
  isBase: z.boolean(),
});
export type EvalRunInfo = z.output<typeof EvalRunInfo>;

export const EvalItem = z.object({
  runId: int,
  itemId: z.string(),
  benchmark: Benchmark,
  subset: z.string(),
  source: z.string(),
  reference: z.string().nullable(),
  hypothesis: z.string().nullable(),
  /** Sentence chrF++ for translation, 1/0 for a multiple-choice item, bpc for held-out text. */
  score: z.number().nullable(),
  correct: z.boolean().nullable(),
  meta: z.record(z.string(), z.unknown()).nullable(),
});
export type EvalItem = z.output<typeof EvalItem>;

// ---------------------------------------------------------------- calls (H5)

/** `eval:start`: one evaluation job per model that needs running; a model already evaluated on the same items is reused. */
export const EvalStartEntry = z.object({
  modelRef: z.string(),
  modelLabel: z.string(),
  runId: int,
  /** The job that computes it; null when an earlier run on the same items was reused. */
  jobId: int.nullable(),
  /** True when an earlier run of this model on exactly these items was reused (no job started). */
  reused: z.boolean(),
  /** Whether this model is the reference row the others' deltas are measured against. */
  isBase: z.boolean(),
  status: EvalRunInfo.shape.status,
  items: int,
});
export type EvalStartEntry = z.output<typeof EvalStartEntry>;

export const EvalResultsRequest = z.object({ models: z.array(z.string().min(1)).optional(), benchmark: Benchmark.optional() }).strict();
export const EvalResults = z.object({ runs: z.array(EvalRunInfo), scores: z.array(EvalScore) });
export type EvalResults = z.output<typeof EvalResults>;

export const EvalItemsRequest = z
  .object({
    runId: int,
    benchmark: Benchmark,
    /** A language or direction (`eng_Latn-swh_Latn`), as in EvalScore.subset. */
    subset: z.string().min(1),
    offset: int.min(0).default(0),
    limit: int.min(1).max(1000).default(100),
    /** Another run on the same items: its hypothesis and score come beside each row. */
    compareRunId: int.optional(),
  })
  .strict();

/** One item with, when asked, the other run's output on the same item (side by side). */
export const EvalItemRow = EvalItem.extend({
  srcLang: z.string().nullable(),
  tgtLang: z.string().nullable(),
  other: z.object({ runId: int, hypothesis: z.string().nullable(), score: z.number().nullable(), correct: z.boolean().nullable() }).nullable(),
});
export type EvalItemRow = z.output<typeof EvalItemRow>;
export const EvalItemsResult = z.object({ total: int, rows: z.array(EvalItemRow) });
