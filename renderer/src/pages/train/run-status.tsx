import type { JobInfo } from '../../../../main/api/train-schemas';

const LABEL: Record<JobInfo['status'], string> = {
  queued: 'queued',
  running: 'running',
  succeeded: 'succeeded',
  failed: 'failed',
  cancelled: 'cancelled',
  interrupted: 'interrupted',
};

const TONE: Record<JobInfo['status'], string> = {
  queued: '',
  running: 'badge-accent',
  succeeded: 'badge-ok',
  failed: 'badge-danger',
  cancelled: 'badge-warn',
  interrupted: 'badge-warn',
};

/** A job's state in a word; "stopping…" from the moment Cancel is pressed until the process has ended. */
export function RunStatus({ job }: { job: JobInfo }) {
  const stopping = job.stopping;
  return (
    <span className={`badge ${stopping ? 'badge-warn' : TONE[job.status]}`} data-status={stopping ? 'stopping' : job.status}>
      {stopping ? 'stopping…' : LABEL[job.status]}
    </span>
  );
}
