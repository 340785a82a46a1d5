/**
 * Training runs: turns a request (dataset version, base model, options)
 * into the trainer's spec and a job, and says what this machine can do
 * (`doctor`). The job manager does the process work.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import type { z } from 'zod';
import { LangbridgeError } from '../../api/errors';
import type { BundleRequest, DoctorReport, EstimateRequest, JobInfo, MemoryEstimateResult, TrainOptions, TrainRequest } from '../../api/train-schemas';
import type { Db } from '../../../db/open';
import { getDataset } from '../../../db/queries/pipeline';
import { qwenTokenizerDir } from '../corpus/tokenizer';
import { ensureTrainerEnv, findPython, readyTrainerPython, runProcess, trainerProcessEnv, type EnvProgress } from '../python/python-env';
import { emitBundle } from './bundle';
import { JobManager, type MetricsUpdate } from './job-manager';
import { advice, countParameters, estimateMemory, readModelShape, verdict } from './memory-estimate';
import { TRAIN_RECIPES, trainRecipe } from './train-recipes';

/** Without a GPU, only models this small may train (the tiny demo model has a few million parameters). */
export const CPU_MAX_PARAMETERS = 100_000_000;
const DEFAULT_LORA_TARGETS = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];

export const TINY_MODEL = 'tiny-qwen2';

export interface TrainServiceOptions {
  db: Db;
  workspaceDir: string;
  onChange?: (job: JobInfo) => void;
  onMetrics?: (m: MetricsUpdate) => void;
  onEnvProgress?: (p: EnvProgress) => void;
}

export class TrainService {
  readonly jobs: JobManager;

  constructor(private readonly o: TrainServiceOptions) {
    this.jobs = new JobManager({
      db: o.db,
      onChange: o.onChange,
      onMetrics: o.onMetrics,
      commandFor: async ({ kind, specPath, runDir, resume }) => {
        const python = await ensureTrainerEnv({ onProgress: o.onEnvProgress });
        // An evaluation is one process on one device (main/services/eval builds its spec and items).
        if (kind === 'eval') return { command: python, args: ['-m', 'langbridge_trainer', 'eval', ...(resume ? ['--resume', runDir] : ['--spec', specPath])], env: trainerProcessEnv() };
        const gpus = launchOf(runDir).gpus;
        const trainer = ['langbridge_trainer', 'train', ...(resume ? ['--resume', runDir] : ['--spec', specPath])];
        // Several GPUs: torchrun (torch.distributed.run) starts one process per GPU in this process group.
        const args = gpus > 1 ? ['-m', 'torch.distributed.run', '--standalone', `--nproc_per_node=${gpus}`, '-m', ...trainer] : ['-m', ...trainer];
        return { command: python, args, env: trainerProcessEnv() };
      },
    });
  }

  start(): void {
    this.jobs.start();
  }

  close(): void {
    this.jobs.close();
  }

  get modelsDir(): string {
    return join(this.o.workspaceDir, 'models');
  }

  recipes() {
    return TRAIN_RECIPES.map((r) => ({ ...r }));
  }

  /** A named recipe's options with the request's laid over them (stages replace the recipe's stages as a whole). */
  options(recipe: string | undefined, options: TrainOptions): TrainOptions {
    if (!recipe) return options;
    const r = trainRecipe(recipe);
    if (!r) throw new LangbridgeError('bad-input', `There is no training recipe "${recipe}" (there are: ${TRAIN_RECIPES.map((x) => x.name).join(', ')}).`);
    return { ...r.options, ...options, ...(r.options.lora || options.lora ? { lora: { ...r.options.lora, ...options.lora } } : {}) };
  }

  /** Submits a training run; it starts at once unless another GPU job runs. */
  async train(req: z.output<typeof TrainRequest>): Promise<JobInfo> {
    const row = getDataset(this.o.db, req.datasetId);
    if (!row || row.status !== 'ready') throw new LangbridgeError('not-found', `There is no dataset version #${req.datasetId} (see \`langbridge datasets\`).`);
    const options = this.options(req.recipe, req.options);
    const baseModel = await this.resolveBase(req.base);
    // Only a large model can be refused (no GPU); a small one starts without asking Python about the hardware.
    const shape = readModelShape(baseModel);
    if (shape && countParameters(shape).total > CPU_MAX_PARAMETERS) {
      const est = await this.estimate({ base: baseModel, options, gpus: req.gpus });
      if (est.blocked) throw new LangbridgeError('bad-input', est.blocked);
    }
    const name = req.name ?? `${row.name} on ${req.base === 'tiny' ? TINY_MODEL : req.base.split(/[\\/]/).filter(Boolean).at(-1)}`;
    const job = this.jobs.submit({
      name,
      spec: (runDir: string) => ({
        specVersion: 1,
        baseModel,
        dataset: join(this.o.workspaceDir, row.folder),
        runDir,
        cacheDir: join(this.o.workspaceDir, 'cache', 'tokens'),
        ...options,
      }),
      runDir: (id) => join(this.o.workspaceDir, 'runs', `${id}-${safe(name)}`),
      files: { 'launch.json': JSON.stringify({ gpus: req.gpus }) + '\n' },
    });
    // Wait until the queue has started it (or left it queued behind another run): a CLI call may exit right after.
    await this.jobs.schedule();
    return this.jobs.info(job.id);
  }

  /** A folder to run the same training on a cluster (torchrun rendezvous, Slurm). */
  async bundle(req: z.output<typeof BundleRequest>) {
    const row = getDataset(this.o.db, req.datasetId);
    if (!row || row.status !== 'ready') throw new LangbridgeError('not-found', `There is no dataset version #${req.datasetId} (see \`langbridge datasets\`).`);
    const baseModel = await this.resolveBase(req.base);
    return emitBundle({ out: req.out, launcher: req.launcher, datasetDir: join(this.o.workspaceDir, row.folder), baseModel, options: this.options(req.recipe, req.options), nodes: req.nodes, gpusPerNode: req.gpusPerNode, dataPaths: req.dataPaths });
  }

  /** A model folder, 'tiny' (created on first use), or a Hub id downloaded into models/. */
  async resolveBase(base: string): Promise<string> {
    if (base === 'tiny') {
      const dir = join(this.modelsDir, TINY_MODEL);
      if (!existsSync(join(dir, 'config.json'))) await this.createTiny(dir);
      return dir;
    }
    const asPath = resolve(base);
    if (isAbsolute(base) || base.startsWith('.') || existsSync(asPath)) {
      if (!existsSync(join(asPath, 'config.json'))) throw new LangbridgeError('not-found', `${asPath} is not a Hugging Face model folder (it has no config.json).`);
      return asPath;
    }
    if (/^[\w.-]+\/[\w.-]+$/.test(base)) {
      const local = join(this.modelsDir, base.replace('/', '--'));
      if (existsSync(join(local, 'config.json'))) return local;
      throw new LangbridgeError('not-found', `${base} is not in this workspace (${local}). Download it first (it needs the network): \`langbridge models download ${base}\`, or the Train page's "Download a model from the Hugging Face Hub".`);
    }
    throw new LangbridgeError('bad-input', `"${base}" is neither a model folder, "tiny", nor a Hugging Face id (org/name).`);
  }

  /** `python -m langbridge_trainer create-tiny`: a tiny random Qwen2 with the real Qwen tokenizer. */
  async createTiny(dir = join(this.modelsDir, TINY_MODEL)): Promise<string> {
    const python = await ensureTrainerEnv({ onProgress: this.o.onEnvProgress });
    mkdirSync(this.modelsDir, { recursive: true });
    // The installed trainer cannot find node_modules from its venv: hand it the tokenizer Langbridge ships.
    await runProcess(python, ['-m', 'langbridge_trainer', 'create-tiny', '--out', dir, '--tokenizer', qwenTokenizerDir()], { code: 'internal', env: trainerProcessEnv() });
    return dir;
  }

  models(): Array<{ name: string; path: string; architecture: string | null; parameters: number | null }> {
    if (!existsSync(this.modelsDir)) return [];
    return readdirSync(this.modelsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join(this.modelsDir, d.name, 'config.json')))
      .map((d) => {
        const path = join(this.modelsDir, d.name);
        let architecture: string | null = null;
        try {
          architecture = (JSON.parse(readFileSync(join(path, 'config.json'), 'utf8')) as { architectures?: string[] }).architectures?.[0] ?? null;
        } catch {
          // An unreadable config: listed, without an architecture.
        }
        const shape = readModelShape(path);
        return { name: d.name, path, architecture, parameters: shape ? countParameters(shape).total : null };
      });
  }

  /**
   * Memory one device needs for this run, against what the device has, and
   * whether the run may start here at all (no GPU: tiny models only).
   */
  async estimate(req: z.output<typeof EstimateRequest>): Promise<MemoryEstimateResult> {
    const options = this.options(req.recipe, req.options);
    const modelDir = req.base === 'tiny' ? join(this.modelsDir, TINY_MODEL) : this.localModel(req.base);
    const shape = modelDir ? readModelShape(modelDir) : null;
    // Hardware from the last doctor report (the Train page asks for one first); never builds the environment.
    const hw = this.lastDoctor ?? (readyTrainerPython() ? await this.doctor() : null);
    const gpus = hw?.gpus ?? [];
    const device: 'cpu' | 'cuda' = options.device === 'cpu' || (options.device !== 'cuda' && !gpus.length) ? 'cpu' : 'cuda';
    const precision = options.precision && options.precision !== 'auto' ? options.precision : device === 'cuda' ? (gpus.every((g) => g.bf16) ? 'bf16' : 'fp16') : 'fp32';
    const smallestGpu = gpus.length ? Math.min(...gpus.map((g) => g.memory_gib)) * 1024 ** 3 : null;
    const available = device === 'cuda' ? smallestGpu : totalmem();
    const availableLabel = device === 'cuda' ? (gpus.length ? `${gpus[0]!.name}, ${gpus[0]!.memory_gib} GiB` : 'GPU memory unknown (no GPU was detected)') : 'this machine\'s memory';
    const input = {
      seqLen: options.seqLen ?? 2048,
      microBatch: options.microBatch ?? 1,
      precision,
      method: options.method ?? 'full',
      loraR: options.lora?.r ?? 16,
      loraTargets: options.lora?.targetModules ?? DEFAULT_LORA_TARGETS,
      activationCheckpointing: options.activationCheckpointing ?? false,
      gpus: req.gpus,
      distributed: options.distributed ?? 'ddp',
    } as const;
    const zero = { weights: 0, gradients: 0, optimizer: 0, activations: 0, logits: 0, overhead: 0 };
    if (!shape) {
      return { known: false, device, precision, parameters: 0, trainableParameters: 0, parts: zero, total: 0, available, availableLabel, verdict: 'unknown', advice: [], blocked: null };
    }
    const e = estimateMemory({ shape, ...input });
    const v = verdict(e.total, available);
    const blocked =
      device === 'cpu' && e.parameters > CPU_MAX_PARAMETERS
        ? `${gpus.length ? 'This run is set to the CPU' : 'This machine has no CUDA GPU'}, and a ${(e.parameters / 1e9).toFixed(2)}B-parameter model is far too slow to train on a CPU. Langbridge trains only tiny models (under ${CPU_MAX_PARAMETERS / 1e6}M parameters) there; use a GPU machine, or export a cluster bundle.`
        : null;
    return { known: true, device, precision, parameters: e.parameters, trainableParameters: e.trainableParameters, parts: e.parts, total: e.total, available, availableLabel, verdict: v, advice: v === 'fits' || v === 'unknown' ? [] : advice({ shape, ...input }, e), blocked };
  }

  /** A model folder or a downloaded Hub id, without creating anything. */
  private localModel(base: string): string | null {
    const asPath = resolve(base);
    if (existsSync(join(asPath, 'config.json'))) return asPath;
    const local = join(this.modelsDir, base.replace('/', '--'));
    return existsSync(join(local, 'config.json')) ? local : null;
  }

  private lastDoctor: DoctorReport | null = null;

  /** Python, the trainer's environment, packages and GPUs, in words. */
  async doctor(o: { install?: boolean } = {}): Promise<DoctorReport> {
    const python = findPython();
    const notes: string[] = [];
    if (!python) notes.push('No Python 3.10 or newer was found: install one (python.org or your package manager) to train.');
    let envPython = readyTrainerPython();
    if (!envPython && python && o.install) envPython = await ensureTrainerEnv({ onProgress: this.o.onEnvProgress });
    if (python && !envPython) notes.push("The trainer's environment is not installed yet: it is built on the first training run (or `langbridge doctor --install`).");
    let trainer: Record<string, unknown> | null = null;
    if (envPython) {
      const out = await runProcess(envPython, ['-m', 'langbridge_trainer', 'doctor', '--path', this.o.workspaceDir], { code: 'internal', env: trainerProcessEnv() });
      trainer = JSON.parse(out) as Record<string, unknown>;
    }
    const gpus = ((trainer?.gpus as DoctorReport['gpus'] | undefined) ?? []).map((g) => ({ index: g.index, name: g.name, memory_gib: g.memory_gib, bf16: g.bf16 }));
    if (trainer) {
      const missing = (trainer.missing as string[] | undefined) ?? [];
      if (missing.length) notes.push(`Missing Python packages: ${missing.join(', ')}.`);
      if (!gpus.length) notes.push('No CUDA GPU was found: training runs on the CPU, which is only practical for the tiny demo model.');
      else for (const g of gpus) notes.push(`GPU ${g.index}: ${g.name}, ${g.memory_gib} GiB, ${g.bf16 ? 'bf16' : 'no bf16 (fp16 or fp32)'}.`);
    }
    const report = { python, environment: { ready: !!envPython, python: envPython }, trainer, gpus, notes };
    if (trainer) this.lastDoctor = report;
    return report;
  }
}

function launchOf(runDir: string): { gpus: number } {
  try {
    return JSON.parse(readFileSync(join(runDir, 'launch.json'), 'utf8')) as { gpus: number };
  } catch {
    return { gpus: 1 };
  }
}

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'run';
