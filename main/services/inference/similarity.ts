/**
 * How closely a stored sentence matches the sentence to translate: sentence
 * chrF (character n-grams of orders 1-6 over the text without whitespace,
 * β = 2, sacrebleu's definition) with the input as the reference. Recall
 * weighs more than precision: an example that covers the input's words helps
 * the model more than a short one that only shares a few.
 */

const ORDER = 6;
const BETA2 = 4;

/** Character n-gram counts of orders 1..ORDER over code points, whitespace removed. */
export function charNgrams(text: string): Array<Map<string, number>> {
  const s = text.replace(/\s+/gu, '');
  // UTF-16 offset of each code point, so n-grams are slices of `s` (cheap) yet count code points.
  const at: number[] = [];
  for (let i = 0; i < s.length; i++) {
    at.push(i);
    if (s.charCodeAt(i) >= 0xd800 && s.charCodeAt(i) < 0xdc00) i++;
  }
  at.push(s.length);
  const chars = at.length - 1;
  const out: Array<Map<string, number>> = [];
  for (let n = 1; n <= ORDER; n++) {
    const m = new Map<string, number>();
    for (let i = 0; i + n <= chars; i++) {
      const g = s.slice(at[i], at[i + n]);
      m.set(g, (m.get(g) ?? 0) + 1);
    }
    out.push(m);
  }
  return out;
}

function total(m: Map<string, number>): number {
  let t = 0;
  for (const v of m.values()) t += v;
  return t;
}

/** Sentence chrF (0-100) of `hyp` against `ref`, from precomputed n-gram counts; averaged over the orders both sides have. */
export function chrfFromNgrams(hyp: Array<Map<string, number>>, ref: Array<Map<string, number>>): number {
  let score = 0;
  let orders = 0;
  for (let n = 0; n < ORDER; n++) {
    const h = hyp[n]!;
    const r = ref[n]!;
    const nh = total(h);
    const nr = total(r);
    if (nh === 0 || nr === 0) continue;
    let match = 0;
    const [small, large] = h.size < r.size ? [h, r] : [r, h];
    for (const [g, c] of small) {
      const o = large.get(g);
      if (o) match += Math.min(c, o);
    }
    const prec = match / nh;
    const rec = match / nr;
    const denom = BETA2 * prec + rec;
    score += denom > 0 ? ((1 + BETA2) * prec * rec) / denom : 0;
    orders++;
  }
  return orders ? (100 * score) / orders : 0;
}

export function chrf(hyp: string, ref: string): number {
  return chrfFromNgrams(charNgrams(hyp), charNgrams(ref));
}
