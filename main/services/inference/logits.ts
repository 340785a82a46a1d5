/** Log-probabilities from one row of logits (the model's scores for every vocabulary entry). */

/** log Σ exp(x): the log of the softmax's normaliser, computed stably in double precision. */
export function logSumExp(row: Float32Array): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i]! > max) max = row[i]!;
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp(row[i]! - max);
  return max + Math.log(sum);
}

/** The highest-scoring entry (the lowest id on ties, as PyTorch's argmax). */
export function argmax(row: Float32Array): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
  return best;
}

/** The ids of the k highest-scoring entries, best first (lower id first on ties). */
export function topK(row: Float32Array, k: number): number[] {
  const ids: number[] = [];
  for (let i = 0; i < row.length; i++) {
    const v = row[i]!;
    let j: number;
    if (ids.length < k) {
      ids.push(i);
      j = ids.length - 1;
    } else if (v > row[ids[k - 1]!]!) j = k - 1;
    else continue;
    // Insertion into the short sorted list; equal scores keep the earlier id first.
    while (j > 0 && row[ids[j - 1]!]! < v) {
      ids[j] = ids[j - 1]!;
      j--;
    }
    ids[j] = i;
  }
  return ids;
}
