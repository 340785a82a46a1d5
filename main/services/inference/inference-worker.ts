// Worker-thread entry: runs translation jobs off the main thread, one at a
// time, so the window and the server stay responsive while onnxruntime
// computes. The worker lives as long as its process: the loaded model, the
// translation memories and the database connection are kept between jobs.
import { parentPort } from 'node:worker_threads';
import { LangbridgeError, toApiError } from '../../api/errors';
import type { FromInferenceWorker, ToInferenceWorker } from './inference-task';
import { TranslateRunner, type TranslateTask } from './translate-runner';

const port = parentPort!;
const post = (m: FromInferenceWorker) => port.postMessage(m);
const runner = new TranslateRunner();
const controllers = new Map<string, AbortController>();
let queue: Promise<void> = Promise.resolve();

port.on('message', (m: ToInferenceWorker) => {
  if (m.type === 'cancel') controllers.get(m.jobId)?.abort();
  else {
    const ac = new AbortController();
    controllers.set(m.task.jobId, ac);
    queue = queue.then(() => run(m.task, ac));
  }
});

async function run(task: TranslateTask, ac: AbortController): Promise<void> {
  try {
    if (ac.signal.aborted) throw new LangbridgeError('cancelled', 'The translation was cancelled before it started.');
    const value = await runner.run(task, (event) => post({ type: 'event', jobId: task.jobId, event }), ac.signal);
    post({ type: 'done', jobId: task.jobId, value });
  } catch (err) {
    post({ type: 'error', jobId: task.jobId, error: toApiError(err) });
  } finally {
    controllers.delete(task.jobId);
  }
}
