// Worker-thread entry: runs imports (a file, or the embedded sample) off the
// main thread, one at a time, on its own database connection, and reports
// progress. The worker lives as long as its process, so the 11 MB tokenizer
// and the connection are loaded once, not once per import.
import { parentPort } from 'node:worker_threads';
import { toApiError } from '../../api/errors';
import { openDatabase, type Db } from '../../../db/open';
import { runImport } from './import-runner';
import { importUdhrSample } from './sample-udhr';
import type { ToWorker, WorkerMessage, WorkerTask } from './import-task';
import type { ProgressReport } from './write-import';

const port = parentPort!;
const post = (m: WorkerMessage) => port.postMessage(m);
let current: AbortController | null = null;
let db: Db | null = null;
let dbPath = '';

port.on('message', (m: ToWorker) => {
  if (m.type === 'cancel') current?.abort();
  else void run(m.task);
});

async function run(task: WorkerTask): Promise<void> {
  const ac = new AbortController();
  current = ac;
  try {
    if (!db || dbPath !== task.dbPath) {
      db?.close();
      db = openDatabase(task.dbPath);
      dbPath = task.dbPath;
    }
    const onProgress = (progress: ProgressReport) => post({ type: 'progress', progress });
    const value =
      task.kind === 'file'
        ? await runImport(db, task.request, { signal: ac.signal, onProgress })
        : await importUdhrSample(db, task.langs, { signal: ac.signal, onProgress });
    post({ type: 'done', value });
  } catch (err) {
    post({ type: 'error', error: toApiError(err) });
  } finally {
    current = null;
  }
}
