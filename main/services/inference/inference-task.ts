import type { ApiError } from '../../api/errors';
import type { RunnerEvent, TaskResult, TranslateTask } from './translate-runner';

/** Messages to the inference worker. */
export type ToInferenceWorker = { type: 'run'; task: TranslateTask } | { type: 'cancel'; jobId: string };

/** Messages from it: events while a job runs, then its result or its error. */
export type FromInferenceWorker =
  | { type: 'event'; jobId: string; event: RunnerEvent }
  | { type: 'done'; jobId: string; value: TaskResult }
  | { type: 'error'; jobId: string; error: ApiError };
