/**
 * Turns the flat list of stored scores into what the page draws: one column
 * per model (base models first, then each training run's checkpoints by step),
 * one table per benchmark and metric, one row per language or direction.
 * Pure, so the unit tests pin the pivoting.
 */
import type { Benchmark, EvalRunInfo, EvalScore, Metric } from '../../../../main/api/eval-schemas';
import { BENCHMARKS, isReplaySubset, splitDirection } from './benchmarks';

export interface ModelColumn {
  /** The model reference: one column per model, whichever runs its scores came from. */
  key: string;
  label: string;
  step: number | null;
  trainJobId: number | null;
  isBase: boolean;
}

export interface PivotRow {
  subset: string;
  replay: boolean;
  cells: ReadonlyMap<string, EvalScore>;
}

export interface MeanCell {
  score: number;
  /** Mean of the per-row deltas (no interval: rows are not independent samples of one test). */
  delta: number | null;
}

export interface PivotGroup {
  benchmark: Benchmark;
  metric: Metric;
  /** The columns that have at least one score in this group, in page order. */
  columns: ModelColumn[];
  /** Languages or directions being trained for first, then the replay ones (where forgetting shows). */
  rows: PivotRow[];
  /** Per column, the mean over rows; only for columns scored on every row (a partial mean would mislead). */
  mean: ReadonlyMap<string, MeanCell>;
}

const METRIC_ORDER: readonly Metric[] = ['chrf++', 'chrf', 'bleu', 'acc', 'acc_norm', 'bpc'];
const benchIndex = (b: Benchmark) => BENCHMARKS.findIndex((x) => x.id === b);

/** Base models first (by label), then checkpoints by training run and step. */
export function compareColumns(a: ModelColumn, b: ModelColumn): number {
  if (a.isBase !== b.isBase) return a.isBase ? -1 : 1;
  if (a.isBase) return a.label.localeCompare(b.label);
  if (a.trainJobId !== b.trainJobId) return (a.trainJobId ?? 0) - (b.trainJobId ?? 0);
  return (a.step ?? 0) - (b.step ?? 0);
}

/**
 * One score per model, benchmark, subset and metric: when a model was
 * evaluated more than once, its newest run (highest id) wins.
 */
export function latestScores(scores: readonly EvalScore[]): EvalScore[] {
  const best = new Map<string, EvalScore>();
  for (const s of scores) {
    const k = `${s.modelRef}\u0000${s.benchmark}\u0000${s.subset}\u0000${s.metric}`;
    const prev = best.get(k);
    if (!prev || s.runId > prev.runId) best.set(k, s);
  }
  return [...best.values()];
}

/** The model columns that scores exist for; run facts (base or not, training run) from `runs`. */
export function modelColumns(scores: readonly EvalScore[], runs: readonly EvalRunInfo[]): ModelColumn[] {
  const runById = new Map(runs.map((r) => [r.id, r]));
  const cols = new Map<string, ModelColumn>();
  for (const s of scores) {
    if (cols.has(s.modelRef)) continue;
    const run = runById.get(s.runId);
    cols.set(s.modelRef, {
      key: s.modelRef,
      label: s.modelLabel,
      step: s.step,
      trainJobId: run?.trainJobId ?? null,
      isBase: run ? run.isBase || run.trainJobId === null : s.step === null,
    });
  }
  return [...cols.values()].sort(compareColumns);
}

function compareSubsets(a: string, b: string): number {
  const ra = isReplaySubset(a);
  const rb = isReplaySubset(b);
  if (ra !== rb) return ra ? 1 : -1;
  return a.localeCompare(b);
}

/** Every benchmark × metric table, in the page's benchmark order. */
export function pivotScores(allScores: readonly EvalScore[], runs: readonly EvalRunInfo[]): PivotGroup[] {
  const scores = latestScores(allScores);
  const columns = modelColumns(scores, runs);
  const groups = new Map<string, { benchmark: Benchmark; metric: Metric; rows: Map<string, Map<string, EvalScore>> }>();
  for (const s of scores) {
    const gk = `${s.benchmark}\u0000${s.metric}`;
    let g = groups.get(gk);
    if (!g) groups.set(gk, (g = { benchmark: s.benchmark, metric: s.metric, rows: new Map() }));
    let row = g.rows.get(s.subset);
    if (!row) g.rows.set(s.subset, (row = new Map()));
    row.set(s.modelRef, s);
  }
  const out: PivotGroup[] = [];
  for (const g of groups.values()) {
    const rows = [...g.rows.entries()].map(([subset, cells]) => ({ subset, replay: isReplaySubset(subset), cells })).sort((a, b) => compareSubsets(a.subset, b.subset));
    const used = columns.filter((c) => rows.some((r) => r.cells.has(c.key)));
    out.push({ benchmark: g.benchmark, metric: g.metric, columns: used, rows, mean: means(rows, used) });
  }
  return out.sort((a, b) => benchIndex(a.benchmark) - benchIndex(b.benchmark) || METRIC_ORDER.indexOf(a.metric) - METRIC_ORDER.indexOf(b.metric));
}

function means(rows: readonly PivotRow[], columns: readonly ModelColumn[]): Map<string, MeanCell> {
  const out = new Map<string, MeanCell>();
  if (rows.length < 2) return out;
  for (const c of columns) {
    const cells = rows.map((r) => r.cells.get(c.key));
    if (cells.some((x) => !x)) continue;
    const present = cells as EvalScore[];
    const score = present.reduce((sum, s) => sum + s.score, 0) / present.length;
    const deltas = present.map((s) => s.delta?.value);
    const delta = deltas.every((d) => typeof d === 'number') ? (deltas as number[]).reduce((a, b) => a + b, 0) / deltas.length : null;
    out.set(c.key, { score, delta });
  }
  return out;
}

export interface DirectionMatrix {
  /** Every language that is a source or a target, sorted: the heatmap's rows and its columns. */
  langs: string[];
  /** `src\u0000tgt` → the score. */
  cells: ReadonlyMap<string, EvalScore>;
}

export const cellKey = (src: string, tgt: string): string => `${src}\u0000${tgt}`;

/** The any-to-any matrix of one model's direction scores (Flores chrF++, say). */
export function directionMatrix(scores: readonly EvalScore[], modelRef: string, benchmark: Benchmark, metric: Metric): DirectionMatrix {
  const cells = new Map<string, EvalScore>();
  const langs = new Set<string>();
  for (const s of latestScores(scores)) {
    if (s.modelRef !== modelRef || s.benchmark !== benchmark || s.metric !== metric) continue;
    const dir = splitDirection(s.subset);
    if (!dir) continue;
    langs.add(dir[0]);
    langs.add(dir[1]);
    cells.set(cellKey(dir[0], dir[1]), s);
  }
  return { langs: [...langs].sort(compareSubsets), cells };
}

export interface CheckpointSeries {
  /** Line keys: languages, or for directions the target language ("into X", the mean over its sources). */
  keys: string[];
  /** One row per checkpoint step, a value per key. */
  rows: Array<{ step: number } & Record<string, number>>;
  /** The base model's value per key (the dashed reference), when it was evaluated on the same subsets. */
  base: ReadonlyMap<string, number>;
  /** True when the keys are target languages (each a mean over directions into it). */
  byTarget: boolean;
}

/** Groups subset scores into line keys and averages them (one value per key). */
function lineValues(scores: readonly EvalScore[]): { values: Map<string, number>; byTarget: boolean } {
  const sums = new Map<string, { sum: number; n: number }>();
  let byTarget = false;
  for (const s of scores) {
    const dir = splitDirection(s.subset);
    if (dir) byTarget = true;
    const key = dir ? dir[1] : s.subset;
    const acc = sums.get(key) ?? { sum: 0, n: 0 };
    acc.sum += s.score;
    acc.n += 1;
    sums.set(key, acc);
  }
  return { values: new Map([...sums].map(([k, v]) => [k, v.sum / v.n])), byTarget };
}

/**
 * One training run's checkpoints on one benchmark and metric, over steps, with
 * its base model as the reference (found through the deltas' base run).
 */
export function checkpointSeries(allScores: readonly EvalScore[], trainJobId: number, runs: readonly EvalRunInfo[], benchmark: Benchmark, metric: Metric): CheckpointSeries {
  const scores = latestScores(allScores).filter((s) => s.benchmark === benchmark && s.metric === metric);
  const runById = new Map(runs.map((r) => [r.id, r]));
  const ofRun = scores.filter((s) => runById.get(s.runId)?.trainJobId === trainJobId && s.step !== null);
  const bySteps = new Map<number, EvalScore[]>();
  for (const s of ofRun) bySteps.set(s.step!, [...(bySteps.get(s.step!) ?? []), s]);
  const keys = new Set<string>();
  let byTarget = false;
  const rows = [...bySteps.entries()]
    .sort(([a], [b]) => a - b)
    .map(([step, list]) => {
      const { values, byTarget: t } = lineValues(list);
      byTarget ||= t;
      const row: { step: number } & Record<string, number> = { step } as { step: number } & Record<string, number>;
      for (const [k, v] of values) {
        keys.add(k);
        row[k] = v;
      }
      return row;
    });
  const baseRunIds = new Set(ofRun.map((s) => s.delta?.baseRunId).filter((id): id is number => typeof id === 'number'));
  const baseScores = scores.filter((s) => baseRunIds.has(s.runId));
  // Base values over the same subsets the checkpoints were scored on, so a line and its reference average alike.
  const subsets = new Set(ofRun.map((s) => s.subset));
  const base = lineValues(baseScores.filter((s) => subsets.has(s.subset))).values;
  return { keys: [...keys].sort(compareSubsets), rows, base, byTarget };
}

/** The training runs that have evaluated checkpoints, with the benchmark × metric pairs they were scored on. */
export function trainRunsWithCheckpoints(allScores: readonly EvalScore[], runs: readonly EvalRunInfo[]): Array<{ trainJobId: number; label: string; steps: number[] }> {
  const runById = new Map(runs.map((r) => [r.id, r]));
  const out = new Map<number, { trainJobId: number; label: string; steps: Set<number> }>();
  for (const s of allScores) {
    const run = runById.get(s.runId);
    if (!run || run.trainJobId === null || s.step === null) continue;
    const e = out.get(run.trainJobId) ?? { trainJobId: run.trainJobId, label: s.modelLabel.replace(/ · step \d+$/, ''), steps: new Set<number>() };
    e.steps.add(s.step);
    out.set(run.trainJobId, e);
  }
  return [...out.values()].map((e) => ({ trainJobId: e.trainJobId, label: e.label, steps: [...e.steps].sort((a, b) => a - b) })).sort((a, b) => b.trainJobId - a.trainJobId);
}
