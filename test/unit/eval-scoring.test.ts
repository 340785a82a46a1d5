import { describe, expect, it } from 'vitest';
import type { EvalItemDbRow } from '../../db/queries/eval';
import { bpcBootstrap, computeDeltas } from '../../main/services/eval/deltas';
import { corpusBleu, corpusChrf, pairedBootstrap, sentenceChrf } from '../../main/services/eval/metrics';
import { parseOutputs, scoreRun } from '../../main/services/eval/score-run';
import { foldEvalLive, parseEvalEvent } from '../../main/services/jobs/eval-events';
import { resultsTables } from '../../main/cli/results-table';

const row = (over: Partial<EvalItemDbRow> & Pick<EvalItemDbRow, 'item_id' | 'benchmark' | 'subset'>): EvalItemDbRow => ({
  run_id: 1, src_lang: null, tgt_lang: null, source: null, reference: null, hypothesis: null, score: null, correct: null, meta: null, ...over,
});

const translation = [
  row({ item_id: 't1', benchmark: 'flores', subset: 'eng_Latn-swh_Latn', source: 'The cat sat.', reference: 'Paka aliketi juu ya mkeka.' }),
  row({ item_id: 't2', benchmark: 'flores', subset: 'eng_Latn-swh_Latn', source: 'It rained.', reference: 'Mvua ilinyesha jana usiku.' }),
];
const choices = [
  row({ item_id: 'c1', benchmark: 'belebele', subset: 'swh_Latn', meta: JSON.stringify({ gold: 1, choices: ['A', 'B', 'C', 'D'] }) }),
  row({ item_id: 'c2', benchmark: 'belebele', subset: 'swh_Latn', meta: JSON.stringify({ gold: 0, choices: ['A', 'B', 'C', 'D'] }) }),
  // Length normalisation changes the pick: "ab" at -3 (-1.5 per character) beats "x" at -2.
  row({ item_id: 'x1', benchmark: 'xcopa', subset: 'swh_Latn', meta: JSON.stringify({ gold: 1, choices: ['x', 'ab'] }) }),
];
const texts = [
  row({ item_id: 'b1', benchmark: 'heldout-bpc', subset: 'swh_Latn', source: 'habari' }),
  row({ item_id: 'b2', benchmark: 'heldout-bpc', subset: 'swh_Latn', source: 'ya asubuhi' }),
];

const outputs = (hyps: [string, string], nll: [number, number]) =>
  parseOutputs(
    [
      { id: 't1', type: 'generate', text: ` ${hyps[0]}`, tokens: 4, logprob: -2, meanLogprob: -0.5 },
      { id: 't2', type: 'generate', text: ` ${hyps[1]}\n`, tokens: 4, logprob: -2, meanLogprob: -0.5 },
      { id: 'c1', type: 'choices', logliks: [-3, -1, -4, -5], greedy: [false, true, false, false] },
      { id: 'c2', type: 'choices', logliks: [-3, -1, -4, -5], greedy: [false, true, false, false] },
      { id: 'x1', type: 'choices', logliks: [-2, -3], greedy: [true, false] },
      { id: 'b1', type: 'loglik-text', nll: nll[0], tokens: 2, characters: 6 },
      { id: 'b2', type: 'loglik-text', nll: nll[1], tokens: 3, characters: 10 },
    ]
      .map((o) => JSON.stringify(o))
      .join('\n') + '\n',
    'outputs.jsonl',
  );

describe('scoring an evaluation job', () => {
  const rows = [...translation, ...choices, ...texts];
  const r = scoreRun(rows, outputs(['Paka aliketi juu ya mkeka.', 'Mvua ilinyesha.'], [6, 20]));
  const score = (b: string, m: string) => r.scores.find((s) => s.benchmark === b && s.metric === m)!;

  it('gives corpus BLEU and chrF++ per direction equal to the metrics module, and sentence chrF++ per item', () => {
    const hyps = ['Paka aliketi juu ya mkeka.', 'Mvua ilinyesha.'];
    const refs = [translation.map((t) => t.reference!)];
    expect(score('flores', 'bleu')).toMatchObject({ subset: 'eng_Latn-swh_Latn', n: 2, score: corpusBleu(hyps, refs).score, signature: corpusBleu(hyps, refs).signature });
    expect(score('flores', 'chrf++').score).toBe(corpusChrf(hyps, refs, { wordOrder: 2 }).score);
    expect(score('flores', 'chrf++').signature).toMatch(/nw:2/);
    const t2 = r.items.find((i) => i.item_id === 't2')!;
    // The generated text is trimmed (the leading space after "sentence:", the stop newline).
    expect(t2.hypothesis).toBe('Mvua ilinyesha.');
    expect(t2.score).toBe(sentenceChrf('Mvua ilinyesha.', ['Mvua ilinyesha jana usiku.'], { wordOrder: 2 }).score);
    expect(r.items.find((i) => i.item_id === 't1')!.score).toBeCloseTo(100, 9);
  });

  it('gives acc and acc_norm in percent, marking each item', () => {
    expect(score('belebele', 'acc')).toMatchObject({ score: 50, n: 2 });
    expect(score('belebele', 'acc_norm').score).toBe(50);
    expect(score('xcopa', 'acc').score).toBe(0);
    expect(score('xcopa', 'acc_norm').score).toBe(100);
    expect(r.items.find((i) => i.item_id === 'c1')).toMatchObject({ correct: 1, hypothesis: 'B' });
    expect(r.items.find((i) => i.item_id === 'c2')).toMatchObject({ correct: 0, hypothesis: 'B' });
  });

  it('gives bits per character as the sum of nll over ln 2 over the sum of characters', () => {
    expect(score('heldout-bpc', 'bpc').score).toBeCloseTo(26 / Math.LN2 / 16, 12);
    expect(r.items.find((i) => i.item_id === 'b1')!.score).toBeCloseTo(1 / Math.LN2, 12);
  });

  it('refuses to score a run with an item missing, and tolerates only a cut-off last line', () => {
    expect(() => scoreRun(rows, new Map())).toThrow(/7 of 7 items have no output/);
    expect(parseOutputs('{"id":"a","type":"loglik-text","nll":1}\n{"id":"b","ty', 'o.jsonl').size).toBe(1);
    expect(() => parseOutputs('{"id":"a","ty\n{"id":"b","type":"loglik-text","nll":1}\n\n', 'o.jsonl')).toThrow(/line 1 of o.jsonl is not JSON/);
    expect(() => parseOutputs('{"id":"a","type":"generate"}\n', 'o.jsonl')).toThrow(/line 1 of o.jsonl .*text/);
  });

  it('gives deltas against a base run with paired-bootstrap intervals on the same items', () => {
    const base = scoreRun(rows, outputs(['Mbwa.', 'Jua.'], [12, 40]));
    const asRows = (s: typeof r, runId: number) => rows.map((x) => ({ ...x, run_id: runId, ...s.items.find((i) => i.item_id === x.item_id)! }));
    const deltas = computeDeltas(2, 1, r.scores.map((s) => ({ ...s, run_id: 2 })), base.scores.map((s) => ({ ...s, run_id: 1 })), asRows(r, 2), asRows(base, 1));
    const d = (b: string, m: string) => deltas.find((x) => x.benchmark === b && x.metric === m)!;
    const chrf = d('flores', 'chrf++');
    const ref = pairedBootstrap('chrf++', { hyps: ['Mbwa.', 'Jua.'] }, { hyps: ['Paka aliketi juu ya mkeka.', 'Mvua ilinyesha.'] }, [translation.map((t) => t.reference!)], { samples: 1000, seed: 12345 });
    expect(chrf).toMatchObject({ run_id: 2, base_run_id: 1, value: ref.delta, low: ref.low, high: ref.high });
    expect(d('belebele', 'acc').value).toBe(0);
    expect(d('heldout-bpc', 'bpc').value).toBeCloseTo(26 / Math.LN2 / 16 - 52 / Math.LN2 / 16, 12);
    expect(deltas).toHaveLength(r.scores.length);
  });

  it('bootstraps bits per character: a uniformly better system is significant, an equal one is not', () => {
    const a = Array.from({ length: 30 }, (_, i) => ({ nll: 10 + (i % 7), chars: 8 + (i % 5) }));
    const better = bpcBootstrap(a, a.map((x) => ({ ...x, nll: x.nll * 0.8 })));
    expect(better.value).toBeLessThan(0);
    expect(better.significant).toBe(1);
    expect(better.high).toBeLessThan(0);
    expect(bpcBootstrap(a, a)).toEqual({ value: 0, low: 0, high: 0, significant: 0 });
  });
});

describe('evaluation events and live state', () => {
  it('folds the trainer eval events into a live state with items and items/s', () => {
    const ev = (o: object) => {
      const r = parseEvalEvent(JSON.stringify({ v: 1, time: '2025-01-01T00:00:00Z', ...o }));
      if (!r.ok) throw new Error(r.reason);
      return r.event;
    };
    let live = foldEvalLive(null, ev({ kind: 'started', device: 'cpu', devices: ['cpu'], precision: 'fp32', items: 10, done: 0 }));
    live = foldEvalLive(live, ev({ kind: 'progress', task: 'load-model', done: 0, total: 1, unit: 'models' }));
    expect(live).toMatchObject({ phase: 'preparing', progress: { task: 'load-model' } });
    live = foldEvalLive(live, ev({ kind: 'progress', task: 'evaluate', done: 4, total: 10, unit: 'items', itemsPerSecond: 2.5 }));
    expect(live).toMatchObject({ phase: 'evaluating', device: 'cpu', progress: { task: 'evaluate', done: 4, total: 10, unit: 'items', rate: 2.5 } });
    live = foldEvalLive(live, ev({ kind: 'finished', status: 'succeeded', items: 10, total: 10, seconds: 4, itemsPerSecond: 2.5 }));
    expect(live).toMatchObject({ phase: 'ended', progress: { done: 10 } });
    expect(parseEvalEvent('{"v":1,"kind":"step","time":"x"}').ok).toBe(false);
  });

  it('prints a comparison table with deltas and significance marks', () => {
    const run = (id: number, label: string, isBase: boolean) => ({ id, jobId: id, modelRef: label, modelLabel: label, step: isBase ? null : 5, trainJobId: isBase ? null : 3, benchmarks: ['flores' as const], status: 'succeeded' as const, createdAt: '', isBase });
    const s = (runId: number, subset: string, score: number, delta: number | null, significant = false) => ({
      runId, modelRef: '', modelLabel: '', step: null, benchmark: 'flores' as const, subset, metric: 'chrf++' as const, score, n: 100, signature: 'sig',
      delta: delta === null ? null : { value: delta, low: delta - 1, high: delta + 1, significant, baseRunId: 1 },
    });
    const text = resultsTables({ runs: [run(1, 'tiny', true), run(2, 'ckpt', false)], scores: [s(1, 'eng_Latn-swh_Latn', 20, null), s(2, 'eng_Latn-swh_Latn', 25.25, 5.25, true), s(1, 'swh_Latn-eng_Latn', 30, null), s(2, 'swh_Latn-eng_Latn', 29, -1)] });
    expect(text).toContain('flores · chrf++ · 100 items per row');
    expect(text).toMatch(/eng_Latn-swh_Latn\s+20\.0\s+25\.3 \(\+5\.3\*▲\)/);
    expect(text).toMatch(/swh_Latn-eng_Latn\s+30\.0\s+29\.0 \(−1\.0\)/);
    expect(text).toMatch(/tiny \(ref\) #1/);
  });
});
