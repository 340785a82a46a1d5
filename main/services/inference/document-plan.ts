/**
 * A document to translate, cut into pieces: text that is kept as it is
 * (markers, whitespace, line breaks, numbers) and sentences that are
 * translated. Plain text and USFM build a plan; the translator fills in the
 * sentences; assemble() puts the document back together, so everything that
 * is not a sentence comes out byte for byte as it went in.
 */

export type Piece = { kind: 'keep'; text: string } | { kind: 'translate'; text: string };

export interface DocumentPlan {
  pieces: Piece[];
}

/** The sentences of a plan, in document order (what the model is given). */
export function planSentences(plan: DocumentPlan): string[] {
  return plan.pieces.filter((p) => p.kind === 'translate').map((p) => p.text);
}

/** The document with its i-th sentence replaced by outputs[i]. */
export function assemble(plan: DocumentPlan, outputs: readonly string[]): string {
  let i = 0;
  let out = '';
  for (const p of plan.pieces) {
    if (p.kind === 'keep') out += p.text;
    else {
      const o = outputs[i++];
      if (o === undefined) throw new Error(`assemble: ${planSentences(plan).length} sentences but only ${outputs.length} outputs`);
      out += o;
    }
  }
  return out;
}

/** Appends a piece, merging neighbouring kept text (fewer, larger pieces). */
export function pushPiece(pieces: Piece[], piece: Piece): void {
  if (piece.text === '') return;
  const last = pieces[pieces.length - 1];
  if (piece.kind === 'keep' && last?.kind === 'keep') last.text += piece.text;
  else pieces.push({ ...piece });
}
