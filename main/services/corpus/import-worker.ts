// Worker-thread entry: runs one import (a file, or the embedded sample) off the
// main thread, on its own database connection, and reports progress.
import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from '../../api/errors';
import { openDatabase } from '../../../db/open';
import { runImport } from './import-runner';
import { importUdhrSample } from './sample-udhr';
import type { WorkerMessage, WorkerTask } from './import-task';
import type { ProgressReport } from './write-import';

const port = parentPort!;
const task = workerData as WorkerTask;
const ac = new AbortController();
port.on('message', (m: { type: string }) => {
  if (m.type === 'cancel') ac.abort();
});

const post = (m: WorkerMessage) => port.postMessage(m);

async function main(): Promise<void> {
  const db = openDatabase(task.dbPath);
  try {
    const onProgress = (progress: ProgressReport) => post({ type: 'progress', progress });
    const value =
      task.kind === 'file'
        ? await runImport(db, task.request, { signal: ac.signal, onProgress })
        : await importUdhrSample(db, task.langs, { signal: ac.signal, onProgress });
    post({ type: 'done', value });
  } catch (err) {
    post({ type: 'error', error: toApiError(err) });
  } finally {
    db.close();
  }
}

void main();
