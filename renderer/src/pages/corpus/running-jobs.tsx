import type { Progress } from '../../../../main/api/schemas';
import { RunningJobsCard } from '../../components/running-jobs-card';

/** Pipeline runs are shown (and cancelled) on the Pipeline page; an event that names no service is an import's. */
const isImport = (p: Progress) => p.kind !== 'pipeline';

/**
 * Imports this window did not start: begun before a reload, or in another
 * browser tab. The services keep each job's last progress, so they show
 * where they stand at once, with a Cancel button.
 */
export function RunningJobs() {
  return <RunningJobsCard title="Imports in progress" listCall="corpus:jobs" cancelCall="corpus:cancel" accepts={isImport} />;
}
