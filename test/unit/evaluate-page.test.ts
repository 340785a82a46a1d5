import { describe, expect, it } from 'vitest';
import type { EvalRunInfo, EvalScore } from '../../main/api/eval-schemas';
import { availableBenchmarks, itemEstimate } from '../../renderer/src/pages/evaluate/available';
import { formatDelta, formatScore, isReplayLanguage, isReplaySubset, splitDirection } from '../../renderer/src/pages/evaluate/benchmarks';
import { deltaColor, GAIN, interpolate, LOSS, luminance, niceCeil, niceTicks, SEQUENTIAL, sequentialColor, textOn, ticks } from '../../renderer/src/pages/evaluate/color-scale';
import { describeScore, verdict } from '../../renderer/src/pages/evaluate/describe';
import { groupModels } from '../../renderer/src/pages/evaluate/model-choices';
import { cellKey, checkpointSeries, directionMatrix, pivotScores, trainRunsWithCheckpoints } from '../../renderer/src/pages/evaluate/results-pivot';

function run(id: number, modelRef: string, over: Partial<EvalRunInfo> = {}): EvalRunInfo {
  return { id, jobId: id + 100, modelRef, modelLabel: modelRef, step: null, trainJobId: null, benchmarks: ['flores'], status: 'succeeded', createdAt: '2025-01-01T00:00:00Z', isBase: true, ...over };
}

function score(runId: number, modelRef: string, subset: string, value: number, over: Partial<EvalScore> = {}): EvalScore {
  return { runId, modelRef, modelLabel: modelRef, step: null, benchmark: 'flores', subset, metric: 'chrf++', score: value, n: 3, signature: 'nrefs:1|case:mixed|eff:yes|nc:6|nw:2|space:no|version:2.6.0', delta: null, ...over };
}

const delta = (value: number, significant: boolean, baseRunId = 1) => ({ value, low: value - 1, high: value + 1, significant, baseRunId });

// A base model (run 1), and two checkpoints of training run 7 (runs 2 and 3), on two directions and two languages.
const runs: EvalRunInfo[] = [
  run(1, 'tiny'),
  run(2, 'run:7@10', { modelLabel: 'udhr · step 10', step: 10, trainJobId: 7, isBase: false }),
  run(3, 'run:7@20', { modelLabel: 'udhr · step 20', step: 20, trainJobId: 7, isBase: false }),
];
const ckpt = (runId: number, step: number) => ({ modelLabel: `udhr · step ${step}`, step });
const scores: EvalScore[] = [
  score(1, 'tiny', 'eng_Latn-swh_Latn', 20),
  score(1, 'tiny', 'swh_Latn-eng_Latn', 30),
  score(1, 'tiny', 'arb_Arab-swh_Latn', 10),
  score(2, 'run:7@10', 'eng_Latn-swh_Latn', 24, { ...ckpt(2, 10), delta: delta(4, true) }),
  score(2, 'run:7@10', 'swh_Latn-eng_Latn', 28, { ...ckpt(2, 10), delta: delta(-2, false) }),
  score(2, 'run:7@10', 'arb_Arab-swh_Latn', 14, { ...ckpt(2, 10), delta: delta(4, true) }),
  score(3, 'run:7@20', 'eng_Latn-swh_Latn', 26, { ...ckpt(3, 20), delta: delta(6, true) }),
  score(3, 'run:7@20', 'swh_Latn-eng_Latn', 25, { ...ckpt(3, 20), delta: delta(-5, true) }),
  // Bits per character: lower is better.
  score(1, 'tiny', 'swh_Latn', 2.0, { benchmark: 'heldout-bpc', metric: 'bpc' }),
  score(3, 'run:7@20', 'swh_Latn', 1.8, { ...ckpt(3, 20), benchmark: 'heldout-bpc', metric: 'bpc', delta: delta(-0.2, true) }),
];

describe('the Evaluate page pivots stored scores into comparison tables', () => {
  it('makes one table per benchmark and metric, the base column first, then checkpoints by step', () => {
    const groups = pivotScores(scores, runs);
    expect(groups.map((g) => `${g.benchmark}/${g.metric}`)).toEqual(['flores/chrf++', 'heldout-bpc/bpc']);
    const flores = groups[0]!;
    expect(flores.columns.map((c) => c.key)).toEqual(['tiny', 'run:7@10', 'run:7@20']);
    expect(flores.columns.map((c) => c.isBase)).toEqual([true, false, false]);
    // Swahili is what the run trains for; eng↔swh has a new language at one end, so it comes first with it; arb→swh too.
    expect(flores.rows.map((r) => r.subset)).toEqual(['arb_Arab-swh_Latn', 'eng_Latn-swh_Latn', 'swh_Latn-eng_Latn']);
    expect(flores.rows.find((r) => r.subset === 'eng_Latn-swh_Latn')!.cells.get('run:7@20')!.score).toBe(26);
    // The mean row only where a column has every row: step 20 lacks arb→swh.
    expect(flores.mean.get('tiny')).toEqual({ score: 20, delta: null });
    expect(flores.mean.get('run:7@10')!.score).toBeCloseTo(22, 10);
    expect(flores.mean.get('run:7@10')!.delta).toBeCloseTo(2, 10);
    expect(flores.mean.has('run:7@20')).toBe(false);
  });

  it('puts replay (high-resource) rows after the languages being trained for', () => {
    const withReplay = [...scores, score(1, 'tiny', 'eng_Latn-arb_Arab', 40), score(1, 'tiny', 'amh_Ethi-swh_Latn', 5)];
    const rows = pivotScores(withReplay, runs)[0]!.rows;
    expect(rows.map((r) => [r.subset, r.replay])).toEqual([
      ['amh_Ethi-swh_Latn', false],
      ['arb_Arab-swh_Latn', false],
      ['eng_Latn-swh_Latn', false],
      ['swh_Latn-eng_Latn', false],
      ['eng_Latn-arb_Arab', true],
    ]);
  });

  it("keeps a model's newest run when it was evaluated twice", () => {
    const again = [...scores, score(9, 'tiny', 'eng_Latn-swh_Latn', 21)];
    const groups = pivotScores(again, [...runs, run(9, 'tiny')]);
    expect(groups[0]!.rows.find((r) => r.subset === 'eng_Latn-swh_Latn')!.cells.get('tiny')!.score).toBe(21);
  });

  it('builds the any-to-any matrix of one model, directions keyed by source and target', () => {
    const m = directionMatrix(scores, 'run:7@10', 'flores', 'chrf++');
    expect(m.langs).toEqual(['swh_Latn', 'arb_Arab', 'eng_Latn']);
    expect(m.cells.get(cellKey('eng_Latn', 'swh_Latn'))!.score).toBe(24);
    expect(m.cells.get(cellKey('swh_Latn', 'eng_Latn'))!.score).toBe(28);
    expect(m.cells.has(cellKey('swh_Latn', 'arb_Arab'))).toBe(false);
  });

  it('follows a training run over its checkpoints, directions averaged per target, the base as reference', () => {
    const s = checkpointSeries(scores, 7, runs, 'flores', 'chrf++');
    expect(s.byTarget).toBe(true);
    expect(s.keys).toEqual(['swh_Latn', 'eng_Latn']);
    expect(s.rows).toEqual([
      { step: 10, swh_Latn: 19, eng_Latn: 28 },
      { step: 20, swh_Latn: 26, eng_Latn: 25 },
    ]);
    expect(Object.fromEntries(s.base)).toEqual({ swh_Latn: 15, eng_Latn: 30 });
    const bpc = checkpointSeries(scores, 7, runs, 'heldout-bpc', 'bpc');
    expect(bpc.byTarget).toBe(false);
    expect(bpc.rows).toEqual([{ step: 20, swh_Latn: 1.8 }]);
    expect(Object.fromEntries(bpc.base)).toEqual({ swh_Latn: 2 });
    expect(trainRunsWithCheckpoints(scores, runs)).toEqual([{ trainJobId: 7, label: 'udhr', steps: [10, 20] }]);
  });
});

describe('the Evaluate page colours and words', () => {
  it('interpolates colour stops and picks readable text', () => {
    expect(interpolate(['#000000', '#ffffff'], 0.5)).toBe('#808080');
    expect(interpolate(SEQUENTIAL, 0)).toBe(SEQUENTIAL[0]);
    expect(interpolate(SEQUENTIAL, 1)).toBe(SEQUENTIAL.at(-1));
    expect(interpolate(SEQUENTIAL, 7)).toBe(SEQUENTIAL.at(-1));
    expect(sequentialColor(50, 0, 100)).toBe(SEQUENTIAL[4]);
    expect(luminance('#ffffff')).toBeCloseTo(1, 6);
    expect(textOn('#ffffff')).toBe('#000000');
    expect(textOn(SEQUENTIAL.at(-1)!)).toBe('#ffffff');
    // Every colour a cell can take keeps its text at WCAG AA contrast (4.5:1) or better.
    for (const stops of [SEQUENTIAL, GAIN, LOSS]) {
      for (let t = 0; t <= 1; t += 0.05) {
        const bg = interpolate(stops, t);
        const fg = textOn(bg);
        const [hi, lo] = [luminance(bg), luminance(fg)].sort((a, b) => b - a) as [number, number];
        expect((hi + 0.05) / (lo + 0.05), `${bg} with ${fg}`).toBeGreaterThanOrEqual(4.5);
      }
    }
  });

  it('paints gains green and losses red, deeper with size, and inverts bits per character', () => {
    expect(deltaColor(5, 5)).toBe(GAIN.at(-1));
    expect(deltaColor(-5, 5)).toBe(LOSS.at(-1));
    expect(deltaColor(50, 5)).toBe(GAIN.at(-1));
    expect(deltaColor(0.1, 5)).toBe('#ffffff');
    expect(luminance(deltaColor(4, 5))).toBeLessThan(luminance(deltaColor(1, 5)));
    expect(deltaColor(-0.1, 0.1, false)).toBe(GAIN.at(-1));
    expect(deltaColor(0.1, 0.1, false)).toBe(LOSS.at(-1));
  });

  it('rounds legend ends and spaces ticks', () => {
    expect(niceCeil(37)).toBe(50);
    expect(niceCeil(0.13)).toBeCloseTo(0.2, 12);
    expect(niceCeil(100)).toBe(100);
    expect(niceCeil(0)).toBe(1);
    expect(ticks(0, 100, 5)).toEqual([0, 25, 50, 75, 100]);
    expect(niceTicks(5)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(niceTicks(2)).toEqual([0, 0.5, 1, 1.5, 2]);
    expect(niceTicks(100)).toEqual([0, 20, 40, 60, 80, 100]);
    expect(niceTicks(0.1).map((t) => +t.toFixed(6))).toEqual([0, 0.02, 0.04, 0.06, 0.08, 0.1]);
  });

  it('says whether a change is a significant gain or loss, and how large', () => {
    const s = scores.find((x) => x.runId === 3 && x.subset === 'swh_Latn-eng_Latn')!;
    expect(verdict(s)).toBe('loss');
    expect(verdict(scores.find((x) => x.runId === 2 && x.subset === 'swh_Latn-eng_Latn')!)).toBe('same');
    expect(verdict(scores.find((x) => x.metric === 'bpc' && x.runId === 3)!)).toBe('gain');
    expect(verdict(scores[0]!)).toBeNull();
    expect(describeScore(s, 'tiny-qwen2')).toBe(
      'chrF++ 25.0 on 3 items (udhr · step 20); change vs tiny-qwen2: −5.0, 95% interval −6.0 to −4.0 (a significant loss)',
    );
    expect(formatScore('acc', 73.4)).toBe('73.4%');
    expect(formatDelta('acc', 1.2)).toBe('+1.2 pts');
    expect(formatDelta('bpc', -0.0123)).toBe('−0.012');
  });

  it('knows replay languages and directions', () => {
    expect(isReplayLanguage('eng_Latn')).toBe(true);
    expect(isReplayLanguage('arb_Arab')).toBe(true);
    expect(isReplayLanguage('cmn_Hans')).toBe(true);
    expect(isReplayLanguage('swh_Latn')).toBe(false);
    expect(isReplaySubset('eng_Latn-arb_Arab')).toBe(true);
    expect(isReplaySubset('eng_Latn-swh_Latn')).toBe(false);
    expect(splitDirection('eng_Latn-swh_Latn')).toEqual(['eng_Latn', 'swh_Latn']);
    expect(splitDirection('swh_Latn')).toBeNull();
  });
});

describe('the New evaluation form', () => {
  it('offers the benchmarks the corpus holds, and estimates the items', () => {
    const source = (format: string, languages: string[]) => ({ id: 1, name: format, format, originalPath: '/x', sha256: '', sizeBytes: 1, license: null, notes: null, importedAt: '', documents: 1, pairs: 0, skipped: 0, status: 'ok', languages }) as never;
    const a = availableBenchmarks([source('flores', ['eng_Latn', 'swh_Latn', 'arb_Arab']), source('belebele', ['swh_Latn']), source('text', ['yor_Latn'])], []);
    expect([...a.langs.keys()]).toEqual(['flores', 'belebele']);
    expect(itemEstimate(['flores'], a, new Set(), 10)).toBe(60);
    expect(itemEstimate(['flores', 'belebele'], a, new Set(['eng_Latn', 'swh_Latn']), 10)).toBe(30);
    expect(itemEstimate(['flores'], a, new Set(), null)).toBeNull();
  });

  it('groups models: base models, then each training run newest first, checkpoints by step', () => {
    const groups = groupModels([
      { ref: 'run:3@20', label: 'a · step 20', kind: 'checkpoint', jobId: 3, step: 20 },
      { ref: 'tiny', label: 'tiny-qwen2', kind: 'base', jobId: null, step: null },
      { ref: 'run:3@10', label: 'a · step 10', kind: 'checkpoint', jobId: 3, step: 10 },
      { ref: 'run:5@4', label: 'b · step 4', kind: 'checkpoint', jobId: 5, step: 4 },
    ]);
    expect(groups.map((g) => [g.title, g.models.map((m) => m.ref)])).toEqual([
      ['Base models', ['tiny']],
      ['Run #5: b', ['run:5@4']],
      ['Run #3: a', ['run:3@10', 'run:3@20']],
    ]);
  });
});
