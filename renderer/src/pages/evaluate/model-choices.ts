/** A model the New evaluation form offers: a base model, or a checkpoint of a training run. */
export interface ModelChoice {
  ref: string;
  label: string;
  kind: 'base' | 'checkpoint';
  jobId: number | null;
  step: number | null;
}

export interface ModelGroup {
  /** null for the base models; else the training run the checkpoints belong to. */
  jobId: number | null;
  title: string;
  models: ModelChoice[];
}

/** Base models first, then one group per training run (newest run first), checkpoints by step. */
export function groupModels(models: readonly ModelChoice[]): ModelGroup[] {
  const bases = models.filter((m) => m.kind === 'base');
  const runs = new Map<number, ModelChoice[]>();
  for (const m of models) {
    if (m.kind !== 'checkpoint' || m.jobId === null) continue;
    runs.set(m.jobId, [...(runs.get(m.jobId) ?? []), m]);
  }
  const groups: ModelGroup[] = [];
  if (bases.length) groups.push({ jobId: null, title: 'Base models', models: bases });
  for (const [jobId, list] of [...runs].sort(([a], [b]) => b - a)) {
    const sorted = [...list].sort((a, b) => (a.step ?? 0) - (b.step ?? 0));
    const name = sorted[0]!.label.replace(/ · step \d+$/, '');
    groups.push({ jobId, title: `Run #${jobId}: ${name}`, models: sorted });
  }
  return groups;
}
