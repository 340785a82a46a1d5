/**
 * A job's "now": folded from the trainer's events in order, stored in the
 * job's row, shown by the Train page (preparing…, step 120 of 400, stage 2,
 * last checkpoint) and the CLI. Metrics themselves go to job_steps and
 * job_evals; this keeps only the latest of each kind of news.
 */
import type { LiveState } from '../../api/train-schemas';
import type { TrainerEvent } from './events';

export function foldLive(prev: LiveState | null, e: TrainerEvent): LiveState {
  const live: LiveState = prev ?? { phase: 'starting', device: null, devices: [], precision: null, worldSize: null, progress: null, plan: null, stage: null, step: null, totalSteps: null, checkpoint: null };
  switch (e.kind) {
    case 'started':
      // A resume starts a new attempt: what it prepares and plans comes again.
      return { ...live, phase: 'preparing', device: e.device, devices: e.devices, precision: e.precision, worldSize: e.worldSize, progress: null };
    case 'progress':
      return { ...live, phase: 'preparing', progress: { task: e.task, done: e.done, total: e.total, unit: e.unit } };
    case 'plan':
      return {
        ...live,
        progress: null,
        totalSteps: stepsToRun(e.totalSteps, e.maxSteps),
        plan: {
          attention: e.attention,
          attentionNote: e.attentionNote,
          parameters: e.parameters,
          trainableParameters: e.trainableParameters,
          gradAccumulation: e.gradAccumulation,
          totalSteps: e.totalSteps,
          maxSteps: e.maxSteps,
          stages: e.stages.map((s) => ({ index: s.index, name: s.name, steps: s.steps, tokens: s.tokens, peakLr: s.peakLr, schedule: s.schedule })),
        },
      };
    case 'stage':
      return e.phase === 'start' ? { ...live, stage: { index: e.index, name: e.name } } : live;
    case 'step':
      return { ...live, phase: 'training', progress: null, step: e.step, totalSteps: stepsToRun(e.totalSteps, live.plan?.maxSteps ?? null) };
    case 'eval':
      return live;
    case 'checkpoint':
      return { ...live, checkpoint: { step: e.step, path: e.path, best: e.best, reason: e.reason } };
    case 'finished':
    case 'error':
      return { ...live, phase: 'ended', progress: null };
  }
}

/** The steps this run will take: the plan's, or fewer when the run was given a maximum. */
function stepsToRun(planned: number, max: number | null): number {
  return max !== null && max < planned ? max : planned;
}
