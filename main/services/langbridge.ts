import { EventEmitter } from 'node:events';
import { resolve } from 'node:path';
import { z } from 'zod';
import { calls, isCallName, type CallName, type CallOutput, type EventName, type EventPayload } from '../api/contract';
import { LangbridgeError, toApiError, type Result } from '../api/errors';
import { Format, type Progress } from '../api/schemas';
import type { CreateQueueRequest } from '../api/review-schemas';
import { openDatabase, schemaVersion, type Db } from '../../db/open';
import { deleteSource } from '../../db/queries/corpus';
import * as browse from './corpus/browse';
import { chooseFormat, headFields, sniffInput } from './corpus/detect';
import { ImportService } from './corpus/import-service';
import { prepareWorkspace, type Workspace } from './workspace/workspace';
import { PipelineService } from './pipeline/pipeline-service';
import { checkRecipe } from './pipeline/recipe';
import { TrainService } from './jobs/train-service';
import { downloadModel, type DownloadProgress } from './models/hub-download';
import { TranslateService } from './inference/translate-service';
import { EvalService } from './eval/eval-service';
import { ExportService } from './models/export-service';
import { ReviewService } from './review/review-service';

type Handlers = {
  [K in CallName]: (input: z.output<(typeof calls)[K]['input']>) => Promise<CallOutput<K>> | CallOutput<K>;
};

export const VERSION = '0.1.0';

/**
 * The services behind every front door. A front door hands `call` a name and
 * untrusted input; the input is validated against the contract and the result
 * (or a readable error) comes back as a value.
 */
export class Langbridge {
  readonly workspace: Workspace;
  readonly db: Db;
  readonly imports: ImportService;
  readonly pipeline: PipelineService;
  readonly train: TrainService;
  readonly translate: TranslateService;
  readonly evals: EvalService;
  readonly exports: ExportService;
  readonly review: ReviewService;
  private readonly bus = new EventEmitter();
  /** Hub downloads in flight, by job id (cancel aborts them; their .part files stay for a resume). */
  private readonly downloads = new Map<string, AbortController>();
  private readonly handlers: Handlers;

  constructor(workspaceDir: string) {
    this.workspace = prepareWorkspace(workspaceDir);
    this.db = openDatabase(this.workspace.dbPath);
    this.imports = new ImportService(this.workspace.dbPath, (p) => this.emit('jobs:progress', p));
    this.pipeline = new PipelineService(this.db, this.workspace.dbPath, this.workspace.dir, VERSION, (p) => this.emit('jobs:progress', p));
    this.train = new TrainService({
      db: this.db,
      workspaceDir: this.workspace.dir,
      onChange: (j) => this.emit('jobs:changed', j),
      onMetrics: (m) => this.emit('jobs:metrics', m),
      onEnvProgress: (p) => this.emit('jobs:progress', { jobId: 'python-env', kind: 'python', state: p.done >= p.total ? 'finished' : 'running', step: p.step, done: p.done, total: p.total, unit: p.unit }),
    });
    this.exports = new ExportService({
      db: this.db,
      workspaceDir: this.workspace.dir,
      version: VERSION,
      onProgress: (p) => this.emit('jobs:progress', p),
      onEnvProgress: (p) => this.emit('jobs:progress', { jobId: 'python-env', kind: 'python', state: p.done >= p.total ? 'finished' : 'running', step: p.step, done: p.done, total: p.total, unit: p.unit }),
    });
    this.review = new ReviewService(this.db, this.workspace.dir);
    // Evaluation jobs share the training queue; the service scores each one that ends (here or while closed).
    this.evals = new EvalService({
      db: this.db,
      workspaceDir: this.workspace.dir,
      jobs: this.train.jobs,
      prepareModel: async (ref) => {
        if (ref.trim() === 'tiny') await this.train.resolveBase('tiny');
      },
    });
    this.evals.start();
    this.translate = new TranslateService({
      db: this.db,
      dbPath: this.workspace.dbPath,
      workspaceDir: this.workspace.dir,
      onToken: (e) => this.emit('translate:token', e),
      onSegment: (e) => this.emit('translate:segment', e),
      onProgress: (p) => this.emit('translate:progress', p),
    });
    // Reattaches to training runs that outlived the last session, and starts queued ones.
    this.train.start();
    const db = this.db;
    const pipeline = this.pipeline;
    const train = this.train;
    this.handlers = {
      'workspace:info': () => ({
        path: this.workspace.dir,
        dbPath: this.workspace.dbPath,
        schemaVersion: schemaVersion(db),
        version: VERSION,
      }),
      'corpus:formats': () => Format.options,
      'corpus:detect-format': async ({ path }) => {
        const input = await sniffInput([resolve(path)]);
        const { format, reason } = chooseFormat(input);
        return {
          format,
          reason,
          preview: input.head.split('\n').slice(0, 8).map((l) => l.slice(0, 300)),
          fields: headFields(format, input.head),
          sizeBytes: input.headBytes.length,
        };
      },
      'corpus:import': async (req) => {
        const summary = await this.imports.importFile(req);
        this.emit('corpus:changed', { reason: `imported ${summary.name}` });
        return summary;
      },
      'corpus:import-sample': async (req) => {
        const summary = await this.imports.importSample(req.langs, req.jobId);
        if (summary.imported.length) this.emit('corpus:changed', { reason: 'imported the UDHR sample' });
        return summary;
      },
      'corpus:cancel': ({ jobId }) => ({ cancelled: this.imports.cancel(jobId) }),
      'corpus:jobs': () => this.imports.list(),
      'corpus:sources': () => browse.sources(db),
      'corpus:delete-source': ({ sourceId }) => {
        const r = deleteSource(db, sourceId);
        if (!r) throw new LangbridgeError('not-found', `There is no source #${sourceId} in the corpus.`);
        this.emit('corpus:changed', { reason: `deleted source #${sourceId}` });
        return r;
      },
      'corpus:stats': () => browse.stats(db),
      'corpus:languages': () => browse.languages(db),
      'corpus:documents': (f) => browse.documents(db, f),
      'corpus:document': ({ id }) => browse.document(db, id),
      'corpus:pairs': (f) => browse.pairs(db, f),
      'corpus:search': (r) => browse.search(db, r),

      'pipeline:recipes': () => pipeline.recipes(),
      'pipeline:recipe': ({ name }) => pipeline.recipe(name),
      'pipeline:check-recipe': ({ recipe }) => {
        const r = checkRecipe(recipe);
        return r.ok ? { ok: true, issues: [] } : { ok: false, issues: r.issues };
      },
      'pipeline:save-recipe': ({ recipe }) => pipeline.saveRecipe(recipe),
      'pipeline:delete-recipe': ({ name }) => ({ deleted: pipeline.deleteRecipe(name) }),
      'pipeline:preview': ({ recipe, sample }) => pipeline.preview(recipe, sample),
      'pipeline:run': async ({ recipe, jobId, name }) => {
        const r = await pipeline.run(recipe, { jobId, name });
        this.emit('datasets:changed', { reason: `built ${r.dataset.name}` });
        return r;
      },
      'pipeline:cancel': ({ jobId }) => ({ cancelled: pipeline.cancel(jobId) }),
      'pipeline:jobs': () => pipeline.jobList(),
      'datasets:list': () => pipeline.datasets(),
      'datasets:show': ({ id }) => pipeline.dataset(id),
      'datasets:delete': ({ id }) => {
        const deleted = pipeline.deleteDataset(id);
        this.emit('datasets:changed', { reason: `deleted dataset #${id}` });
        return { deleted };
      },
      'datasets:lineage': (f) => pipeline.lineage(f),
      'datasets:export': ({ id, format, out }) => pipeline.export(id, format, resolve(this.workspace.dir, out)),

      'train:start': (req) => train.train(req),
      'train:bundle': (req) => train.bundle({ ...req, out: resolve(req.out) }),
      'train:doctor': ({ install }) => train.doctor({ install }),
      'train:models': () => train.models(),
      'train:create-tiny': async () => ({ path: await train.createTiny() }),
      'models:download': ({ repo, revision, overwrite, jobId }) => this.download(repo, revision, overwrite, jobId),
      'models:cancel-download': ({ jobId }) => {
        const ac = this.downloads.get(jobId);
        ac?.abort();
        return { cancelled: Boolean(ac) };
      },
      'models:list': () => this.exports.models(),
      'models:export': (req) => this.exports.export(req),
      'models:cancel-export': ({ jobId }) => ({ cancelled: this.exports.cancel(jobId) }),
      'models:exports': () => this.exports.list(),
      'models:delete-export': ({ id }) => this.exports.delete(id),
      'train:recipes': () => train.recipes(),
      'train:estimate': (req) => train.estimate(req),
      'jobs:list': () => train.jobs.list(),
      'jobs:show': ({ id }) => train.jobs.info(id),
      'jobs:metrics': ({ id, sinceStep }) => train.jobs.metrics(id, sinceStep),
      'jobs:logs': ({ id, lines }) => ({ lines: train.jobs.logs(id, lines) }),
      'jobs:cancel': ({ id }) => train.jobs.cancel(id),
      'jobs:resume': ({ id }) => train.jobs.resume(id),
      'translate:text': (req) => this.translate.text(req),
      'translate:file': (req) => this.translate.file(req),
      'translate:cancel': ({ jobId }) => ({ cancelled: this.translate.cancel(jobId) }),
      'translate:jobs': () => this.translate.list(),
      'eval:start': (req) => this.evals.evaluate(req),
      'eval:runs': () => this.evals.runs(),
      'eval:results': (f) => this.evals.results(f),
      'eval:items': (req) => this.evals.items(req),
      'eval:delete-run': ({ id }) => ({ deleted: this.evals.deleteRun(id) }),
      'review:create-queue': (req) => this.review.createQueue(resolvePaths(req)),
      'review:queues': () => this.review.queues(),
      'review:queue': ({ id }) => this.review.queue(id),
      'review:item': ({ queueId, reviewer, ordinal }) => this.review.item(queueId, reviewer, ordinal),
      'review:judge': (req) => {
        const { corpusChanged, ...r } = this.review.judge(req);
        if (corpusChanged) this.emit('corpus:changed', { reason: 'reviewed translations' });
        return r;
      },
      'review:aggregates': ({ queueId }) => this.review.aggregates(queueId),
      'review:export': ({ format, queueId, out }) => this.review.export(format, queueId, out === undefined ? undefined : resolve(this.workspace.dir, out)),
      'review:delete-queue': ({ id }) => ({ deleted: this.review.deleteQueue(id) }),
    };
  }

  async call(name: string, input: unknown): Promise<Result<unknown>> {
    if (!isCallName(name)) {
      return { ok: false, error: { code: 'not-found', message: `There is no call named "${name}".` } };
    }
    const parsed = calls[name].input.safeParse(input ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'bad-input', message: describeIssues(name, parsed.error) } };
    }
    try {
      const handler = this.handlers[name] as (i: unknown) => unknown;
      // Outputs are checked too: every front door hands out exactly the contract's shapes.
      return { ok: true, value: calls[name].output.parse(await handler(parsed.data)) };
    } catch (err) {
      return { ok: false, error: toApiError(err) };
    }
  }

  /** The same as call(), throwing a LangbridgeError instead of returning one (CLI, tests). */
  async invoke<K extends CallName>(name: K, input: z.input<(typeof calls)[K]['input']>): Promise<CallOutput<K>> {
    const r = await this.call(name, input);
    if (!r.ok) throw new LangbridgeError(r.error.code, r.error.message, r.error.file, r.error.line);
    return r.value as CallOutput<K>;
  }

  on<K extends EventName>(name: K, cb: (payload: EventPayload<K>) => void): () => void {
    this.bus.on(name, cb);
    return () => this.bus.off(name, cb);
  }

  onAny(cb: (name: EventName, payload: unknown) => void): () => void {
    const wrapped = (e: { name: EventName; payload: unknown }) => cb(e.name, e.payload);
    this.bus.on('*', wrapped);
    return () => this.bus.off('*', wrapped);
  }

  emit<K extends EventName>(name: K, payload: EventPayload<K>): void {
    this.bus.emit(name, payload);
    this.bus.emit('*', { name, payload });
  }

  /**
   * A Hub model into the workspace's models/ folder (the only call that uses
   * the network), with its progress on jobs:progress under `jobId`.
   */
  private async download(repo: string, revision: string | undefined, overwrite: boolean, jobId: string | undefined) {
    const id = jobId ?? `download:${repo}`;
    if (this.downloads.has(id)) throw new LangbridgeError('workspace-busy', `${repo} is already being downloaded.`);
    const ac = new AbortController();
    this.downloads.set(id, ac);
    let last: DownloadProgress = { step: 'listing', done: 0, total: 0, unit: 'bytes' };
    const emit = (p: DownloadProgress, state: Progress['state'], message?: string) =>
      this.emit('jobs:progress', { jobId: id, kind: 'download', step: p.file ? `${p.step} ${p.file}` : p.step, done: p.done, total: p.total, unit: 'bytes', state, ...(message ? { message } : {}) });
    try {
      const r = await downloadModel({ repo, revision, overwrite, modelsDir: this.train.modelsDir, signal: ac.signal, onProgress: (p) => emit((last = p), 'running') });
      emit(last, 'finished');
      return r;
    } catch (err) {
      const e = toApiError(err);
      emit(last, e.code === 'cancelled' ? 'cancelled' : 'failed', e.message);
      throw err;
    } finally {
      this.downloads.delete(id);
    }
  }

  close(): void {
    for (const ac of this.downloads.values()) ac.abort();
    this.exports.close();
    // Training jobs are detached: they go on, and the next start reattaches to them.
    this.evals.close();
    this.train.close();
    void this.imports.close();
    void this.translate.close();
    this.db.close();
  }
}

/** A review queue's file paths made absolute (relative ones are taken from the current folder, like the CLI's). */
function resolvePaths(req: CreateQueueRequest): CreateQueueRequest {
  const f = req.from;
  if (f.kind === 'file') return { ...req, from: { ...f, path: resolve(f.path) } };
  if ((f.kind === 'dataset' || f.kind === 'corpus') && f.outputsPath) return { ...req, from: { ...f, outputsPath: resolve(f.outputsPath) } };
  return req;
}

/** A zod error as one sentence naming the offending fields. */
export function describeIssues(call: string, err: z.ZodError): string {
  const parts = err.issues.slice(0, 3).map((i) => {
    const where = i.path.length ? i.path.join('.') : 'the request';
    return `${where}: ${i.message}`;
  });
  return `Invalid request for ${call} — ${parts.join('; ')}.`;
}

