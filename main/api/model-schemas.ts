/**
 * Shapes of the models:* calls: the models a user can pick (base models and
 * checkpoints), their exports (Hugging Face, ONNX, GGUF) and the checksum
 * manifest every export writes beside its files.
 */
import { z } from 'zod';

const int = z.number().int();
const count = z.number().int().min(0);

export const ExportFormat = z.enum(['hf', 'onnx', 'gguf']);
export type ExportFormat = z.output<typeof ExportFormat>;

/** A LoRA checkpoint: its adapter merged into the base weights, or the adapter alone (Hugging Face format only). */
export const LoraMode = z.enum(['merged', 'adapter']);
export type LoraMode = z.output<typeof LoraMode>;

export const ModelExportRequest = z
  .object({
    /** A model reference: tiny, Org/Name, a folder, run:JOB[@STEP] (see `langbridge models`). */
    ref: z.string().min(1),
    format: ExportFormat,
    /** A new or empty folder; default <workspace>/exports/<model>-<format>. */
    out: z.string().min(1).optional(),
    /** LoRA checkpoints only; default merged. */
    lora: LoraMode.optional(),
    /** Chosen by the caller so it can follow progress events and cancel. */
    jobId: z.string().min(1).max(100).optional(),
  })
  .strict();
export type ModelExportRequest = z.input<typeof ModelExportRequest>;

export const ExportFile = z.object({ path: z.string(), bytes: count, sha256: z.string() });
export type ExportFile = z.output<typeof ExportFile>;

/** One check of an exported file (GGUF header, safetensors header, ONNX file present). */
export const ExportCheck = z.object({ path: z.string(), check: z.string(), ok: z.boolean(), detail: z.string() });
export type ExportCheck = z.output<typeof ExportCheck>;

export const CHECKSUM_MANIFEST_VERSION = 1;

/** manifest.json in every export folder: every other file with its size and sha256, and where the model came from. */
export const ChecksumManifest = z.object({
  formatVersion: z.literal(CHECKSUM_MANIFEST_VERSION),
  langbridgeVersion: z.string(),
  createdAt: z.string(),
  model: z.object({
    ref: z.string(),
    label: z.string(),
    kind: z.enum(['base', 'checkpoint']),
    /** The model the weights started from: the run's base model, or the model itself. */
    baseModel: z.string(),
    jobId: int.nullable(),
    step: int.nullable(),
    lora: z.boolean(),
  }),
  format: ExportFormat,
  variant: z.string(),
  files: z.array(ExportFile),
  /** Langbridge's header checks of the files. */
  checks: z.array(ExportCheck),
  /** The trainer's own checks: ONNX logits against PyTorch's, int8 top-1 agreement, GGUF read-back. */
  exporterChecks: z.record(z.string(), z.unknown()).default({}),
});
export type ChecksumManifest = z.output<typeof ChecksumManifest>;

export const ExportInfo = z.object({
  id: int,
  modelRef: z.string(),
  modelLabel: z.string(),
  format: ExportFormat,
  variant: z.string(),
  path: z.string(),
  bytes: count,
  files: z.array(ExportFile),
  status: z.enum(['exporting', 'ready']),
  createdAt: z.string(),
  /** Inside the workspace's exports/ folder: deleting the export deletes its folder. */
  managed: z.boolean(),
  /** The folder is still there (a folder elsewhere may have been moved or deleted by hand). */
  exists: z.boolean(),
  /** The model card (README.md), when the folder has one. */
  card: z.string().nullable(),
  checks: z.array(ExportCheck),
});
export type ExportInfo = z.output<typeof ExportInfo>;

/** A model a user can pick, with its size and the exports it already has. */
export const ModelListing = z.object({
  ref: z.string(),
  label: z.string(),
  kind: z.enum(['base', 'checkpoint']),
  path: z.string(),
  lora: z.boolean(),
  basePath: z.string().nullable(),
  jobId: int.nullable(),
  step: int.nullable(),
  architecture: z.string().nullable(),
  parameters: count.nullable(),
  /** The model's newest stored scores, each benchmark and metric averaged over its languages or directions (empty: not evaluated). */
  evaluation: z.array(z.object({ benchmark: z.string(), metric: z.string(), score: z.number(), subsets: count })),
  exports: z.array(z.object({ id: int, format: ExportFormat, variant: z.string(), path: z.string(), createdAt: z.string() })),
});
export type ModelListing = z.output<typeof ModelListing>;

/**
 * Deleting an export forgets its row; its folder goes too only when it lies
 * inside the workspace's exports/ folder. A folder the user chose elsewhere
 * (--out) is never deleted by Langbridge: the result says it was kept.
 */
export const DeleteExportRequest = z.object({ id: int }).strict();

export const DeleteExportResult = z.object({ deleted: z.boolean(), folderDeleted: z.boolean(), path: z.string() });
