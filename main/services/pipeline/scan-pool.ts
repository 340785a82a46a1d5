/**
 * A pool of scan workers, one per core by default (LANGBRIDGE_WORKERS
 * overrides). Tasks are handed to whichever worker is free; results come back
 * in the order the tasks were submitted, so the coordinator's view (and the
 * dataset) does not depend on which worker was faster.
 */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { LangbridgeError } from '../../api/errors';
import { builtWorkerUrl } from '../worker-url';
import { createScanState, runScanTask, type ScanInit, type ScanResult, type ScanTask, type ScanState } from './scan-task';

export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const n = Number(env.LANGBRIDGE_WORKERS);
  if (Number.isInteger(n) && n >= 1) return n;
  return Math.max(1, availableParallelism());
}

interface Pending {
  seq: number;
  task: ScanTask;
  resolve: (r: ScanResult) => void;
  reject: (e: Error) => void;
}

export interface Scanner {
  readonly workers: number;
  run(task: ScanTask): Promise<ScanResult>;
  close(): Promise<void>;
}

export async function createScanner(init: ScanInit, workers = defaultWorkerCount()): Promise<Scanner> {
  const url = builtWorkerUrl('pipeline-worker.js', import.meta.url);
  if (!url) return createInlineScanner(init);
  return new WorkerScanner(url, init, workers);
}

/** Unit tests (TypeScript sources): the same work on the calling thread, one task at a time. */
async function createInlineScanner(init: ScanInit): Promise<Scanner> {
  const state: ScanState = await createScanState(init);
  return {
    workers: 1,
    run: async (task) => {
      // Yield first so a cancel can land between chunks, as it would with workers.
      await new Promise((r) => setImmediate(r));
      return runScanTask(state, task);
    },
    close: async () => {
      runScanTask(state, { kind: 'finish' });
      state.db.close();
    },
  };
}

class WorkerScanner implements Scanner {
  readonly workers: number;
  private readonly pool: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private readonly running = new Map<Worker, Pending>();
  private seq = 0;
  private failed: Error | null = null;

  constructor(url: URL, init: ScanInit, workers: number) {
    this.workers = workers;
    for (let i = 0; i < workers; i++) {
      const w = new Worker(url, { workerData: init });
      w.on('message', (m: { ok: boolean; value?: ScanResult; error?: { message: string } }) => {
        const p = this.running.get(w);
        this.running.delete(w);
        this.idle.push(w);
        if (p) {
          if (m.ok) p.resolve(m.value!);
          else p.reject(new LangbridgeError('internal', `A pipeline worker failed: ${m.error?.message ?? 'unknown error'}`));
        }
        this.pump();
      });
      const die = (err: Error) => {
        this.failed ??= err;
        const p = this.running.get(w);
        this.running.delete(w);
        p?.reject(new LangbridgeError('internal', `A pipeline worker stopped: ${err.message}`));
        for (const q of this.queue.splice(0)) q.reject(new LangbridgeError('internal', `A pipeline worker stopped: ${err.message}`));
      };
      w.on('error', die);
      w.on('exit', (code) => {
        if (code !== 0 && !this.closing) die(new Error(`exit code ${code}`));
      });
      this.pool.push(w);
      this.idle.push(w);
    }
  }

  private closing = false;

  run(task: ScanTask): Promise<ScanResult> {
    if (this.failed) return Promise.reject(new LangbridgeError('internal', `A pipeline worker stopped: ${this.failed.message}`));
    return new Promise((resolve, reject) => {
      this.queue.push({ seq: this.seq++, task, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length && this.queue.length) {
      const w = this.idle.pop()!;
      const p = this.queue.shift()!;
      this.running.set(w, p);
      w.postMessage({ seq: p.seq, task: p.task });
    }
  }

  /** Drains the queue, lets every worker flush its scratch store, then stops them. */
  async close(): Promise<void> {
    if (this.closing) return;
    for (const q of this.queue.splice(0)) q.reject(new LangbridgeError('cancelled', 'The pipeline was stopped.'));
    if (!this.failed) {
      // Each worker gets exactly one 'finish' (a worker runs one task at a time, so post directly).
      await Promise.all(
        this.pool.map(
          (w) =>
            new Promise<void>((resolve) => {
              const done = () => resolve();
              w.once('message', done);
              w.once('exit', done);
              w.postMessage({ seq: -1, task: { kind: 'finish' } });
            }),
        ),
      ).catch(() => undefined);
    }
    this.closing = true;
    await Promise.all(this.pool.map((w) => w.terminate()));
  }
}
