/**
 * Evaluation runs: a request (models x benchmarks x languages) becomes the
 * benchmark items, written once per model into a run folder, and one
 * evaluation job per model that needs running, through the same job queue
 * as training (`python -m langbridge_trainer eval`). A model already
 * evaluated on exactly these items (same items, same model files) is reused,
 * not rerun: above all the base model, the reference row every checkpoint is
 * compared with. When a job ends, its outputs are scored and stored
 * (eval_scores, eval_items); reattaching after a restart scores what ended
 * meanwhile, once.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { LangbridgeError } from '../../api/errors';
import type { Benchmark, EvalItemRow, EvalItemsRequest, EvalRequest, EvalResults, EvalRunInfo, EvalScore, EvalStartEntry } from '../../api/eval-schemas';
import type { JobInfo } from '../../api/train-schemas';
import type { Db } from '../../../db/open';
import * as q from '../../../db/queries/eval';
import { getJob } from '../../../db/queries/jobs';
import { getDataset, listDatasets } from '../../../db/queries/pipeline';
import type { DatasetManifest } from '../../api/pipeline-schemas';
import type { JobManager } from '../jobs/job-manager';
import { countParameters, readModelShape } from '../jobs/memory-estimate';
import { listModelRefs, resolveModelRef, type ModelEntry } from '../models/model-ref';
import { computeDeltas } from './deltas';
import { buildItems, itemsDigest } from './items/build-items';
import type { DatasetFolder } from './items/heldout-items';
import type { EvalItemSpec, TrainerItem } from './items/types';
import { modelIdentity } from './model-identity';
import { parseOutputs, scoreRun } from './score-run';

/** Models this small are evaluated on the CPU under device 'auto' (no GPU slot to wait for; see evalDevice). */
export const CPU_EVAL_MAX_PARAMETERS = 100_000_000;

export interface EvalServiceOptions {
  db: Db;
  workspaceDir: string;
  jobs: JobManager;
  /** Makes a model reference usable before it is resolved (the tiny demo model is created on first use). */
  prepareModel?: (ref: string) => Promise<void>;
}

type Request = z.output<typeof EvalRequest>;

export class EvalService {
  private unsubscribe: (() => void) | null = null;

  constructor(private readonly o: EvalServiceOptions) {}

  /** Follows eval jobs' state, and settles runs whose jobs ended while no Langbridge process watched. */
  start(): void {
    this.unsubscribe = this.o.jobs.subscribe((job) => {
      if (job.kind === 'eval') this.sync(job.id);
    });
    for (const run of q.listRuns(this.o.db)) {
      if (run.status === 'succeeded' && run.scored_at) continue;
      if (run.job_id === null) {
        if (run.status === 'queued' || run.status === 'running') q.setRunStatus(this.o.db, run.id, 'interrupted', 'Its job was deleted.');
        continue;
      }
      this.sync(run.job_id);
    }
  }

  close(): void {
    this.unsubscribe?.();
  }

  // ---------------------------------------------------------------- starting

  async evaluate(req: Request): Promise<EvalStartEntry[]> {
    const db = this.o.db;
    const entries: ModelEntry[] = [];
    for (const ref of req.models) entries.push(await this.resolve(ref));
    // The reference row of each checkpoint is its training run's base model, evaluated on the same items.
    const baseOf = new Map<string, string>();
    for (const e of [...entries]) {
      if (e.kind !== 'checkpoint' || e.jobId === null) continue;
      const baseRef = this.baseRefOf(e.jobId);
      if (!baseRef) continue;
      baseOf.set(e.ref, baseRef);
      if (!entries.some((x) => x.ref === baseRef)) entries.unshift(await this.resolve(baseRef));
    }
    // Base models compared among themselves: the first one named is the reference.
    const firstBase = entries.find((e) => e.kind === 'base');
    const withCheckpoints = baseOf.size > 0;
    for (const e of entries) if (!withCheckpoints && e.kind === 'base' && firstBase && e.ref !== firstBase.ref) baseOf.set(e.ref, firstBase.ref);

    const dataset = this.datasetFor(req, entries);
    const shots = { flores: req.shots.flores ?? 1, belebele: req.shots.belebele ?? 1, xcopa: req.shots.xcopa ?? 5, mmmlu: req.shots.mmmlu ?? 5 };
    const items = await buildItems(db, req.benchmarks, { langs: req.langs, maxItems: req.maxItems, shots, maxNewTokens: req.maxNewTokens }, dataset);
    const digest = itemsDigest(items);
    const itemsJsonl = items.map((i) => JSON.stringify(i.item)).join('\n') + '\n';
    const benchmarks = [...new Set(items.map((i) => i.benchmark))];

    const out: EvalStartEntry[] = [];
    for (const e of entries) {
      const hash = createHash('sha256').update(`${digest}\n${modelIdentity(e)}`).digest('hex');
      const isBase = e.kind === 'base' && !baseOf.has(e.ref);
      const reused = q.reusableRun(db, hash);
      if (reused) {
        out.push({ modelRef: e.ref, modelLabel: e.label, runId: reused.id, jobId: reused.job_id, reused: true, isBase, status: reused.status, items: items.length });
        continue;
      }
      const { device, gpu } = evalDevice(e, req.device);
      const runId = q.insertRun(db, {
        job_id: null,
        model_ref: e.ref,
        model_label: e.label,
        step: e.step,
        train_job_id: e.jobId,
        base_ref: baseOf.get(e.ref) ?? null,
        items_hash: hash,
        items_digest: digest,
        benchmarks: JSON.stringify(benchmarks),
        config: JSON.stringify({ request: req, model: e.path, lora: e.lora, basePath: e.basePath, datasetId: dataset?.id ?? null, items: items.length, device }),
        status: 'queued',
      });
      q.insertItems(db, items.map((it) => itemRow(runId, it)));
      const job = this.o.jobs.submit({
        kind: 'eval',
        name: `Evaluate ${e.label}`,
        gpu,
        spec: (runDir: string) => ({
          specVersion: 1,
          kind: 'eval',
          // A LoRA checkpoint is its adapter folder, applied to the base it was trained on.
          model: e.path,
          adapter: null,
          baseModel: e.lora ? e.basePath : null,
          runDir,
          items: join(runDir, 'items.jsonl'),
          device,
          precision: device === 'cpu' ? 'fp32' : 'auto',
          batchSize: req.batchSize ?? null,
          maxNewTokens: req.maxNewTokens,
        }),
        runDir: (id) => join(this.o.workspaceDir, 'runs', `${id}-eval-${safe(e.label)}`),
        files: { 'items.jsonl': itemsJsonl },
      });
      q.setRunJob(db, runId, job.id);
      this.sync(job.id);
      out.push({ modelRef: e.ref, modelLabel: e.label, runId, jobId: job.id, reused: false, isBase, status: q.getRun(db, runId)!.status, items: items.length });
    }
    // Let the queue start what it can before answering (a CLI call may exit right after).
    await this.o.jobs.schedule();
    return out.map((x) => ({ ...x, status: q.getRun(db, x.runId)!.status }));
  }

  private async resolve(ref: string): Promise<ModelEntry> {
    await this.o.prepareModel?.(ref);
    return resolveModelRef(this.o.db, this.o.workspaceDir, ref);
  }

  /** The reference a training run's base model folder is known by (`tiny`, a Hub id, or its path). */
  private baseRefOf(trainJobId: number): string | null {
    const job = getJob(this.o.db, trainJobId);
    const baseModel = job ? (JSON.parse(job.spec) as { baseModel?: string }).baseModel : undefined;
    if (!baseModel) return null;
    const known = listModelRefs(this.o.db, this.o.workspaceDir).find((m) => m.kind === 'base' && m.path === baseModel);
    return known?.ref ?? baseModel;
  }

  /** The dataset whose held-out data is scored: the one asked for, else the first checkpoint's training data, else the newest. */
  private datasetFor(req: Request, entries: ModelEntry[]): DatasetFolder | null {
    if (!req.benchmarks.some((b) => b.startsWith('heldout'))) return null;
    let id = req.datasetId;
    if (id === undefined) {
      for (const e of entries) {
        if (e.jobId === null) continue;
        const spec = JSON.parse(getJob(this.o.db, e.jobId)?.spec ?? '{}') as { dataset?: string };
        const row = listDatasets(this.o.db).find((d) => spec.dataset && join(this.o.workspaceDir, d.folder) === spec.dataset);
        if (row) {
          id = row.id;
          break;
        }
      }
    }
    id ??= listDatasets(this.o.db)[0]?.id;
    if (id === undefined) return null;
    const row = getDataset(this.o.db, id);
    if (!row || row.status !== 'ready') throw new LangbridgeError('not-found', `There is no dataset version #${id} (see \`langbridge datasets\`).`);
    const dir = join(this.o.workspaceDir, row.folder);
    const path = join(dir, 'manifest.json');
    if (!existsSync(path)) throw new LangbridgeError('not-found', `Dataset version #${id} has no manifest (${path}); rebuild it from the Pipeline page.`, path);
    return { id, dir, manifest: JSON.parse(readFileSync(path, 'utf8')) as DatasetManifest };
  }

  // ---------------------------------------------------------------- following

  /** Mirrors an eval job's state onto its run, and scores a job that succeeded (once). */
  private sync(jobId: number): void {
    const db = this.o.db;
    const run = q.runOfJob(db, jobId);
    const job = getJob(db, jobId);
    if (!run || !job) return;
    if (job.status === 'succeeded') {
      if (!run.scored_at) this.score(run, job.run_dir);
      return;
    }
    const failure = job.failure ? (JSON.parse(job.failure) as { reason?: string; message?: string }) : null;
    const error = failure ? [failure.reason, failure.message].filter(Boolean).join(' ') : null;
    if (run.status !== job.status || run.error !== error) q.setRunStatus(db, run.id, job.status, error);
  }

  private score(run: q.EvalRunRow, runDir: string): void {
    const path = join(runDir, 'outputs.jsonl');
    try {
      if (!existsSync(path)) throw new Error(`the job wrote no ${path}`);
      const outputs = parseOutputs(readFileSync(path, 'utf8'), path);
      const { items, scores } = scoreRun(q.runItems(this.o.db, run.id), outputs);
      q.storeScores(this.o.db, run.id, items, scores);
    } catch (err) {
      q.setRunStatus(this.o.db, run.id, 'failed', `Scoring failed: ${(err as Error).message}.`);
    }
  }

  // ---------------------------------------------------------------- reading

  runs(): EvalRunInfo[] {
    return q.listRuns(this.o.db).map(runInfo);
  }

  /**
   * Scores of the runs asked for (by model reference; `run:12` means every
   * checkpoint of run 12), with their reference runs, and each score's delta
   * against its reference on the same items.
   */
  results(f: { models?: string[]; benchmark?: Benchmark }): z.output<typeof EvalResults> {
    const db = this.o.db;
    const all = q.listRuns(db);
    const matches = (ref: string, m: string) => ref === m || (/^run:\d+$/.test(m) && ref.startsWith(`${m}@`)) || (m === 'tiny-qwen2' && ref === 'tiny');
    let runs = f.models ? all.filter((r) => f.models!.some((m) => matches(r.model_ref, m))) : all;
    if (f.benchmark) runs = runs.filter((r) => (JSON.parse(r.benchmarks) as string[]).includes(f.benchmark!));
    const reference = (r: q.EvalRunRow): q.EvalRunRow | undefined => {
      // A base model's run may be compared with another base model named first (never with a checkpoint).
      const first = f.models?.[0];
      const ref = r.base_ref ?? (first && !first.startsWith('run:') && !matches(r.model_ref, first) && r.step === null ? first : null);
      if (!ref) return undefined;
      const base = q.baseRunFor(db, ref === 'tiny-qwen2' ? 'tiny' : ref, r.items_digest);
      return base && base.id !== r.id ? base : undefined;
    };
    // Reference rows come along, so a table has its base column.
    for (const r of [...runs]) {
      const b = reference(r);
      if (b && !runs.some((x) => x.id === b.id)) runs.push(b);
    }
    runs.sort((a, b) => (a.step === null ? -1 : 0) - (b.step === null ? -1 : 0) || a.id - b.id);
    const scoreRows = q.scoresOf(db, runs.map((r) => r.id)).filter((s) => !f.benchmark || s.benchmark === f.benchmark);
    const byRun = new Map(runs.map((r) => [r.id, r]));
    const deltas = new Map<string, q.EvalDeltaRow>();
    for (const r of runs) {
      const b = reference(r);
      if (!b || !r.scored_at) continue;
      for (const d of this.deltas(r, b)) deltas.set(`${r.id}\u0000${d.benchmark}\u0000${d.subset}\u0000${d.metric}`, d);
    }
    const scores: EvalScore[] = scoreRows.map((s) => {
      const r = byRun.get(s.run_id)!;
      const d = deltas.get(`${s.run_id}\u0000${s.benchmark}\u0000${s.subset}\u0000${s.metric}`);
      return {
        runId: s.run_id,
        modelRef: r.model_ref,
        modelLabel: r.model_label,
        step: r.step,
        benchmark: s.benchmark as Benchmark,
        subset: s.subset,
        metric: s.metric as EvalScore['metric'],
        score: s.score,
        n: s.n,
        signature: s.signature,
        delta: d ? { value: d.value, low: d.low, high: d.high, significant: d.significant === 1, baseRunId: d.base_run_id } : null,
      };
    });
    return { runs: runs.map(runInfo), scores };
  }

  /** Cached paired-bootstrap deltas of run against base, computed on first demand. */
  private deltas(run: q.EvalRunRow, base: q.EvalRunRow): q.EvalDeltaRow[] {
    const db = this.o.db;
    const cached = q.deltasOf(db, run.id, base.id);
    if (cached.length) return cached;
    const rows = computeDeltas(run.id, base.id, q.scoresOf(db, [run.id]), q.scoresOf(db, [base.id]), q.runItems(db, run.id), q.runItems(db, base.id));
    q.storeDeltas(db, rows);
    return rows;
  }

  items(req: z.output<typeof EvalItemsRequest>): { total: number; rows: EvalItemRow[] } {
    const db = this.o.db;
    if (!q.getRun(db, req.runId)) throw new LangbridgeError('not-found', `There is no evaluation run #${req.runId}.`);
    if (req.compareRunId !== undefined && !q.getRun(db, req.compareRunId)) throw new LangbridgeError('not-found', `There is no evaluation run #${req.compareRunId} to compare with.`);
    const { total, rows } = q.pageItems(db, req.runId, req.benchmark, req.subset, req.offset, req.limit);
    const other = req.compareRunId === undefined ? null : q.itemsById(db, req.compareRunId, rows.map((r) => r.item_id));
    return {
      total,
      rows: rows.map((r) => {
        const o = other?.get(r.item_id);
        return {
          runId: r.run_id,
          itemId: r.item_id,
          benchmark: r.benchmark as Benchmark,
          subset: r.subset,
          srcLang: r.src_lang,
          tgtLang: r.tgt_lang,
          source: r.source ?? '',
          reference: r.reference,
          hypothesis: r.hypothesis,
          score: r.score,
          correct: r.correct === null ? null : r.correct === 1,
          meta: r.meta ? (JSON.parse(r.meta) as Record<string, unknown>) : null,
          other: o ? { runId: o.run_id, hypothesis: o.hypothesis, score: o.score, correct: o.correct === null ? null : o.correct === 1 } : null,
        };
      }),
    };
  }

  /** Deletes a run and its results; a run still being computed has its job cancelled first. */
  deleteRun(id: number): boolean {
    const run = q.getRun(this.o.db, id);
    if (!run) return false;
    if (run.job_id !== null && (run.status === 'queued' || run.status === 'running')) this.o.jobs.cancel(run.job_id);
    return q.deleteRun(this.o.db, id);
  }

  /** The job of a run (CLI --follow). */
  jobOf(runId: number): JobInfo | null {
    const run = q.getRun(this.o.db, runId);
    return run?.job_id ? this.o.jobs.info(run.job_id) : null;
  }
}

/**
 * Where a model is evaluated. Under 'auto', a model small enough for the CPU
 * (the tiny demo model, a few million parameters) runs there and takes no GPU
 * slot, so it never waits behind a training run that holds the GPU; a larger
 * one takes the GPU slot and the trainer picks CUDA when there is one.
 */
export function evalDevice(e: ModelEntry, device: 'auto' | 'cpu' | 'cuda'): { device: 'auto' | 'cpu' | 'cuda'; gpu: boolean } {
  if (device === 'cpu') return { device, gpu: false };
  if (device === 'cuda') return { device, gpu: true };
  const shape = readModelShape(e.lora && e.basePath ? e.basePath : e.path);
  if (shape && countParameters(shape).total <= CPU_EVAL_MAX_PARAMETERS) return { device: 'cpu', gpu: false };
  return { device: 'auto', gpu: true };
}

function itemRow(runId: number, it: EvalItemSpec): q.EvalItemDbRow {
  return {
    run_id: runId,
    item_id: it.item.id,
    benchmark: it.benchmark,
    subset: it.subset,
    src_lang: it.srcLang,
    tgt_lang: it.tgtLang,
    source: it.source,
    reference: it.reference,
    hypothesis: null,
    score: null,
    correct: null,
    meta: JSON.stringify({ ...it.meta, prompt: promptOf(it.item) }),
  };
}

/** The text the model saw (shown in the drill-down); a held-out text is its own prompt. */
function promptOf(item: TrainerItem): string | null {
  return item.type === 'generate' ? item.prompt : item.type === 'choices' ? item.context : null;
}

function runInfo(r: q.EvalRunRow): EvalRunInfo {
  return {
    id: r.id,
    jobId: r.job_id,
    modelRef: r.model_ref,
    modelLabel: r.model_label,
    step: r.step,
    trainJobId: r.train_job_id,
    benchmarks: JSON.parse(r.benchmarks) as Benchmark[],
    // A job that succeeded but is not scored yet is still running, as far as results go.
    status: r.status,
    createdAt: r.created_at,
    isBase: r.base_ref === null && r.train_job_id === null,
  };
}

const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 60) || 'model';
