import type { ApiError } from '../../api/errors';
import type { ImportRequestParsed, ImportSummary, SampleImportSummary } from '../../api/schemas';
import type { ProgressReport } from './write-import';

/** What the import service hands a worker thread, and what comes back. */
export type WorkerTask =
  | { kind: 'file'; dbPath: string; request: ImportRequestParsed }
  | { kind: 'sample'; dbPath: string; langs: string[] };

export type WorkerMessage =
  | { type: 'progress'; progress: ProgressReport }
  | { type: 'done'; value: ImportSummary | SampleImportSummary }
  | { type: 'error'; error: ApiError };

/** What the service sends the worker: a task to run, or a cancel of the running one. */
export type ToWorker = { type: 'run'; task: WorkerTask } | { type: 'cancel' };
