import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { randomUUID } from 'node:crypto';
import { LangbridgeError } from '../../api/errors';
import type { ImportRequestParsed, ImportSummary, Progress, SampleImportSummary } from '../../api/schemas';
import { openDatabase } from '../../../db/open';
import { runImport } from './import-runner';
import { importUdhrSample } from './sample-udhr';
import type { WorkerMessage, WorkerTask } from './import-task';
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
      progress: { jobId: id, step: 'queued', done: 0, total: 0, unit: 'bytes', state: 'running' },
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
    const url = new URL('./import-worker.js', import.meta.url);
    // Built code ships the worker beside this module; unit tests run from
    // TypeScript sources, where the same code runs on the calling thread.
    if (url.protocol !== 'file:' || !existsSync(fileURLToPath(url))) return this.executeInline(task, onProgress, setCancel);
    return new Promise((resolve, reject) => {
      const worker = new Worker(url, { workerData: task });
      let settled = false;
      setCancel(() => worker.postMessage({ type: 'cancel' }));
      worker.on('message', (m: WorkerMessage) => {
        if (m.type === 'progress') onProgress(m.progress);
        else if (m.type === 'done') {
          settled = true;
          resolve(m.value);
        } else {
          settled = true;
          reject(new LangbridgeError(m.error.code, m.error.message, m.error.file, m.error.line));
        }
      });
      worker.on('error', (err) => {
        settled = true;
        reject(err);
      });
      worker.on('exit', (code) => {
        if (!settled) reject(new LangbridgeError('internal', `The import worker stopped unexpectedly (exit code ${code}); nothing was added.`));
      });
    });
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
