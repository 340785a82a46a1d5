/**
 * A run against its reference run on the same items: the difference of each
 * score with its 95% paired-bootstrap interval (1000 resamples, seeded), so
 * "trained beats base" is only marked where the interval excludes 0.
 * Translation and accuracy go through the metrics module's pairedBootstrap
 * (sacrebleu's procedure); bits per character, a ratio of sums, is
 * resampled here the same way (documents drawn with replacement, both
 * systems on the same draws).
 */
import type { EvalDeltaRow, EvalItemDbRow, EvalScoreRow } from '../../../db/queries/eval';
import { createRng } from '../pipeline/rng';
import { pairedBootstrap } from './metrics';
import { CHRF_PP, bySubset } from './score-run';

export const BOOTSTRAP = { samples: 1000, seed: 12345 } as const;

type Delta = Pick<EvalDeltaRow, 'value' | 'low' | 'high' | 'significant'>;

const metaOf = (r: EvalItemDbRow) => (r.meta ? (JSON.parse(r.meta) as Record<string, unknown>) : {});

/** Deltas (run - base) for every score both runs have; items are matched by id. */
export function computeDeltas(runId: number, baseRunId: number, runScores: EvalScoreRow[], baseScores: EvalScoreRow[], runItems: EvalItemDbRow[], baseItems: EvalItemDbRow[]): EvalDeltaRow[] {
  const baseById = new Map(baseItems.map((r) => [r.item_id, r]));
  const have = new Set(baseScores.map((s) => `${s.benchmark}\u0000${s.subset}\u0000${s.metric}`));
  const out: EvalDeltaRow[] = [];
  for (const { benchmark, subset, rows } of bySubset(runItems).values()) {
    const pairs = rows.filter((r) => baseById.has(r.item_id)).map((r) => ({ run: r, base: baseById.get(r.item_id)! }));
    if (!pairs.length) continue;
    for (const s of runScores.filter((x) => x.benchmark === benchmark && x.subset === subset)) {
      if (!have.has(`${benchmark}\u0000${subset}\u0000${s.metric}`)) continue;
      const d = delta(s.metric, pairs);
      if (d) out.push({ run_id: runId, base_run_id: baseRunId, benchmark, subset, metric: s.metric, ...d });
    }
  }
  return out;
}

function delta(metric: string, pairs: Array<{ run: EvalItemDbRow; base: EvalItemDbRow }>): Delta | null {
  if (metric === 'bleu' || metric === 'chrf++' || metric === 'chrf') {
    const refs = [pairs.map((p) => p.run.reference ?? '')];
    const r = pairedBootstrap(metric, { hyps: pairs.map((p) => p.base.hypothesis ?? '') }, { hyps: pairs.map((p) => p.run.hypothesis ?? '') }, refs, { ...BOOTSTRAP, chrf: metric === 'chrf++' ? CHRF_PP : undefined });
    return { value: r.delta, low: r.low, high: r.high, significant: r.significant ? 1 : 0 };
  }
  if (metric === 'acc' || metric === 'acc_norm') {
    const flag = (r: EvalItemDbRow) => (metric === 'acc' ? r.correct === 1 : metaOf(r).correctNorm === true);
    const r = pairedBootstrap('acc', { correct: pairs.map((p) => flag(p.base)) }, { correct: pairs.map((p) => flag(p.run)) }, undefined, BOOTSTRAP);
    // Accuracy is stored in percent (score-run.ts); its delta too.
    return { value: 100 * r.delta, low: 100 * r.low, high: 100 * r.high, significant: r.significant ? 1 : 0 };
  }
  if (metric === 'bpc') {
    const stat = (r: EvalItemDbRow) => {
      const m = metaOf(r);
      return { nll: Number(m.nll), chars: Number(m.characters) };
    };
    return bpcBootstrap(pairs.map((p) => stat(p.base)), pairs.map((p) => stat(p.run)));
  }
  return null;
}

/** Paired bootstrap of bits per character (sum nll / ln 2 / sum characters), the interval as sacrebleu takes it. */
export function bpcBootstrap(a: Array<{ nll: number; chars: number }>, b: Array<{ nll: number; chars: number }>, o: { samples: number; seed: number } = BOOTSTRAP): Delta {
  const bpc = (nll: number, chars: number) => (chars ? nll / Math.LN2 / chars : 0);
  const total = (xs: Array<{ nll: number; chars: number }>) => xs.reduce((s, x) => ({ nll: s.nll + x.nll, chars: s.chars + x.chars }), { nll: 0, chars: 0 });
  const ta = total(a);
  const tb = total(b);
  const value = bpc(tb.nll, tb.chars) - bpc(ta.nll, ta.chars);
  const rng = createRng(o.seed, 'paired-bootstrap-bpc');
  const n = a.length;
  const deltas = new Float64Array(o.samples);
  for (let s = 0; s < o.samples; s++) {
    let na = 0, ca = 0, nb = 0, cb = 0;
    for (let k = 0; k < n; k++) {
      const i = rng.int(n);
      na += a[i]!.nll;
      ca += a[i]!.chars;
      nb += b[i]!.nll;
      cb += b[i]!.chars;
    }
    deltas[s] = bpc(nb, cb) - bpc(na, ca);
  }
  deltas.sort();
  const lo = Math.floor(o.samples / 40);
  const low = deltas[lo]!;
  const high = deltas[o.samples - lo - 1]!;
  return { value, low, high, significant: low > 0 || high < 0 ? 1 : 0 };
}
