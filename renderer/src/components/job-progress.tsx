import type { Progress } from '../../../main/api/schemas';
import { formatAmount } from '../format';
import { ProgressBar } from './progress-bar';

interface JobProgressProps {
  progress: Progress | null;
  /** The call has returned: show the bar full even if the last event was throttled away. */
  finished?: boolean;
  onCancel?: () => void;
  cancelling?: boolean;
}

const STEP_LABELS: Record<string, string> = {
  queued: 'Waiting to start',
  checking: 'Checking the file',
  importing: 'Importing',
  indexing: 'Indexing for search',
  uploading: 'Uploading',
};

function stepLabel(step: string): string {
  const known = STEP_LABELS[step];
  if (known) return known;
  return step ? step.charAt(0).toUpperCase() + step.slice(1) : 'Working';
}

/** A job's progress bar with its Cancel button, driven by `jobs:progress` events. */
export function JobProgress({ progress, finished = false, onCancel, cancelling = false }: JobProgressProps) {
  let fraction: number | null = null;
  let label = 'Starting…';
  let detail: string | undefined;
  if (progress) {
    label = stepLabel(progress.step);
    if (progress.total > 0) {
      fraction = progress.done / progress.total;
      detail = `${formatAmount(progress.done, progress.unit)} of ${formatAmount(progress.total, progress.unit)}`;
    } else if (progress.done > 0) {
      detail = formatAmount(progress.done, progress.unit);
    }
    if (progress.message) detail = detail ? `${detail} · ${progress.message}` : progress.message;
  }
  if (finished) {
    fraction = 1;
    label = 'Finished';
  } else if (cancelling) {
    label = 'Cancelling…';
  }
  return (
    <div className="job-progress">
      <ProgressBar fraction={fraction} label={label} detail={detail} />
      {onCancel && !finished ? (
        <button type="button" className="button" onClick={onCancel} disabled={cancelling}>
          Cancel
        </button>
      ) : null}
    </div>
  );
}
