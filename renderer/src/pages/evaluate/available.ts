import type { Benchmark } from '../../../../main/api/eval-schemas';
import type { DatasetSummary } from '../../../../main/api/pipeline-schemas';
import type { Source } from '../../../../main/api/schemas';
import { SOURCE_BENCHMARK } from './benchmarks';

export interface Available {
  /** Benchmark → the languages its imported sources hold. */
  langs: ReadonlyMap<Benchmark, ReadonlySet<string>>;
  datasets: readonly DatasetSummary[];
}

/** Which benchmarks the corpus can run: the imported benchmark sources, and held-out data once a dataset version exists. */
export function availableBenchmarks(sources: readonly Source[], datasets: readonly DatasetSummary[]): Available {
  const langs = new Map<Benchmark, Set<string>>();
  for (const s of sources) {
    const b = SOURCE_BENCHMARK[s.format];
    if (!b) continue;
    const set = langs.get(b) ?? new Set<string>();
    for (const l of s.languages) set.add(l);
    langs.set(b, set);
  }
  if (datasets.length) {
    langs.set('heldout-pairs', new Set());
    langs.set('heldout-bpc', new Set());
  }
  return { langs, datasets };
}

/** Items the request asks for, per benchmark: directions for Flores, languages elsewhere. */
export function itemEstimate(benchmarks: readonly Benchmark[], available: Available, chosen: ReadonlySet<string>, maxItems: number | null): number | null {
  if (maxItems === null) return null;
  let total = 0;
  for (const b of benchmarks) {
    const all = [...(available.langs.get(b) ?? [])];
    const n = (chosen.size ? all.filter((l) => chosen.has(l)) : all).length;
    if (b === 'flores') total += n * (n - 1) * maxItems;
    else if (b === 'heldout-pairs' || b === 'heldout-bpc') return null;
    else total += n * maxItems;
  }
  return total;
}
