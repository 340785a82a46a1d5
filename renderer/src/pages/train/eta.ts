import type { StepPoint } from './use-job-metrics';

/**
 * Seconds left, from the pace of the recent steps (the last 20, or fewer):
 * the first steps (compilation, cache warm-up) and the pauses of a resume
 * weigh nothing once 20 steps have passed. Null until two steps are known.
 */
export function secondsLeft(steps: readonly StepPoint[], totalSteps: number | null): number | null {
  if (!totalSteps || steps.length < 2) return null;
  const recent = steps.slice(-20);
  const first = recent[0]!;
  const last = recent.at(-1)!;
  const dt = (Date.parse(last.time) - Date.parse(first.time)) / 1000;
  const ds = last.step - first.step;
  if (!(dt > 0) || ds <= 0) return null;
  return Math.max(0, ((totalSteps - last.step) * dt) / ds);
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const m = Math.round(seconds / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  return `${h} h ${m % 60} min`;
}
