/**
 * Shapes of the pipeline's and the datasets' calls. The dataset manifest is
 * also what the trainer reads (issue 4): its `formatVersion` changes when a
 * field's meaning does.
 */
import { z } from 'zod';
import { Recipe, STEP_KINDS } from '../services/pipeline/recipe';

const int = z.number().int();
const count = z.number().int().min(0);

export const StepKindSchema = z.enum(STEP_KINDS as [string, ...string[]]);

export const LineageAction = z.enum(['removed', 'changed', 'flagged']);
export type LineageAction = z.output<typeof LineageAction>;

/** One removed, changed or flagged item, as shown to the linguist. */
export const LineageExample = z.object({
  itemKind: z.enum(['document', 'pair']),
  id: int,
  lang: z.string(),
  action: LineageAction,
  code: z.string(),
  message: z.string(),
  /** The text (or "source ⇄ target"), cut to a readable length. */
  excerpt: z.string(),
});
export type LineageExample = z.output<typeof LineageExample>;

export const StepLanguageCounts = z.object({
  lang: z.string(),
  /** Items that reached the step. */
  input: count,
  removed: count,
  /** Code points of the removed items (before this step changed them). */
  removedChars: count,
  changed: count,
  flagged: count,
});
export type StepLanguageCounts = z.output<typeof StepLanguageCounts>;

export const StepReport = z.object({
  index: count,
  kind: StepKindSchema,
  enabled: z.boolean(),
  /** What the step works on. */
  scope: z.enum(['documents', 'pairs', 'documents and pairs']),
  totals: StepLanguageCounts.omit({ lang: true }),
  languages: z.array(StepLanguageCounts),
  /** Why items were removed: reason code -> count. */
  reasons: z.record(z.string(), count),
  /** Step-specific counts (PII: email/phone/ip; decontamination: exact/near). */
  counts: z.record(z.string(), count),
  examples: z.array(LineageExample),
  /** A sentence the UI shows with the step, e.g. the rule for which copy is kept. */
  note: z.string().optional(),
});
export type StepReport = z.output<typeof StepReport>;

export const PipelineReport = z.object({
  documentsIn: count,
  documentsOut: count,
  pairsIn: count,
  pairsOut: count,
  /** Evaluation items (role = eval) checked for contamination; never in a training set. */
  evalItems: count,
  steps: z.array(StepReport),
  elapsedMs: z.number().min(0),
  phases: z.record(z.string(), z.number().min(0)),
  workers: count,
  warnings: z.array(z.string()),
});
export type PipelineReport = z.output<typeof PipelineReport>;

export const PlannedGroup = z.object({
  id: z.string(),
  label: z.string(),
  targetShare: z.number(),
  plannedShare: z.number(),
  plannedTokens: count,
  availableTokens: count,
});

export const PlannedLanguage = z.object({
  group: z.string(),
  lang: z.string(),
  availableTokens: count,
  plannedTokens: count,
  epochs: z.number(),
  neededEpochs: z.number(),
  capped: z.boolean(),
});

export const PlannedStage = z.object({
  name: z.string(),
  budget: count,
  budgetAuto: z.boolean(),
  groups: z.array(PlannedGroup),
  languages: z.array(PlannedLanguage),
  warnings: z.array(z.string()),
});

export const MixturePlan = z.object({
  stages: z.array(PlannedStage),
  warnings: z.array(z.string()),
});
export type MixturePlanSchema = z.output<typeof MixturePlan>;

export const SampleSpec = z
  .object({
    /** Documents (and pairs) per language. */
    size: z.number().int().min(1).max(100000).default(200),
    mode: z.enum(['first', 'random']).default('first'),
  })
  .strict();

export const PreviewRequest = z
  .object({
    recipe: Recipe,
    sample: SampleSpec.default(SampleSpec.parse({})),
  })
  .strict();

export const PreviewResult = z.object({
  report: PipelineReport,
  /** The plan over the whole corpus, with each language's available tokens scaled by what the preview kept. */
  plan: MixturePlan,
  sampled: z.record(z.string(), count),
});
export type PreviewResult = z.output<typeof PreviewResult>;

export const RunRequest = z
  .object({
    recipe: Recipe,
    jobId: z.string().min(1).optional(),
    /** Name of the dataset version; default "<recipe>-<n>". */
    name: z.string().min(1).max(100).optional(),
  })
  .strict();

export const ShardInfo = z.object({
  path: z.string(),
  records: count,
  bytes: count,
  sha256: z.string(),
});

export const ManifestLanguage = z.object({
  lang: z.string(),
  group: z.string(),
  /** Records written (a document repeated for a second epoch counts twice). */
  records: count,
  /** Distinct documents (or pairs) they come from. */
  documents: count,
  characters: count,
  tokens: count,
  epochs: z.number(),
});

export const ManifestStage = z.object({
  name: z.string(),
  directory: z.string(),
  peakLr: z.number().optional(),
  budget: count,
  records: count,
  characters: count,
  tokens: count,
  groups: z.array(z.object({ id: z.string(), tokens: count, share: z.number(), plannedShare: z.number() })),
  languages: z.array(ManifestLanguage),
  shards: z.array(ShardInfo),
});

export const ManifestHeldOut = z.object({
  lang: z.string(),
  path: z.string(),
  documents: count,
  characters: count,
  tokens: count,
  sha256: z.string(),
  bytes: count,
});

/** Held-out parallel pairs of one language pair (heldout/pairs.<src>-<tgt>.jsonl: {src, tgt, src_lang, tgt_lang, pair_id} a line). */
export const ManifestHeldOutPairs = z.object({
  srcLang: z.string(),
  tgtLang: z.string(),
  path: z.string(),
  pairs: count,
  sha256: z.string(),
  bytes: count,
});

export const ManifestSource = z.object({
  id: int,
  name: z.string(),
  format: z.string(),
  license: z.string().nullable(),
  sha256: z.string(),
});

export const DATASET_FORMAT_VERSION = 1;

export const DatasetManifest = z.object({
  formatVersion: z.literal(DATASET_FORMAT_VERSION),
  id: int,
  name: z.string(),
  createdAt: z.string(),
  appVersion: z.string(),
  recipe: Recipe,
  seed: int,
  /** Record layout of every shard line / row. */
  recordFields: z.array(z.string()),
  shardFormat: z.enum(['jsonl.gz', 'parquet']),
  tokenizer: z.object({
    name: z.string(),
    /** Token counts are characters times each language's tokens-per-character measured at import. */
    estimated: z.boolean(),
  }),
  stages: z.array(ManifestStage),
  heldOut: z.array(ManifestHeldOut),
  /** Absent in dataset versions written before pairs were held out. */
  heldOutPairs: z.array(ManifestHeldOutPairs).optional(),
  sources: z.array(ManifestSource),
  pipeline: z.object({
    documentsIn: count,
    documentsOut: count,
    pairsIn: count,
    pairsOut: count,
    evalItems: count,
    steps: z.array(z.object({ index: count, kind: z.string(), removed: count, changed: count, flagged: count })),
  }),
  plan: MixturePlan,
  warnings: z.array(z.string()),
});
export type DatasetManifest = z.output<typeof DatasetManifest>;

export const DatasetSummary = z.object({
  id: int,
  name: z.string(),
  recipeName: z.string(),
  createdAt: z.string(),
  folder: z.string(),
  stages: z.array(z.object({ name: z.string(), records: count, tokens: count })),
  records: count,
  tokens: count,
  heldOutDocuments: count,
  bytes: count,
  sources: z.array(z.string()),
});
export type DatasetSummary = z.output<typeof DatasetSummary>;

export const DatasetDetail = z.object({
  summary: DatasetSummary,
  manifest: DatasetManifest,
  report: PipelineReport,
});

export const RunResult = z.object({
  dataset: DatasetSummary,
  report: PipelineReport,
  plan: MixturePlan,
});
export type RunResult = z.output<typeof RunResult>;

export const LineageRequest = z
  .object({
    id: int,
    step: StepKindSchema.optional(),
    lang: z.string().optional(),
    action: LineageAction.optional(),
    offset: count.default(0),
    // Large limits are for scripts (the benchmark reads every removed id of a 200k-document run).
    limit: z.number().int().min(1).max(10_000_000).default(100),
  })
  .strict();

export const LineageRow = z.object({
  itemKind: z.enum(['document', 'pair']),
  id: int,
  lang: z.string(),
  stepIndex: count,
  step: z.string(),
  action: LineageAction,
  code: z.string(),
  message: z.string(),
  /** Position and reference of the item in its source, when it still exists in the corpus. */
  ordinal: int.nullable(),
  ref: z.string().nullable(),
});

export const ExportRequest = z
  .object({
    id: int,
    format: z.enum(['jsonl', 'parquet']),
    out: z.string().min(1),
  })
  .strict();

export const ExportResult = z.object({
  out: z.string(),
  files: z.array(z.object({ path: z.string(), records: count, bytes: count })),
});

export const StoredRecipe = z.object({
  name: z.string(),
  revision: count,
  updatedAt: z.string(),
  recipe: Recipe,
});

export const RecipeListing = z.object({
  name: z.string(),
  kind: z.enum(['preset', 'saved']),
  revision: count,
  updatedAt: z.string().nullable(),
  description: z.string(),
  recipe: Recipe,
});

export const RecipeCheck = z.object({
  ok: z.boolean(),
  issues: z.array(z.object({ path: z.string(), message: z.string() })),
});
