/**
 * Translation for the front doors: finds the ONNX export to use, names the
 * job, and runs it in the inference worker (a thread of its own, so the
 * window and the server stay responsive), passing its tokens, finished
 * sentences and progress on as events. Cancel aborts between two tokens.
 */
import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, openSync, readSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { z } from 'zod';
import { LangbridgeError } from '../../api/errors';
import type { Progress } from '../../api/schemas';
import type { TranslateFileRequest, TranslateResult, TranslateSegmentEvent, TranslateTextRequest, TranslateToken } from '../../api/translate-schemas';
import type { Db } from '../../../db/open';
import { resolveLanguage } from '../corpus/languages';
import { findOnnxExport } from '../models/export-service';
import { resolveModelRef } from '../models/model-ref';
import { builtWorkerUrl } from '../worker-url';
import type { FromInferenceWorker, ToInferenceWorker } from './inference-task';
import { ONNX_FILES } from './onnx-model';
import { TranslateRunner, type RunnerEvent, type TaskResult, type TranslateTask } from './translate-runner';
import { looksLikeUsfm } from './usfm-plan';

export interface TranslateServiceOptions {
  db: Db;
  dbPath: string;
  workspaceDir: string;
  onToken: (e: TranslateToken) => void;
  onSegment: (e: TranslateSegmentEvent) => void;
  onProgress: (p: Progress) => void;
}

const isExportFolder = (dir: string) => existsSync(join(dir, ONNX_FILES.fp32)) || existsSync(join(dir, ONNX_FILES.q8));

/**
 * The ONNX export folder for `model`: the folder itself when it is one,
 * else the newest ready ONNX export of the model it names.
 */
export function findTranslationModel(db: Db, workspaceDir: string, model: string): string {
  const asPath = resolve(model);
  if (isExportFolder(asPath)) return asPath;
  const entry = resolveModelRef(db, workspaceDir, model);
  const found = findOnnxExport(db, entry.ref);
  if (found) return found;
  const ref = /\s/.test(entry.ref) ? `"${entry.ref}"` : entry.ref;
  throw new LangbridgeError(
    'not-found',
    `${entry.label} has no ONNX export yet, and translation runs on one. Export it first with \`langbridge export model ${ref} --format onnx\` (or on the Models page), then translate with it.`,
  );
}

/** A language as the corpus names it (swh_Latn), from any code a user may type (sw, swh, swh_Latn). */
function corpusLanguage(code: string): string {
  return /^[a-z]{2,3}_[A-Z][a-z]{3}$/.test(code) ? code : resolveLanguage(code).code;
}

interface Job {
  progress: Progress;
  cancel: () => void;
}

type TextRequest = z.output<typeof TranslateTextRequest>;
type FileRequest = z.output<typeof TranslateFileRequest>;

export class TranslateService {
  private readonly jobs = new Map<string, Job>();
  private worker: Worker | null = null;
  private inline: TranslateRunner | null = null;
  /** Jobs run one after another: each uses every core. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly o: TranslateServiceOptions) {}

  text(req: TextRequest): Promise<TranslateResult> {
    return this.start(req, { kind: 'text', text: req.text });
  }

  file(req: FileRequest): Promise<TranslateResult> {
    const path = resolve(req.path);
    if (!existsSync(path) || !statSync(path).isFile()) throw new LangbridgeError('not-found', `There is no file ${path} to translate.`, path);
    let format = req.format;
    if (format === 'auto') {
      const head = Buffer.alloc(256);
      const fd = openSync(path, 'r');
      const n = readSync(fd, head, 0, head.length, 0);
      closeSync(fd);
      format = looksLikeUsfm(path, head.subarray(0, n).toString('utf8')) ? 'usfm' : 'text';
    }
    const out = req.out ? resolve(req.out) : null;
    if (out && !existsSync(dirname(out))) throw new LangbridgeError('not-found', `Cannot write ${out}: the folder ${dirname(out)} does not exist.`, out);
    if (out === path) throw new LangbridgeError('bad-input', `The translation would overwrite its source ${path}; choose another output file.`, path);
    return this.start(req, { kind: 'file', path, format, out });
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.cancel();
    return Boolean(job);
  }

  /** The last progress of each queued or running job. */
  list(): Progress[] {
    return [...this.jobs.values()].map((j) => j.progress);
  }

  private start(req: TextRequest | FileRequest, input: TranslateTask['input']): Promise<TranslateResult> {
    const from = corpusLanguage(req.from);
    const to = corpusLanguage(req.to);
    if (from === to) throw new LangbridgeError('bad-input', `The source and target languages are the same (${from}).`);
    const modelDir = findTranslationModel(this.o.db, this.o.workspaceDir, req.model);
    const dtype = req.int8 ? 'q8' : 'fp32';
    if (!existsSync(join(modelDir, ONNX_FILES[dtype]))) {
      throw new LangbridgeError(
        'not-found',
        `${join(modelDir, ONNX_FILES[dtype])} is missing: this export has no ${req.int8 ? 'int8' : 'fp32'} model${req.int8 ? '; translate without int8' : ''}.`,
        join(modelDir, ONNX_FILES[dtype]),
      );
    }
    const jobId = req.jobId ?? randomUUID();
    if (this.jobs.has(jobId)) throw new LangbridgeError('bad-input', `A translation with id ${jobId} is already running.`);
    const task: TranslateTask = { jobId, dbPath: this.o.dbPath, modelDir, dtype, from, to, beams: req.beams, examples: req.examples, maxNewTokens: req.maxNewTokens, input };

    const ac = new AbortController();
    let cancelRunning: (() => void) | null = null;
    const job: Job = {
      progress: { jobId, step: 'queued', done: 0, total: 0, unit: 'sentences', state: 'running' },
      cancel: () => {
        ac.abort();
        cancelRunning?.();
      },
    };
    this.jobs.set(jobId, job);
    const report = (p: Partial<Progress>) => {
      job.progress = { ...job.progress, ...p };
      this.o.onProgress(job.progress);
    };
    report({});
    const onEvent = (e: RunnerEvent) => {
      if (e.type === 'token') this.o.onToken({ jobId, segment: e.segment, text: e.text });
      else if (e.type === 'segment') this.o.onSegment({ jobId, total: e.total, segment: e.segment });
      else report({ step: e.step, done: e.done, total: e.total, unit: e.unit });
    };
    const run = this.queue.then(() => {
      if (ac.signal.aborted) throw new LangbridgeError('cancelled', 'The translation was cancelled before it started.');
      return this.execute(task, onEvent, ac.signal, (c) => (cancelRunning = c));
    });
    this.queue = run.catch(() => undefined);
    return run.then(
      (r): TranslateResult => {
        report({ state: 'finished', done: job.progress.total });
        this.jobs.delete(jobId);
        return { jobId, model: { path: modelDir, dtype }, from, to, ...r };
      },
      (err: unknown) => {
        const e = err instanceof LangbridgeError ? err : new LangbridgeError('internal', String(err));
        report({ state: e.code === 'cancelled' ? 'cancelled' : 'failed', message: e.message });
        this.jobs.delete(jobId);
        throw e;
      },
    );
  }

  private execute(task: TranslateTask, onEvent: (e: RunnerEvent) => void, signal: AbortSignal, setCancel: (c: () => void) => void): Promise<TaskResult> {
    const url = builtWorkerUrl('inference-worker.js', import.meta.url);
    // Built code ships the worker; unit tests run from TypeScript sources, on the calling thread.
    if (!url) {
      this.inline ??= new TranslateRunner();
      return this.inline.run(task, onEvent, signal);
    }
    const worker = this.worker ?? this.startWorker(url);
    return new Promise((resolvePromise, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        // An idle worker must not keep a CLI process alive.
        worker.unref();
      };
      const onMessage = (m: FromInferenceWorker) => {
        if (m.jobId !== task.jobId) return;
        if (m.type === 'event') return onEvent(m.event);
        settle();
        if (m.type === 'done') resolvePromise(m.value);
        else reject(new LangbridgeError(m.error.code, m.error.message, m.error.file, m.error.line));
      };
      const onError = (err: Error) => {
        settle();
        reject(new LangbridgeError('internal', `The translation worker failed: ${err.message}`));
      };
      const onExit = (code: number) => {
        settle();
        reject(new LangbridgeError('internal', `The translation worker stopped unexpectedly (exit code ${code}).`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      setCancel(() => worker.postMessage({ type: 'cancel', jobId: task.jobId } satisfies ToInferenceWorker));
      if (signal.aborted) worker.postMessage({ type: 'cancel', jobId: task.jobId } satisfies ToInferenceWorker);
      worker.ref();
      worker.postMessage({ type: 'run', task } satisfies ToInferenceWorker);
    });
  }

  /** One worker per process, started on the first translation and kept (with its loaded model) for the next. */
  private startWorker(url: URL): Worker {
    const worker = new Worker(url);
    worker.unref();
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  async close(): Promise<void> {
    for (const j of this.jobs.values()) j.cancel();
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
    await this.inline?.close();
    this.inline = null;
  }
}
