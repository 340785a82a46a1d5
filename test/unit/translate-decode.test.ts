/**
 * Decoding on a stand-in model whose next-token scores are a fixed table:
 * greedy stops at the first token holding a line break and cuts the text
 * there, confidence is the mean token log-probability, beam search finds the
 * sequence greedy misses, the cache follows the beams, and cancel stops.
 */
import { describe, expect, it } from 'vitest';
import { cutAtLineEnd, decode, type KvCache, type StepModel, type TextCodec } from '../../main/services/inference/decode';
import { logSumExp, topK } from '../../main/services/inference/logits';

const VOCAB = ['<eos>', ' a', ' b', ' c', '.\n', ' x', '\n'];
const codec: TextCodec = { decode: (ids) => ids.map((i) => VOCAB[i]).join(''), hasNewline: (id) => VOCAB[id]!.includes('\n') };

/** The cache is the token history of each row; `select` must keep it with its beam. */
class HistoryCache implements KvCache {
  constructor(readonly rows: number[][]) {}
  get length() {
    return this.rows[0]!.length;
  }
  select(rows: readonly number[]): KvCache {
    return new HistoryCache(rows.map((r) => [...this.rows[r]!]));
  }
}

/** Next-token log-probabilities given the tokens generated so far (after the prompt). */
function tableModel(next: (generated: number[]) => number[]): StepModel & { calls: number } {
  const m = {
    calls: 0,
    promptLength: 0,
    async forward(tokens: readonly (readonly number[])[], past: KvCache | null) {
      m.calls++;
      if (!past) m.promptLength = tokens[0]!.length;
      const rows = tokens.map((t, i) => [...((past as HistoryCache | null)?.rows[i] ?? []), ...t]);
      const cache = new HistoryCache(rows);
      const logits = rows.map((r) => Float32Array.from(next(r.slice(m.promptLength))));
      return { logits, cache };
    },
  };
  return m;
}

const lp = (probs: number[]) => probs.map((p) => (p > 0 ? Math.log(p) : -1e9));

describe('decode', () => {
  it('greedy: stops at the first line break, cuts the text there, confidence = mean log-prob of every generated token', async () => {
    // a (0.6) b (0.5) ".\n" (0.7)
    const model = tableModel((g) => lp(g.length === 0 ? [0, 0.6, 0.3, 0.1, 0, 0, 0] : g.length === 1 ? [0, 0.2, 0.5, 0.3, 0, 0, 0] : [0.1, 0, 0, 0.2, 0.7, 0, 0]));
    const streamed: string[] = [];
    const r = await decode(model, codec, [9, 9], { maxNewTokens: 10, beams: 1, stopAtLineEnd: true, eosTokenIds: new Set([0]), onText: (t) => streamed.push(t) });
    expect(r.tokens).toEqual([1, 2, 4]);
    expect(r.text).toBe('a b.');
    expect(r.stop).toBe('line-end');
    expect(r.confidence).toBeCloseTo((Math.log(0.6) + Math.log(0.5) + Math.log(0.7)) / 3, 6);
    expect(streamed).toEqual(['a', 'a b']);
    expect(model.calls).toBe(3);
  });

  it('greedy: an end-of-text token ends the answer and is not part of its text', async () => {
    const model = tableModel((g) => lp(g.length === 0 ? [0, 0.9, 0.1, 0, 0, 0, 0] : [0.8, 0.1, 0.1, 0, 0, 0, 0]));
    const r = await decode(model, codec, [9], { maxNewTokens: 10, beams: 1, stopAtLineEnd: true, eosTokenIds: new Set([0]) });
    expect(r).toMatchObject({ tokens: [1, 0], text: 'a', stop: 'eos' });
  });

  it('without the line stop (benchmarks) produces exactly maxNewTokens', async () => {
    const model = tableModel(() => lp([0.5, 0, 0, 0, 0.5, 0, 0]));
    const r = await decode(model, codec, [9], { maxNewTokens: 7, beams: 1, stopAtLineEnd: false, eosTokenIds: new Set() });
    expect(r.tokens).toHaveLength(7);
    expect(r.stop).toBe('max-tokens');
  });

  it('beam search finds the better whole answer that greedy misses, and keeps each beam with its cache', async () => {
    // Greedy takes " a" (0.5) then is unsure (0.34 each); " b" (0.4) leads to " c" (0.95): 0.38 > 0.17.
    const next = (g: number[]) => {
      if (g.length === 0) return lp([0, 0.5, 0.4, 0.1, 0, 0, 0]);
      if (g.length === 1 && g[0] === 1) return lp([0, 0.33, 0.33, 0.34, 0, 0, 0]);
      if (g.length === 1 && g[0] === 2) return lp([0, 0, 0, 0.95, 0.05, 0, 0]);
      return lp([0, 0, 0, 0, 1, 0, 0]);
    };
    const greedy = await decode(tableModel(next), codec, [9], { maxNewTokens: 5, beams: 1, stopAtLineEnd: true, eosTokenIds: new Set([0]) });
    expect(greedy.text).toBe('a c.');
    const beam = await decode(tableModel(next), codec, [9], { maxNewTokens: 5, beams: 3, stopAtLineEnd: true, eosTokenIds: new Set([0]) });
    expect(beam.text).toBe('b c.');
    expect(beam.tokens).toEqual([2, 3, 4]);
    expect(beam.confidence).toBeCloseTo((Math.log(0.4) + Math.log(0.95) + Math.log(1)) / 3, 6);
    expect(beam.confidence).toBeGreaterThan(greedy.confidence);
  });

  it('stops with a cancelled error once the signal is aborted', async () => {
    const ac = new AbortController();
    const model = tableModel(() => lp([0, 1, 0, 0, 0, 0, 0]));
    const run = decode(model, codec, [9], { maxNewTokens: 1000, beams: 1, stopAtLineEnd: true, eosTokenIds: new Set(), signal: ac.signal, onText: (t) => t.length > 10 && ac.abort() });
    await expect(run).rejects.toMatchObject({ code: 'cancelled' });
  });
});

describe('logits helpers', () => {
  it('topK is best first with the lower id first on ties; logSumExp is stable', () => {
    const row = Float32Array.from([1, 5, 3, 5, -2, 4]);
    expect(topK(row, 3)).toEqual([1, 3, 5]);
    expect(topK(row, 10)).toEqual([1, 3, 5, 2, 0, 4]);
    expect(logSumExp(Float32Array.from([1000, 1000]))).toBeCloseTo(1000 + Math.log(2), 6);
    expect(cutAtLineEnd('  abc\ndef')).toBe('abc');
  });
});
