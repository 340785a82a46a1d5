/**
 * Greedy and beam-search decoding over a causal language model with a
 * key/value cache, driven one forward pass at a time so that every token's
 * log-probability is known and the text can be streamed as it grows.
 *
 * A translation ends at the end of the line: Qwen's vocabulary has many
 * tokens holding a line break ("\n", ".\n", "\n\n" ...), so the stop is
 * decided on the decoded text, and the output is cut at its first "\n". It
 * also ends at an end-of-text token or after `maxNewTokens`.
 *
 * Confidence is the mean log-probability of the generated tokens, the token
 * that ended the line (or the end-of-text token) included: it measures the
 * model's belief in the whole answer, its end included. For beam search this
 * is also the length-normalised score beams are ranked by (length penalty 1,
 * as in transformers' generate).
 */
import { LangbridgeError } from '../../api/errors';
import { argmax, logSumExp, topK } from './logits';

/** The model's key/value cache for a batch of sequences (opaque to the decoder). */
export interface KvCache {
  /** Tokens already in the cache. */
  readonly length: number;
  /** The cache of the given rows, in that order (rows may repeat). */
  select(rows: readonly number[]): KvCache;
}

/** One forward pass: `tokens` (equal-length rows) after `past`; the logits of each row's last position. */
export interface StepModel {
  forward(tokens: readonly (readonly number[])[], past: KvCache | null): Promise<{ logits: Float32Array[]; cache: KvCache }>;
}

export interface TextCodec {
  decode(ids: readonly number[]): string;
  /** Whether this token's text holds a line break. */
  hasNewline(id: number): boolean;
}

export interface DecodeOptions {
  maxNewTokens: number;
  /** 1: greedy; more: beam search with that many beams. */
  beams: number;
  /** Stop at the first generated line break (translation); false for benchmarks that must produce maxNewTokens. */
  stopAtLineEnd: boolean;
  /** End-of-text tokens (an empty set never stops on one). */
  eosTokenIds: ReadonlySet<number>;
  signal?: AbortSignal;
  /** The best output so far, each time it grows (beam search: the current best beam's). */
  onText?: (text: string) => void;
}

export interface Decoded {
  /** The generated tokens, the one that ended the line included. */
  tokens: number[];
  logProbs: number[];
  /** The answer: decoded, cut at the first line break, trimmed. */
  text: string;
  /** Mean token log-probability (≤ 0). */
  confidence: number;
  stop: 'line-end' | 'eos' | 'max-tokens';
}

interface Hypothesis {
  tokens: number[];
  logProbs: number[];
  sum: number;
}

function mean(xs: readonly number[]): number {
  return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
}

/** Text up to the first line break, trimmed. */
export function cutAtLineEnd(text: string): string {
  const nl = text.indexOf('\n');
  return (nl >= 0 ? text.slice(0, nl) : text).trim();
}

/** A partial output for streaming: a trailing incomplete UTF-8 sequence decodes as U+FFFD; hold it back. */
function streamable(codec: TextCodec, tokens: readonly number[], eos: ReadonlySet<number>): string {
  const text = codec.decode(tokens.filter((t) => !eos.has(t)));
  return cutAtLineEnd(text.replace(/\uFFFD+$/u, ''));
}

function finish(codec: TextCodec, h: Hypothesis, stop: Decoded['stop'], eos: ReadonlySet<number>, stopAtLineEnd: boolean): Decoded {
  const text = codec.decode(h.tokens.filter((t) => !eos.has(t)));
  return {
    tokens: h.tokens,
    logProbs: h.logProbs,
    text: stopAtLineEnd ? cutAtLineEnd(text) : text,
    confidence: mean(h.logProbs),
    stop,
  };
}

function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new LangbridgeError('cancelled', 'The translation was cancelled.');
}

export async function decode(model: StepModel, codec: TextCodec, prompt: readonly number[], opts: DecodeOptions): Promise<Decoded> {
  if (prompt.length === 0) throw new LangbridgeError('bad-input', 'Nothing to translate: the prompt is empty.');
  return opts.beams <= 1 ? greedy(model, codec, prompt, opts) : beamSearch(model, codec, prompt, opts);
}

async function greedy(model: StepModel, codec: TextCodec, prompt: readonly number[], opts: DecodeOptions): Promise<Decoded> {
  const eos = opts.eosTokenIds;
  checkCancelled(opts.signal);
  let { logits, cache } = await model.forward([prompt], null);
  const h: Hypothesis = { tokens: [], logProbs: [], sum: 0 };
  for (let i = 0; i < opts.maxNewTokens; i++) {
    checkCancelled(opts.signal);
    const row = logits[0]!;
    const t = argmax(row);
    const lp = row[t]! - logSumExp(row);
    h.tokens.push(t);
    h.logProbs.push(lp);
    h.sum += lp;
    if (eos.has(t)) return finish(codec, h, 'eos', eos, opts.stopAtLineEnd);
    if (opts.stopAtLineEnd && codec.hasNewline(t)) return finish(codec, h, 'line-end', eos, true);
    opts.onText?.(streamable(codec, h.tokens, eos));
    if (i + 1 === opts.maxNewTokens) break;
    ({ logits, cache } = await model.forward([[t]], cache));
  }
  return finish(codec, h, 'max-tokens', eos, opts.stopAtLineEnd);
}

/**
 * Beam search as transformers' generate does it with early stopping: each
 * step expands every beam by its 2×W best tokens, keeps the W best
 * unfinished continuations, and sets aside those that end (among the W best
 * candidates); it stops once W hypotheses have ended or at maxNewTokens. The
 * answer is the hypothesis with the best mean log-probability.
 */
async function beamSearch(model: StepModel, codec: TextCodec, prompt: readonly number[], opts: DecodeOptions): Promise<Decoded> {
  const W = opts.beams;
  const eos = opts.eosTokenIds;
  const ends = (t: number) => eos.has(t) || (opts.stopAtLineEnd && codec.hasNewline(t));
  checkCancelled(opts.signal);
  let { logits, cache } = await model.forward([prompt], null);
  let beams: Hypothesis[] = [{ tokens: [], logProbs: [], sum: 0 }];
  const finished: Array<{ h: Hypothesis; stop: Decoded['stop'] }> = [];
  const norm = (h: Hypothesis) => h.sum / Math.max(1, h.tokens.length);

  for (let step = 0; step < opts.maxNewTokens && beams.length; step++) {
    checkCancelled(opts.signal);
    const candidates: Array<{ parent: number; token: number; lp: number; sum: number }> = [];
    beams.forEach((b, bi) => {
      const row = logits[bi]!;
      const z = logSumExp(row);
      for (const t of topK(row, 2 * W)) candidates.push({ parent: bi, token: t, lp: row[t]! - z, sum: b.sum + row[t]! - z });
    });
    candidates.sort((a, b) => b.sum - a.sum);
    const next: Hypothesis[] = [];
    const parents: number[] = [];
    for (let rank = 0; rank < candidates.length && next.length < W; rank++) {
      const c = candidates[rank]!;
      const p = beams[c.parent]!;
      const h = { tokens: [...p.tokens, c.token], logProbs: [...p.logProbs, c.lp], sum: c.sum };
      if (ends(c.token)) {
        if (rank < W) finished.push({ h, stop: eos.has(c.token) ? 'eos' : 'line-end' });
        continue;
      }
      next.push(h);
      parents.push(c.parent);
    }
    beams = next;
    const best = [...finished.map((f) => f.h), ...beams].sort((a, b) => norm(b) - norm(a))[0];
    if (best) opts.onText?.(streamable(codec, best.tokens, eos));
    if (finished.length >= W || !beams.length || step + 1 === opts.maxNewTokens) break;
    ({ logits, cache } = await model.forward(beams.map((b) => [b.tokens.at(-1)!]), cache.select(parents)));
  }
  const pool = [...finished, ...beams.map((h) => ({ h, stop: 'max-tokens' as const }))];
  pool.sort((a, b) => norm(b.h) - norm(a.h));
  const top = pool[0]!;
  return finish(codec, top.h, top.stop, eos, opts.stopAtLineEnd);
}
