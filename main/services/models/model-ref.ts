/**
 * Model references: the one way every front door names a model to evaluate,
 * export or translate with. A reference is a short string a user can type:
 *
 *   tiny                the tiny demo model in the workspace
 *   Qwen/Qwen2.5-0.5B   a Hub model downloaded into the workspace (models/Qwen--Qwen2.5-0.5B)
 *   /path/to/folder     any Hugging Face model folder
 *   run:12              training job 12's latest complete checkpoint
 *   run:12@40           job 12's checkpoint at step 40
 *
 * Nothing is stored for a reference: base models are folders under
 * <workspace>/models, checkpoints are folders under a job's run folder, and
 * the jobs table says which base each run started from. So a reference never
 * goes stale in the database, and a deleted folder is reported as such.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { LangbridgeError } from '../../api/errors';
import type { Db } from '../../../db/open';
import { getJob, listJobs } from '../../../db/queries/jobs';

export const TINY_MODEL_DIR = 'tiny-qwen2';

export interface ModelEntry {
  /** The reference, normalised: `tiny`, `Qwen/Qwen2.5-0.5B`, an absolute path, `run:12@40`. */
  ref: string;
  /** For people: "tiny-qwen2", "UDHR v1 on tiny-qwen2 · step 40". */
  label: string;
  kind: 'base' | 'checkpoint';
  /**
   * The Hugging Face folder to load. For a LoRA checkpoint this holds the
   * adapter only (adapter_config.json, adapter_model.safetensors) and
   * `basePath` is the model it adapts.
   */
  path: string;
  lora: boolean;
  /** LoRA checkpoints: the base model folder the adapter applies to; a full checkpoint or a base model: null. */
  basePath: string | null;
  /** Checkpoints: the training job and the step. */
  jobId: number | null;
  step: number | null;
}

const RUN_REF = /^run:(\d+)(?:@(\d+))?$/;

/** `step-N` folders of a run that are complete (state.json is written last), oldest first. */
export function runCheckpoints(runDir: string): Array<{ step: number; dir: string }> {
  const base = join(runDir, 'checkpoints');
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .map((d) => ({ d, m: /^step-(\d+)$/.exec(d.name) }))
    .filter(({ d, m }) => d.isDirectory() && m && existsSync(join(base, d.name, 'state.json')))
    .map(({ d, m }) => ({ step: Number(m![1]), dir: join(base, d.name) }))
    .sort((a, b) => a.step - b.step);
}

function isLora(modelDir: string): boolean {
  return existsSync(join(modelDir, 'adapter_config.json'));
}

function baseEntry(ref: string, path: string, label: string): ModelEntry {
  return { ref, label, kind: 'base', path, lora: false, basePath: null, jobId: null, step: null };
}

function checkpointEntry(db: Db, jobId: number, step: number | null): ModelEntry {
  const job = getJob(db, jobId);
  if (!job || job.kind !== 'train') throw new LangbridgeError('not-found', `There is no training run #${jobId} (see \`langbridge jobs\`).`);
  const points = runCheckpoints(job.run_dir);
  if (!points.length) throw new LangbridgeError('not-found', `Training run #${jobId} has no complete checkpoint yet (${join(job.run_dir, 'checkpoints')}).`);
  const point = step === null ? points.at(-1)! : points.find((p) => p.step === step);
  if (!point) {
    throw new LangbridgeError('not-found', `Training run #${jobId} has no checkpoint at step ${step} (it has: ${points.map((p) => p.step).join(', ')}).`);
  }
  const path = join(point.dir, 'model');
  const spec = JSON.parse(job.spec) as { baseModel?: string };
  const lora = isLora(path);
  return {
    ref: `run:${jobId}@${point.step}`,
    label: `${job.name} · step ${point.step}`,
    kind: 'checkpoint',
    path,
    lora,
    basePath: lora ? (spec.baseModel ?? null) : null,
    jobId,
    step: point.step,
  };
}

/** Resolves a reference (see the top of this file) to folders on disk, or says plainly why it cannot. */
export function resolveModelRef(db: Db, workspaceDir: string, ref: string): ModelEntry {
  const r = ref.trim();
  const run = RUN_REF.exec(r);
  if (run) return checkpointEntry(db, Number(run[1]), run[2] === undefined ? null : Number(run[2]));
  const modelsDir = join(workspaceDir, 'models');
  if (r === 'tiny') {
    const path = join(modelsDir, TINY_MODEL_DIR);
    if (!existsSync(join(path, 'config.json'))) throw new LangbridgeError('not-found', `The tiny demo model has not been created yet (${path}); \`langbridge train --base tiny\` or the Train page creates it.`);
    return baseEntry('tiny', path, TINY_MODEL_DIR);
  }
  const asPath = resolve(r);
  if (isAbsolute(r) || r.startsWith('.') || existsSync(asPath)) {
    if (!existsSync(join(asPath, 'config.json')) && !isLora(asPath)) throw new LangbridgeError('not-found', `${asPath} is not a Hugging Face model folder (it has no config.json).`);
    return baseEntry(asPath, asPath, asPath.split(/[\\/]/).filter(Boolean).at(-1) ?? asPath);
  }
  if (/^[\w.-]+\/[\w.-]+$/.test(r)) {
    const path = join(modelsDir, r.replace('/', '--'));
    if (!existsSync(join(path, 'config.json'))) throw new LangbridgeError('not-found', `${r} is not in this workspace (${path}); download it first: \`langbridge models download ${r}\`.`);
    return baseEntry(r, path, r);
  }
  const local = join(modelsDir, r);
  if (existsSync(join(local, 'config.json'))) return baseEntry(r === TINY_MODEL_DIR ? 'tiny' : r, local, r);
  throw new LangbridgeError('bad-input', `"${r}" is not a model: give tiny, a Hub id (org/name) downloaded into the workspace, a model folder, or run:JOB[@STEP] (see \`langbridge models\`).`);
}

/** Every model a user can pick: the workspace's base models, then every complete checkpoint of every training run. */
export function listModelRefs(db: Db, workspaceDir: string): ModelEntry[] {
  const out: ModelEntry[] = [];
  const modelsDir = join(workspaceDir, 'models');
  if (existsSync(modelsDir)) {
    for (const d of readdirSync(modelsDir, { withFileTypes: true })) {
      const path = join(modelsDir, d.name);
      if (!d.isDirectory() || !existsSync(join(path, 'config.json'))) continue;
      // Hub downloads are stored as org--name; their reference is the Hub id.
      const ref = d.name === TINY_MODEL_DIR ? 'tiny' : d.name.includes('--') ? d.name.replace('--', '/') : d.name;
      out.push(baseEntry(ref, path, d.name === TINY_MODEL_DIR ? TINY_MODEL_DIR : ref));
    }
  }
  for (const job of listJobs(db)) {
    if (job.kind !== 'train') continue;
    for (const p of runCheckpoints(job.run_dir)) {
      try {
        out.push(checkpointEntry(db, job.id, p.step));
      } catch {
        // A checkpoint deleted between the listing and the read: not offered.
      }
    }
  }
  return out;
}

/** The model's own config (architecture, sizes), or null when unreadable. */
export function readModelConfig(entry: ModelEntry): Record<string, unknown> | null {
  const dir = entry.lora && entry.basePath ? entry.basePath : entry.path;
  try {
    return JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}
