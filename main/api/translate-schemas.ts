/**
 * Translation with an exported ONNX model (the Translate panel and
 * `langbridge translate`): requests, the per-sentence result and the events
 * that stream tokens and progress.
 */
import { z } from 'zod';

const int = z.number().int();

const TranslateOptions = z.object({
  /** An ONNX export folder, or a model reference (tiny, ORG/NAME, a folder, run:JOB[@STEP]) that has one. */
  model: z.string().min(1),
  /** Source and target languages, as the corpus names them (swh_Latn). */
  from: z.string().min(1),
  to: z.string().min(1),
  /** 1: greedy; more: beam search with that many beams. */
  beams: int.min(1).max(8).default(1),
  /** Examples retrieved from the corpus's training pairs and put in the prompt. */
  examples: int.min(0).max(16).default(4),
  /** The int8 (dynamically quantised) model instead of fp32: smaller and faster, slightly less exact. */
  int8: z.boolean().default(false),
  /** Per sentence. */
  maxNewTokens: int.min(1).max(1024).default(256),
  /** Names the job for translate:cancel and the events; one is made up when absent. */
  jobId: z.string().min(1).optional(),
});

export const TranslateTextRequest = TranslateOptions.extend({ text: z.string().min(1).max(1_000_000) }).strict();
export type TranslateTextRequest = z.input<typeof TranslateTextRequest>;

export const TranslateFileFormat = z.enum(['auto', 'text', 'usfm']);

export const TranslateFileRequest = TranslateOptions.extend({
  path: z.string().min(1),
  /** Where to write the translated file; absent: not written (the result holds the text). */
  out: z.string().min(1).optional(),
  /** auto: USFM for .usfm/.sfm files or a file starting with \id, plain text otherwise. */
  format: TranslateFileFormat.default('auto'),
}).strict();
export type TranslateFileRequest = z.input<typeof TranslateFileRequest>;

export const MemoryExample = z.object({
  pairId: int,
  src: z.string(),
  tgt: z.string(),
  /** Sentence chrF (0-100) of the example's source against the sentence translated. */
  score: z.number(),
});
export type MemoryExample = z.output<typeof MemoryExample>;

export const TranslatedSegment = z.object({
  /** Position among the document's sentences. */
  index: int,
  source: z.string(),
  output: z.string(),
  /** Mean token log-probability of the output (≤ 0; closer to 0 is surer). */
  confidence: z.number(),
  /** exp(confidence): the geometric-mean token probability, 0-1, for people. */
  probability: z.number(),
  tokens: int,
  stop: z.enum(['line-end', 'eos', 'max-tokens']),
  examples: z.array(MemoryExample),
});
export type TranslatedSegment = z.output<typeof TranslatedSegment>;

export const TranslateResult = z.object({
  jobId: z.string(),
  /** The export folder used, and which of its models. */
  model: z.object({ path: z.string(), dtype: z.enum(['fp32', 'q8']) }),
  from: z.string(),
  to: z.string(),
  format: z.enum(['text', 'usfm']),
  /** The whole translation: the input with every sentence replaced (markers, line breaks and spacing kept). */
  text: z.string(),
  segments: z.array(TranslatedSegment),
  /** The file written (translate:file with `out`). */
  out: z.string().nullable(),
  /** Sentences in the training pairs between the two languages (where examples come from). */
  memoryPairs: int,
  seconds: z.number(),
  generatedTokens: int,
});
export type TranslateResult = z.output<typeof TranslateResult>;

/** The output of one sentence so far (with beam search, the current best beam's), each time it grows. */
export const TranslateToken = z.object({ jobId: z.string(), segment: int, text: z.string() });
export type TranslateToken = z.output<typeof TranslateToken>;

/** A finished sentence, with its confidence and examples, as soon as it is done. */
export const TranslateSegmentEvent = z.object({ jobId: z.string(), total: int, segment: TranslatedSegment });
export type TranslateSegmentEvent = z.output<typeof TranslateSegmentEvent>;
