/**
 * Shared plumbing for corpus metrics: checking that the hypothesis and
 * reference streams line up, and summing per-segment statistics rows.
 */

/**
 * sacrebleu silently truncates to the shortest stream (it zips them); a
 * length mismatch is almost always a misaligned file, so it is refused here.
 */
export function checkStreams(hyps: readonly string[], refs: readonly (readonly string[])[]): void {
  if (refs.length === 0) throw new Error('no reference stream: give at least one reference per segment');
  refs.forEach((stream, k) => {
    if (stream.length !== hyps.length) {
      throw new Error(`reference stream ${k + 1} has ${stream.length} segments but there are ${hyps.length} hypotheses`);
    }
  });
}

/** Column sums of a row-major matrix of `width` columns (integers, so the order of addition does not matter). */
export function sumRows(m: Float64Array, width: number): Float64Array {
  const out = new Float64Array(width);
  for (let off = 0; off < m.length; off += width) {
    for (let j = 0; j < width; j++) out[j] += m[off + j];
  }
  return out;
}

/** Column sums of a list of rows (e.g. what bleuSegmentStats or chrfSegmentStats returned, or a subset of it). */
export function sumStats(rows: readonly ArrayLike<number>[]): Float64Array {
  if (rows.length === 0) throw new Error('sumStats needs at least one row (the width is taken from it)');
  const width = rows[0].length;
  const out = new Float64Array(width);
  for (const row of rows) {
    if (row.length !== width) throw new Error(`statistics rows differ in width (${width} and ${row.length})`);
    for (let j = 0; j < width; j++) out[j] += row[j];
  }
  return out;
}
