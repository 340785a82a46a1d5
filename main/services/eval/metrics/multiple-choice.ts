/**
 * Multiple-choice accuracy as lm-evaluation-harness computes it
 * (lm_eval/api/task.py, process_results for output_type multiple_choice):
 * acc = argmax of the summed log-likelihoods; acc_norm = argmax of each
 * log-likelihood divided by the length of the choice text in characters
 * (Python `len`, i.e. code points, of the choice without the " " delimiter).
 * Ties go to the lowest index, as numpy.argmax does.
 */

import { codePointLength } from './python-strings';

export interface ChoiceItem {
  logliks: number[];
  choices: string[];
  gold: number;
}

export interface MultipleChoiceResult {
  /** Share of items whose highest log-likelihood is the gold choice, 0..1. */
  acc: number;
  /** The same with length-normalised log-likelihoods, 0..1. */
  accNorm: number;
  n: number;
  correct: boolean[];
  correctNorm: boolean[];
}

/**
 * numpy.argmax: the first maximum; a NaN counts as the maximum (numpy returns
 * the first NaN), which is what dividing by an empty choice's length 0 can give.
 */
export function argmax(xs: readonly number[]): number {
  let best = 0;
  for (let i = 0; i < xs.length; i++) {
    if (Number.isNaN(xs[i])) return i;
    if (xs[i] > xs[best]) best = i;
  }
  return best;
}

export function multipleChoice(items: readonly ChoiceItem[]): MultipleChoiceResult {
  const correct: boolean[] = [];
  const correctNorm: boolean[] = [];
  items.forEach((item, k) => {
    if (item.logliks.length === 0) throw new Error(`multiple-choice item ${k + 1} has no choices`);
    if (item.logliks.length !== item.choices.length) {
      throw new Error(`multiple-choice item ${k + 1} has ${item.logliks.length} log-likelihoods for ${item.choices.length} choices`);
    }
    if (!Number.isInteger(item.gold) || item.gold < 0 || item.gold >= item.choices.length) {
      throw new Error(`multiple-choice item ${k + 1}: gold answer ${item.gold} is not one of its ${item.choices.length} choices`);
    }
    correct.push(argmax(item.logliks) === item.gold);
    // IEEE division as numpy does it: x / 0 is -inf, +inf or NaN.
    const norm = item.logliks.map((ll, i) => ll / codePointLength(item.choices[i]));
    correctNorm.push(argmax(norm) === item.gold);
  });
  const n = items.length;
  const share = (xs: boolean[]) => (n === 0 ? 0 : xs.filter(Boolean).length / n);
  return { acc: share(correct), accNorm: share(correctNorm), n, correct, correctNorm };
}
