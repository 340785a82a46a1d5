/**
 * The pipeline recipe: an ordered list of steps with their parameters and
 * per-language overrides, the mixture (groups and stages) and the held-out
 * split. One zod schema is the single definition: the API contract, the CLI's
 * file loader and the UI's editor all validate against it, so an invalid
 * recipe is rejected with the path of the offending field everywhere.
 *
 * `version` is the recipe FORMAT version (bumped when this schema changes
 * incompatibly); a recipe's own revisions are kept by the workspace store.
 */
import { z } from 'zod';

export const RECIPE_FORMAT_VERSION = 1;

const ratio = z.number().min(0).max(1);
const nullableRatio = ratio.nullable();
const positiveInt = z.number().int().min(1);

export const NormaliseParams = z
  .object({
    form: z.enum(['NFC', 'NFKC']).default('NFC'),
    stripControl: z.boolean().default(true),
    collapseWhitespace: z.boolean().default(true),
    cleanHtml: z.boolean().default(true),
    dropSymbolLines: z.boolean().default(true),
  })
  .strict();

export const IdentifyParams = z
  .object({
    /**
     * A document is flagged when the detector knows its declared language and
     * the declared language's relative score is at most `1 - flagThreshold`
     * below the top language (franc's scores are a ranking, not calibrated).
     */
    flagThreshold: ratio.default(0.2),
    /** 'flag' records the disagreement only; 'drop' removes flagged documents (never one the detector cannot judge). */
    action: z.enum(['flag', 'drop']).default('flag'),
    /** Shorter texts (code points) are not judged: trigram detectors guess on short strings. */
    minLength: z.number().int().min(0).default(50),
    /** Drop documents whose letters are mostly in another script than the declared one. */
    checkScript: z.boolean().default(true),
  })
  .strict();

export const GopherQualityParams = z
  .object({
    minDocWords: z.number().int().min(0).nullable().default(50),
    maxDocWords: z.number().int().min(0).nullable().default(100000),
    minAvgWordLength: z.number().min(0).nullable().default(3),
    maxAvgWordLength: z.number().min(0).nullable().default(10),
    maxSymbolWordRatio: nullableRatio.default(0.1),
    maxBulletLinesRatio: nullableRatio.default(0.9),
    maxEllipsisLinesRatio: nullableRatio.default(0.3),
    minAlphaWordsRatio: nullableRatio.default(0.8),
    minStopWords: z.number().int().min(0).nullable().default(2),
    /** null: English uses datatrove's list, other languages the corpus's own most frequent words. */
    stopWords: z.array(z.string().min(1)).nullable().default(null),
  })
  .strict();

export const GopherRepetitionParams = z
  .object({
    dupLineFrac: nullableRatio.default(0.3),
    dupParaFrac: nullableRatio.default(0.3),
    dupLineCharFrac: nullableRatio.default(0.2),
    dupParaCharFrac: nullableRatio.default(0.2),
    topNGrams: z.array(z.tuple([positiveInt, ratio])).default([[2, 0.2], [3, 0.18], [4, 0.16]]),
    dupNGrams: z.array(z.tuple([positiveInt, ratio])).default([[5, 0.15], [6, 0.14], [7, 0.13], [8, 0.12], [9, 0.11], [10, 0.1]]),
  })
  .strict();

export const FineWebQualityParams = z
  .object({
    linePunctThr: ratio.default(0.12),
    linePunctExcludeZero: z.boolean().default(false),
    shortLineThr: ratio.default(0.67),
    shortLineLength: z.number().int().min(0).default(30),
    charDuplicatesRatio: ratio.default(0.01),
    newLineRatio: z.number().min(0).default(0.3),
  })
  .strict();

export const MarcoHeuristicsParams = z
  .object({
    maxPunctuationRatio: nullableRatio.default(0.25),
    maxSpecialSymbolRatio: nullableRatio.default(0.1),
  })
  .strict();

export const PiiParams = z
  .object({
    email: z.boolean().default(true),
    phone: z.boolean().default(true),
    ip: z.boolean().default(true),
  })
  .strict();

export const ExactDedupParams = z.object({}).strict();

export const MinhashDedupParams = z
  .object({
    nGrams: positiveInt.default(5),
    numBuckets: positiveInt.default(14),
    hashesPerBucket: positiveInt.default(8),
    seed: z.number().int().min(0).default(1),
  })
  .strict();

export const ParallelFilterParams = z
  .object({
    /** Longer side over shorter side, in length units (a Han or kana character counts as 3; see steps/parallel). */
    maxLengthRatio: z.number().min(1).default(3),
    /** Sides shorter than this (code points) are dropped. */
    minLength: z.number().int().min(0).default(1),
    checkNumbers: z.boolean().default(true),
    checkLanguage: z.boolean().default(true),
    dedup: z.boolean().default(true),
  })
  .strict();

export const DecontaminateParams = z
  .object({
    exact: z.boolean().default(true),
    nearDuplicate: z.boolean().default(true),
    /**
     * Tokens in a row a training text may share with an evaluation item (13,
     * as in GPT-3's decontamination); catches a quoted benchmark sentence
     * inside a long document. null turns the check off. One value for the
     * whole recipe (the evaluation index is built once).
     */
    ngramOverlap: z.number().int().min(5).nullable().default(13),
  })
  .strict();

/** Each step kind with its parameter schema: the one table the runner, the UI and the tests read. */
export const STEP_PARAMS = {
  normalise: NormaliseParams,
  identify: IdentifyParams,
  'gopher-repetition': GopherRepetitionParams,
  'gopher-quality': GopherQualityParams,
  'fineweb-quality': FineWebQualityParams,
  'marco-heuristics': MarcoHeuristicsParams,
  pii: PiiParams,
  'exact-dedup': ExactDedupParams,
  'minhash-dedup': MinhashDedupParams,
  'parallel-filter': ParallelFilterParams,
  decontaminate: DecontaminateParams,
} as const;

export type StepKind = keyof typeof STEP_PARAMS;
export const STEP_KINDS = Object.keys(STEP_PARAMS) as StepKind[];

/** Steps that look at one document at a time (run in the worker pool). */
export const DOCUMENT_STEPS: ReadonlySet<StepKind> = new Set([
  'normalise',
  'identify',
  'gopher-repetition',
  'gopher-quality',
  'fineweb-quality',
  'marco-heuristics',
  'pii',
]);

/** Steps that compare documents with each other (run by the coordinator over keys computed in the pool). */
export const CORPUS_STEPS: ReadonlySet<StepKind> = new Set(['exact-dedup', 'minhash-dedup', 'decontaminate']);

/**
 * A per-language override: any of the step's params, none defaulted. (zod's
 * .partial() keeps inner defaults, which would silently reset every param an
 * override does not mention to its default.)
 */
function overrideSchema<P extends z.ZodObject>(params: P) {
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(params.shape as Record<string, z.ZodType>))
    shape[key] = (field instanceof z.ZodDefault ? (field.unwrap() as z.ZodType) : field).optional();
  return z.object({ ...shape, enabled: z.boolean().optional() }).strict() as unknown as z.ZodObject<{
    [K in keyof P['shape']]: z.ZodOptional<P['shape'][K]>;
  } & { enabled: z.ZodOptional<z.ZodBoolean> }>;
}

function stepSchema<K extends StepKind, P extends z.ZodObject>(kind: K, params: P) {
  return z
    .object({
      kind: z.literal(kind),
      enabled: z.boolean().default(true),
      // zod's default on an object applies the inner defaults too.
      params: params.default(params.parse({}) as z.util.NoUndefined<z.output<P>>),
      /**
       * Per-language overrides: language code ("swh_Latn", or "swh" for every
       * script; a pair direction "eng_Latn-swh_Latn") -> partial params, or
       * enabled:false to skip the step for it.
       */
      overrides: z.record(z.string().min(1), overrideSchema(params)).default({}),
    })
    .strict();
}

export const Step = z.discriminatedUnion('kind', [
  stepSchema('normalise', STEP_PARAMS['normalise']),
  stepSchema('identify', STEP_PARAMS['identify']),
  stepSchema('gopher-repetition', STEP_PARAMS['gopher-repetition']),
  stepSchema('gopher-quality', STEP_PARAMS['gopher-quality']),
  stepSchema('fineweb-quality', STEP_PARAMS['fineweb-quality']),
  stepSchema('marco-heuristics', STEP_PARAMS['marco-heuristics']),
  stepSchema('pii', STEP_PARAMS['pii']),
  stepSchema('exact-dedup', STEP_PARAMS['exact-dedup']),
  stepSchema('minhash-dedup', STEP_PARAMS['minhash-dedup']),
  stepSchema('parallel-filter', STEP_PARAMS['parallel-filter']),
  stepSchema('decontaminate', STEP_PARAMS['decontaminate']),
]);
export type Step = z.output<typeof Step>;
export type StepInput = z.input<typeof Step>;

/** Which documents or pairs belong to a mixture group. First matching group wins, in list order. */
export const GroupMatch = z.discriminatedUnion('kind', [
  /** Flores-style codes; a code without a script ("eng") matches every script of that language. */
  z.object({ kind: z.literal('languages'), languages: z.array(z.string().min(1)).min(1) }).strict(),
  /** By source name (as listed in the corpus), e.g. a curated "knowledge" collection. */
  z.object({ kind: z.literal('sources'), sources: z.array(z.string().min(1)) }).strict(),
  /** Every translation pair (templated into text). */
  z.object({ kind: z.literal('parallel') }).strict(),
  /** Every document no earlier group took. */
  z.object({ kind: z.literal('rest') }).strict(),
]);
export type GroupMatch = z.output<typeof GroupMatch>;

export const Allocation = z
  .object({
    method: z.enum(['proportional', 'temperature', 'unimax']).default('proportional'),
    /** Temperature sampling exponent: q_i ∝ p_i^alpha. */
    alpha: z.number().gt(0).max(1).default(0.3),
    /** Most passes over a language's data within a stage; more is a warning in the plan. */
    maxEpochs: z.number().gt(0).default(4),
  })
  .strict();
export type Allocation = z.output<typeof Allocation>;

export const Group = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'use lowercase letters, digits and hyphens'),
    label: z.string().min(1),
    match: GroupMatch,
    /** Within-group allocation across languages; the mixture's default when absent. */
    allocation: Allocation.optional(),
  })
  .strict();
export type Group = z.output<typeof Group>;

export const Stage = z
  .object({
    name: z.string().min(1),
    /** Tokens in this stage, or 'auto': the largest budget no language needs more than maxEpochs for. */
    tokenBudget: z.union([z.number().int().min(1), z.literal('auto')]).default('auto'),
    /**
     * Group id -> share of the stage's tokens (normalised to sum 1; groups
     * without data are redistributed with a warning). Absent: every group
     * gets its natural share (its available tokens).
     */
    proportions: z.record(z.string().min(1), z.number().min(0)).optional(),
    /** Peak learning rate the trainer uses for this stage (Marco: 1e-5, then 6e-6). */
    peakLr: z.number().gt(0).optional(),
  })
  .strict();
export type Stage = z.output<typeof Stage>;

export const DEFAULT_TEMPLATES = [
  '{src_lang} phrase: {src}\n{tgt_lang} phrase: {tgt}',
  'Translate the text from {src_lang} to {tgt_lang}:\n{src_lang} text: {src}\n{tgt_lang} text: {tgt}',
  'Render the {src_lang} sentence {src} to {tgt_lang}: {tgt}',
  'The sentence {src} in {src_lang} means {tgt} in {tgt_lang}',
];

export const Mixture = z
  .object({
    groups: z.array(Group).min(1),
    stages: z.array(Stage).min(1),
    allocation: Allocation.default(Allocation.parse({})),
    /** Parallel pairs become text through these, one chosen at random per pair and direction. */
    templates: z
      .array(
        z
          .string()
          .refine((t) => t.includes('{src}') && t.includes('{tgt}'), 'a template needs both {src} and {tgt}'),
      )
      .min(1)
      .default(DEFAULT_TEMPLATES),
    /** Each pair is used in both directions (src→tgt and tgt→src). */
    bothDirections: z.boolean().default(true),
  })
  .strict()
  .superRefine((m, ctx) => {
    const ids = new Set<string>();
    m.groups.forEach((g, i) => {
      if (ids.has(g.id)) ctx.addIssue({ code: 'custom', path: ['groups', i, 'id'], message: `group id "${g.id}" is used twice` });
      ids.add(g.id);
    });
    m.stages.forEach((s, i) => {
      if (!s.proportions) return;
      for (const id of Object.keys(s.proportions))
        if (!ids.has(id)) ctx.addIssue({ code: 'custom', path: ['stages', i, 'proportions', id], message: `there is no group "${id}"` });
      const total = Object.values(s.proportions).reduce((a, b) => a + b, 0);
      if (total <= 0) ctx.addIssue({ code: 'custom', path: ['stages', i, 'proportions'], message: 'the proportions must not all be zero' });
    });
  });
export type Mixture = z.output<typeof Mixture>;

export const Split = z
  .object({
    /** Share of each language's documents held out for evaluation loss. */
    heldOutPercent: z.number().min(0).max(50).default(1),
    /** At least this many documents per language are held out (when the language has at least twice as many). */
    minPerLanguage: z.number().int().min(0).default(20),
    /** At most this many per language. */
    maxPerLanguage: z.number().int().min(0).default(2000),
    /** Share of each language pair's parallel pairs held out (never trained on) to score translation. */
    heldOutPairsPercent: z.number().min(0).max(50).default(1),
    /** At least this many pairs per language pair (when it has at least twice as many). */
    minPairsPerLanguagePair: z.number().int().min(0).default(20),
    /** At most this many per language pair. */
    maxPairsPerLanguagePair: z.number().int().min(0).default(500),
  })
  .strict();
export type Split = z.output<typeof Split>;

export const Output = z
  .object({
    format: z.enum(['jsonl.gz', 'parquet']).default('jsonl.gz'),
    /** Records per shard. */
    shardSize: z.number().int().min(1).default(10000),
  })
  .strict();

export const Recipe = z
  .object({
    version: z.literal(RECIPE_FORMAT_VERSION),
    name: z.string().min(1).max(100),
    description: z.string().default(''),
    seed: z.number().int().min(0).default(42),
    steps: z.array(Step),
    mixture: Mixture,
    split: Split.default(Split.parse({})),
    output: Output.default(Output.parse({})),
  })
  .strict();
export type Recipe = z.output<typeof Recipe>;
export type RecipeInput = z.input<typeof Recipe>;

export interface RecipeIssue {
  /** Dotted path of the offending field, e.g. "steps.2.params.minDocWords". */
  path: string;
  message: string;
}

/** Validates untrusted recipe data; errors carry the path of each offending field. */
export function checkRecipe(data: unknown): { ok: true; recipe: Recipe } | { ok: false; issues: RecipeIssue[] } {
  const r = Recipe.safeParse(data);
  if (r.success) return { ok: true, recipe: r.data };
  return {
    ok: false,
    issues: r.error.issues.map((i) => ({ path: i.path.length ? i.path.map(String).join('.') : '(recipe)', message: i.message })),
  };
}

/** A step's parameters for one language: its params with that language's override on top. */
export function paramsFor<S extends Step>(step: S, lang: string): { enabled: boolean; params: S['params'] } {
  const overrides = step.overrides as Record<string, Record<string, unknown>>;
  // An exact code ("cmn_Hans") wins over a language without script ("cmn"), which covers every script.
  const o = overrides[lang] ?? overrides[lang.split('_')[0]!];
  if (!o) return { enabled: step.enabled, params: step.params };
  const { enabled, ...rest } = o;
  // An override's `enabled` wins both ways: a step can be off for one language, or on for one language only.
  return { enabled: typeof enabled === 'boolean' ? enabled : step.enabled, params: { ...step.params, ...rest } as S['params'] };
}
