import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { LangbridgeError } from '../../api/errors';
import { builtWorkerUrl } from '../worker-url';
import type { ImportRequestParsed, ImportSummary, Progress, SampleImportSummary } from '../../api/schemas';
import { openDatabase } from '../../../db/open';
import { runImport } from './import-runner';
import { importUdhrSample } from './sample-udhr';
import type { ToWorker, WorkerMessage, WorkerTask } from './import-task';
import type { ProgressReport } from './write-import';

interface Job {
  progress: Progress;
  cancel: () => void;
}

/**
 * Runs imports one at a time per process (each holds the workspace's write
 * lock for its whole transaction), in a worker thread so the UI and server
 * stay responsive, and reports progress as events. Cancel stops the worker;
 * its transaction rolls back, so nothing of a cancelled file remains.
 */
export class ImportService {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly jobs = new Map<string, Job>();
  private worker: Worker | null = null;

  constructor(
    private readonly dbPath: string,
    private readonly onProgress: (p: Progress) => void,
  ) {}

  importFile(request: ImportRequestParsed): Promise<ImportSummary> {
    return this.enqueue(request.jobId, { kind: 'file', dbPath: this.dbPath, request }) as Promise<ImportSummary>;
  }

  importSample(langs: string[], jobId?: string): Promise<SampleImportSummary> {
    return this.enqueue(jobId, { kind: 'sample', dbPath: this.dbPath, langs }) as Promise<SampleImportSummary>;
  }

  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    if (!job) return false;
    job.cancel();
    return true;
  }

  /** The last progress of each running or queued job, so a reloaded window shows where work stands. */
  list(): Progress[] {
    return [...this.jobs.values()].map((j) => j.progress);
  }

  private enqueue(jobId: string | undefined, task: WorkerTask): Promise<unknown> {
    const id = jobId ?? randomUUID();
    if (this.jobs.has(id)) throw new LangbridgeError('bad-input', `A job with id ${id} is already running.`);
    let cancelled = false;
    let cancelRunning: (() => void) | null = null;
    const job: Job = {
      progress: { jobId: id, kind: 'import', step: 'queued', done: 0, total: 0, unit: 'bytes', state: 'running' },
      cancel: () => {
        cancelled = true;
        cancelRunning?.();
      },
    };
    this.jobs.set(id, job);
    const report = (p: Partial<Progress>) => {
      job.progress = { ...job.progress, ...p };
      this.onProgress(job.progress);
    };
    report({});
    const run = this.queue.then(async () => {
      if (cancelled) throw new LangbridgeError('cancelled', 'The import was cancelled before it started; nothing was added.');
      return this.execute(task, (p) => report({ ...p }), (c) => (cancelRunning = c));
    });
    this.queue = run.catch(() => undefined);
    return run.then(
      (value) => {
        report({ state: 'finished', done: job.progress.total });
        this.jobs.delete(id);
        return value;
      },
      (err: unknown) => {
        const e = err instanceof LangbridgeError ? err : new LangbridgeError('internal', String(err));
        report({ state: e.code === 'cancelled' ? 'cancelled' : 'failed', message: e.message });
        this.jobs.delete(id);
        throw err;
      },
    );
  }

  private execute(task: WorkerTask, onProgress: (p: ProgressReport) => void, setCancel: (c: () => void) => void): Promise<unknown> {
    const url = builtWorkerUrl('import-worker.js', import.meta.url);
    // Built code ships the worker; unit tests run from TypeScript sources,
    // where the same code runs on the calling thread.
    if (!url) return this.executeInline(task, onProgress, setCancel);
    const worker = this.worker ?? this.startWorker(url);
    return new Promise((resolve, reject) => {
      const settle = () => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        // An idle worker must not keep a CLI process alive.
        worker.unref();
      };
      const onMessage = (m: WorkerMessage) => {
        if (m.type === 'progress') return onProgress(m.progress);
        settle();
        if (m.type === 'done') resolve(m.value);
        else reject(new LangbridgeError(m.error.code, m.error.message, m.error.file, m.error.line));
      };
      const onError = (err: Error) => {
        settle();
        reject(new LangbridgeError('internal', `The import worker failed (${err.message}); nothing was added.`));
      };
      const onExit = (code: number) => {
        settle();
        reject(new LangbridgeError('internal', `The import worker stopped unexpectedly (exit code ${code}); nothing was added.`));
      };
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      setCancel(() => worker.postMessage({ type: 'cancel' } satisfies ToWorker));
      worker.ref();
      worker.postMessage({ type: 'run', task } satisfies ToWorker);
    });
  }

  /** One worker per process, started on the first import and kept for the next. */
  private startWorker(url: URL): Worker {
    const worker = new Worker(url);
    worker.unref();
    worker.on('exit', () => {
      if (this.worker === worker) this.worker = null;
    });
    this.worker = worker;
    return worker;
  }

  /** Stops the worker (the services are closing). */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }

  private async executeInline(task: WorkerTask, onProgress: (p: ProgressReport) => void, setCancel: (c: () => void) => void): Promise<unknown> {
    const ac = new AbortController();
    setCancel(() => ac.abort());
    const db = openDatabase(task.dbPath);
    try {
      return task.kind === 'file'
        ? await runImport(db, task.request, { signal: ac.signal, onProgress })
        : await importUdhrSample(db, task.langs, { signal: ac.signal, onProgress });
    } finally {
      db.close();
    }
  }
}
