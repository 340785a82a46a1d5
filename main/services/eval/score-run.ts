/**
 * Scoring an evaluation job's outputs (<runDir>/outputs.jsonl) against its
 * items: translation (Flores, held-out pairs) by corpus BLEU and chrF++ per
 * direction with sentence chrF++ per item; multiple choice (Belebele, XCOPA,
 * MMMLU) by acc and acc_norm; held-out texts by bits per character per
 * language (sum of nll / ln 2 / sum of characters). Pure functions of the
 * items and outputs, so the same outputs always give the same scores.
 *
 * Scales: BLEU and chrF++ 0-100 as sacrebleu prints them; acc and acc_norm
 * as percentages (0-100, as papers report them); bpc in bits.
 */
import { z } from 'zod';
import { corpusBleu, corpusChrf, multipleChoice, sentenceChrf } from './metrics';
import type { EvalItemDbRow, EvalScoreRow } from '../../../db/queries/eval';

export const CHRF_PP = { wordOrder: 2 } as const;

/** One line of outputs.jsonl (the trainer's `eval` protocol). */
export const TrainerOutput = z.discriminatedUnion('type', [
  z.object({ id: z.string(), type: z.literal('generate'), text: z.string(), tokens: z.number().nullish(), logprob: z.number().nullish(), meanLogprob: z.number().nullish() }).passthrough(),
  z.object({ id: z.string(), type: z.literal('choices'), logliks: z.array(z.number()), greedy: z.array(z.boolean()).nullish() }).passthrough(),
  z.object({ id: z.string(), type: z.literal('loglik-text'), nll: z.number(), tokens: z.number().nullish(), characters: z.number().nullish() }).passthrough(),
]);
export type TrainerOutput = z.output<typeof TrainerOutput>;

/** outputs.jsonl as a map by item id; a later line for the same id (a resumed run) wins. */
export function parseOutputs(text: string, path: string): Map<string, TrainerOutput> {
  const out = new Map<string, TrainerOutput>();
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (!line.trim()) continue;
    let data: unknown;
    try {
      data = JSON.parse(line);
    } catch {
      // The last line of an interrupted run may be cut off; any other bad line is an error.
      if (i >= lines.length - 2) continue;
      throw new Error(`line ${i + 1} of ${path} is not JSON`);
    }
    const r = TrainerOutput.safeParse(data);
    if (!r.success) throw new Error(`line ${i + 1} of ${path} is not an evaluation output: ${r.error.issues[0]?.path.join('.')}: ${r.error.issues[0]?.message}`);
    out.set(r.data.id, r.data);
  }
  return out;
}

export interface ScoredItem {
  item_id: string;
  hypothesis: string | null;
  score: number | null;
  correct: number | null;
  meta: string | null;
}

export interface RunScores {
  items: ScoredItem[];
  scores: Array<Omit<EvalScoreRow, 'run_id'>>;
}

const TRANSLATION = new Set(['flores', 'heldout-pairs']);
const CHOICE = new Set(['belebele', 'xcopa', 'mmmlu']);

/** Groups rows by benchmark and subset, keeping the items' order. */
export function bySubset(rows: EvalItemDbRow[]): Map<string, { benchmark: string; subset: string; rows: EvalItemDbRow[] }> {
  const m = new Map<string, { benchmark: string; subset: string; rows: EvalItemDbRow[] }>();
  for (const r of rows) {
    const k = `${r.benchmark}\u0000${r.subset}`;
    let g = m.get(k);
    if (!g) m.set(k, (g = { benchmark: r.benchmark, subset: r.subset, rows: [] }));
    g.rows.push(r);
  }
  return m;
}

const metaOf = (r: EvalItemDbRow) => (r.meta ? (JSON.parse(r.meta) as Record<string, unknown>) : {});

/** Every item must have its output: a missing one means the job did not finish, and no score is given. */
export function scoreRun(rows: EvalItemDbRow[], outputs: Map<string, TrainerOutput>): RunScores {
  const missing = rows.filter((r) => !outputs.has(r.item_id));
  if (missing.length) throw new Error(`${missing.length} of ${rows.length} items have no output (the first: ${missing[0]!.item_id})`);
  const items: ScoredItem[] = [];
  const scores: RunScores['scores'] = [];
  for (const { benchmark, subset, rows: group } of bySubset(rows).values()) {
    if (TRANSLATION.has(benchmark)) {
      const hyps = group.map((r) => expect(outputs.get(r.item_id)!, 'generate', r).text.trim());
      const refs = [group.map((r) => r.reference ?? '')];
      const bleu = corpusBleu(hyps, refs);
      const chrf = corpusChrf(hyps, refs, CHRF_PP);
      scores.push({ benchmark, subset, metric: 'bleu', score: bleu.score, n: group.length, signature: bleu.signature });
      scores.push({ benchmark, subset, metric: 'chrf++', score: chrf.score, n: group.length, signature: chrf.signature });
      group.forEach((r, i) => {
        const o = expect(outputs.get(r.item_id)!, 'generate', r);
        const meta = { ...metaOf(r), tokens: o.tokens ?? null, meanLogprob: o.meanLogprob ?? null };
        items.push({ item_id: r.item_id, hypothesis: hyps[i]!, score: sentenceChrf(hyps[i]!, [r.reference ?? ''], CHRF_PP).score, correct: null, meta: JSON.stringify(meta) });
      });
    } else if (CHOICE.has(benchmark)) {
      const parsed = group.map((r) => {
        const meta = metaOf(r);
        const o = expect(outputs.get(r.item_id)!, 'choices', r);
        return { r, meta, logliks: o.logliks, choices: meta.choices as string[], gold: meta.gold as number };
      });
      const mc = multipleChoice(parsed.map((p) => ({ logliks: p.logliks, choices: p.choices, gold: p.gold })));
      const shots = parsed[0]?.meta.shots ?? 0;
      scores.push({ benchmark, subset, metric: 'acc', score: 100 * mc.acc, n: mc.n, signature: `metric:acc|choices:loglik(" "+choice)|shots:${shots}|n:${mc.n}` });
      scores.push({ benchmark, subset, metric: 'acc_norm', score: 100 * mc.accNorm, n: mc.n, signature: `metric:acc_norm|norm:codepoints|choices:loglik(" "+choice)|shots:${shots}|n:${mc.n}` });
      parsed.forEach((p, i) => {
        const picked = p.logliks.indexOf(Math.max(...p.logliks));
        items.push({
          item_id: p.r.item_id,
          hypothesis: p.choices[picked] ?? null,
          score: mc.correct[i] ? 1 : 0,
          correct: mc.correct[i] ? 1 : 0,
          meta: JSON.stringify({ ...p.meta, logliks: p.logliks, correctNorm: mc.correctNorm[i] }),
        });
      });
    } else if (benchmark === 'heldout-bpc') {
      let nll = 0;
      let chars = 0;
      for (const r of group) {
        const o = expect(outputs.get(r.item_id)!, 'loglik-text', r);
        const c = o.characters ?? [...(r.source ?? '')].length;
        nll += o.nll;
        chars += c;
        items.push({ item_id: r.item_id, hypothesis: null, score: c ? o.nll / Math.LN2 / c : null, correct: null, meta: JSON.stringify({ ...metaOf(r), nll: o.nll, characters: c, tokens: o.tokens ?? null }) });
      }
      scores.push({ benchmark, subset, metric: 'bpc', score: chars ? nll / Math.LN2 / chars : 0, n: group.length, signature: `metric:bpc|nll:sum-nats|chars:codepoints|n:${group.length}` });
    } else throw new Error(`unknown benchmark ${benchmark}`);
  }
  return { items, scores };
}

function expect<K extends TrainerOutput['type']>(o: TrainerOutput, type: K, r: EvalItemDbRow): Extract<TrainerOutput, { type: K }> {
  if (o.type !== type) throw new Error(`item ${r.item_id} (${r.benchmark}) should have a "${type}" output, not "${o.type}"`);
  return o as Extract<TrainerOutput, { type: K }>;
}
