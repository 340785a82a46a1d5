/**
 * Exports a model (a base model or a training checkpoint) as Hugging Face
 * safetensors, ONNX (fp32 + int8) or GGUF (f16 + q8_0).
 *
 * The trainer (`python -m langbridge_trainer export`) converts the weights
 * into a staging folder; this service then writes the model card and the
 * checksum manifest, validates the files, and only then renames the staging
 * folder to the destination and marks the export ready. A cancel kills the
 * trainer's process group and removes the staging folder: a half-written
 * export never sits where a finished one would.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, rmdirSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import type { z } from 'zod';
import { parse as parseYaml } from 'yaml';
import { LangbridgeError } from '../../api/errors';
import { DatasetManifest } from '../../api/pipeline-schemas';
import type { Progress } from '../../api/schemas';
import type { ExportCheck, ExportFile, ExportFormat, ExportInfo, LoraMode, ModelExportRequest, ModelListing } from '../../api/model-schemas';
import type { Db } from '../../../db/open';
import { getJob } from '../../../db/queries/jobs';
import * as q from '../../../db/queries/exports';
import { pidAlive } from '../pid-alive';
import { ensureTrainerEnv, trainerProcessEnv, type EnvProgress } from '../python/python-env';
import { countParameters, readModelShape } from '../jobs/memory-estimate';
import { checksumFolder, listFiles, readManifest, writeManifest } from './checksum-manifest';
import { checkExport } from './export-checks';
import { buildModelCard, type CardInput, type CardTraining } from './model-card';
import { listModelRefs, resolveModelRef, type ModelEntry } from './model-ref';

export interface ExportServiceOptions {
  db: Db;
  workspaceDir: string;
  version: string;
  onProgress?: (p: Progress) => void;
  onEnvProgress?: (p: EnvProgress) => void;
  /** How long a cancelled exporter gets between SIGTERM and SIGKILL. */
  killGraceMs?: number;
}

/** One line the trainer's exporter prints on stdout. */
interface ExporterEvent {
  kind: string;
  step?: string;
  done?: number;
  total?: number;
  unit?: string;
  message?: string;
  status?: string;
  files?: Array<{ path: string; bytes: number }>;
  /** The exporter's own checks (ONNX parity with PyTorch, GGUF read-back), kept in the manifest. */
  checks?: Record<string, unknown>;
}

/** The exporter's stage names, in words. */
const STEP_WORDS: Record<string, string> = {
  'load-model': 'loading the model',
  'write-hf': 'writing safetensors',
  'copy-adapter': 'copying the adapter',
  'export-onnx': 'exporting to ONNX',
  'check-onnx': 'checking the ONNX model against PyTorch',
  'quantize-int8': 'quantising to int8',
  'check-int8': 'checking the int8 model',
  'write-gguf-f16': 'writing GGUF f16',
  'check-gguf-f16': 'checking GGUF f16',
  'write-gguf-q8_0': 'writing GGUF q8_0',
  'check-gguf-q8_0': 'checking GGUF q8_0',
};

interface Running {
  child: ChildProcess | null;
  cancelled: boolean;
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[-.]+|-+$/g, '').slice(0, 60) || 'model';

/** The newest ready ONNX export of a model (its normalised reference: `resolveModelRef(...).ref`) whose folder is still there, or null. */
export function findOnnxExport(db: Db, ref: string): string | null {
  for (const row of q.readyExportsOf(db, ref, 'onnx')) {
    if (existsSync(join(row.path, 'onnx', 'model.onnx')) && existsSync(join(row.path, 'config.json'))) return row.path;
  }
  return null;
}

function variantOf(format: ExportFormat, entry: ModelEntry, lora: LoraMode): string {
  if (format === 'onnx') return entry.lora ? 'fp32,int8,merged' : 'fp32,int8';
  if (format === 'gguf') return entry.lora ? 'f16,q8_0,merged' : 'f16,q8_0';
  return entry.lora ? lora : 'full';
}

function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel !== '' && !rel.startsWith('..') && !rel.startsWith(sep) && !/^[A-Za-z]:/.test(rel);
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

export class ExportService {
  private readonly running = new Map<string, Running>();

  constructor(private readonly o: ExportServiceOptions) {}

  get exportsDir(): string {
    return join(this.o.workspaceDir, 'exports');
  }

  /** Runs one export to its end (or its cancel) and returns the ready export. */
  async export(req: z.output<typeof ModelExportRequest>): Promise<ExportInfo> {
    const entry = resolveModelRef(this.o.db, this.o.workspaceDir, req.ref);
    const lora: LoraMode = req.lora ?? 'merged';
    if (!entry.lora && req.lora === 'adapter') throw new LangbridgeError('bad-input', `${entry.ref} is not a LoRA checkpoint: it has no adapter to export on its own (export it whole).`);
    if (entry.lora && lora === 'adapter' && req.format !== 'hf') throw new LangbridgeError('bad-input', `A LoRA adapter alone can only be exported in Hugging Face format; ${req.format === 'onnx' ? 'ONNX' : 'GGUF'} needs the merged model (--lora merged).`);
    if (entry.lora && !entry.basePath) throw new LangbridgeError('not-found', `${entry.ref} is a LoRA adapter whose base model is not recorded in its training run's spec, so it cannot be merged or described.`);
    const jobId = req.jobId ?? `export:${entry.ref}:${req.format}`;
    if (this.running.has(jobId)) throw new LangbridgeError('workspace-busy', `${entry.label} is already being exported (${req.format}).`);
    const variant = variantOf(req.format, entry, lora);
    const out = this.destination(req.out, entry, req.format, entry.lora ? lora : null);
    // A private staging folder beside the destination (same file system, so the final rename is atomic);
    // the trainer's own temporary folder is created beside its --out, i.e. inside it too.
    const staging = join(dirname(out), `.langbridge-export-${process.pid}-${Date.now()}`);
    const stage = join(staging, basename(out));
    const run: Running = { child: null, cancelled: false };
    this.running.set(jobId, run);
    let last: Omit<Progress, 'state' | 'jobId' | 'kind'> = { step: 'starting', done: 0, total: 0, unit: 'steps' };
    let lastEmit = 0;
    const emit = (p: typeof last, state: Progress['state'], message?: string) => {
      const newStep = p.step !== last.step;
      last = p;
      const now = Date.now();
      // A few events a second at most within a step; a new step and the last event of a job always go out.
      if (state === 'running' && !newStep && now - lastEmit < 200) return;
      lastEmit = now;
      this.o.onProgress?.({ jobId, kind: 'export', ...p, state, ...(message ? { message } : {}) });
    };
    emit(last, 'running');
    const id = q.insertExport(this.o.db, { modelRef: entry.ref, modelLabel: entry.label, format: req.format, variant, path: out, pid: process.pid });
    try {
      mkdirSync(staging, { recursive: true });
      const python = await ensureTrainerEnv({ onProgress: this.o.onEnvProgress });
      if (run.cancelled) throw new LangbridgeError('cancelled', 'The export was cancelled.');
      const reported = await this.runExporter(python, run, entry, req.format, lora, stage, (p) => emit(p, 'running'));
      if (run.cancelled) throw new LangbridgeError('cancelled', 'The export was cancelled.');
      const files = listFiles(stage);
      for (const f of reported.files) {
        const abs = join(stage, f.path);
        if (!existsSync(abs) || statSync(abs).size !== f.bytes) throw new LangbridgeError('internal', `The exporter reported ${f.path} (${f.bytes} bytes), but the folder does not hold it as reported (${stage}).`);
      }
      emit({ step: 'writing the model card', done: 0, total: 1, unit: 'files' }, 'running');
      const createdAt = new Date().toISOString();
      writeFileSync(join(stage, 'README.md'), buildModelCard(this.cardInput(entry, req.format, variant, createdAt)));
      emit({ step: 'checking the files', done: 0, total: files.length, unit: 'files' }, 'running');
      const sourceConfig = join(entry.lora ? entry.basePath! : entry.path, 'config.json');
      const checks = await checkExport(stage, req.format, files, { adapter: entry.lora && lora === 'adapter' && req.format === 'hf', sourceConfig: existsSync(sourceConfig) ? sourceConfig : null });
      const failed = checks.filter((c) => !c.ok);
      if (failed.length) throw new LangbridgeError('internal', `The exported files did not pass their checks: ${failed.map((c) => c.detail).join(' ')}`, join(out, failed[0]!.path));
      const checksummed = await checksumFolder(stage, (path, done, total) => emit({ step: `checksumming ${path}`, done, total, unit: 'files' }, 'running'));
      if (run.cancelled) throw new LangbridgeError('cancelled', 'The export was cancelled.');
      writeManifest(stage, {
        langbridgeVersion: this.o.version,
        createdAt,
        model: { ref: entry.ref, label: entry.label, kind: entry.kind, baseModel: this.baseName(entry).name, jobId: entry.jobId, step: entry.step, lora: entry.lora },
        format: req.format,
        variant,
        files: checksummed,
        checks,
        exporterChecks: reported.checks,
      });
      // An empty destination the user made is replaced (rename cannot go onto an existing folder on every OS).
      if (existsSync(out)) rmdirSync(out);
      renameSync(stage, out);
      rmSync(staging, { recursive: true, force: true });
      const bytes = checksummed.reduce((n, f) => n + f.bytes, 0);
      q.finishExport(this.o.db, id, bytes, JSON.stringify(checksummed));
      emit({ step: 'exported', done: checksummed.length, total: checksummed.length, unit: 'files' }, 'finished');
      return this.info(q.getExport(this.o.db, id)!);
    } catch (err) {
      rmSync(staging, { recursive: true, force: true });
      q.deleteExportRow(this.o.db, id);
      const cancelled = run.cancelled || (err instanceof LangbridgeError && err.code === 'cancelled');
      emit(last, cancelled ? 'cancelled' : 'failed', cancelled ? 'The export was cancelled.' : (err as Error).message);
      if (cancelled) throw new LangbridgeError('cancelled', `The export of ${entry.label} was cancelled; nothing was left in ${dirname(out)}.`);
      throw err;
    } finally {
      this.running.delete(jobId);
    }
  }

  /** Stops an export: the exporter's process group gets SIGTERM, then SIGKILL after the grace period. */
  cancel(jobId: string): boolean {
    const run = this.running.get(jobId);
    if (!run) return false;
    run.cancelled = true;
    const child = run.child;
    if (child?.pid && child.exitCode === null) {
      const kill = (sig: NodeJS.Signals) => {
        try {
          // The exporter runs in its own process group (detached): signal the group, so helpers it started die too.
          if (process.platform === 'win32') child.kill(sig);
          else process.kill(-child.pid!, sig);
        } catch {
          // Already gone.
        }
      };
      kill('SIGTERM');
      const timer = setTimeout(() => kill('SIGKILL'), this.o.killGraceMs ?? 5000);
      timer.unref();
      child.once('exit', () => clearTimeout(timer));
    }
    return true;
  }

  close(): void {
    for (const id of this.running.keys()) this.cancel(id);
  }

  /** Every export, newest first. Rows of an export whose process died are crashed exports: removed with their staging folders. */
  list(): ExportInfo[] {
    const out: ExportInfo[] = [];
    for (const row of q.listExports(this.o.db)) {
      if (row.status === 'exporting' && row.pid !== null && row.pid !== process.pid && !pidAlive(row.pid)) {
        this.removeStaging(row.path, row.pid);
        q.deleteExportRow(this.o.db, row.id);
        continue;
      }
      out.push(this.info(row));
    }
    return out;
  }

  /** Forgets an export; its folder goes too only when it lies inside the workspace's exports/ folder. */
  delete(id: number): { deleted: boolean; folderDeleted: boolean; path: string } {
    const row = q.getExport(this.o.db, id);
    if (!row) throw new LangbridgeError('not-found', `There is no export #${id} (see \`langbridge models exports\`).`);
    if (row.status === 'exporting') throw new LangbridgeError('workspace-busy', `Export #${id} is still being written; cancel it first.`);
    const managed = isInside(resolve(row.path), resolve(this.exportsDir));
    q.deleteExportRow(this.o.db, id);
    if (managed) rmSync(row.path, { recursive: true, force: true });
    return { deleted: true, folderDeleted: managed, path: row.path };
  }

  /** Base models and checkpoints, with their size, stored evaluation summary and exports. */
  models(): ModelListing[] {
    const exports = q.listExports(this.o.db).filter((r) => r.status === 'ready');
    return listModelRefs(this.o.db, this.o.workspaceDir).map((e) => {
      const configDir = e.lora && e.basePath ? e.basePath : e.path;
      const shape = readModelShape(configDir);
      const config = readJson<{ architectures?: string[] }>(join(configDir, 'config.json'));
      return {
        ...e,
        architecture: config?.architectures?.[0] ?? null,
        parameters: shape ? countParameters(shape).total : null,
        evaluation: this.evaluationSummary(e.ref),
        exports: exports.filter((r) => r.model_ref === e.ref).map((r) => ({ id: r.id, format: r.format, variant: r.variant, path: r.path, createdAt: r.created_at })),
      };
    });
  }

  private evaluationSummary(ref: string): ModelListing['evaluation'] {
    const by = new Map<string, { benchmark: string; metric: string; sum: number; subsets: number }>();
    for (const s of q.latestScoresOf(this.o.db, ref)) {
      const key = `${s.benchmark}\u0000${s.metric}`;
      const e = by.get(key) ?? { benchmark: s.benchmark, metric: s.metric, sum: 0, subsets: 0 };
      e.sum += s.score;
      e.subsets++;
      by.set(key, e);
    }
    return [...by.values()].map((e) => ({ benchmark: e.benchmark, metric: e.metric, score: e.sum / e.subsets, subsets: e.subsets }));
  }

  private info(row: q.ExportRow): ExportInfo {
    const exists = existsSync(row.path);
    let card: string | null = null;
    let checks: ExportCheck[] = [];
    if (exists && row.status === 'ready') {
      try {
        card = readFileSync(join(row.path, 'README.md'), 'utf8');
      } catch {
        // A card deleted by hand: shown as missing.
      }
      try {
        checks = readManifest(row.path).checks;
      } catch {
        // A manifest deleted or edited by hand: no checks to show.
      }
    }
    return {
      id: row.id,
      modelRef: row.model_ref,
      modelLabel: row.model_label,
      format: row.format,
      variant: row.variant,
      path: row.path,
      bytes: row.bytes,
      files: JSON.parse(row.files) as ExportFile[],
      status: row.status,
      createdAt: row.created_at,
      managed: isInside(resolve(row.path), resolve(this.exportsDir)),
      exists,
      card,
      checks,
    };
  }

  /** The folder to write: the one asked for (new or empty), else a new one under exports/. */
  private destination(asked: string | undefined, entry: ModelEntry, format: ExportFormat, lora: LoraMode | null): string {
    if (asked) {
      const out = resolve(this.o.workspaceDir, asked);
      if (existsSync(out)) {
        if (!statSync(out).isDirectory()) throw new LangbridgeError('bad-input', `${out} is a file; give a new or empty folder to export into.`);
        if (readdirSync(out).length) throw new LangbridgeError('bad-input', `${out} is not empty; give a new or empty folder (Langbridge never writes over existing files).`);
      }
      mkdirSync(dirname(out), { recursive: true });
      return out;
    }
    const name = `${safeName(entry.kind === 'checkpoint' ? `${entry.label.split(' · ')[0]}-step-${entry.step}` : entry.label)}-${format}${lora === 'adapter' ? '-adapter' : ''}`;
    mkdirSync(this.exportsDir, { recursive: true });
    let out = join(this.exportsDir, name);
    for (let n = 2; existsSync(out); n++) out = join(this.exportsDir, `${name}-${n}`);
    return out;
  }

  /** Runs the trainer's exporter; resolves with the files it reports, or rejects with its error in words. */
  private runExporter(python: string, run: Running, entry: ModelEntry, format: ExportFormat, lora: LoraMode, stage: string, onProgress: (p: { step: string; done: number; total: number; unit: string }) => void): Promise<{ files: Array<{ path: string; bytes: number }>; checks: Record<string, unknown> }> {
    const args = ['-m', 'langbridge_trainer', 'export', '--model', entry.path, ...(entry.lora ? ['--base', entry.basePath!, '--lora', lora] : []), '--format', format, '--out', stage];
    return new Promise((res, rej) => {
      // Detached: its own process group, so a cancel reaches every process it starts.
      const child = spawn(python, args, { stdio: ['ignore', 'pipe', 'pipe'], detached: process.platform !== 'win32', env: { ...process.env, ...trainerProcessEnv() } });
      run.child = child;
      if (run.cancelled) this.cancelChild(child);
      let result: { files: Array<{ path: string; bytes: number }>; checks: Record<string, unknown> } | null = null;
      let error: string | null = null;
      const tail: string[] = [];
      let buf = '';
      child.stdout!.on('data', (b: Buffer) => {
        buf += b.toString('utf8');
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          let ev: ExporterEvent;
          try {
            ev = JSON.parse(line) as ExporterEvent;
          } catch {
            tail.push(line);
            continue;
          }
          if (ev.kind === 'progress') onProgress({ step: STEP_WORDS[ev.step ?? ''] ?? ev.step ?? 'exporting', done: ev.done ?? 0, total: ev.total ?? 0, unit: ev.unit ?? 'steps' });
          else if (ev.kind === 'finished' && ev.status === 'cancelled') run.cancelled = true;
          else if (ev.kind === 'finished') result = { files: ev.files ?? [], checks: ev.checks ?? {} };
          else if (ev.kind === 'error') error = ev.message ?? 'the exporter failed without saying why';
        }
      });
      child.stderr!.on('data', (b: Buffer) => {
        for (const line of b.toString('utf8').split(/\r?\n/)) {
          if (!line.trim()) continue;
          tail.push(line);
          if (tail.length > 20) tail.shift();
        }
      });
      child.on('error', (err) => rej(new LangbridgeError('missing-dependency', `Could not start the exporter (${python}): ${err.message}`)));
      child.on('close', (code, signal) => {
        if (run.cancelled) return rej(new LangbridgeError('cancelled', 'The export was cancelled.'));
        if (code === 0 && result) return res(result);
        const why = error ?? (signal ? `it was stopped by ${signal}` : `it exited with code ${code}`);
        rej(new LangbridgeError('internal', `Exporting ${entry.label} to ${format} failed: ${why}${tail.length ? `\nLast lines:\n${tail.slice(-8).join('\n')}` : ''}`));
      });
    });
  }

  private cancelChild(child: ChildProcess): void {
    try {
      if (process.platform === 'win32') child.kill('SIGTERM');
      else process.kill(-child.pid!, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }

  /** A crashed export's staging folders beside its destination. */
  private removeStaging(out: string, pid: number): void {
    const parent = dirname(out);
    if (!existsSync(parent)) return;
    for (const name of readdirSync(parent)) {
      if (name.startsWith(`.langbridge-export-${pid}-`)) rmSync(join(parent, name), { recursive: true, force: true });
    }
  }

  /** The model the weights started from: a Hub id when it came from the Hub (models/Org--Name), else the folder's name. */
  private baseName(entry: ModelEntry): { name: string; hub: boolean; path: string } {
    const modelsDir = resolve(this.o.workspaceDir, 'models');
    let path = entry.path;
    if (entry.kind === 'checkpoint' && entry.jobId !== null) {
      const spec = JSON.parse(getJob(this.o.db, entry.jobId)?.spec ?? '{}') as { baseModel?: string };
      path = spec.baseModel ?? entry.basePath ?? entry.path;
    }
    const folder = basename(resolve(path));
    if (dirname(resolve(path)) === modelsDir && /^[\w.-]+--[\w.-]+$/.test(folder)) return { name: folder.replace('--', '/'), hub: true, path };
    if (entry.kind === 'base' && /^[\w.-]+\/[\w.-]+$/.test(entry.ref)) return { name: entry.ref, hub: true, path };
    return { name: folder, hub: false, path };
  }

  private cardInput(entry: ModelEntry, format: ExportFormat, variant: string, createdAt: string): CardInput {
    const base = this.baseName(entry);
    const input: CardInput = {
      title: entry.kind === 'checkpoint' ? `${entry.label} (${base.name}, continually pretrained)` : base.name,
      modelRef: entry.ref,
      kind: entry.kind,
      baseModel: base.name,
      baseModelIsHubId: base.hub,
      format,
      variant,
      dataset: null,
      training: null,
      scores: { model: [], base: [], baseLabel: null },
      baseLicense: entry.kind === 'base' ? readmeLicense(entry.path) : readmeLicense(base.path),
      langbridgeVersion: this.o.version,
      createdAt,
    };
    const model = q.latestScoresOf(this.o.db, entry.ref);
    input.scores.model = model;
    // The base rows: the same items (items_digest), the base model's newest runs.
    const pairs = new Map<string, { ref: string; digest: string }>();
    for (const s of model) if (s.base_ref) pairs.set(`${s.base_ref}\u0000${s.items_digest}`, { ref: s.base_ref, digest: s.items_digest });
    for (const p of pairs.values()) {
      input.scores.base.push(...q.latestScoresOf(this.o.db, p.ref, p.digest));
      input.scores.baseLabel = p.ref;
    }
    if (entry.kind !== 'checkpoint' || entry.jobId === null) return input;
    const job = getJob(this.o.db, entry.jobId);
    if (!job) return input;
    const spec = JSON.parse(job.spec) as Record<string, unknown> & { dataset?: string; stages?: Array<Record<string, unknown>>; lora?: CardTraining['lora'] };
    if (spec.dataset) {
      const raw = readJson<unknown>(join(spec.dataset, 'manifest.json'));
      const parsed = raw ? DatasetManifest.safeParse(raw) : null;
      input.dataset = parsed?.success ? parsed.data : null;
    }
    const state = readJson<{ step?: number; tokens?: number }>(join(dirname(entry.path), 'state.json'));
    const live = job.live ? (JSON.parse(job.live) as { plan?: { parameters: number; trainableParameters: number; stages: Array<{ name: string; steps: number; tokens: number; peakLr: number; schedule: string }> } | null }) : null;
    const plan = live?.plan ?? null;
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    input.training = {
      jobId: job.id,
      runName: job.name,
      step: entry.step ?? state?.step ?? 0,
      tokensSeen: num(state?.tokens),
      method: spec.method === 'lora' || entry.lora ? 'lora' : 'full',
      lora: spec.method === 'lora' || entry.lora ? (spec.lora ?? {}) : null,
      seqLen: num(spec.seqLen),
      globalBatchTokens: num(spec.globalBatchTokens),
      precision: typeof spec.precision === 'string' ? spec.precision : null,
      maxSteps: num(spec.maxSteps),
      stages: plan
        ? plan.stages.map((s) => ({ name: s.name, peakLr: s.peakLr, steps: s.steps, tokens: s.tokens, schedule: s.schedule }))
        : (spec.stages ?? []).map((s) => ({ name: String(s.name ?? s.directory), peakLr: num(s.peakLr), steps: null, tokens: num(s.tokens), schedule: typeof s.schedule === 'string' ? s.schedule : null })),
      parameters: plan?.parameters ?? null,
      trainableParameters: plan?.trainableParameters ?? null,
    };
    return input;
  }
}

/** The `license:` of a Hub model's README front matter (downloads keep the README), or null. */
function readmeLicense(modelDir: string): string | null {
  try {
    const text = readFileSync(join(modelDir, 'README.md'), 'utf8');
    const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(text);
    const front = m ? (parseYaml(m[1]!) as { license?: unknown }) : null;
    return typeof front?.license === 'string' ? front.license : null;
  } catch {
    return null;
  }
}
