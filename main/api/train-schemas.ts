import { z } from 'zod';

const int = z.number().int();

export const JobStatus = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled', 'interrupted']);

export const Failure = z.object({
  classification: z.string(),
  message: z.string(),
  reason: z.string(),
  fixes: z.array(z.string()),
  log: z.array(z.string()),
});

/** What a job is doing now (main/services/jobs/live-state.ts folds it from the trainer's events). */
export const LiveState = z.object({
  /** evaluating: an eval job scoring its items (progress counts them). */
  phase: z.enum(['starting', 'preparing', 'training', 'evaluating', 'ended']),
  device: z.enum(['cpu', 'cuda']).nullable(),
  devices: z.array(z.string()),
  precision: z.string().nullable(),
  worldSize: int.nullable(),
  /** Before the first step: tokenising shards, loading the model. */
  progress: z.object({ task: z.string(), done: z.number(), total: z.number(), unit: z.string(), /** Units per second (eval jobs: items/s). */ rate: z.number().nullable().optional() }).nullable(),
  plan: z
    .object({
      attention: z.string(),
      attentionNote: z.string().nullable(),
      parameters: int,
      trainableParameters: int,
      gradAccumulation: int,
      /** All stages' steps; the run stops earlier at maxSteps when it has one. */
      totalSteps: int,
      maxSteps: int.nullable(),
      stages: z.array(z.object({ index: int, name: z.string(), steps: int, tokens: int, peakLr: z.number(), schedule: z.enum(['cosine', 'wsd']) })),
    })
    .nullable(),
  stage: z.object({ index: int, name: z.string() }).nullable(),
  step: int.nullable(),
  /** The steps this run will take (the plan's, or its maxSteps when fewer). */
  totalSteps: int.nullable(),
  checkpoint: z.object({ step: int, path: z.string(), best: z.boolean(), reason: z.enum(['interval', 'stage-end', 'final', 'cancel']) }).nullable(),
});
export type LiveState = z.output<typeof LiveState>;

export const JobInfo = z.object({
  id: int,
  kind: z.enum(['train', 'eval']),
  name: z.string(),
  status: JobStatus,
  stopping: z.boolean(),
  runDir: z.string(),
  pid: int.nullable(),
  attempts: int,
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  exitCode: int.nullable(),
  spec: z.unknown(),
  failure: Failure.nullable(),
  summary: z.record(z.string(), z.unknown()).nullable(),
  /** Whether Resume makes sense (interrupted, cancelled or failed with a checkpoint on disk). */
  resumable: z.boolean(),
  live: LiveState.nullable(),
});
export type JobInfo = z.output<typeof JobInfo>;

export const StepMetric = z.object({
  step: int,
  stage: int,
  tokens: int,
  loss: z.number(),
  lr: z.number(),
  grad_norm: z.number().nullable(),
  tokens_per_s: z.number().nullable(),
  mfu: z.number().nullable(),
  gpu_memory: int.nullable(),
  time: z.string(),
});

export const EvalMetric = z.object({ step: int, lang: z.string(), loss: z.number(), bpc: z.number() });

export const MetricsUpdate = z.object({ jobId: int, steps: z.array(StepMetric), evals: z.array(EvalMetric) });

/**
 * What a run may change of the trainer's defaults (native/trainer's spec;
 * the trainer validates every field again and names any it refuses).
 */
export const TrainOptions = z
  .object({
    seqLen: int.min(16),
    globalBatchTokens: int.min(1),
    microBatch: int.min(1),
    precision: z.enum(['auto', 'bf16', 'fp16', 'fp32']),
    seed: int.min(0),
    evalInterval: int.min(1).nullable(),
    checkpointInterval: int.min(1).nullable(),
    keepCheckpoints: int.min(1),
    method: z.enum(['full', 'lora']),
    lora: z.object({ r: int.min(1), alpha: int.min(1), dropout: z.number().min(0).max(0.9), targetModules: z.array(z.string()) }).partial().strict(),
    activationCheckpointing: z.boolean(),
    maxSteps: int.min(1).nullable(),
    device: z.enum(['auto', 'cpu', 'cuda']),
    distributed: z.enum(['ddp', 'fsdp']),
    evalMaxDocumentsPerLanguage: int.min(1).nullable(),
    stages: z
      .array(
        z
          .object({
            directory: z.string(),
            name: z.string(),
            tokens: int.min(1).nullable(),
            peakLr: z.number().positive(),
            warmupSteps: int.min(0),
            warmupRatio: z.number().min(0).max(0.5),
            schedule: z.enum(['cosine', 'wsd']),
            decayFraction: z.number().min(0).max(1),
            minLr: z.number().min(0),
          })
          .partial()
          .required({ directory: true })
          .strict(),
      )
      .min(1),
  })
  .partial()
  .strict();
export type TrainOptions = z.output<typeof TrainOptions>;

export const TrainRequest = z
  .object({
    datasetId: int,
    /** A model folder, "tiny" (the demo model), or a Hugging Face id already downloaded into the workspace. */
    base: z.string().min(1),
    name: z.string().min(1).max(80).optional(),
    /** A named recipe (train:recipes) the options are laid over. */
    recipe: z.string().min(1).optional(),
    options: TrainOptions.default({}),
    /** GPUs on this machine (more than one: torchrun). */
    gpus: int.min(1).max(64).default(1),
  })
  .strict();

export const DoctorReport = z.object({
  python: z.object({ path: z.string(), version: z.string() }).nullable(),
  environment: z.object({ ready: z.boolean(), python: z.string().nullable() }),
  trainer: z.record(z.string(), z.unknown()).nullable(),
  gpus: z.array(z.object({ index: int, name: z.string(), memory_gib: z.number(), bf16: z.boolean() })),
  /** What is missing or notable, in words. */
  notes: z.array(z.string()),
});
export type DoctorReport = z.output<typeof DoctorReport>;

export const ModelInfo = z.object({ name: z.string(), path: z.string(), architecture: z.string().nullable(), parameters: z.number().int().nullable() });

export const BundleRequest = z
  .object({
    datasetId: int,
    base: z.string().min(1),
    recipe: z.string().min(1).optional(),
    options: TrainOptions.default({}),
    out: z.string().min(1),
    launcher: z.enum(['torchrun', 'slurm']).default('torchrun'),
    nodes: int.min(1).max(1024).default(1),
    gpusPerNode: int.min(1).max(64).default(8),
    dataPaths: z.boolean().default(false),
  })
  .strict();

export const BundleResult = z.object({ dir: z.string(), files: z.array(z.string()), run: z.string() });

export const TrainRecipeInfo = z.object({ name: z.string(), title: z.string(), description: z.string(), options: TrainOptions });

export const EstimateRequest = z
  .object({
    base: z.string().min(1),
    recipe: z.string().min(1).optional(),
    options: TrainOptions.default({}),
    gpus: int.min(1).max(64).default(1),
  })
  .strict();

export const MemoryEstimateResult = z.object({
  /** The model's config could not be read (e.g. the tiny model before its first run). */
  known: z.boolean(),
  device: z.enum(['cpu', 'cuda']),
  precision: z.enum(['bf16', 'fp16', 'fp32']),
  parameters: int,
  trainableParameters: int,
  parts: z.object({ weights: z.number(), gradients: z.number(), optimizer: z.number(), activations: z.number(), logits: z.number(), overhead: z.number() }),
  /** Bytes per device. */
  total: z.number(),
  /** The device's memory in bytes (the smallest GPU's, or the machine's RAM), when known. */
  available: z.number().nullable(),
  availableLabel: z.string(),
  verdict: z.enum(['fits', 'tight', 'does-not-fit', 'unknown']),
  advice: z.array(z.string()),
  /** Why Start is refused here (a large model with no GPU), else null. */
  blocked: z.string().nullable(),
});
export type MemoryEstimateResult = z.output<typeof MemoryEstimateResult>;

export const DownloadRequest = z
  .object({
    /** A Hugging Face Hub model id, org/name. */
    repo: z.string().min(3),
    revision: z.string().min(1).optional(),
    overwrite: z.boolean().default(false),
    jobId: z.string().min(1).max(100).optional(),
  })
  .strict();

export const DownloadResult = z.object({
  path: z.string(),
  repo: z.string(),
  revision: z.string(),
  commit: z.string(),
  files: z.array(z.object({ path: z.string(), size: int, sha256: z.string() })),
  bytes: int,
  resumedBytes: int,
});
