import type { Progress } from '../../../../main/api/schemas';
import { RunningJobsCard } from '../../components/running-jobs-card';

const isPipelineRun = (p: Progress) => p.kind === 'pipeline';

/** Pipeline runs this window did not start (begun before a reload, in another tab or from the CLI against the same server). */
export function OtherRuns() {
  return <RunningJobsCard title="Runs in progress" listCall="pipeline:jobs" cancelCall="pipeline:cancel" accepts={isPipelineRun} />;
}
