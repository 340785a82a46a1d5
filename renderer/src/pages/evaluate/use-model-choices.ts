import { useMemo } from 'react';
import { useCall } from '../../hooks/use-call';
import type { ModelChoice } from './model-choices';

export interface ModelChoices {
  models: readonly ModelChoice[];
  error: unknown;
  loading: boolean;
}

/**
 * The models a user can evaluate (`models:list`): the workspace's base models
 * and every complete checkpoint of its training runs. Reloaded when `version`
 * changes (a run ended, the tiny model was created).
 */
export function useModelChoices(version: number): ModelChoices {
  const list = useCall('models:list', {}, [version]);
  const models = useMemo<ModelChoice[]>(() => (list.data ?? []).map((m) => ({ ref: m.ref, label: m.label, kind: m.kind, jobId: m.jobId, step: m.step })), [list.data]);
  return { models, error: list.error, loading: list.loading };
}
