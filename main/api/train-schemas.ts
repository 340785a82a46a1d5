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

export const JobInfo = z.object({
  id: int,
  kind: z.literal('train'),
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
  resumable: z.boolean(),
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

export const ModelInfo = z.object({ name: z.string(), path: z.string(), architecture: z.string().nullable(), parameters: z.string().nullable() });

export const BundleRequest = z
  .object({
    datasetId: int,
    base: z.string().min(1),
    options: TrainOptions.default({}),
    out: z.string().min(1),
    launcher: z.enum(['torchrun', 'slurm']).default('torchrun'),
    nodes: int.min(1).max(1024).default(1),
    gpusPerNode: int.min(1).max(64).default(8),
    dataPaths: z.boolean().default(false),
  })
  .strict();

export const BundleResult = z.object({ dir: z.string(), files: z.array(z.string()), run: z.string() });
