import type { StepKind } from '../../../../main/services/pipeline/recipe';

const STEP_LABELS: Record<StepKind, string> = {
  normalise: 'Normalise',
  identify: 'Language identification',
  'gopher-repetition': 'Gopher repetition',
  'gopher-quality': 'Gopher quality',
  'fineweb-quality': 'FineWeb quality',
  'marco-heuristics': 'Marco heuristics',
  pii: 'PII redaction',
  'exact-dedup': 'Exact deduplication',
  'minhash-dedup': 'MinHash deduplication',
  'parallel-filter': 'Parallel pair filter',
  decontaminate: 'Decontamination',
};

/** A step kind's name for people ("Gopher quality"); unknown kinds show as they are. */
export function stepLabel(kind: string): string {
  return (STEP_LABELS as Record<string, string>)[kind] ?? kind;
}
