// Worker-thread entry of the pipeline's scan pool: one per core, each with
// its own read-only connection, running the per-item steps on chunks the
// coordinator hands out.
import { parentPort, workerData } from 'node:worker_threads';
import { toApiError } from '../../api/errors';
import { createScanState, runScanTask, type ScanInit, type ScanTask } from './scan-task';

const port = parentPort!;
const ready = createScanState(workerData as ScanInit);

port.on('message', (m: { seq: number; task: ScanTask }) => {
  ready
    .then((state) => port.postMessage({ seq: m.seq, ok: true, value: runScanTask(state, m.task) }))
    .catch((err: unknown) => port.postMessage({ seq: m.seq, ok: false, error: toApiError(err) }));
});
