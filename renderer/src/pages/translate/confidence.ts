/**
 * A sentence's confidence (mean token log-probability, ≤ 0) for people: its
 * exponential is the geometric-mean probability of the tokens, shown as a
 * percentage, with a band for colour. The bands are rough guides: a trained
 * model's confident sentences sit well above 50%, a random one's near 0%.
 */
export type ConfidenceBand = 'high' | 'medium' | 'low';

export function confidenceBand(probability: number): ConfidenceBand {
  return probability >= 0.6 ? 'high' : probability >= 0.3 ? 'medium' : 'low';
}

export function formatProbability(probability: number): string {
  const pct = 100 * probability;
  return pct >= 10 ? `${pct.toFixed(0)}%` : pct >= 0.1 ? `${pct.toFixed(1)}%` : '<0.1%';
}
