import { describe, expect, it } from 'vitest';
import { corpusBleu, corpusChrf, multipleChoice, pairedBootstrap, pyFixed, sumStats, chrfSegmentStats, chrfFromStats, bleuSegmentStats, bleuFromStats } from '../../main/services/eval/metrics';

describe('multipleChoice (lm-evaluation-harness acc and acc_norm)', () => {
  it('normalises by the choice length in code points, ties to the lowest index', () => {
    const r = multipleChoice([
      // acc picks 0 (-10 > -12); acc_norm: -10/3 = -3.33 < -12/8 = -1.5, picks 1.
      { logliks: [-10, -12], choices: ['cat', 'elephant'], gold: 1 },
      // A tie on both: argmax takes the first index.
      { logliks: [-5, -5, -7], choices: ['ab', 'cd', 'x'], gold: 0 },
      { logliks: [-5, -5, -7], choices: ['ab', 'cd', 'x'], gold: 1 },
      // "𝐀𝐁" is 2 code points (4 UTF-16 units): -4/2 = -2 < -5/3 = -1.67, picks 1; dividing by UTF-16 length would pick 0.
      { logliks: [-4, -5], choices: ['𝐀𝐁', 'abc'], gold: 1 },
      // "é" written e + U+0301 is 2 code points for Python's len, not 1 character: -3/2 = -1.5 > -4/1, picks 0.
      { logliks: [-3, -4], choices: ['e\u0301', 'x'], gold: 0 },
    ]);
    expect(r.correct).toEqual([false, true, false, false, true]);
    expect(r.correctNorm).toEqual([true, true, false, true, true]);
    expect(r.n).toBe(5);
    expect(r.acc).toBeCloseTo(2 / 5, 12);
    expect(r.accNorm).toBeCloseTo(4 / 5, 12);
  });

  it('treats an empty choice as numpy does (x/0 is -inf; 0/0 is NaN and wins argmax)', () => {
    expect(multipleChoice([{ logliks: [-3, -9], choices: ['', 'abc'], gold: 1 }]).correctNorm).toEqual([true]);
    expect(multipleChoice([{ logliks: [-3, 0], choices: ['abc', ''], gold: 1 }]).correctNorm).toEqual([true]);
  });

  it('refuses malformed items with a message naming the item', () => {
    expect(() => multipleChoice([{ logliks: [-1], choices: ['a', 'b'], gold: 0 }])).toThrow(/item 1 has 1 log-likelihoods for 2 choices/);
    expect(() => multipleChoice([{ logliks: [-1, -2], choices: ['a', 'b'], gold: 2 }])).toThrow(/gold answer 2/);
  });
});

/** A deterministic toy corpus: references and systems that miss `missRate` of the words. */
function corpus(n: number, seed: number) {
  const words = 'the river flows past old stone houses where children play and farmers sell fresh bread every morning near market square'.split(' ');
  let s = seed >>> 0;
  const rand = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  const refs: string[] = [];
  for (let i = 0; i < n; i++) refs.push(Array.from({ length: 8 + Math.floor(rand() * 10) }, () => words[Math.floor(rand() * words.length)]).join(' '));
  const system = (missRate: number, only?: (i: number) => boolean) =>
    refs.map((r, i) => (only && !only(i) ? r : r.split(' ').map((w) => (rand() < missRate ? 'xyz' + Math.floor(rand() * 100) : w)).join(' ')));
  return { refs, system };
}

describe('pairedBootstrap', () => {
  const { refs, system } = corpus(80, 7);
  const weak = system(0.4);
  const strong = system(0.05);

  it('is deterministic for a seed and reports the full-corpus scores', () => {
    const a = pairedBootstrap('chrf++', { hyps: weak }, { hyps: strong }, [refs], { samples: 200, seed: 3 });
    const b = pairedBootstrap('chrf++', { hyps: weak }, { hyps: strong }, [refs], { samples: 200, seed: 3 });
    expect(b).toEqual(a);
    const c = pairedBootstrap('chrf++', { hyps: weak }, { hyps: strong }, [refs], { samples: 200, seed: 4 });
    expect([c.low, c.high]).not.toEqual([a.low, a.high]);
    expect(a.a).toBe(corpusChrf(weak, [refs], { wordOrder: 2 }).score);
    expect(a.b).toBe(corpusChrf(strong, [refs], { wordOrder: 2 }).score);
    expect(a.delta).toBe(a.b - a.a);
    expect(a).toMatchObject({ samples: 200, seed: 3 });
  });

  it('detects a real difference (BLEU, chrF, acc) and defaults to 1000 samples, seed 12345', () => {
    for (const metric of ['bleu', 'chrf', 'chrf++'] as const) {
      const r = pairedBootstrap(metric, { hyps: weak }, { hyps: strong }, [refs]);
      expect(r).toMatchObject({ samples: 1000, seed: 12345, significant: true, pValue: 0 });
      expect(r.low).toBeGreaterThan(0);
      expect(r.low).toBeLessThanOrEqual(r.delta);
      expect(r.high).toBeGreaterThanOrEqual(r.delta);
    }
    const bleu = pairedBootstrap('bleu', { hyps: strong }, { hyps: weak }, [refs], { samples: 100 });
    expect(bleu.a).toBe(corpusBleu(strong, [refs]).score);
    expect(bleu.high).toBeLessThan(0);
    expect(bleu.significant).toBe(true);
    const flags = (k: number) => Array.from({ length: 200 }, (_, i) => i % 10 < k);
    const acc = pairedBootstrap('acc', { correct: flags(5) }, { correct: flags(9) });
    expect(acc).toMatchObject({ a: 0.5, b: 0.9, significant: true, pValue: 0 });
  });

  it('does not call two systems of the same quality different', () => {
    // Same error rate, on different halves of the corpus.
    const left = system(0.3, (i) => i % 2 === 0);
    const right = system(0.3, (i) => i % 2 === 1);
    const r = pairedBootstrap('chrf++', { hyps: left }, { hyps: right }, [refs]);
    expect(r.low).toBeLessThan(0);
    expect(r.high).toBeGreaterThan(0);
    expect(r.significant).toBe(false);
    expect(r.pValue).toBeGreaterThan(0.05);
    const acc = pairedBootstrap('acc', { correct: [true, false, true, false, true, false] }, { correct: [false, true, false, true, false, true] });
    expect(acc).toMatchObject({ delta: 0, pValue: 1, significant: false });
  });

  it('refuses mismatched systems', () => {
    expect(() => pairedBootstrap('bleu', { hyps: weak }, { hyps: strong.slice(1) }, [refs])).toThrow(/different numbers of segments \(80 and 79\)/);
    expect(() => pairedBootstrap('bleu', { hyps: weak }, { hyps: strong })).toThrow(/needs the references/);
    expect(() => pairedBootstrap('acc', { hyps: weak }, { hyps: strong })).toThrow(/acc needs/);
  });
});

describe('segment statistics', () => {
  it('sum to the corpus score, so subsets need no re-tokenising', () => {
    const { refs, system } = corpus(30, 11);
    const hyps = system(0.2);
    const cs = chrfSegmentStats(hyps, [refs], { wordOrder: 2 });
    expect(chrfFromStats(sumStats(cs), { wordOrder: 2 }).score).toBe(corpusChrf(hyps, [refs], { wordOrder: 2 }).score);
    const bs = bleuSegmentStats(hyps, [refs]);
    expect(bleuFromStats(sumStats(bs))).toEqual(corpusBleu(hyps, [refs]));
    expect(bleuFromStats(sumStats(bs.slice(0, 10)))).toEqual(corpusBleu(hyps.slice(0, 10), [refs.slice(0, 10)]));
  });
});

describe('pyFixed (Python format with :.Nf)', () => {
  it('rounds exact ties half to even, like Python, unlike toFixed', () => {
    expect(pyFixed(0.125, 2)).toBe('0.12');
    expect(pyFixed(0.375, 2)).toBe('0.38');
    expect(pyFixed(2.5, 0)).toBe('2');
    expect(pyFixed(48.530827009929865, 2)).toBe('48.53');
    expect(pyFixed(1.005, 2)).toBe('1.00'); // 1.005 is below the tie in binary
    expect(pyFixed(0.1, 2)).toBe('0.10');
  });
});
