import type { Span } from '../../../../main/api/review-schemas';

export interface Segment {
  text: string;
  /** Indexes of the spans covering this piece (overlapping spans give several). */
  spans: number[];
}

/**
 * Cuts a text into pieces at every span boundary, so each piece can be drawn
 * as plain text or as a highlight. Offsets are code points, like the spans.
 */
export function segments(text: string, spans: readonly Span[]): Segment[] {
  const chars = Array.from(text);
  const cuts = new Set<number>([0, chars.length]);
  for (const s of spans) {
    cuts.add(Math.min(s.start, chars.length));
    cuts.add(Math.min(s.end, chars.length));
  }
  const points = [...cuts].sort((a, b) => a - b);
  const out: Segment[] = [];
  for (let i = 0; i < points.length - 1; i++) {
    const a = points[i]!;
    const b = points[i + 1]!;
    out.push({ text: chars.slice(a, b).join(''), spans: spans.flatMap((s, k) => (s.start <= a && s.end >= b && s.end > s.start ? [k] : [])) });
  }
  return out;
}

/** The UTF-16 offset of a DOM selection point inside `root`, counting the text before it. */
export function offsetIn(root: Node, node: Node, offset: number): number {
  const range = document.createRange();
  range.setStart(root, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}
