import { z } from 'zod';
import {
  CorpusStats,
  DetectedFormat,
  DocumentDetail,
  DocumentFilter,
  DocumentRow,
  Format,
  ImportRequest,
  ImportSummary,
  Language,
  Page,
  PairRow,
  Progress,
  SampleImportRequest,
  SampleImportSummary,
  SearchRequest,
  SearchResult,
  Source,
  WorkspaceInfo,
} from './schemas';
import {
  DatasetDetail,
  DatasetSummary,
  ExportRequest,
  ExportResult,
  LineageRequest,
  LineageRow,
  PreviewRequest,
  PreviewResult,
  RecipeCheck,
  RecipeListing,
  RunRequest,
  RunResult,
} from './pipeline-schemas';
import { Recipe } from '../services/pipeline/recipe';
import { EvalItemsRequest, EvalItemsResult, EvalRequest, EvalResults, EvalResultsRequest, EvalRunInfo, EvalStartEntry } from './eval-schemas';
import { DeleteExportRequest, DeleteExportResult, ExportInfo, ModelExportRequest, ModelListing } from './model-schemas';
import { Aggregates, CreateQueueRequest, ItemRequest, ItemView, JudgeRequest, JudgeResult, QueueInfo, ReviewExportRequest, ReviewExportResult } from './review-schemas';
import { TranslateFileRequest, TranslateResult, TranslateSegmentEvent, TranslateTextRequest, TranslateToken } from './translate-schemas';
import { BundleRequest, BundleResult, DoctorReport, DownloadRequest, DownloadResult, EstimateRequest, JobInfo, MemoryEstimateResult, MetricsUpdate, ModelInfo, TrainRecipeInfo, TrainRequest } from './train-schemas';

/**
 * THE contract. Every front door (Electron IPC, HTTP server, CLI) reaches the
 * services through these names, validating input with these schemas.
 */
export const calls = {
  'workspace:info': { input: z.object({}).strict(), output: WorkspaceInfo },
  'corpus:detect-format': {
    input: z.object({ path: z.string().min(1) }).strict(),
    output: DetectedFormat,
  },
  'corpus:import': { input: ImportRequest, output: ImportSummary },
  'corpus:import-sample': { input: SampleImportRequest, output: SampleImportSummary },
  'corpus:cancel': {
    input: z.object({ jobId: z.string().min(1) }).strict(),
    output: z.object({ cancelled: z.boolean() }),
  },
  'corpus:jobs': { input: z.object({}).strict(), output: z.array(Progress) },
  'corpus:sources': { input: z.object({}).strict(), output: z.array(Source) },
  'corpus:delete-source': {
    input: z.object({ sourceId: z.number().int() }).strict(),
    output: z.object({ documents: z.number().int(), pairs: z.number().int() }),
  },
  'corpus:stats': { input: z.object({}).strict(), output: CorpusStats },
  'corpus:languages': { input: z.object({}).strict(), output: z.array(Language) },
  'corpus:documents': {
    input: DocumentFilter.extend(Page.shape).strict(),
    output: z.object({ total: z.number().int(), rows: z.array(DocumentRow) }),
  },
  'corpus:document': {
    input: z.object({ id: z.number().int() }).strict(),
    output: DocumentDetail,
  },
  'corpus:pairs': {
    input: z
      .object({ lang: z.string().min(1).optional(), sourceId: z.number().int().optional() })
      .extend(Page.shape)
      .strict(),
    output: z.object({ total: z.number().int(), rows: z.array(PairRow) }),
  },
  'corpus:search': { input: SearchRequest, output: SearchResult },
  'corpus:formats': { input: z.object({}).strict(), output: z.array(Format) },

  'pipeline:recipes': { input: z.object({}).strict(), output: z.array(RecipeListing) },
  'pipeline:recipe': { input: z.object({ name: z.string().min(1) }).strict(), output: Recipe },
  'pipeline:check-recipe': { input: z.object({ recipe: z.unknown() }).strict(), output: RecipeCheck },
  'pipeline:save-recipe': { input: z.object({ recipe: Recipe }).strict(), output: RecipeListing },
  'pipeline:delete-recipe': { input: z.object({ name: z.string().min(1) }).strict(), output: z.object({ deleted: z.boolean() }) },
  'pipeline:preview': { input: PreviewRequest, output: PreviewResult },
  'pipeline:run': { input: RunRequest, output: RunResult },
  'pipeline:cancel': { input: z.object({ jobId: z.string().min(1) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'pipeline:jobs': { input: z.object({}).strict(), output: z.array(Progress) },

  'datasets:list': { input: z.object({}).strict(), output: z.array(DatasetSummary) },
  'datasets:show': { input: z.object({ id: z.number().int() }).strict(), output: DatasetDetail },
  'datasets:delete': { input: z.object({ id: z.number().int() }).strict(), output: z.object({ deleted: z.boolean() }) },
  'datasets:lineage': { input: LineageRequest, output: z.object({ total: z.number().int(), rows: z.array(LineageRow) }) },
  'datasets:export': { input: ExportRequest, output: ExportResult },
  'train:start': { input: TrainRequest, output: JobInfo },
  'train:bundle': { input: BundleRequest, output: BundleResult },
  'train:doctor': { input: z.object({ install: z.boolean().default(false) }).strict(), output: DoctorReport },
  'train:models': { input: z.object({}).strict(), output: z.array(ModelInfo) },
  'train:recipes': { input: z.object({}).strict(), output: z.array(TrainRecipeInfo) },
  'train:estimate': { input: EstimateRequest, output: MemoryEstimateResult },
  'train:create-tiny': { input: z.object({}).strict(), output: z.object({ path: z.string() }) },
  'models:download': { input: DownloadRequest, output: DownloadResult },
  'models:cancel-download': { input: z.object({ jobId: z.string().min(1) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'models:list': { input: z.object({}).strict(), output: z.array(ModelListing) },
  'models:export': { input: ModelExportRequest, output: ExportInfo },
  'models:cancel-export': { input: z.object({ jobId: z.string().min(1) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'models:exports': { input: z.object({}).strict(), output: z.array(ExportInfo) },
  'models:delete-export': { input: DeleteExportRequest, output: DeleteExportResult },
  'jobs:list': { input: z.object({}).strict(), output: z.array(JobInfo) },
  'jobs:show': { input: z.object({ id: z.number().int() }).strict(), output: JobInfo },
  'jobs:metrics': { input: z.object({ id: z.number().int(), sinceStep: z.number().int().default(-1) }).strict(), output: MetricsUpdate },
  'jobs:logs': { input: z.object({ id: z.number().int(), lines: z.number().int().min(1).max(5000).default(50) }).strict(), output: z.object({ lines: z.array(z.string()) }) },
  'jobs:cancel': { input: z.object({ id: z.number().int() }).strict(), output: JobInfo },
  'jobs:resume': { input: z.object({ id: z.number().int() }).strict(), output: JobInfo },
  'eval:start': { input: EvalRequest, output: z.array(EvalStartEntry) },
  'eval:runs': { input: z.object({}).strict(), output: z.array(EvalRunInfo) },
  'eval:results': { input: EvalResultsRequest, output: EvalResults },
  'eval:items': { input: EvalItemsRequest, output: EvalItemsResult },
  'eval:delete-run': { input: z.object({ id: z.number().int() }).strict(), output: z.object({ deleted: z.boolean() }) },
  'review:create-queue': { input: CreateQueueRequest, output: QueueInfo },
  'review:queues': { input: z.object({}).strict(), output: z.array(QueueInfo) },
  'review:queue': { input: z.object({ id: z.number().int() }).strict(), output: QueueInfo },
  'review:item': { input: ItemRequest, output: ItemView },
  'review:judge': { input: JudgeRequest, output: JudgeResult },
  'review:aggregates': { input: z.object({ queueId: z.number().int().optional() }).strict(), output: Aggregates },
  'review:export': { input: ReviewExportRequest, output: ReviewExportResult },
  'review:delete-queue': { input: z.object({ id: z.number().int() }).strict(), output: z.object({ deleted: z.boolean() }) },
  'translate:text': { input: TranslateTextRequest, output: TranslateResult },
  'translate:file': { input: TranslateFileRequest, output: TranslateResult },
  'translate:cancel': { input: z.object({ jobId: z.string().min(1) }).strict(), output: z.object({ cancelled: z.boolean() }) },
  'translate:jobs': { input: z.object({}).strict(), output: z.array(Progress) },
} as const;

export const events = {
  'jobs:progress': Progress,
  /** A training job changed state (queued, running, stopping, ended). */
  'jobs:changed': JobInfo,
  /** New training metrics, throttled. */
  'jobs:metrics': MetricsUpdate,
  'corpus:changed': z.object({ reason: z.string() }),
  'datasets:changed': z.object({ reason: z.string() }),
  /** A translated sentence's output so far (each token; with beam search the best beam's). */
  'translate:token': TranslateToken,
  /** A sentence finished, with its confidence and the examples its prompt used. */
  'translate:segment': TranslateSegmentEvent,
  /** A translation job's progress (sentences done of the document's). */
  'translate:progress': Progress,
} as const;

export type CallName = keyof typeof calls;
export type EventName = keyof typeof events;
export type CallInput<K extends CallName> = z.input<(typeof calls)[K]['input']>;
export type CallOutput<K extends CallName> = z.output<(typeof calls)[K]['output']>;
export type EventPayload<K extends EventName> = z.output<(typeof events)[K]>;

export const callNames = Object.keys(calls) as CallName[];
export const eventNames = Object.keys(events) as EventName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(calls, name);
}
